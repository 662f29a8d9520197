// Dogfood: the library's own OptimizedPythonFunction passes the library's checks (ColdStartChecks)
// and guard rules in every cold-start strategy, in a stack excluded from bundling
// (`aws:cdk:bundling-stacks: []`, as `cdk synth -e OtherStack` and `cdk ls` do).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, AspectPriority, Stack } from 'aws-cdk-lib';
import { tmpdir } from './util';
import { ColdStartStrategy, OptimizedPythonFunction, OptimizedPythonFunctionProps } from '../../lib';
import { ColdStartChecks } from '../../lib/compliance';

const ROOT = path.join(__dirname, '..', '..');
const ENTRY = path.join(ROOT, 'test', 'fixtures', 'function', 'basic');

const STRATEGIES: [string, Partial<OptimizedPythonFunctionProps>][] = [
  ['snapStart (default)', {}],
  ['snapStart with warmup', { warmup: {} }],
  ['provisionedConcurrency', { coldStart: ColdStartStrategy.provisionedConcurrency({ minCapacity: 1, maxCapacity: 4 }) }],
  ['onDemand with warmup', { coldStart: ColdStartStrategy.onDemand(), warmup: { concurrency: 1 } }],
];

function synth(props: Partial<OptimizedPythonFunctionProps>) {
  const outdir = tmpdir('pcs-dogfood-');
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Dogfood', { env: { account: '123456789012', region: 'us-east-1' } });
  new OptimizedPythonFunction(stack, 'Api', { entry: ENTRY, ...props });
  const checks = new ColdStartChecks();
  Aspects.of(app).add(checks, { priority: AspectPriority.READONLY });
  const assembly = app.synth();
  return { checks, template: path.join(assembly.directory, assembly.getStackByName('Dogfood').templateFile), assembly };
}

describe.each(STRATEGIES)('%s', (_, props) => {
  const r = synth(props);
  test('no finding is NON_COMPLIANT or UNKNOWN (in particular no PCS10 on the unbundled source)', () => {
    const bad = r.checks.findings.filter((f) => f.status === 'NON_COMPLIANT' || f.status === 'UNKNOWN')
      .map((f) => `${f.ruleId} ${f.resourcePath}: ${f.message}`);
    expect(bad).toEqual([]);
    expect(r.checks.findings.filter((f) => f.ruleId === 'PCS1').map((f) => f.status)).toContain('COMPLIANT');
  });
  test('no cold-start warning or error annotation', () => {
    const messages = r.assembly.getStackByName('Dogfood').messages
      .filter((m) => m.level !== 'info' && String(m.entry.data).includes('[PCS'));
    expect(messages.map((m) => String(m.entry.data))).toEqual([]);
  });
  test('the guard rules pass on its template', () => {
    const proc = spawnSync(process.execPath, [path.join(ROOT, 'policy', 'run-guard.js'), '--json', r.template], { encoding: 'utf-8' });
    const report = JSON.parse(proc.stdout);
    expect(report.templates[0].findings).toEqual([]);
    expect(proc.status).toBe(0);
    expect(fs.existsSync(r.template)).toBe(true);
  });
});
