// Every shipped metric filter pattern and Logs Insights query, run against real-shaped Lambda log
// samples in both log formats (test/fixtures/observability): with and without Init Duration, with
// SnapStart Restore Duration, with the XRAY suffix, and with look-alike lines that must not count.
import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { matchFilterPattern, metricValueOf, runInsightsQuery, toInsightsRecord } from './cloudwatch-eval';
import { ColdStartFilterPatterns, ColdStartQueries } from '../../lib/observability';

interface Expected {
  readonly kind: 'cold' | 'warm' | 'restore' | 'other';
  readonly duration?: number;
  readonly initDuration?: number;
  readonly restoreDuration?: number;
}

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'observability');
const expected: Record<string, Expected[]> = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expected.json'), 'utf-8'));

function load(file: string): Array<{ message: string; expect: Expected }> {
  const lines = fs.readFileSync(path.join(FIXTURES, file), 'utf-8').split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(expected[file].length);
  return lines.map((message, i) => ({ message, expect: expected[file][i] }));
}

const FORMATS: Array<[string, lambda.LoggingFormat, string]> = [
  ['text', lambda.LoggingFormat.TEXT, 'report-text.log'],
  ['JSON', lambda.LoggingFormat.JSON, 'report-json.log'],
];

describe.each(FORMATS)('%s log format', (_name, format, file) => {
  const samples = load(file);
  const cold = samples.filter((s) => s.expect.kind === 'cold');
  const restores = samples.filter((s) => s.expect.kind === 'restore');
  const reports = samples.filter((s) => s.expect.kind !== 'other');

  test('the fixture covers cold, warm, restore, XRAY and look-alike lines', () => {
    expect(cold.length).toBeGreaterThanOrEqual(2);
    expect(restores.length).toBeGreaterThanOrEqual(2);
    expect(samples.filter((s) => s.expect.kind === 'warm').length).toBeGreaterThanOrEqual(2);
    expect(samples.some((s) => /XRAY|X-Amzn-Trace-Id/.test(s.message) && s.expect.kind === 'cold')).toBe(true);
    expect(samples.some((s) => /XRAY|X-Amzn-Trace-Id/.test(s.message) && s.expect.kind === 'restore')).toBe(true);
    expect(samples.some((s) => s.expect.kind === 'other' && /Init ?Duration/i.test(s.message))).toBe(true);
  });

  test('init-duration filter matches exactly the cold starts and publishes Init Duration', () => {
    const pattern = ColdStartFilterPatterns.initDuration(format);
    const value = ColdStartFilterPatterns.initDurationValue(format);
    for (const s of samples) {
      const m = matchFilterPattern(pattern, s.message);
      expect({ line: s.message, matched: m.matched }).toEqual({ line: s.message, matched: s.expect.kind === 'cold' });
      if (s.expect.kind === 'cold') {
        expect(metricValueOf(value, m)).toBeCloseTo(s.expect.initDuration!, 2);
      }
    }
  });

  test('restore-duration filter matches exactly the SnapStart restores and publishes Restore Duration', () => {
    const pattern = ColdStartFilterPatterns.restoreDuration(format);
    const value = ColdStartFilterPatterns.restoreDurationValue(format);
    for (const s of samples) {
      const m = matchFilterPattern(pattern, s.message);
      expect({ line: s.message, matched: m.matched }).toEqual({ line: s.message, matched: s.expect.kind === 'restore' });
      if (s.expect.kind === 'restore') {
        expect(metricValueOf(value, m)).toBeCloseTo(s.expect.restoreDuration!, 2);
      }
    }
  });

  const records = samples.map((s) => toInsightsRecord(s.message, '/aws/lambda/orders-api'));
  const one = (query: string) => {
    const rows = runInsightsQuery(query, records);
    expect(rows).toHaveLength(1);
    return rows[0];
  };

  test('cold starts over time counts inits, restores and invocations', () => {
    expect(one(ColdStartQueries.coldStartsOverTime(format))).toMatchObject({
      initColdStarts: cold.length,
      snapStartRestores: restores.length,
      invocations: reports.length,
    });
  });

  test('cold-start ratio is (inits + restores) / invocations in percent', () => {
    expect(one(ColdStartQueries.coldStartRatio(format)).coldStartPercent)
      .toBeCloseTo(((cold.length + restores.length) * 100) / reports.length, 6);
  });

  test('init duration percentiles cover exactly the cold starts', () => {
    const inits = cold.map((s) => s.expect.initDuration!);
    const row = one(ColdStartQueries.initDurationPercentiles(format));
    expect(row.coldStarts).toBe(cold.length);
    expect(row.maxInit).toBeCloseTo(Math.max(...inits), 2);
    for (const p of ['p50', 'p95', 'p99']) {
      expect(inits.map((v) => v.toFixed(2))).toContain(Number(row[p]).toFixed(2));
    }
  });

  test('restore duration percentiles read Restore Duration, never Billed Restore Duration', () => {
    const values = restores.map((s) => s.expect.restoreDuration!);
    const row = one(ColdStartQueries.restoreDurationPercentiles(format));
    expect(row.restores).toBe(restores.length);
    expect(row.maxRestore).toBeCloseTo(Math.max(...values), 2);
    expect(values.map((v) => v.toFixed(2))).toContain(Number(row.p50).toFixed(2));
  });

  test('total cold-start latency is init or restore plus duration', () => {
    const totals = [...cold, ...restores].map((s) => (s.expect.initDuration ?? s.expect.restoreDuration!) + s.expect.duration!);
    const row = one(ColdStartQueries.totalColdStartLatency(format));
    expect(row.coldStarts).toBe(totals.length);
    expect(row.maxLatency).toBeCloseTo(Math.max(...totals), 2);
  });

  test('per-log-group query groups by @log', () => {
    const row = one(ColdStartQueries.coldStartsByLogGroup(format));
    expect(row).toMatchObject({ _group: '123456789012:/aws/lambda/orders-api', initColdStarts: cold.length, snapStartRestores: restores.length });
  });
});

test('the popular @type = "INIT" query finds nothing in text logs', () => {
  const records = load('report-text.log').map((s) => toInsightsRecord(s.message, '/aws/lambda/orders-api'));
  expect(runInsightsQuery('filter @type = "INIT"\n| stats count(*) as coldStarts', records)).toEqual([]);
  expect(ColdStartQueries.initDurationPercentiles(lambda.LoggingFormat.TEXT)).not.toContain('"INIT"');
});

test('the text restore parse is the one AWS documents for SnapStart', () => {
  expect(ColdStartQueries.restoreDurationPercentiles(lambda.LoggingFormat.TEXT))
    .toContain('parse @message /Restore Duration: (?<restoreDuration>.*?) ms/');
});

test('undefined log format means TEXT (Lambda default)', () => {
  expect(ColdStartQueries.coldStartRatio()).toBe(ColdStartQueries.coldStartRatio(lambda.LoggingFormat.TEXT));
  expect(ColdStartFilterPatterns.initDuration()).toBe(ColdStartFilterPatterns.initDuration(lambda.LoggingFormat.TEXT));
});

test.each(FORMATS)('%s patterns fit CloudWatch\'s 1024-character filter pattern limit', (_name, format) => {
  for (const p of [ColdStartFilterPatterns.initDuration(format), ColdStartFilterPatterns.restoreDuration(format)]) {
    expect(p.length).toBeLessThanOrEqual(1024);
  }
});
