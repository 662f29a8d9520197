// Verdicts that were wrong on real templates (issue 14): each case is the smallest template that
// showed it.
import * as fs from 'fs';
import * as path from 'path';
import { Annotations as CoreAnnotations, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cfninc from 'aws-cdk-lib/cloudformation-include';
import * as cr from 'aws-cdk-lib/custom-resources';
import { check, codeDir, l2Fn, only, statuses, tmpdir } from './util';
import { main } from '../../lib/cli/main';
import { ColdStartChecks, ColdStartFinding } from '../../lib/compliance';

const ROLE = 'arn:aws:iam::123456789012:role/r';
const pyFn = (extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Runtime: 'python3.12', Architectures: ['arm64'], MemorySize: 1024, Handler: 'index.handler', Role: ROLE, Code: { S3Bucket: 'b', S3Key: 'k.zip' }, ...extra },
});
const alias = (extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::Lambda::Alias',
  Properties: { FunctionName: { Ref: 'Fn' }, FunctionVersion: { 'Fn::GetAtt': ['FnVersion', 'Version'] }, Name: 'live', ...extra },
});
const version = { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Fn' } } };
const scalable = (extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
  Properties: {
    ServiceNamespace: 'lambda',
    ScalableDimension: 'lambda:function:ProvisionedConcurrency',
    ResourceId: { 'Fn::Join': ['', ['function:', { Ref: 'Fn' }, ':live']] },
    MinCapacity: 2,
    MaxCapacity: 10,
    ...extra,
  },
});

/** Runs `check --format json` on a template written to a file; returns the findings and exit code. */
async function cli(template: unknown, name = 't.template.json', dir = tmpdir('pcs-v-')): Promise<{ code: number; findings: ColdStartFinding[]; err: string }> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof template === 'string' ? template : JSON.stringify(template));
  let out = '';
  let err = '';
  const code = await main(['check', '--format', 'json', file], { out: (t) => void (out += t), err: (t) => void (err += t) });
  const doc = JSON.parse(out);
  return { code, err, findings: doc.stacks.flatMap((s: any) => s.findings) };
}
const of = (findings: ColdStartFinding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId).map((f) => f.status);

describe('provisioned concurrency wherever it comes from (PCS3/PCS4/PCS6/PCS7)', () => {
  test('SnapStart + a scalable target MinCapacity only: PCS4 error on the scalable target', async () => {
    const { findings } = await cli({ Resources: { Fn: pyFn({ SnapStart: { ApplyOn: 'PublishedVersions' } }), FnVersion: version, FnAlias: alias(), T: scalable() } });
    expect(findings.filter((f) => f.ruleId === 'PCS4')).toEqual([expect.objectContaining({ status: 'NON_COMPLIANT', level: 'ERROR', logicalId: 'T', message: expect.stringContaining('at least 2 (MinCapacity)') })]);
  });
  test('SnapStart + MinCapacity 0 raised by a scheduled action: PCS4 error', async () => {
    const t = scalable({ MinCapacity: 0, ScheduledActions: [{ ScheduledActionName: 'peak', Schedule: 'cron(0 8 * * ? *)', ScalableTargetAction: { MinCapacity: 5 } }] });
    const { findings } = await cli({ Resources: { Fn: pyFn({ SnapStart: { ApplyOn: 'PublishedVersions' } }), FnVersion: version, FnAlias: alias(), T: t } });
    expect(of(findings, 'PCS4')).toEqual(['NON_COMPLIANT']);
  });
  test('PC on $LATEST through auto scaling: PCS6 error, PCS3 does not call it mitigation', async () => {
    const { findings } = await cli({ Resources: { Fn: pyFn(), FnAlias: alias({ FunctionVersion: '$LATEST' }), T: scalable() } });
    expect(findings.filter((f) => f.ruleId === 'PCS6')).toEqual([expect.objectContaining({ status: 'NON_COMPLIANT', logicalId: 'T' })]);
    expect(of(findings, 'PCS3')).toEqual(['NON_COMPLIANT']);
  });
  test('a scalable target on the unqualified function: PCS6', async () => {
    const t = scalable({ ResourceId: { 'Fn::Join': ['', ['function:', { Ref: 'Fn' }]] } });
    const { findings } = await cli({ Resources: { Fn: pyFn(), T: t } });
    expect(of(findings, 'PCS6')).toEqual(['NON_COMPLIANT']);
  });
  test('auto-scaled PC on a published alias is mitigation and compliant with PCS6/PCS7', async () => {
    const { findings } = await cli({ Resources: { Fn: pyFn(), FnVersion: version, FnAlias: alias(), T: scalable() } });
    expect([of(findings, 'PCS3'), of(findings, 'PCS6'), of(findings, 'PCS7')]).toEqual([['COMPLIANT'], ['COMPLIANT'], ['COMPLIANT']]);
  });
});

describe('Fn::If branches are evaluated', () => {
  const cond = (a: unknown, b: unknown) => ({ 'Fn::If': ['UseSnapStart', a, b] });
  test('Fn::If around SnapStart with PC on the alias: PCS4 UNKNOWN (never COMPLIANT)', async () => {
    const { findings } = await cli({
      Conditions: { UseSnapStart: { 'Fn::Equals': ['a', 'a'] } },
      Resources: {
        Fn: pyFn({ SnapStart: cond({ ApplyOn: 'PublishedVersions' }, { Ref: 'AWS::NoValue' }) }),
        FnVersion: version,
        FnAlias: alias({ ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 } }),
      },
    });
    expect(findings.filter((f) => f.ruleId === 'PCS4')).toEqual([expect.objectContaining({ status: 'UNKNOWN', message: expect.stringMatching(/SnapStart.*depends on a condition.*PublishedVersions/) })]);
  });
  test('Fn::If around ProvisionedConcurrencyConfig with SnapStart on: PCS4 UNKNOWN', async () => {
    const { findings } = await cli({
      Resources: {
        Fn: pyFn({ SnapStart: { ApplyOn: 'PublishedVersions' } }),
        FnVersion: version,
        FnAlias: alias({ ProvisionedConcurrencyConfig: cond({ ProvisionedConcurrentExecutions: 2 }, { Ref: 'AWS::NoValue' }) }),
      },
    });
    expect(of(findings, 'PCS4')).toEqual(['UNKNOWN']);
  });
  test('both branches alike: judged as the value', async () => {
    const { findings } = await cli({ Resources: { Fn: pyFn({ MemorySize: cond(256, 256) }) } });
    expect(of(findings, 'PCS8')).toEqual(['NON_COMPLIANT']);
  });
});

describe('a warmer keeps environments: enabled, rate <= 15 minutes or a warm-up payload', () => {
  const rule = (expr: string, extra: Record<string, unknown> = {}, target: Record<string, unknown> = {}) => ({
    Type: 'AWS::Events::Rule',
    Properties: { ScheduleExpression: expr, State: 'ENABLED', Targets: [{ Id: 't', Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] }, ...target }], ...extra },
  });
  const run = (r: unknown) => cli({ Resources: { Fn: pyFn(), FnVersion: version, FnAlias: alias(), R: r } });
  test.each([
    ['nightly cron', rule('cron(0 3 * * ? *)'), false],
    ['disabled rate(5 minutes)', rule('rate(5 minutes)', { State: 'DISABLED' }), false],
    ['rate(1 hour)', rule('rate(1 hour)'), false],
    ['rate(15 minutes)', rule('rate(15 minutes)'), true],
    ['cron every 5 minutes in office hours', rule('cron(0/5 8-17 ? * MON-FRI *)'), true],
    ['rate(1 hour) with a warm-up payload', rule('rate(1 hour)', {}, { Input: '{"warmup": true}' }), true],
  ])('%s', async (_, r, warm) => {
    const { findings } = await run(r);
    // (the function has an alias, so a warmer on the unqualified ARN is a PCS11 finding)
    expect(of(findings, 'PCS11')).toEqual(warm ? ['NON_COMPLIANT'] : []);
    expect(of(findings, 'PCS3')).toEqual([warm ? 'COMPLIANT' : 'NON_COMPLIANT']);
  });
  test('the PCS3 message says why a schedule is not a warmer', async () => {
    const { findings } = await run(rule('cron(0 3 * * ? *)'));
    expect(findings.find((f) => f.ruleId === 'PCS3')!.message).toMatch(/cron\(0 3 \* \* \? \*\).*too rarely.*15 minutes/);
  });
});

describe('package size and bytecode of SAM folders and inline code', () => {
  test('PCS9 on a CodeUri folder with a requirements.txt is UNKNOWN with the reason, never 0.0 MB COMPLIANT', async () => {
    const dir = tmpdir('pcs-sam-');
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'app.py'), 'def handler(e, c):\n  return 1\n');
    fs.writeFileSync(path.join(dir, 'src', 'requirements.txt'), 'numpy==2.1.0\n');
    const sam = { Transform: 'AWS::Serverless-2016-10-31', Resources: { Fn: { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'python3.12', Handler: 'app.handler', CodeUri: 'src/' } } } };
    const { findings } = await cli(sam, 'template.json', dir);
    expect(findings.filter((f) => f.ruleId === 'PCS9')).toEqual([expect.objectContaining({ status: 'UNKNOWN', message: expect.stringMatching(/sam build.*requirements\.txt/) })]);
  });
  test('PCS10: inline ZipFile and a one-file folder get the same verdict', async () => {
    const folder = codeDir({ 'index.py': 'def handler(e, c):\n  return 1\n' });
    const inline = check((s) => l2Fn(s));
    const asset = check((s) => l2Fn(s, { code: lambda.Code.fromAsset(folder) }));
    expect(statuses(inline.findings, 'PCS10')).toEqual(['NON_COMPLIANT']);
    expect(statuses(asset.findings, 'PCS10')).toEqual(['NON_COMPLIANT']);
    expect(only(inline.findings, 'PCS10').message).toContain('inline code');
  });
});

describe('CfnInclude: SAM CodeUri is relative to the template, not the working directory', () => {
  let cwd: string;
  let tplDir: string;
  beforeAll(() => {
    cwd = process.cwd();
    // The working directory has a huge `app` folder (sparse 300 MB); the template's `app` is tiny.
    const work = tmpdir('pcs-cwd-');
    fs.mkdirSync(path.join(work, 'app'));
    fs.closeSync(fs.openSync(path.join(work, 'app', 'big.bin'), 'w'));
    fs.truncateSync(path.join(work, 'app', 'big.bin'), 300 * 1024 * 1024);
    tplDir = tmpdir('pcs-tpl-');
    fs.mkdirSync(path.join(tplDir, 'app'));
    fs.writeFileSync(path.join(tplDir, 'app', 'app.py'), 'X = 1\n');
    fs.writeFileSync(path.join(tplDir, 'template.json'), JSON.stringify({
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: { Fn: { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'python3.12', Handler: 'app.handler', CodeUri: 'app', Architectures: ['arm64'] } } },
    }));
    process.chdir(work);
  });
  afterAll(() => process.chdir(cwd));

  test('without the folder declared: UNKNOWN naming the fix, no 300 MB error from the working directory', () => {
    const { findings } = check((s) => new cfninc.CfnInclude(s, 'Sam', { templateFile: path.join(tplDir, 'template.json') }));
    expect(findings.filter((f) => f.ruleId === 'PCS9')).toEqual([expect.objectContaining({ status: 'UNKNOWN', message: expect.stringContaining('ColdStartChecks.templateFolder') })]);
  });
  test('with ColdStartChecks.templateFolder: the template\'s own folder is measured', () => {
    const { findings } = check((s) => {
      const include = new cfninc.CfnInclude(s, 'Sam', { templateFile: path.join(tplDir, 'template.json') });
      ColdStartChecks.templateFolder(include, tplDir);
    });
    expect(only(findings, 'PCS9')).toMatchObject({ status: 'COMPLIANT', message: expect.stringContaining('0.0 MB') });
  });
});

describe('deploy-time functions are exempt from latency rules, with an info line', () => {
  const latency = ['PCS1', 'PCS2', 'PCS3', 'PCS8', 'PCS10', 'PCS12'];
  const warnings = (findings: ColdStartFinding[], logicalId: string) => findings
    .filter((f) => f.logicalId === logicalId && latency.includes(f.ruleId) && f.status !== 'COMPLIANT');
  test('ServiceToken target, CloudFormation macro', async () => {
    const old = pyFn({ Runtime: 'python3.9', Architectures: ['x86_64'], MemorySize: 128 });
    const { findings } = await cli({
      Resources: {
        Handler: old,
        Custom: { Type: 'Custom::Thing', Properties: { ServiceToken: { 'Fn::GetAtt': ['Handler', 'Arn'] } } },
        MacroFn: old,
        Macro: { Type: 'AWS::CloudFormation::Macro', Properties: { Name: 'M', FunctionName: { 'Fn::GetAtt': ['MacroFn', 'Arn'] } } },
      },
    });
    expect(warnings(findings, 'Handler')).toEqual([]);
    expect(warnings(findings, 'MacroFn')).toEqual([]);
    expect(findings.find((f) => f.logicalId === 'Handler' && f.ruleId === 'PCS3')!.message).toMatch(/exempt.*ServiceToken of Custom::Thing Custom/);
    expect(findings.find((f) => f.logicalId === 'MacroFn' && f.ruleId === 'PCS3')!.message).toMatch(/exempt.*macro Macro/);
  });
  test('the user handler behind CDK\'s provider framework; an info annotation says why', () => {
    const r = check((s: Stack) => {
      const onEvent = l2Fn(s, { runtime: lambda.Runtime.PYTHON_3_11 }, 'OnEvent');
      new cr.Provider(s, 'Provider', { onEventHandler: onEvent });
    });
    const onEventId = r.findings.find((f) => f.resourcePath.startsWith('S/OnEvent'))!.logicalId;
    expect(warnings(r.findings, onEventId)).toEqual([]);
    const info = r.findings.find((f) => f.logicalId === onEventId && f.ruleId === 'PCS3')!;
    expect(info).toMatchObject({ status: 'COMPLIANT', message: expect.stringMatching(/CDK provider framework/) });
  });
  test('hard AWS rules still apply: SnapStart + PC on a provider is an error', async () => {
    const { findings } = await cli({
      Resources: {
        Fn: pyFn({ SnapStart: { ApplyOn: 'PublishedVersions' } }),
        FnVersion: version,
        FnAlias: alias({ ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 1 } }),
        Custom: { Type: 'AWS::CloudFormation::CustomResource', Properties: { ServiceToken: { Ref: 'FnAlias' } } },
      },
    });
    expect(of(findings, 'PCS4')).toEqual(['NON_COMPLIANT']);
  });
});

describe('Python container images are reported', () => {
  const image = (extra: Record<string, unknown> = {}) => ({
    Type: 'AWS::Lambda::Function',
    Properties: { PackageType: 'Image', Role: ROLE, Code: { ImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1' }, ...extra },
  });
  test('base image from the Dockerfile of the SAM DockerContext: arch and memory rules apply', async () => {
    const dir = tmpdir('pcs-img-');
    fs.mkdirSync(path.join(dir, 'app'));
    fs.writeFileSync(path.join(dir, 'app', 'Dockerfile'), 'FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py .\nCMD ["app.handler"]\n');
    const sam = {
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: { Fn: { Type: 'AWS::Serverless::Function', Properties: { PackageType: 'Image' }, Metadata: { DockerContext: './app', Dockerfile: 'Dockerfile' } } },
    };
    const { findings } = await cli(sam, 'template.json', dir);
    expect([of(findings, 'PCS1'), of(findings, 'PCS2'), of(findings, 'PCS8')]).toEqual([['COMPLIANT'], ['NON_COMPLIANT'], ['NON_COMPLIANT']]);
    expect(of(findings, 'PCS9')).toEqual([]);
  });
  test('SnapStart requested on an image: PCS5 error; PC rules apply', async () => {
    const { findings } = await cli({
      Resources: {
        Fn: image({ SnapStart: { ApplyOn: 'PublishedVersions' }, Code: { ImageUri: 'public.ecr.aws/lambda/python:3.12' } }),
        FnVersion: version,
        FnAlias: alias({ FunctionVersion: '$LATEST', ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 1 } }),
      },
    });
    expect(findings.filter((f) => f.ruleId === 'PCS5')).toEqual([expect.objectContaining({ status: 'NON_COMPLIANT', level: 'ERROR', message: expect.stringContaining('container image') })]);
    expect(of(findings, 'PCS6')).toEqual(['NON_COMPLIANT']);
  });
  test('an image of unknown language is left alone unless SnapStart is requested', async () => {
    expect((await cli({ Resources: { Fn: image() } })).findings).toEqual([]);
    expect(of((await cli({ Resources: { Fn: image({ SnapStart: { ApplyOn: 'PublishedVersions' } }) } })).findings, 'PCS5')).toEqual(['NON_COMPLIANT']);
  });
});

test('python2.7 is a Python runtime: PCS1 says it is past support', async () => {
  const { findings } = await cli({ Resources: { Fn: pyFn({ Runtime: 'python2.7' }) } });
  expect(findings.find((f) => f.ruleId === 'PCS1')).toMatchObject({ status: 'NON_COMPLIANT', message: expect.stringContaining('python2.7 is no longer supported') });
  expect(of(findings, 'PCS8')).toEqual(['COMPLIANT']);
});

test('a JSON template with a UTF-8 byte order mark is read', async () => {
  const r = await cli('\ufeff' + JSON.stringify({ Resources: { Fn: pyFn({ Runtime: 'python3.11' }) } }));
  expect(of(r.findings, 'PCS1')).toEqual(['NON_COMPLIANT']);
});

test('a token runtime never makes a warning rule NON_COMPLIANT: it may not be Python', async () => {
  const { findings } = await cli({ Parameters: { Rt: { Type: 'String' } }, Resources: { Fn: pyFn({ Runtime: { Ref: 'Rt' }, Architectures: ['x86_64'] }) } });
  expect(findings.find((f) => f.ruleId === 'PCS2')).toMatchObject({ status: 'UNKNOWN', message: expect.stringMatching(/Runtime.*if it is a Python runtime: Architectures is x86_64/) });
});

test('Annotations.acknowledgeWarning on a finding: SUPPRESSED with the acknowledgement in the reports, no warning', () => {
  const r = check((s) => {
    const fn = l2Fn(s, { architecture: lambda.Architecture.ARM_64, memorySize: 1024 });
    new events.Rule(s, 'Warm', { schedule: events.Schedule.rate(Duration.minutes(5)), targets: [new targets.LambdaFunction(fn.addAlias('live'))] });
    CoreAnnotations.of(fn).acknowledgeWarning('cdk-python-coldstart:PCS10', 'inline handler, compiles in 1 ms');
  });
  expect(only(r.findings, 'PCS10')).toMatchObject({ status: 'SUPPRESSED', suppressionReason: expect.stringContaining("acknowledgeWarning('cdk-python-coldstart:PCS10') on S/Fn") });
  const report = JSON.parse(fs.readFileSync(path.join(r.outdir, 'cdk-python-coldstart-S.json'), 'utf8'));
  expect(report.findings.find((f: any) => f.ruleId === 'PCS10')).toMatchObject({ status: 'SUPPRESSED' });
  const warnings = r.app.synth().getStackByName('S').messages.filter((m) => m.level === 'warning').map((m) => String(m.entry.data));
  expect(warnings.filter((w) => w.includes('PCS10'))).toEqual([]);
});
