/**
 * Issue 12, "Every change publishes a new version that the aliases point at": the second synth with real
 * bundling (Python 3.12, hermetic pip on fixture wheels), with default feature flags (an app without cdk.json)
 * and with @aws-cdk/aws-lambda:recognizeLayerVersion on.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, FeatureFlags, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { ColdStartStrategy, OptimizedPythonFunction, PythonDependenciesLayer, PythonHandlerCode } from '../../lib';
import { buildWheels, hermeticPipEnv, PY312, tmpdir, writeEntry } from '../bundling/helpers';

const WHEELS = buildWheels();
const bundling = { pythonExecutable: PY312, environment: hermeticPipEnv(WHEELS) };
const HANDLER = 'import purepkg\n\ndef handler(event, context):\n    return purepkg.VALUE\n';
const REQS_A = 'purepkg==1.0.0\n';
const REQS_B = 'purepkg==1.0.0\nplatpkg==2.0.0\n';

interface Ids {
  readonly layer: string;
  readonly layerKey: string;
  readonly version: string;
  readonly aliasTarget: unknown;
  readonly code: string;
}

function ids(t: Template): Ids {
  const layers = t.findResources('AWS::Lambda::LayerVersion');
  const versions = t.findResources('AWS::Lambda::Version');
  const aliases = t.findResources('AWS::Lambda::Alias');
  const fns = t.findResources('AWS::Lambda::Function');
  expect(Object.keys(layers)).toHaveLength(1);
  expect(Object.keys(versions)).toHaveLength(1);
  expect(Object.keys(aliases)).toHaveLength(1);
  const [layer] = Object.keys(layers);
  return {
    layer,
    layerKey: layers[layer].Properties.Content.S3Key,
    version: Object.keys(versions)[0],
    aliasTarget: Object.values(aliases)[0].Properties.FunctionVersion,
    code: Object.values(fns)[0].Properties.Code.S3Key,
  };
}

/** A fresh app (new outdir, default flags unless flagOn), like a CI job synthesizing the project again. */
function newApp(flagOn: boolean): { app: App; stack: Stack } {
  const app = new App({ outdir: tmpdir('cpc-ver-'), context: flagOn ? { [cxapi.LAMBDA_RECOGNIZE_LAYER_VERSION]: true } : {} });
  const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  expect(FeatureFlags.of(stack).isEnabled(cxapi.LAMBDA_RECOGNIZE_LAYER_VERSION)).toBe(flagOn);
  return { app, stack };
}

describe.each([
  ['default feature flags (no cdk.json)', false],
  ['recognizeLayerVersion on', true],
])('OptimizedPythonFunction, %s', (_name, flagOn) => {
  const entry = writeEntry(tmpdir('cpc-ver-src-'), { 'index.py': HANDLER, 'requirements.txt': REQS_A });
  const synth = () => {
    const { stack } = newApp(flagOn);
    new OptimizedPythonFunction(stack, 'Api', { entry, bundling, coldStart: ColdStartStrategy.snapStart() });
    return ids(Template.fromStack(stack));
  };

  const first = synth();
  const unchanged = synth();
  fs.writeFileSync(path.join(entry, 'requirements.txt'), REQS_B);
  const changedDeps = synth();
  fs.writeFileSync(path.join(entry, 'requirements.txt'), REQS_A);
  const back = synth();

  test('nothing changed: same layer, same version, same alias target', () => {
    expect(unchanged).toEqual(first);
  });

  test('only requirements.txt changed: a new LayerVersion AND a new Version, and the alias points at it', () => {
    expect(changedDeps.layerKey).not.toBe(first.layerKey);
    expect(changedDeps.layer).not.toBe(first.layer);
    expect(changedDeps.code).toBe(first.code); // the handler code did not change
    expect(changedDeps.version).not.toBe(first.version);
    expect(changedDeps.aliasTarget).toEqual({ 'Fn::GetAtt': [changedDeps.version, 'Version'] });
  });

  test('changing it back gives the first ids again (deterministic)', () => {
    expect(back).toEqual(first);
  });
});

test('a layer passed in (dependenciesLayer) also versions the function when only its content changes (default flags)', () => {
  const entry = writeEntry(tmpdir('cpc-ver-src-'), { 'index.py': HANDLER, 'requirements.txt': REQS_A });
  const synth = () => {
    const { stack } = newApp(false);
    const deps = new PythonDependenciesLayer(stack, 'Deps', { entry, ...bundling });
    new OptimizedPythonFunction(stack, 'Api', { entry, bundling, dependenciesLayer: deps });
    return ids(Template.fromStack(stack));
  };
  const a = synth();
  fs.writeFileSync(path.join(entry, 'requirements.txt'), REQS_B);
  const b = synth();
  expect(b.layer).toBe(a.layer); // same construct id: only the content changes
  expect(b.layerKey).not.toBe(a.layerKey);
  expect(b.version).not.toBe(a.version);
  expect(b.aliasTarget).toEqual({ 'Fn::GetAtt': [b.version, 'Version'] });
});

describe('PythonHandlerCode on a plain lambda.Function that a user aliases (docs/versions.md)', () => {
  const entry = writeEntry(tmpdir('cpc-ver-src-'), { 'index.py': HANDLER, 'requirements.txt': REQS_A });
  const synth = (recipe: boolean) => {
    const { stack } = newApp(false);
    const deps = new PythonDependenciesLayer(stack, 'Deps', { entry, ...bundling });
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.PYTHON_3_12,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: PythonHandlerCode.fromEntry(entry, bundling),
      layers: [deps],
    });
    if (recipe) {
      fn.invalidateVersionBasedOn(deps.assetHash);
    }
    fn.addAlias('live');
    return ids(Template.fromStack(stack));
  };
  afterEach(() => fs.writeFileSync(path.join(entry, 'requirements.txt'), REQS_A));

  test('without the flag and without the recipe, CDK keeps the old version (the pitfall the docs describe)', () => {
    const a = synth(false);
    fs.writeFileSync(path.join(entry, 'requirements.txt'), REQS_B);
    const b = synth(false);
    expect(b.layerKey).not.toBe(a.layerKey);
    expect(b.version).toBe(a.version);
  });

  test('with fn.invalidateVersionBasedOn(layer.assetHash) a dependency change publishes a new version', () => {
    const a = synth(true);
    fs.writeFileSync(path.join(entry, 'requirements.txt'), REQS_B);
    const b = synth(true);
    expect(b.version).not.toBe(a.version);
    expect(b.aliasTarget).toEqual({ 'Fn::GetAtt': [b.version, 'Version'] });
  });
});

test('a bundling option that changes the bundle (optimization.removeTestSuites) publishes a new layer and version (default flags)', () => {
  const entry = writeEntry(tmpdir('cpc-ver-src-'), { 'index.py': HANDLER, 'requirements.txt': REQS_A });
  const synth = (removeTestSuites: boolean) => {
    const { stack } = newApp(false);
    new OptimizedPythonFunction(stack, 'Api', { entry, bundling: { ...bundling, optimization: { removeTestSuites } } });
    return ids(Template.fromStack(stack));
  };
  const a = synth(false);
  const b = synth(true);
  expect(b.layerKey).not.toBe(a.layerKey);
  expect(b.version).not.toBe(a.version);
  expect(b.aliasTarget).toEqual({ 'Fn::GetAtt': [b.version, 'Version'] });
});

test('with the flag on the construct leaves the version hash to CDK (no extra mixin, template as CDK renders it)', () => {
  const entry = writeEntry(tmpdir('cpc-ver-src-'), { 'index.py': HANDLER, 'requirements.txt': REQS_A });
  const mixins = (flagOn: boolean) => {
    const { stack } = newApp(flagOn);
    const fn = new OptimizedPythonFunction(stack, 'Api', { entry, bundling });
    // CDK keeps invalidateVersionBasedOn() inputs in a private array: read it to prove what we add.
    return (fn.function as unknown as { hashMixins: string[] }).hashMixins;
  };
  expect(mixins(true)).toEqual([]);
  expect(mixins(false)).toEqual([expect.stringMatching(/^layers:[0-9a-f]{64}$/)]);
});
