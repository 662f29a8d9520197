import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { copyFixture } from './util';
import { InitProfileBudgetLevel, InitProfileOptions } from '../../lib/profile';
import { INIT_PROFILE_METADATA_TYPE, profileAtSynth, stagedAssetDirOf } from '../../lib/profile/at-synth';
import { requirePython } from '../helpers/python';

const python = requirePython('3.12');
const basic = copyFixture('basic');
const broken = copyFixture('broken');

function synthProfile(fixtureDir: string, options: InitProfileOptions, layer = true) {
  const stack = new Stack(new App(), 'Stack');
  const fn = new Construct(stack, 'Fn');
  profileAtSynth(fn, {
    codeDir: path.join(fixtureDir, 'code'),
    layerDirs: layer ? [path.join(fixtureDir, 'layer')] : [],
    handler: 'index.handler',
    runtime: lambda.Runtime.PYTHON_3_12,
  }, { pythonExecutable: python, runs: 1, ...options });
  return { stack, fn };
}

test('reports total and heaviest imports as info and records metadata for the compliance report', () => {
  const { stack, fn } = synthProfile(basic, { budget: Duration.seconds(10) });
  Annotations.fromStack(stack).hasInfo('/Stack/Fn', Match.stringLikeRegexp('Init profile .* ms to import the handler module \\(1 run\\): .* ms in imports, .* ms in its own module-level code.*Heaviest imports of the median run \\(cumulative\\): heavy 1\\d\\d ms'));
  Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  const entries = fn.node.metadata.filter((m) => m.type === INIT_PROFILE_METADATA_TYPE);
  expect(entries).toHaveLength(1);
  expect(entries[0].data).toEqual({
    totalMs: expect.any(Number),
    importMs: expect.any(Number),
    moduleCodeMs: expect.any(Number),
    runs: 1,
    spreadMs: 0,
    budgetMs: 10_000,
    marginMs: 1_000,
    top: [{ module: 'heavy', cumulativeMs: expect.any(Number) }, { module: 'light', cumulativeMs: expect.any(Number) }],
  });
  expect(entries[0].data.totalMs).toBeGreaterThanOrEqual(145);
});

test('over budget is a warning by default', () => {
  const { stack, fn } = synthProfile(basic, { budget: Duration.millis(50) });
  Annotations.fromStack(stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp('over the budget of 50\\.0 ms plus its noise margin of 5\\.0 ms. Heaviest imports of the median run: heavy'));
  Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
  expect(fn.node.metadata.find((m) => m.type === INIT_PROFILE_METADATA_TYPE)?.data.budgetMs).toBe(50);
});

test('over budget is an error with budgetLevel ERROR', () => {
  const { stack } = synthProfile(basic, { budget: Duration.millis(50), budgetLevel: InitProfileBudgetLevel.ERROR });
  Annotations.fromStack(stack).hasError('/Stack/Fn', Match.stringLikeRegexp('over the budget of 50\\.0 ms'));
});

test('no budget: no metadata budget, no warning', () => {
  const { stack, fn } = synthProfile(basic, {});
  Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  expect(fn.node.metadata.find((m) => m.type === INIT_PROFILE_METADATA_TYPE)?.data).not.toHaveProperty('budgetMs');
});

test('a handler failing at init is reported at the budget level, naming the module', () => {
  const warn = synthProfile(broken, {}, false);
  Annotations.fromStack(warn.stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp("fails at init.*RuntimeError: TABLE_NAME is not configured \\(raised in module 'config'"));
  expect(warn.fn.node.metadata.find((m) => m.type === INIT_PROFILE_METADATA_TYPE)).toBeUndefined();
  const err = synthProfile(broken, { budgetLevel: InitProfileBudgetLevel.ERROR }, false);
  Annotations.fromStack(err.stack).hasError('/Stack/Fn', Match.stringLikeRegexp('fails at init'));
});

test('a profile that cannot run on this machine is a warning, never an error', () => {
  const { stack } = synthProfile(basic, { budgetLevel: InitProfileBudgetLevel.ERROR, pythonExecutable: '/nonexistent/python3.12' });
  Annotations.fromStack(stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp('Init profile not run: cannot run the Python interpreter /nonexistent/python3.12'));
  Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
});

test('skipped when the stack is not bundled in this synthesis', () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': ['Other'] } });
  const stack = new Stack(app, 'Stack');
  const fn = new Construct(stack, 'Fn');
  profileAtSynth(fn, { codeDir: '/nonexistent', layerDirs: [], handler: 'index.handler', runtime: lambda.Runtime.PYTHON_3_12 }, { pythonExecutable: python });
  Annotations.fromStack(stack).hasInfo('/Stack/Fn', Match.stringLikeRegexp('Init profile skipped'));
  Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
});

test('options that cannot work are rejected naming the property', () => {
  expect(() => synthProfile(basic, { topImports: 0 })).toThrow(/Stack\/Fn: initProfile.topImports must be a positive integer/);
  expect(() => synthProfile(basic, { budget: Duration.millis(0) })).toThrow(/initProfile.budget must be longer than zero/);
  expect(() => synthProfile(basic, { timeout: Duration.seconds(0) })).toThrow(/initProfile.timeout must be longer than zero/);
});

test('staged directories of a function and its layer are found for profiling a real lambda.Function', () => {
  const stack = new Stack(new App(), 'Stack');
  const layer = new lambda.LayerVersion(stack, 'Deps', { code: lambda.Code.fromAsset(path.join(basic, 'layer')) });
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.PYTHON_3_12, handler: 'index.handler', code: lambda.Code.fromAsset(path.join(basic, 'code')), layers: [layer],
  });
  const codeDir = stagedAssetDirOf(fn);
  const layerDir = stagedAssetDirOf(layer);
  expect(codeDir).toMatch(/asset\.[0-9a-f]{64}$/);
  expect(layerDir).toMatch(/asset\.[0-9a-f]{64}$/);
  profileAtSynth(fn, { codeDir: codeDir!, layerDirs: [layerDir!], handler: 'index.handler', runtime: lambda.Runtime.PYTHON_3_12 }, { pythonExecutable: python });
  Annotations.fromStack(stack).hasInfo('/Stack/Fn', Match.stringLikeRegexp('Heaviest imports of the median run \\(cumulative\\): heavy'));
  const inline = new lambda.Function(stack, 'Inline', { runtime: lambda.Runtime.PYTHON_3_12, handler: 'index.handler', code: lambda.Code.fromInline('x = 1') });
  expect(stagedAssetDirOf(inline)).toBeUndefined();
});
