import { App, Aspects, AspectPriority, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { cfnFn, codeDir, l2Fn, statuses } from './util';
import { ColdStartChecks, ColdStartRemediation, ColdStartRemediationProps } from '../../lib/compliance';

const PURE = { 'app.py': 'def handler(e, c):\n    return 1\n', 'dep/__init__.py': '' };
const ELF_X86 = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0]);
const ELF_ARM = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0xb7, 0]);

function remediate(build: (s: Stack) => void, props?: ColdStartRemediationProps) {
  const app = new App();
  const stack = new Stack(app, 'S');
  build(stack);
  const remediation = new ColdStartRemediation(props);
  const checks = new ColdStartChecks({ reportFormats: [] });
  Aspects.of(app).add(checks, { priority: AspectPriority.READONLY });
  Aspects.of(app).add(remediation, { priority: AspectPriority.MUTATING });
  app.synth();
  return { stack, remediation, checks, template: Template.fromStack(stack) };
}
const asset = (files: Record<string, string | Buffer>, runtime = lambda.Runtime.PYTHON_3_11) => (s: Stack) =>
  l2Fn(s, { runtime, code: lambda.Code.fromAsset(codeDir(files)), handler: 'app.handler' });

test('safe L2 function: arm64, python3.12 and SnapStart, each reported; checks see the result', () => {
  const r = remediate(asset(PURE));
  r.template.hasResourceProperties('AWS::Lambda::Function', {
    Architectures: ['arm64'], Runtime: 'python3.12', SnapStart: { ApplyOn: 'PublishedVersions' },
  });
  expect(r.remediation.changes.map((c) => `${c.property} ${c.oldValue} -> ${c.newValue}`)).toEqual([
    'Architectures ["x86_64"] -> ["arm64"]',
    'Runtime "python3.11" -> "python3.12"',
    'SnapStart {"ApplyOn":"None"} -> {"ApplyOn":"PublishedVersions"}',
  ]);
  Annotations.fromStack(r.stack).hasInfo('/S/Fn/Resource', Match.stringLikeRegexp('ColdStartRemediation.*Architectures'));
  expect(statuses(r.checks.findings, 'PCS2')).toEqual(['COMPLIANT']);
});

test.each([
  ['*x86_64*.so file name', { ...PURE, 'np/_core.cpython-311-x86_64-linux-gnu.so': 'x' }, /_core\.cpython-311-x86_64/],
  ['ELF header x86_64', { ...PURE, 'lib/libfoo.so': ELF_X86 }, /libfoo\.so/],
  ['WHEEL platform tag', { ...PURE, 'foo-1.0.dist-info/WHEEL': 'Wheel-Version: 1.0\nTag: cp311-cp311-manylinux_2_17_x86_64\n' }, /WHEEL/],
])('x86_64 native code (%s): architecture left alone with the reason', (_, files, file) => {
  const r = remediate(asset(files, lambda.Runtime.PYTHON_3_12));
  r.template.hasResourceProperties('AWS::Lambda::Function', { Architectures: Match.absent() });
  expect(r.remediation.skipped).toContainEqual(expect.objectContaining({ property: 'Architectures', reason: expect.stringMatching(file) }));
});

test('aarch64 ELF is not x86_64; a cp311 extension blocks the runtime upgrade', () => {
  const r = remediate(asset({ ...PURE, 'ext/_speed.cpython-311-aarch64-linux-gnu.so': ELF_ARM }));
  r.template.hasResourceProperties('AWS::Lambda::Function', { Architectures: ['arm64'], Runtime: 'python3.11' });
  expect(r.remediation.skipped).toContainEqual(expect.objectContaining({ property: 'Runtime', reason: expect.stringContaining('cpython-311') }));
  expect(r.remediation.skipped).toContainEqual(expect.objectContaining({ property: 'SnapStart', reason: expect.stringContaining('python3.11') }));
});

test.each([
  ['provisioned concurrency', (s: Stack) => l2Fn(s).addAlias('live', { provisionedConcurrentExecutions: 1 }), /provisioned concurrency/],
  ['EFS', (s: Stack) => cfnFn(s, { fileSystemConfigs: [{ arn: 'arn:aws:elasticfilesystem:us-east-1:1:access-point/fsap-1', localMountPath: '/mnt/x' }] }), /EFS/],
  ['ephemeral storage 1024 MB', (s: Stack) => cfnFn(s, { ephemeralStorage: { size: 1024 } }), /EphemeralStorage/],
])('SnapStart is never set with %s', (_, build, reason) => {
  const r = remediate(build);
  r.template.hasResourceProperties('AWS::Lambda::Function', { SnapStart: Match.absent() });
  expect(r.remediation.skipped).toContainEqual(expect.objectContaining({ property: 'SnapStart', reason: expect.stringMatching(reason) }));
});

test('external layers cannot be inspected: no arm64; non-Python functions are untouched; options turn changes off', () => {
  const ext = remediate((s) => l2Fn(s, { layers: [lambda.LayerVersion.fromLayerVersionArn(s, 'L', 'arn:aws:lambda:us-east-1:1:layer:x:1')] }));
  expect(ext.remediation.skipped).toContainEqual(expect.objectContaining({ property: 'Architectures', reason: expect.stringContaining('Layers[0]') }));
  expect(remediate((s) => cfnFn(s, { runtime: 'nodejs20.x' })).remediation.changes).toEqual([]);
  const off = remediate(asset(PURE), { architecture: false, runtime: false, snapStart: false });
  expect(off.remediation.changes).toEqual([]);
});
