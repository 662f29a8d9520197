/* Prints what the library produced in a cloud assembly: each function with its cold-start strategy and
 * layer size, then the compliance findings per stack. Reads only cdk.out. */
import * as fs from 'fs';
import * as path from 'path';

const outdir = process.argv[2] ?? 'cdk.out';
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));

type Resources = Record<string, { Type: string; Properties?: any; Metadata?: any }>;

function refId(v: any): string | undefined {
  if (v?.Ref) return v.Ref;
  if (Array.isArray(v?.['Fn::GetAtt'])) return v['Fn::GetAtt'][0];
  return undefined;
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? dirBytes(p) : fs.statSync(p).size;
  }
  return total;
}

function assetMb(res: { Metadata?: any } | undefined): string {
  const p = res?.Metadata?.['aws:asset:path'];
  if (!p || !fs.existsSync(path.join(outdir, p))) return '?';
  return `${(dirBytes(path.join(outdir, p)) / 1024 / 1024).toFixed(1)} MB`;
}

function strategy(id: string, r: Resources): string {
  const props = r[id].Properties ?? {};
  const aliases = Object.entries(r).filter(([, a]) => a.Type === 'AWS::Lambda::Alias' && refId(a.Properties?.FunctionName) === id);
  const parts: string[] = [];
  if (props.SnapStart?.ApplyOn === 'PublishedVersions') parts.push('SnapStart');
  for (const [aliasId, a] of aliases) {
    const pc = a.Properties?.ProvisionedConcurrencyConfig?.ProvisionedConcurrentExecutions;
    const target = Object.values(r).find((t) => t.Type === 'AWS::ApplicationAutoScaling::ScalableTarget'
      && JSON.stringify(t.Properties?.ResourceId ?? '').includes(`"Ref":"${aliasId}"`));
    const warmers = Object.values(r).filter((w) => (w.Type === 'AWS::Events::Rule' && (w.Properties?.Targets ?? []).some((t: any) => refId(t.Arn) === aliasId))
      || (w.Type === 'AWS::Lambda::Function' && refId(w.Properties?.Environment?.Variables?.CDK_PYTHON_COLDSTART_WARMUP_TARGET) === aliasId));
    const desc = [`alias ${a.Properties?.Name}`];
    // Auto-scaled aliases carry no ProvisionedConcurrencyConfig: the scalable target owns the value.
    if (target) desc.push(`PC ${target.Properties.MinCapacity}-${target.Properties.MaxCapacity} auto-scaled`);
    else if (pc !== undefined) desc.push(`PC ${pc}`);
    const fanout = warmers.find((w) => w.Type === 'AWS::Lambda::Function');
    if (fanout) desc.push(`warmed x${fanout.Properties.Environment.Variables.CDK_PYTHON_COLDSTART_WARMUP_CONCURRENCY ?? '?'}`);
    else if (warmers.length) desc.push('warmed x1');
    parts.push(desc.join(', '));
  }
  if (!parts.length) parts.push('on demand, $LATEST only');
  else if (!props.SnapStart && !parts.some((p) => p.includes('PC'))) parts.unshift('on demand');
  return parts.join('; ');
}

let errors = 0;
for (const [stackName, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
  if (artifact.type !== 'aws:cloudformation:stack') continue;
  const template = JSON.parse(fs.readFileSync(path.join(outdir, artifact.properties.templateFile), 'utf8'));
  const r: Resources = template.Resources ?? {};
  console.log(`\n${stackName} (${Object.keys(r).length} resources)`);
  for (const [id, res] of Object.entries(r)) {
    if (res.Type !== 'AWS::Lambda::Function') continue;
    const p = res.Properties ?? {};
    if (p.Environment?.Variables?.CDK_PYTHON_COLDSTART_WARMUP_TARGET) continue; // the library's fan-out warmer
    if (!String(p.Runtime ?? '').startsWith('python')) continue;
    const layers = (p.Layers ?? []).map((l: any) => refId(l)).filter((l: string | undefined) => l && r[l]);
    const layerInfo = layers.length ? `, layer ${layers.map((l: string) => assetMb(r[l])).join(' + ')}` : '';
    console.log(`  ${res.Metadata?.['aws:cdk:path'] ?? id}`);
    console.log(`    ${p.Runtime} ${(p.Architectures ?? ['x86_64']).join(',')} ${p.MemorySize ?? 128} MB, code ${assetMb(res)}${layerInfo}`);
    console.log(`    strategy: ${strategy(id, r)}`);
  }
  const dashboards = Object.values(r).filter((x) => x.Type === 'AWS::CloudWatch::Dashboard').length;
  const alarms = Object.values(r).filter((x) => x.Type === 'AWS::CloudWatch::Alarm').length;
  if (dashboards || alarms) console.log(`  monitoring: ${dashboards} dashboard(s), ${alarms} alarm(s)`);

  const reportFile = path.join(outdir, `cdk-python-coldstart-${stackName.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
  if (!fs.existsSync(reportFile)) {
    console.log('  compliance: no report (ColdStartChecks not applied)');
    continue;
  }
  const findings: any[] = JSON.parse(fs.readFileSync(reportFile, 'utf8')).findings;
  const open = findings.filter((f) => f.status === 'NON_COMPLIANT' || f.status === 'UNKNOWN');
  const byLevel = (lvl: string) => open.filter((f) => f.level === lvl).length;
  errors += byLevel('error');
  console.log(`  compliance: ${open.length} finding(s) (${byLevel('error')} error, ${byLevel('warning')} warning, ${byLevel('info')} info), report ${path.basename(reportFile)}`);
  for (const f of open) {
    console.log(`    ${f.ruleId} ${f.level.padEnd(7)} ${f.resourcePath}: ${f.message.split('. ')[0]}`);
  }
}
console.log(`\nCloud assembly: ${path.resolve(outdir)}`);
process.exitCode = errors ? 1 : 0;
