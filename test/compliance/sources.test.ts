import * as path from 'path';
import { App, Aspects, AspectPriority, CfnResource, Stack } from 'aws-cdk-lib';
import * as sam from 'aws-cdk-lib/aws-sam';
import * as cfninc from 'aws-cdk-lib/cloudformation-include';
import { cfnFn, check, only, statuses } from './util';
import { ColdStartChecks } from '../../lib/compliance';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'compliance');

describe('legacy template through CfnInclude', () => {
  const { findings } = check((s) => new cfninc.CfnInclude(s, 'Legacy', { templateFile: path.join(FIXTURES, 'legacy.json') }));
  const of = (ruleId: string, p: string) => statuses(findings, ruleId, p);

  test('old runtime and x86_64 on the included function', () => {
    expect(of('PCS1', 'Legacy/OrdersFn')).toEqual(['NON_COMPLIANT']);
    expect(of('PCS2', 'Legacy/OrdersFn')).toEqual(['NON_COMPLIANT']);
  });
  test('PC on a $LATEST alias is an error on the alias', () => {
    expect(only(findings.filter((f) => f.status !== 'COMPLIANT'), 'PCS6')).toMatchObject({ status: 'NON_COMPLIANT', level: 'ERROR', resourcePath: 'S/Legacy/OrdersLatestAlias' });
  });
  test('the schedule on the unqualified ARN is a $LATEST warmer', () => {
    expect(of('PCS11', 'Legacy/WarmOrders')).toEqual(['NON_COMPLIANT']);
  });
  test('memory from a template parameter is UNKNOWN; S3 code size is UNKNOWN', () => {
    expect(findings.filter((f) => f.ruleId === 'PCS8' && f.logicalId === 'OrdersFn')).toEqual([expect.objectContaining({ status: 'UNKNOWN', message: expect.stringContaining('MemorySize') })]);
    expect(of('PCS9', 'Legacy/OrdersFn')).toEqual(['UNKNOWN']);
  });
  test('SnapStart with PC on a Version: PCS4 error and PCS7 on the version', () => {
    expect(of('PCS4', 'Legacy/ReportsVersion')).toEqual(['NON_COMPLIANT']);
    expect(of('PCS7', 'Legacy/ReportsVersion')).toEqual(['NON_COMPLIANT']);
  });
  test('the Node.js function has no findings', () => {
    expect(findings.filter((f) => f.resourcePath.includes('NodeFn'))).toEqual([]);
  });
});

describe('SAM', () => {
  test('YAML SAM template through CfnInclude: Globals, AutoPublishAlias, PC, Schedule events', () => {
    const { findings } = check((s) => new cfninc.CfnInclude(s, 'Sam', { templateFile: path.join(FIXTURES, 'sam.yaml') }));
    expect(statuses(findings, 'PCS1', 'Sam/ApiFn')).toEqual(['COMPLIANT']); // Runtime from Globals
    expect(statuses(findings, 'PCS8', 'Sam/ApiFn')).toEqual(['COMPLIANT']); // MemorySize from Globals
    expect(statuses(findings, 'PCS7', 'Sam/ApiFn')).toEqual(['COMPLIANT']); // !Sub function:${ApiFn}:live
    expect(statuses(findings, 'PCS6', 'Sam/LatestFn')).toEqual(['NON_COMPLIANT']);
    expect(statuses(findings, 'PCS1', 'Sam/CronFn')).toEqual(['NON_COMPLIANT']);
    // No AutoPublishAlias: the schedule invokes $LATEST, which is what callers invoke too; it warms it.
    expect(statuses(findings, 'PCS11', 'Sam/CronFn/Events/Warm')).toEqual([]);
    expect(only(findings.filter((f) => f.resourcePath.includes('CronFn')), 'PCS3')).toMatchObject({ status: 'COMPLIANT', message: expect.stringContaining('Events/Warm') });
  });

  test('aws_sam.CfnFunction L1 and a raw CfnResource of type AWS::Serverless::Function', () => {
    const { findings } = check((s) => {
      new sam.CfnFunction(s, 'Typed', {
        runtime: 'python3.11',
        handler: 'app.handler',
        codeUri: 's3://bucket/key.zip',
        autoPublishAlias: 'live',
        provisionedConcurrencyConfig: { provisionedConcurrentExecutions: '1' },
      });
      new CfnResource(s, 'Raw', { type: 'AWS::Serverless::Function', properties: { Runtime: 'python3.12', Handler: 'a.h', CodeUri: 's3://b/k.zip', MemorySize: 64 } });
    });
    expect(statuses(findings, 'PCS1', 'S/Typed')).toEqual(['NON_COMPLIANT']);
    expect(statuses(findings, 'PCS7', 'S/Typed')).toEqual(['NON_COMPLIANT']);
    expect(statuses(findings, 'PCS6', 'S/Typed')).toEqual(['COMPLIANT']);
    expect(statuses(findings, 'PCS8', 'S/Raw')).toEqual(['NON_COMPLIANT']);
  });
});

test('aspect added to one stack only reports that stack', () => {
  const app = new App();
  const a = new Stack(app, 'A');
  const b = new Stack(app, 'B');
  cfnFn(a);
  cfnFn(b);
  const checks = new ColdStartChecks({ reportFormats: [] });
  Aspects.of(b).add(checks, { priority: AspectPriority.READONLY });
  app.synth();
  expect([...new Set(checks.findings.map((f) => f.stackName))]).toEqual(['B']);
});

test('hostile shapes (Fn::If everywhere) give UNKNOWN findings naming the property, never an exception', () => {
  const cond = (a: unknown, b: unknown) => ({ 'Fn::If': ['IsProd', a, b] });
  const { findings } = check((s) => {
    new CfnResource(s, 'Odd', {
      type: 'AWS::Lambda::Function',
      properties: {
        Runtime: 'python3.12',
        Handler: 'a.h',
        Role: 'arn:aws:iam::1:role/r',
        Code: { ZipFile: 'x' },
        Architectures: cond(['arm64'], ['x86_64']),
        Layers: cond([], ['arn:aws:lambda:us-east-1:1:layer:x:1']),
        FileSystemConfigs: cond([], [{ Arn: 'arn:aws:elasticfilesystem:us-east-1:1:access-point/fsap-1', LocalMountPath: '/mnt/x' }]),
        SnapStart: { ApplyOn: 'PublishedVersions' },
        Environment: cond({}, {}),
        MemorySize: cond(1024, 256),
      },
    });
  });
  const unknown = (id: string) => findings.find((f) => f.ruleId === id)!;
  expect(unknown('PCS2')).toMatchObject({ status: 'UNKNOWN', message: expect.stringContaining('Architectures') });
  expect(unknown('PCS5')).toMatchObject({ status: 'UNKNOWN', message: expect.stringContaining('FileSystemConfigs') });
  expect(unknown('PCS8')).toMatchObject({ status: 'UNKNOWN', message: expect.stringContaining('MemorySize') });
  expect(unknown('PCS9')).toMatchObject({ status: 'UNKNOWN', message: expect.stringContaining('Layers') });
});
