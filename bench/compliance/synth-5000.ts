/**
 * Benchmark (not a test): synth time of an app with 5,000 Python functions with and without
 * ColdStartChecks, measured side by side in one run, reported as a ratio.
 *
 *   npx ts-node --transpile-only bench/compliance/synth-5000.ts [--functions 5000] [--rounds 2]
 *
 * Each function is an L2 lambda.Function (function + role = 2 resources) sharing one staged code
 * asset with 200 modules, so the asset rules (size, bytecode) really read a directory. Stacks hold
 * 200 functions (~400 resources, under CloudFormation's 500). A discarded warm-up pair runs first
 * (module loading, JIT); rounds then alternate the order (without/with, with/without, ...) so that
 * neither side profits from going second. Reported: each round's ratio and the median ratio, for
 * wall-clock time and for this process's CPU time (user + system), which is less disturbed by
 * other processes on a shared machine.
 *
 * Then (unless --no-scale) the `check` scaling benchmark of ./scale.ts: 3,000 / 10,000 / 20,000
 * functions, a ~50 MB template and intrinsics nested 100,000 deep.
 *
 * Like `cdk synth` without --debug, the app runs with the context `aws:cdk:disable-stack-trace`
 * (pass --stack-traces to keep them: every annotation then captures a stack trace, which CDK
 * itself makes the dominant cost of any aspect that reports thousands of findings).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects, AspectPriority, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { runScale } from './scale';
import { ColdStartChecks } from '../../lib/compliance';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const FUNCTIONS = arg('functions', 5000);
const ROUNDS = arg('rounds', 3);
const PER_STACK = 200;
const STACK_TRACES = process.argv.includes('--stack-traces');

const code = fs.mkdtempSync(path.join(os.tmpdir(), 'pcs-bench-code-'));
for (let i = 0; i < 200; i++) {
  fs.mkdirSync(path.join(code, `pkg${i % 10}`), { recursive: true });
  fs.writeFileSync(path.join(code, `pkg${i % 10}`, `mod${i}.py`), `X = ${i}\n`);
}
fs.writeFileSync(path.join(code, 'app.py'), 'def handler(e, c):\n    return 1\n');

function synth(withChecks: boolean): { ms: number; cpuMs: number; findings: number; resources: number } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'pcs-bench-out-'));
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const app = new App({ outdir, context: STACK_TRACES ? {} : { 'aws:cdk:disable-stack-trace': true } });
  let stack: Stack | undefined;
  let asset: lambda.Code | undefined;
  for (let i = 0; i < FUNCTIONS; i++) {
    if (i % PER_STACK === 0) {
      stack = new Stack(app, `Bench${i / PER_STACK}`);
      asset = lambda.Code.fromAsset(code); // one Code per stack (CDK rule); same source, same hash
    }
    new lambda.Function(stack!, `Fn${i}`, {
      runtime: i % 2 ? lambda.Runtime.PYTHON_3_12 : lambda.Runtime.PYTHON_3_11,
      memorySize: i % 3 ? 1024 : 256,
      handler: 'app.handler',
      code: asset!,
    });
  }
  const checks = withChecks ? new ColdStartChecks() : undefined;
  if (checks) {
    Aspects.of(app).add(checks, { priority: AspectPriority.READONLY });
  }
  const assembly = app.synth();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const resources = assembly.stacks.reduce((n, s) => n + Object.keys(s.template.Resources ?? {}).length, 0);
  const maxPerStack = Math.max(...assembly.stacks.map((s) => Object.keys(s.template.Resources ?? {}).length));
  if (maxPerStack > 500) {
    throw new Error(`a stack has ${maxPerStack} resources (> 500)`);
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  return { ms, cpuMs, findings: checks?.findings.length ?? 0, resources };
}

synth(false);
synth(true);
const without: number[] = [];
const withC: number[] = [];
const withoutCpu: number[] = [];
const withCpu: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 === 0 ? [false, true] : [true, false];
  for (const w of order) {
    const res = synth(w);
    (w ? withC : without).push(res.ms);
    (w ? withCpu : withoutCpu).push(res.cpuMs);
    console.log(`round ${r + 1} ${w ? 'with   ' : 'without'} checks: ${(res.ms / 1000).toFixed(1)} s wall, ${(res.cpuMs / 1000).toFixed(1)} s CPU (${FUNCTIONS} functions, ${res.resources} resources${w ? `, ${res.findings} findings` : ''})`);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [label, a, b] of [['wall', without, withC], ['CPU', withoutCpu, withCpu]] as const) {
  const ratios = b.map((w, i) => w / a[i]);
  console.log(`${label}: per-round ratios with/without ${ratios.map((r) => r.toFixed(2)).join(', ')}; `
    + `median without ${(median(a) / 1000).toFixed(1)} s, with ${(median(b) / 1000).toFixed(1)} s, median ratio ${median(ratios).toFixed(2)}x`);
}
fs.rmSync(code, { recursive: true, force: true });
if (!process.argv.includes('--no-scale')) {
  void runScale([3000, 10000, 20000]);
}
