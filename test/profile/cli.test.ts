import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { copyFixture } from './util';
import { findPythonFunctions, runProfileCommand } from '../../lib/profile/cli';
import { requirePython } from '../helpers/python';

const python = requirePython('3.12');
const basic = copyFixture('basic');
const broken = copyFixture('broken');

/** Synthesizes a small cloud assembly (asset metadata on, as with the CDK CLI) and returns its directory. */
function synthAssembly(withBroken = false): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'profile-cdkout-'));
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'Api');
  const layer = new lambda.LayerVersion(stack, 'Deps', { code: lambda.Code.fromAsset(path.join(basic, 'layer')) });
  new lambda.Function(stack, 'Orders', {
    runtime: lambda.Runtime.PYTHON_3_12,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(path.join(basic, 'code')),
    layers: [layer],
    environment: { TABLE_NAME: 'orders' },
  });
  new lambda.Function(stack, 'Node', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=1') });
  if (withBroken) {
    new lambda.Function(stack, 'Broken', { runtime: lambda.Runtime.PYTHON_3_12, handler: 'index.handler', code: lambda.Code.fromAsset(path.join(broken, 'code')) });
  }
  app.synth();
  return outdir;
}

async function run(argv: string[]): Promise<{ status: number; output: string }> {
  let output = '';
  const status = await runProfileCommand(argv, (t) => { output += t; });
  return { status, output };
}

test('finds the Python functions with their staged code and layer directories', () => {
  const outdir = synthAssembly();
  const fns = findPythonFunctions(outdir);
  expect(fns).toHaveLength(1);
  expect(fns[0]).toMatchObject({ stackName: 'Api', runtime: 'python3.12', handler: 'index.handler', architecture: 'arm64', environment: { TABLE_NAME: 'orders' } });
  expect(fs.existsSync(path.join(fns[0].codeDir!, 'index.py'))).toBe(true);
  expect(fns[0].layerDirs).toHaveLength(1);
  expect(fs.existsSync(path.join(fns[0].layerDirs[0], 'python', 'heavy.py'))).toBe(true);
});

test('profiles each function, prints a table with the heaviest import, exit 0 within budget', async () => {
  const outdir = synthAssembly();
  const { status, output } = await run([outdir, '--python', python, '--budget-ms', '60000', '--runs', '3']);
  expect(output).toMatch(/Function\s+Runtime\s+Init ms \(median\)\s+Spread ms\s+Imports ms\s+Heaviest import \(ms\)\s+Status/);
  expect(output).toMatch(/Orders.*python3\.12\s+1\d\d\.\d\s+\d+\.\d\s+1\d\d\.\d\s+heavy \(1\d\d\.\d\)\s+ok/);
  expect(output).toMatch(/median of 2 runs, spread [\d.]+ ms, first run [\d.]+ ms not counted/);
  expect(output).toContain('(arm64 in Lambda)');
  expect(status).toBe(0);
});

test('exit 1 when a budget is exceeded', async () => {
  const outdir = synthAssembly();
  const { status, output } = await run([outdir, '--python', python, '--budget-ms', '20', '--runs', '1']);
  expect(output).toContain('OVER BUDGET (20 + 2 ms)');
  expect(status).toBe(1);
});

test('exit 1 and the error when a handler fails at init', async () => {
  const outdir = synthAssembly(true);
  const { status, output } = await run([outdir, `--python=${python}`, '--runs=1']);
  expect(output).toMatch(/Broken.*FAILED \(init-error\)/);
  expect(output).toContain("RuntimeError: TABLE_NAME is not configured (raised in module 'config'");
  expect(output).toMatch(/Orders.*ok/);
  expect(status).toBe(1);
});

test('functions without staged assets are listed as not profiled', async () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'profile-cdkout-nometa-'));
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': false } });
  new lambda.Function(new Stack(app, 'Api'), 'Orders', { runtime: lambda.Runtime.PYTHON_3_12, handler: 'index.handler', code: lambda.Code.fromAsset(path.join(basic, 'code')) });
  app.synth();
  const { status, output } = await run([outdir, '--python', python]);
  expect(output).toMatch(/Orders.*NOT PROFILED: no staged code directory \(synthesize with asset metadata/);
  expect(status).toBe(1);
});

test('usage errors exit 2', async () => {
  expect((await run([])).status).toBe(2);
  expect((await run(['/nonexistent-cdk-out'])).output).toContain('not a cloud assembly');
  expect((await run(['cdk.out', '--budget-ms', 'abc'])).output).toBe("error: --budget-ms must be a number above 0 and at most 3600000, got 'abc' (see cdk-python-coldstart profile --help)\n");
  expect((await run(['cdk.out', '--runs', '51'])).output).toContain("--runs must be a whole number above 0 and at most 50, got '51'");
  expect((await run(['cdk.out', '--format', 'xml'])).output).toContain("--format must be table or json, got 'xml'");
  expect((await run(['cdk.out', '--frobnicate'])).status).toBe(2);
  expect((await run(['--help'])).status).toBe(0);
});

test('--format json: one JSON document with median, spread, runs, budget and the median run\'s imports, for CI', async () => {
  const outdir = synthAssembly(true);
  const { status, output } = await run([outdir, '--python', python, '--format', 'json', '--runs', '3', '--budget-ms', '60000']);
  const doc = JSON.parse(output);
  expect(status).toBe(1); // Broken fails at init
  const orders = doc.functions.find((f: any) => f.logicalId.startsWith('Orders'));
  expect(orders).toMatchObject({ stack: 'Api', runtime: 'python3.12', architecture: 'arm64', status: 'ok', runs: 3, budgetMs: 60000, marginMs: 6000, handlerFound: true });
  expect(orders.runTotalsMs).toHaveLength(3);
  expect(orders.firstRunMs).toBe(orders.runTotalsMs[0]);
  expect(orders.medianMs).toBeGreaterThanOrEqual(145);
  expect(orders.topImports[0]).toMatchObject({ module: 'heavy' });
  const failing = doc.functions.find((f: any) => f.logicalId.startsWith('Broken'));
  expect(failing).toMatchObject({ status: 'failed', failure: { kind: 'init-error' } });
});
