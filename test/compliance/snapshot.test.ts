// The aspect's fast path for plain CfnFunctions reads the same values as the full template rendering.
import { App, CfnCondition, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { cfnFn, codeDir, l2Fn } from './util';
import { fastFunction } from '../../lib/compliance/engine/tree';

const KEYS = ['Runtime', 'Architectures', 'MemorySize', 'Handler', 'PackageType', 'FunctionName', 'Layers', 'FileSystemConfigs', 'SnapStart', 'EphemeralStorage', 'Code', 'Environment', 'ImageConfig'];

function both(build: (s: Stack) => lambda.CfnFunction) {
  const app = new App();
  const stack = new Stack(app, 'S');
  const res = build(stack);
  const full = stack.resolve((res as any)._toCloudFormation());
  const rendered = Object.values<any>(full.Resources)[0];
  const pick = (p: any) => Object.fromEntries(KEYS.filter((k) => p?.[k] !== undefined).map((k) => [k, p[k]]));
  return { fast: fastFunction(stack, res), full: rendered, pick };
}

test.each([
  ['inline L2 with environment and SnapStart', (s: Stack) => l2Fn(s, {
    snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS,
    environment: { A: 'b', CDK_PYTHON_COLDSTART_WARMUP_TARGET: 'x' },
    architecture: lambda.Architecture.ARM_64,
    memorySize: 1024,
    ephemeralStorageSize: undefined,
  }).node.defaultChild as lambda.CfnFunction],
  ['asset L2 with a layer', (s: Stack) => {
    const fn = l2Fn(s, { code: lambda.Code.fromAsset(codeDir({ 'a.py': 'X = 1\n' })), handler: 'a.h' });
    fn.addLayers(lambda.LayerVersion.fromLayerVersionArn(s, 'L', 'arn:aws:lambda:us-east-1:1:layer:x:1'));
    return fn.node.defaultChild as lambda.CfnFunction;
  }],
  ['L1 with tokens and an Fn::If', (s: Stack) => {
    const mem = new CfnParameter(s, 'Mem', { type: 'Number' });
    const cond = new CfnCondition(s, 'C', { expression: Fn.conditionEquals('a', 'b') });
    return cfnFn(s, { memorySize: mem.valueAsNumber, snapStart: Fn.conditionIf(cond.logicalId, { ApplyOn: 'PublishedVersions' }, Fn.ref('AWS::NoValue')) as any, ephemeralStorage: { size: 1024 } });
  }],
])('%s', (_, build) => {
  const { fast, full, pick } = both(build);
  expect(fast).toBeDefined();
  expect(pick((fast as any).Properties)).toEqual(pick(full.Properties));
  expect((fast as any).Metadata).toEqual(full.Metadata);
});

test('overrides take the full path', () => {
  const app = new App();
  const stack = new Stack(app, 'S');
  const res = cfnFn(stack);
  res.addPropertyOverride('MemorySize', 2048);
  expect(fastFunction(stack, res)).toBeUndefined();
});
