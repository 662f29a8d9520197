import { spawnSync } from 'child_process';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { main } from '../../lib/cli/main';
import { codeDir, tmpdir } from '../compliance/util';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'compliance');
const fixture = (name: string) => path.join(FIXTURES, name);

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

test('legacy JSON template: table with the error, exit 1', async () => {
  const r = await run('check', fixture('legacy.json'));
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/^RULE\s+LEVEL\s+STATUS\s+RESOURCE\s+MESSAGE/);
  expect(r.out).toMatch(/PCS6\s+error\s+NON_COMPLIANT\s+legacy\/OrdersLatestAlias/);
  expect(r.out).toMatch(/PCS8\s+warning\s+UNKNOWN\s+legacy\/OrdersFn .*MemorySize/);
  expect(r.out).toMatch(/2 Python function\(s\): .* [1-9]\d* blocking/);
  expect(r.out).not.toMatch(/NodeFn/);
});

test('SAM YAML with short-form tags: Globals, !Sub scaling target, CodeUri read from disk', async () => {
  const r = await run('check', fixture('sam.yaml'));
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/PCS6\s+error\s+NON_COMPLIANT\s+sam\/LatestFn/);
  expect(r.out).toMatch(/PCS11\s+warning\s+NON_COMPLIANT\s+sam\/CronFn\/Events\/Warm/);
  expect(r.out).toMatch(/PCS10\s+warning\s+NON_COMPLIANT\s+sam\/ApiFn .*app\.py/);
  expect(r.out).not.toMatch(/PCS7.*ApiFn/);
  expect(r.out).not.toMatch(/PCS1 .*ApiFn/);
});

test('suppressed findings only: exit 0, the suppression shown with its reason', async () => {
  const r = await run('check', fixture('clean.json'));
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/PCS8\s+warning\s+SUPPRESSED\s+clean\/Fn .*\[suppressed: tiny router, measured init 40 ms\]/);
});

test('--disable, --fail-on warning, --memory-threshold-mb', async () => {
  const args = ['check', fixture('legacy.json'), '--disable', 'PCS4,PCS6'];
  expect((await run(...args)).code).toBe(0);
  expect((await run(...args, '--fail-on', 'warning')).code).toBe(1);
  expect((await run(...args)).out).not.toMatch(/PCS8 .*ReportsFn/);
  expect((await run(...args, '--memory-threshold-mb', '2048')).out).toMatch(/PCS8\s+warning\s+NON_COMPLIANT\s+legacy\/ReportsFn .*below 2048 MB/);
});

test('--format json and csv', async () => {
  const j = await run('check', fixture('legacy.json'), '--format', 'json');
  const two = await run('check', fixture('legacy.json'), fixture('sam.yaml'), '--format', 'json');
  expect(JSON.parse(two.out).stacks.map((s: any) => s.stack)).toEqual(['legacy', 'sam']);
  expect(JSON.parse(j.out).stacks).toEqual([{
    stack: 'legacy',
    findings: expect.arrayContaining([expect.objectContaining({ ruleId: 'PCS6', logicalId: 'OrdersLatestAlias' })]),
  }]);
  const c = await run('check', fixture('legacy.json'), '--format', 'csv', '--disable', 'PCS6,PCS4');
  expect(c.out.split('\n')[0]).toBe('ruleId,level,status,resourcePath,logicalId,message,suppressionReason');
  expect(c.out).not.toMatch(/^PCS6,/m);
  expect(c.out).toMatch(/^PCS1,warning,NON_COMPLIANT,legacy\/OrdersFn,OrdersFn,/m);
});

test('a cdk.out directory: staged assets, construct paths and init profile from the manifest', async () => {
  const outdir = tmpdir('pcs-cdkout-');
  const app = new App({ outdir });
  const s = new Stack(app, 'Shop');
  const fn = new lambda.Function(s, 'Api', {
    runtime: lambda.Runtime.PYTHON_3_12,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 1024,
    handler: 'app.handler',
    code: lambda.Code.fromAsset(codeDir({ 'app.py': 'X = 1\n' })),
    snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS,
  });
  fn.node.defaultChild!.node.addMetadata('cdk-python-coldstart:init-profile', { totalMs: 3100, budgetMs: 1000, top: [{ module: 'pandas', cumulativeMs: 2900 }] });
  app.synth();
  const r = await run('check', outdir);
  expect(r.out).toMatch(/PCS10\s+warning\s+NON_COMPLIANT\s+Shop\/Api\/Resource .*app\.py/);
  // Issue 18: over budget is reported at the rule's level (warning), however far over; the advice fits SnapStart.
  expect(r.out).toMatch(/PCS12\s+warning\s+NON_COMPLIANT\s+Shop\/Api\/Resource .*pandas 2900 ms.*With SnapStart this init runs once when a version is published/);
  expect(r.code).toBe(0);
});

test('a cdk.out with a Stage: the nested assembly is checked too', async () => {
  const outdir = tmpdir('pcs-stage-');
  const app = new App({ outdir });
  const stage = new Stage(app, 'Prod');
  new lambda.CfnFunction(new Stack(stage, 'Api'), 'Fn', {
    role: 'arn:aws:iam::1:role/r', runtime: 'python3.9', handler: 'a.h', code: { zipFile: 'x = 1' },
  });
  app.synth();
  const r = await run('check', outdir);
  expect(r.out).toMatch(/PCS1\s+warning\s+NON_COMPLIANT\s+Prod\/Api\/Fn /);
});

test('usage errors exit 2', async () => {
  expect((await run()).code).toBe(2);
  expect((await run('check')).code).toBe(2);
  expect((await run('check', fixture('nope.json'))).err).toMatch(/no such file/);
  expect((await run('check', fixture('legacy.json'), '--format', 'xml')).code).toBe(2);
  expect((await run('check', fixture('legacy.json'), '--disable', 'PCS42')).err).toMatch(/unknown rule "PCS42"/);
  expect((await run('frobnicate')).code).toBe(2);
});

describe('profile subcommand', () => {
  afterEach(() => jest.resetModules());
  test('delegates to lib/profile/cli runProfileCommand with the remaining argv', async () => {
    const calls: string[][] = [];
    jest.doMock('../../lib/profile/cli', () => ({ runProfileCommand: async (argv: string[]) => (calls.push(argv), 7) }), { virtual: true });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { main: fresh } = require('../../lib/cli/main');
    expect(await fresh(['profile', 'app.handler', '--top', '5'])).toBe(7);
    expect(calls).toEqual([['app.handler', '--top', '5']]);
  });
  test('a missing profile module prints "profile is not available" and exits 2', async () => {
    jest.doMock('../../lib/profile/cli', () => {
      throw Object.assign(new Error('Cannot find module'), { code: 'MODULE_NOT_FOUND' });
    }, { virtual: true });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { main: fresh } = require('../../lib/cli/main');
    let err = '';
    expect(await fresh(['profile'], { out: () => undefined, err: (t: string) => void (err += t) })).toBe(2);
    expect(err).toMatch(/profile is not available/);
  });
});

test('the entry point runs as a program and sets the exit code', () => {
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, '..', '..', 'lib', 'cli', 'main.ts'), 'check', fixture('legacy.json')], { encoding: 'utf8' });
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(/PCS6/);
});
