/**
 * One synth of the fleet app, in a fresh process (as `cdk synth` would run it), for bench/fleet/run.ts.
 *
 *   app.ts --mode optimized|inline|asset --functions 60 --outdir DIR --work DIR --python PY --result FILE
 *
 * optimized: 60 OptimizedPythonFunctions in one stack, each in its own folder (DIR/work/fn<i>) with the
 * same requirements.txt, installed from local fixture wheels (hermetic pip). inline: the same app with
 * inline-code lambda.Functions. asset: plain lambda.Functions with Code.fromAsset, currentVersion and an
 * alias (reported for reference). Run by `cdk synth` (the cloud assembly goes to the CLI's CDK_OUTDIR) or
 * alone (to --outdir). Writes one JSON line to --result: construct + synth time (ms, measured after the
 * modules are loaded; wall clock and this process's CPU time), resource count and LayerVersion count.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { OptimizedPythonFunction } from '../../lib';

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) throw new Error(`--${name} is required`);
  return process.argv[i + 1];
}

const mode = arg('mode');
const functions = Number(arg('functions'));
const outdir = arg('outdir');
const work = arg('work');
const python = arg('python');
const result = arg('result');
const wheels = path.join(work, 'wheels');

const started = process.hrtime.bigint();
const cpuStarted = process.cpuUsage();
const app = new App({ outdir: process.env.CDK_OUTDIR ?? outdir, context: { 'aws:cdk:disable-stack-trace': true } });
const stack = new Stack(app, 'Fleet', { env: { account: '123456789012', region: 'us-east-1' } });
for (let i = 0; i < functions; i++) {
  if (mode === 'optimized') {
    new OptimizedPythonFunction(stack, `Route${i}`, {
      entry: path.join(work, `fn${i}`),
      bundling: {
        pythonExecutable: python,
        environment: { PIP_CONFIG_FILE: '/dev/null', PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheels },
      },
    });
  } else if (mode === 'asset') {
    // What plain CDK takes for the same functions with asset code, a version and an alias (no layer,
    // no monitoring): the floor that CDK's own per-resource work sets.
    const fn = new lambda.Function(stack, `Route${i}`, {
      runtime: lambda.Runtime.PYTHON_3_12,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(work, `fn${i}`)),
    });
    new lambda.Alias(stack, `Route${i}Alias`, { aliasName: 'live', version: fn.currentVersion });
  } else {
    new lambda.Function(stack, `Route${i}`, {
      runtime: lambda.Runtime.PYTHON_3_12,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline(fs.readFileSync(path.join(work, `fn${i}`, 'index.py'), 'utf8')),
    });
  }
}
const assembly = app.synth();
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const cpu = process.cpuUsage(cpuStarted);
const cpuMs = (cpu.user + cpu.system) / 1000;
const template = assembly.getStackByName('Fleet').template;
const types = Object.values<any>(template.Resources ?? {}).map((r) => r.Type);
fs.writeFileSync(result, JSON.stringify({
  mode,
  ms,
  cpuMs,
  resources: types.length,
  layerVersions: types.filter((t) => t === 'AWS::Lambda::LayerVersion').length,
  dashboards: types.filter((t) => t === 'AWS::CloudWatch::Dashboard').length,
}) + '\n');
