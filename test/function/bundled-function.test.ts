/**
 * OptimizedPythonFunction end to end at synth: real local bundling with Python 3.12 and hermetic pip
 * (fixture wheels), so the layer, handler code, warmer, dashboard and init profile are the real ones.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  ColdStartStrategy, OptimizedPythonFunction, OptimizedPythonFunctionProps, PythonDependenciesLayer,
} from '../../lib';
import { buildWheels, checkPycs, hermeticPipEnv, listFiles, PY312, tmpdir, writeEntry } from '../bundling/helpers';

const WHEELS = buildWheels();
const ENTRY = writeEntry(path.join(tmpdir(), 'my service'), {
  'index.py': 'import purepkg\nimport platpkg\n\ndef handler(event, context):\n    return {"arch": platpkg.ARCH}\n',
  'requirements.txt': 'purepkg==1.0.0\nplatpkg==2.0.0\n',
});
const NO_DEPS = writeEntry(path.join(tmpdir(), 'nodeps'), { 'index.py': 'def handler(e, c):\n    return 1\n' });
const bundling = { pythonExecutable: PY312, environment: hermeticPipEnv(WHEELS) };

function make(props: Partial<OptimizedPythonFunctionProps> = {}) {
  const app = new App({ outdir: tmpdir('cpc-out-') });
  const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  const fn = new OptimizedPythonFunction(stack, 'Api', { entry: ENTRY, bundling, ...props });
  return { stack, fn, t: Template.fromStack(stack) };
}

describe('default function', () => {
  const { fn, t } = make();

  test('dependencies go into a layer for python3.12/arm64, attached to the function', () => {
    t.hasResourceProperties('AWS::Lambda::LayerVersion', { CompatibleRuntimes: ['python3.12'], CompatibleArchitectures: ['arm64'] });
    t.hasResourceProperties('AWS::Lambda::Function', { Layers: [{ Ref: Match.stringLikeRegexp('^PythonDependencies[0-9a-f]{16}') }] });
    expect(fn.dependenciesLayer).toBeInstanceOf(PythonDependenciesLayer);
  });

  test('the layer holds the aarch64 wheel, precompiled with unchecked-hash 3.12 bytecode', () => {
    const dir = stagedDir(fn.dependenciesLayer!);
    expect(fs.readFileSync(path.join(dir, 'python', 'platpkg', '__init__.py'), 'utf8')).toContain('aarch64');
    const pycs = checkPycs(dir);
    expect(pycs.count).toBeGreaterThan(0);
    expect(pycs.bad).toEqual([]);
  });

  test('handler code is precompiled, without the dependency spec, with the runtime kit', () => {
    const dir = stagedDir(fn.function);
    const files = listFiles(dir);
    expect(files).toContain('index.py');
    expect(files).not.toContain('requirements.txt');
    expect(files).toContain('cdk_python_coldstart_runtime/lazy.py');
    expect(files.some((f) => /^__pycache__\/index\.cpython-312\.pyc$/.test(f))).toBe(true);
    expect(checkPycs(dir).bad).toEqual([]);
  });

  test('a cold-start dashboard with alarms is created by default', () => {
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 500, ExtendedStatistic: 'p95' });
    t.hasResourceProperties('AWS::Logs::MetricFilter', { LogGroupName: { Ref: Match.stringLikeRegexp('ApiLogGroup') } });
  });

  test('no warmer by default', () => {
    t.resourceCountIs('AWS::Events::Rule', 0);
    expect(fn.warmer).toBeUndefined();
  });
});

test('an entry without a dependency spec gets no layer', () => {
  const { t, fn } = make({ entry: NO_DEPS });
  t.resourceCountIs('AWS::Lambda::LayerVersion', 0);
  expect(fn.dependenciesLayer).toBeUndefined();
});

test('warmup wraps the handler and targets the alias', () => {
  const { t } = make({ coldStart: ColdStartStrategy.onDemand(), warmup: { concurrency: 1 } });
  t.hasResourceProperties('AWS::Lambda::Function', {
    Handler: 'cdk_python_coldstart_runtime.wrapper.handler',
    Environment: { Variables: Match.objectLike({ CDK_PYTHON_COLDSTART_HANDLER: 'index.handler' }) },
  });
  t.hasResourceProperties('AWS::Events::Rule', {
    ScheduleExpression: 'rate(5 minutes)',
    Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('ApiAlias') } })],
  });
});

test('warmupWrapper: false keeps the user handler (decorator users)', () => {
  make({ warmup: {}, warmupWrapper: false }).t.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler' });
});

test('warmup with provisioned concurrency is skipped with a warning', () => {
  const { stack, t } = make({ coldStart: ColdStartStrategy.provisionedConcurrency({ minCapacity: 1, maxCapacity: 2 }), warmup: {} });
  t.resourceCountIs('AWS::Events::Rule', 0);
  Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('[Pp]rovisioned concurrency'));
});

test('warmup errors are prefixed with the prop', () => {
  expect(() => make({ warmup: { concurrency: 0 } })).toThrow(/warmup\.concurrency/);
});

test('monitoring can be turned off', () => {
  make({ monitoring: { enabled: false } }).t.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
});

test('initProfile records the profile of the bundled handler', () => {
  const { fn } = make({ entry: NO_DEPS, initProfile: { budget: Duration.seconds(20) } });
  const meta = fn.function.node.metadata.find((m) => m.type === 'cdk-python-coldstart:init-profile');
  expect(meta?.data).toEqual(expect.objectContaining({ totalMs: expect.any(Number), budgetMs: 20000 }));
});

test('a shared layer built for another architecture is rejected', () => {
  const app = new App({ outdir: tmpdir('cpc-out-') });
  const stack = new Stack(app, 'S');
  const layer = new PythonDependenciesLayer(stack, 'Deps', { entry: ENTRY, ...bundling, architecture: lambda.Architecture.X86_64 });
  expect(() => new OptimizedPythonFunction(stack, 'Fn', { entry: ENTRY, bundling, dependenciesLayer: layer }))
    .toThrow(/dependenciesLayer: was built for python3\.12\/x86_64, the function is python3\.12\/arm64/);
});

test('bundling.runtime must match the function runtime', () => {
  expect(() => make({ bundling: { ...bundling, runtime: lambda.Runtime.PYTHON_3_13 } })).toThrow(/bundling\.runtime: is python3\.13/);
});

function stagedDir(c: lambda.Function | lambda.LayerVersion): string {
  // The staged asset folder, resolved the way the profiler does (through the construct tree).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { stagedAssetDirOf } = require('../../lib/profile/at-synth');
  const d = stagedAssetDirOf(c);
  if (!d) throw new Error(`no staged dir for ${c.node.path}`);
  return d;
}

describe('layer sharing', () => {
  function twoFunctions(second: Partial<OptimizedPythonFunctionProps>) {
    const app = new App({ outdir: tmpdir('cpc-out-') });
    const stack = new Stack(app, 'S');
    const a = new OptimizedPythonFunction(stack, 'A', { entry: ENTRY, bundling });
    const b = new OptimizedPythonFunction(stack, 'B', { entry: ENTRY, bundling, ...second });
    return { a, b, t: Template.fromStack(stack) };
  }

  test('functions of one stack with the same dependency set share one layer', () => {
    const { a, b, t } = twoFunctions({});
    t.resourceCountIs('AWS::Lambda::LayerVersion', 1);
    expect(b.dependenciesLayer).toBe(a.dependenciesLayer);
    const fns = t.findResources('AWS::Lambda::Function', { Properties: { Layers: [{ Ref: Match.stringLikeRegexp('^PythonDependencies') }] } });
    expect(Object.keys(fns)).toHaveLength(2);
  });

  test('another architecture or option gets its own layer', () => {
    twoFunctions({ architecture: lambda.Architecture.X86_64 }).t.resourceCountIs('AWS::Lambda::LayerVersion', 2);
    twoFunctions({ bundling: { ...bundling, optimization: { removeTestSuites: true } } }).t.resourceCountIs('AWS::Lambda::LayerVersion', 2);
  });
});
