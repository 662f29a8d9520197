// Issue 18, "The init profile as a gate people can trust": repeated runs, median, spread, first-run
// outlier, budget with a noise margin, levels exactly as configured. The fixture handler's import time
// is set per run by the test (test/fixtures/profile/timed).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { copyFixture } from './util';
import { FindingLevel } from '../../lib/compliance/types';
import { InitProfileBudgetLevel, InitProfileOptions } from '../../lib/profile';
import { initAdvice, INIT_PROFILE_METADATA_TYPE, isOverBudget, profileAtSynth } from '../../lib/profile/at-synth';
import { runInitProfile, summarizeRuns } from '../../lib/profile/profiler';
import { requirePython } from '../helpers/python';

const python = requirePython('3.12');
const runtime = lambda.Runtime.PYTHON_3_12;

/** A fresh copy of the timed fixture whose runs busy-wait importMs[i] in an import and codeMs in module code. */
function timed(importMs: number[], codeMs = 0): { codeDir: string; environment: { [k: string]: string } } {
  const dir = copyFixture('timed');
  const state = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'profile-timed-state-')), 'state.json');
  fs.writeFileSync(state, JSON.stringify({ importMs, codeMs }));
  return { codeDir: path.join(dir, 'code'), environment: { TIMED_FIXTURE_STATE: state } };
}

describe('five runs of a handler whose first import is slow', () => {
  // Counted runs (2..5): 100, 450, 250, 800 ms; sorted 100, 250, 450, 800: median 350, lower-median run 250.
  const fx = timed([1500, 100, 450, 250, 800], 40);
  const outcome = runInitProfile({ ...fx, handler: 'index.handler', runtime, pythonExecutable: python });
  const r = outcome.result!;

  test('runs 5 times by default, each in a fresh interpreter', () => {
    expect(outcome.failure).toBeUndefined();
    expect(r.runs).toBe(5);
    expect(r.runTotalsMs).toHaveLength(5);
    expect(JSON.parse(fs.readFileSync(fx.environment.TIMED_FIXTURE_STATE, 'utf8')).calls).toBe(5);
  });

  test('the first run is shown separately and not counted', () => {
    expect(r.firstRunMs).toBe(r.runTotalsMs[0]);
    expect(r.firstRunMs!).toBeGreaterThanOrEqual(1540);
    expect(r.maxMs).toBeLessThan(r.firstRunMs!);
  });

  test('the total is the median of the counted runs, with the spread', () => {
    const counted = r.runTotalsMs.slice(1).sort((a, b) => a - b);
    expect(r.totalMs).toBeCloseTo((counted[1] + counted[2]) / 2, 0);
    expect(r.totalMs).toBeGreaterThanOrEqual(390); // (290 + 490) / 2 at the least
    expect(r.minMs).toBe(counted[0]);
    expect(r.maxMs).toBe(counted[3]);
    expect(r.spreadMs).toBeCloseTo(counted[3] - counted[0], 0);
    expect(r.spreadMs).toBeGreaterThanOrEqual(690);
  });

  test('imports and module-level code are split, and the heaviest imports come from the median run', () => {
    expect(r.topImports[0].moduleName).toBe('slowdep');
    // the 250 ms run, not the 1500 ms first run nor the 800 ms one
    expect(r.topImports[0].cumulativeMs).toBeGreaterThanOrEqual(250);
    expect(r.topImports[0].cumulativeMs).toBeLessThan(450);
    expect(r.importMs).toBeGreaterThanOrEqual(250);
    expect(r.handlerSelfMs).toBeGreaterThanOrEqual(40);
  });
});

test('one or two runs: all are counted, no first-run figure', () => {
  const fx = timed([120, 60]);
  const r = runInitProfile({ ...fx, handler: 'index.handler', runtime, pythonExecutable: python, runs: 2 }).result!;
  expect(r.runs).toBe(2);
  expect(r.firstRunMs).toBeUndefined();
  expect(r.minMs).toBe(Math.min(...r.runTotalsMs));
  expect(r.maxMs).toBeGreaterThanOrEqual(120);
});

test('summarizeRuns: odd count median is the middle run; even count averages, imports from the lower-median run', () => {
  const run = (totalMs: number, module: string) => ({
    totalMs, importMs: totalMs - 1, handlerSelfMs: 1, top: [{ module, cumulativeMs: totalMs - 1, selfMs: 1 }],
  });
  const base = { handlerFound: true, pythonVersion: '3.12.1', host: 'x86_64' };
  const odd = summarizeRuns({ ...base, runs: [run(900, 'first'), run(300, 'a'), run(100, 'b'), run(200, 'c'), run(250, 'd'), run(400, 'e')] });
  expect(odd).toMatchObject({ totalMs: 250, minMs: 100, maxMs: 400, spreadMs: 300, firstRunMs: 900, runs: 6 });
  expect(odd.topImports[0].moduleName).toBe('d');
  const even = summarizeRuns({ ...base, runs: [run(900, 'first'), run(300, 'a'), run(100, 'b'), run(200, 'c'), run(250, 'd')] });
  expect(even).toMatchObject({ totalMs: 225, firstRunMs: 900 });
  expect(even.topImports[0].moduleName).toBe('c');
});

describe('the budget at synth', () => {
  function synth(importMs: number, options: InitProfileOptions, strategy?: string) {
    const stack = new Stack(new App(), 'Stack');
    const fn = new Construct(stack, 'Fn');
    profileAtSynth(fn, { ...timed([importMs]), layerDirs: [], handler: 'index.handler', runtime, strategy }, { pythonExecutable: python, runs: 3, ...options });
    return { stack, fn, meta: fn.node.metadata.find((m) => m.type === INIT_PROFILE_METADATA_TYPE)?.data };
  }

  test('is compared with the median plus the noise margin (default 10% of the budget)', () => {
    expect(isOverBudget(330, 300, 30)).toBe(false);
    expect(isOverBudget(330.1, 300, 30)).toBe(true);
    // ~150 ms measured against 140 ms + a 60 ms margin: within
    const within = synth(150, { budget: Duration.millis(140), budgetMargin: Duration.millis(60) });
    Annotations.fromStack(within.stack).hasNoWarning('*', Match.anyValue());
    expect(within.meta).toMatchObject({ budgetMs: 140, marginMs: 60, runs: 3 });
    const dflt = synth(10, { budget: Duration.millis(400) });
    expect(dflt.meta.marginMs).toBe(40);
  });

  test('far over budget stays at the configured level: a warning by default, never promoted to an error', () => {
    const { stack, meta } = synth(400, { budget: Duration.millis(50) });
    expect(meta.totalMs).toBeGreaterThan(100); // more than twice the budget
    Annotations.fromStack(stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp(
      'init \\(imports \\d+ ms \\+ module-level code [\\d.]+ ms\\) takes \\d+ ms locally \\(median of 2 runs, spread [\\d.]+ ms, first run \\d+ ms not counted\\), over the budget of 50\\.0 ms plus its noise margin of 5\\.0 ms'));
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
  });

  test.each([
    [FindingLevel.ERROR, 'error'], [FindingLevel.INFO, 'info'], [InitProfileBudgetLevel.ERROR, 'error'], [InitProfileBudgetLevel.WARNING, 'warning'],
  ])('budgetLevel %s reports at exactly that level (the former InitProfileBudgetLevel still works)', (level, expected) => {
    const { stack } = synth(200, { budget: Duration.millis(50), budgetLevel: level as FindingLevel });
    const a = Annotations.fromStack(stack);
    const over = Match.stringLikeRegexp('over the budget of 50\\.0 ms');
    if (expected === 'error') {
      a.hasError('/Stack/Fn', over);
      a.hasNoWarning('*', over);
    } else if (expected === 'warning') {
      a.hasWarning('/Stack/Fn', over);
      a.hasNoError('*', Match.anyValue());
    } else {
      a.hasInfo('/Stack/Fn', over);
      a.hasNoError('*', Match.anyValue());
      a.hasNoWarning('*', Match.anyValue());
    }
  });

  test('advice fits the strategy: SnapStart runs init at publish, PC in provisioned environments', () => {
    const snap = synth(200, { budget: Duration.millis(50) }, 'SNAP_START');
    Annotations.fromStack(snap.stack).hasWarning('/Stack/Fn', Match.stringLikeRegexp('With SnapStart this init runs once when each version is published, not on requests \\(they see the restore\\)'));
    expect(initAdvice('SNAP_START')).not.toMatch(/use SnapStart|enable SnapStart/);
    expect(initAdvice('PROVISIONED_CONCURRENCY')).toMatch(/runs in each provisioned environment before it takes requests/);
    expect(initAdvice('PROVISIONED_CONCURRENCY')).not.toMatch(/SnapStart/);
    expect(initAdvice('ON_DEMAND')).toMatch(/use SnapStart/);
  });

  test('runs and budgetLevel values that cannot work are rejected naming the property', () => {
    expect(() => synth(1, { runs: 0 })).toThrow(/initProfile.runs must be a whole number from 1 to 50/);
    expect(() => synth(1, { runs: 2.5 })).toThrow(/initProfile.runs/);
    expect(() => synth(1, { timeout: Duration.hours(2) })).toThrow(/initProfile.timeout must be at most 60 minutes/);
    expect(() => synth(1, { budgetLevel: 'fatal' as any })).toThrow(/budgetLevel must be a FindingLevel/);
  });
});
