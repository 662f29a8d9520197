import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { compareAssemblies } = require('../../scripts/compare-templates.js');

const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'compare-templates.js');

function template(extra: Record<string, any> = {}, analytics = 'v2:deflate64:TS') {
  return {
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.12', Code: { S3Key: 'abc.zip' } } },
      CDKMetadata: { Type: 'AWS::CDK::Metadata', Properties: { Analytics: analytics } },
      ...extra,
    },
  };
}

function assembly(stacks: Record<string, any>, assets: Record<string, string[]> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-'));
  const artifacts: Record<string, any> = {};
  for (const [name, t] of Object.entries(stacks)) {
    fs.writeFileSync(path.join(dir, `${name}.template.json`), JSON.stringify(t));
    const files: Record<string, any> = {
      // The template's own asset: its hash covers CDKMetadata, so it must not be compared.
      [`tmpl-${JSON.stringify(t).length}-${Math.random()}`]: { source: { path: `${name}.template.json` } },
    };
    for (const id of assets[name] ?? []) files[id] = { source: { path: `asset.${id}`, packaging: 'zip' } };
    fs.writeFileSync(path.join(dir, `${name}.assets.json`), JSON.stringify({ version: '1', files, dockerImages: {} }));
    artifacts[`${name}.assets`] = { type: 'cdk:asset-manifest', properties: { file: `${name}.assets.json` } };
    artifacts[name] = { type: 'aws:cloudformation:stack', properties: { templateFile: `${name}.template.json` }, dependencies: [`${name}.assets`] };
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '1', artifacts }));
  return dir;
}

describe('scripts/compare-templates.js', () => {
  test('identical stacks whose CDKMetadata differs (the app language) match', () => {
    const ts = assembly({ A: template() }, { A: ['h1'] });
    const py = assembly({ A: template({}, 'v2:deflate64:PYTHON') }, { A: ['h1'] });
    expect(compareAssemblies(ts, py).problems).toEqual([]);
    const r = spawnSync(process.execPath, [SCRIPT, ts, py], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('1 stack(s) identical (A)');
  });

  test('a changed property fails with its JSON path and both values', () => {
    const ts = assembly({ A: template() });
    const changed = template();
    changed.Resources.Fn.Properties.Runtime = 'python3.11';
    const py = assembly({ A: changed });
    expect(compareAssemblies(ts, py).problems).toEqual([
      'stack A: /Resources/Fn/Properties/Runtime: expected "python3.12", got "python3.11"',
    ]);
    const r = spawnSync(process.execPath, [SCRIPT, ts, py], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('/Resources/Fn/Properties/Runtime: expected "python3.12", got "python3.11"');
  });

  test('an extra or missing resource, stack or asset hash fails', () => {
    const ts = assembly({ A: template(), B: template() }, { A: ['h1'] });
    const py = assembly({ A: template({ Extra: { Type: 'AWS::SNS::Topic' } }), C: template() }, { A: ['h2'] });
    const problems: string[] = compareAssemblies(ts, py).problems;
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringContaining('stack B: missing from'),
      expect.stringContaining('stack C: not in'),
      'stack A: /Resources/Extra: expected (absent), got {"Type":"AWS::SNS::Topic"}',
      'stack A: (asset ids)/files/0: expected "h1", got "h2"',
    ]));
  });

  test('not a cloud assembly: exit 2 with the reason', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-'));
    const r = spawnSync(process.execPath, [SCRIPT, empty, empty], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is not a cloud assembly');
  });
});
