/* Prints what the library produced in a cloud assembly: one line per function and a findings summary. */
import * as fs from 'fs';
import * as path from 'path';

const outdir = process.argv[2] ?? 'cdk.out';
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));

for (const [name, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
  if (artifact.type !== 'aws:cloudformation:stack') {
    continue;
  }
  const template = JSON.parse(fs.readFileSync(path.join(outdir, artifact.properties.templateFile), 'utf8'));
  const resources = Object.entries<any>(template.Resources ?? {});
  console.log(`Stack ${name}: ${resources.length} resources`);
  for (const [logicalId, res] of resources) {
    if (res.Type !== 'AWS::Lambda::Function') {
      continue;
    }
    const p = res.Properties ?? {};
    const arch = (p.Architectures ?? ['x86_64']).join(',');
    const snap = p.SnapStart?.ApplyOn ?? 'None';
    console.log(`  function ${logicalId}: ${p.Runtime} ${arch} memory=${p.MemorySize ?? 128} SnapStart=${snap}`);
  }
}
