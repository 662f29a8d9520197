import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ColdStartCost, ColdStartCostProps } from '../../lib/cost';
import { LAMBDA_PRICES, PRICES_READ_ON } from '../../lib/cost/prices';

const x86 = lambda.Architecture.X86_64;
const arm = lambda.Architecture.ARM_64;

describe('the worked examples of the AWS Lambda pricing page, to the cent', () => {
  // https://aws.amazon.com/lambda/pricing/ (stored copy of the page; its examples are "based on price in
  // US East (N. Virginia)", $0.00001667 per GB-s and $0.20 per 1M requests, with the free tier).
  const page = { durationPerGbSecond: 0.00001667, requestPerMillion: 0.2 };

  test('Example 1: 512 MB, 3 million executions of 1 s: $18.34 compute + $0.40 requests = $18.74', () => {
    const e = ColdStartCost.estimate({
      traffic: { requestsPerMonth: 3_000_000, averageDuration: Duration.seconds(1) },
      memorySize: 512,
      architecture: x86,
      prices: page,
      includeFreeTier: true,
    });
    expect(e.onDemand.durationCost).toBe(18.34);
    expect(e.onDemand.requestCost).toBe(0.40);
    expect(e.onDemand.monthlyCost).toBe(18.74);
  });

  test('Example 2: 128 MB, 30 million executions of 200 ms: $5.83 compute + $5.80 requests = $11.63', () => {
    const e = ColdStartCost.estimate({
      traffic: { requestsPerMonth: 30_000_000, averageDuration: Duration.millis(200) },
      memorySize: 128,
      architecture: x86,
      prices: page,
      includeFreeTier: true,
    });
    expect(e.onDemand.durationCost).toBe(5.83);
    expect(e.onDemand.requestCost).toBe(5.80);
    expect(e.onDemand.monthlyCost).toBe(11.63);
  });
});

describe('the numbers popular guides get wrong', () => {
  const quiet: ColdStartCostProps = {
    traffic: { requestsPerMonth: 0, averageDuration: Duration.millis(100), coldStartsPerDay: 0 }, memorySize: 1024,
  };

  test('10 provisioned environments of 1 GB for a month cost $87.60 on arm64 and $109.50 on x86_64 in us-east-1, not ~$5', () => {
    expect(ColdStartCost.estimate({ ...quiet, architecture: arm, provisionedConcurrency: 10 }).provisionedConcurrency.provisionedCost).toBe(87.60);
    expect(ColdStartCost.estimate({ ...quiet, architecture: x86, provisionedConcurrency: 10 }).provisionedConcurrency.provisionedCost).toBe(109.50);
  });

  test('SnapStart is not free: a 1 GB version cached all month plus 4 deploys (3 h minimum each) is $4.02; kept old versions add up', () => {
    const one = ColdStartCost.estimate({ ...quiet });
    expect(one.snapStart.snapStartCacheCost).toBe(4.02); // (730 h + 4 x 3 h) x 3600 x 1 GB x $0.0000015046
    const five = ColdStartCost.estimate({ ...quiet, snapStartRetainedVersions: 5 });
    expect(five.snapStart.snapStartCacheCost).toBe(19.84);
    expect(five.snapStart.notes.join(' ')).toContain('delete old versions');
  });
});

describe('a steady API: 10M requests of 120 ms at 1 GB arm64, peak 4x average, 2 bursts a day', () => {
  const PROPS = {
    traffic: { requestsPerMonth: 10_000_000, averageDuration: Duration.millis(120), peakConcurrency: 3, scaleOutsPerDay: 2 },
    initDuration: Duration.millis(800),
    restoreDuration: Duration.millis(150),
  };
  const e = ColdStartCost.estimate(PROPS);
  // average concurrency = 10M x 0.12 s / 2,628,000 s = 0.4566
  const coldPerMonth = (2 * Math.ceil(3 - 0.45662) + 1) * (730 / 24);

  test('on demand: requests, duration and the billed inits; every cold start pays an init', () => {
    expect(e.onDemand.requestCost).toBe(2.00);
    expect(e.onDemand.durationCost).toBe(Math.round((10_000_000 * 0.12 + coldPerMonth * 0.8) * 0.0000133334 * 100) / 100);
    expect(e.onDemand.coldStartsPerMonth).toBe(Math.round(coldPerMonth));
    expect(e.onDemand.coldStartPhase).toBe('init');
  });

  test('SnapStart: the same requests pay a restore instead, priced per GB restored, plus the cache', () => {
    expect(e.snapStart.coldStartsPerMonth).toBe(Math.round(coldPerMonth));
    expect(e.snapStart.coldStartPhase).toBe('restore');
    expect(e.snapStart.snapStartRestoreCost).toBe(Math.round(coldPerMonth * 0.0001397998 * 100) / 100);
    expect(e.snapStart.monthlyCost).toBeGreaterThan(e.onDemand.monthlyCost - 1);
  });

  test('provisioned concurrency: 1 environment covers the average at the cheaper duration price; bursts above it still cold start', () => {
    const pc = e.provisionedConcurrency;
    expect(pc.label).toBe('Provisioned concurrency (1, 24 h/day)');
    expect(pc.provisionedCost).toBe(Math.round(2_628_000 * 0.0000033334 * 100) / 100);
    expect(pc.durationCost).toBeLessThan(e.onDemand.durationCost);
    expect(pc.coldStartsPerMonth).toBe(Math.round(coldPerMonth * (3 - 1) / 3));
  });

  test('provisioned at the peak: no request pays a cold start', () => {
    const steady = { requestsPerMonth: 10_000_000, averageDuration: Duration.millis(120), peakConcurrency: 3 };
    const atPeak = ColdStartCost.estimate({ traffic: steady, provisionedConcurrency: 3 });
    expect(atPeak.provisionedConcurrency.coldStartsPerMonth).toBe(0);
    expect(atPeak.provisionedConcurrency.coldStartShare).toBe(0);
  });

  test('scheduled provisioned concurrency (12 h/day): half the provisioned cost, the other half of the cold starts return', () => {
    const steady = { requestsPerMonth: 10_000_000, averageDuration: Duration.millis(120), peakConcurrency: 3 };
    const half = ColdStartCost.estimate({ traffic: steady, provisionedConcurrency: 3, provisionedHoursPerDay: 12 });
    expect(half.provisionedConcurrency.provisionedCost).toBe(Math.round(3 * 1_314_000 * 0.0000033334 * 100) / 100);
    expect(half.provisionedConcurrency.coldStartsPerMonth).toBeGreaterThan(0);
    expect(half.provisionedConcurrency.notes.join(' ')).toMatch(/requests\/month beyond it run on demand/);
  });

  test('warmup: its invocations are priced; bursts above the warmed environments still cold start', () => {
    const w = e.warmup;
    const pings = 1 * 2_628_000 / 300; // 8,760 a month
    expect(w.warmupCost).toBeCloseTo(pings * 0.2 / 1e6 + pings * 0.1 * 0.0000133334, 2);
    expect(w.coldStartsPerMonth).toBe(Math.round(coldPerMonth * (3 - 1) / 3));
    expect(w.notes[0]).toContain('8,760 warm-up invocations/month');
  });

  test('the side-by-side table names the prices\' date and source', () => {
    const text = ColdStartCost.formatTable(e);
    expect(text).toContain(`prices read ${PRICES_READ_ON} from https://aws.amazon.com/lambda/pricing/`);
    expect(text).toMatch(/On demand\s+\$\d+\.\d\d/);
    expect(text).toMatch(/SnapStart \(1 version kept, 4 published\/month\)\s+\$\d+\.\d\d.*restore/);
  });

  test('estimateTable(props) is formatTable(estimate(props)) (one call, keyword arguments in Python)', () => {
    expect(ColdStartCost.estimateTable(PROPS)).toBe(ColdStartCost.formatTable(ColdStartCost.estimate(PROPS)));
    expect(ColdStartCost.estimateTable({ ...PROPS, region: 'eu-west-1' })).not.toBe(ColdStartCost.estimateTable(PROPS));
  });
});

describe('prices', () => {
  test('every row names the AWS page it was read from; prices not found are absent, not guessed', () => {
    for (const [region, p] of Object.entries(LAMBDA_PRICES)) {
      expect(p.source).toMatch(/^https:\/\/(aws\.amazon\.com\/lambda\/pricing\/|calculator\.aws\/)/);
      expect(p.durationPerGbSecondArm64).toBeLessThan(p.durationPerGbSecondX86);
      if (region !== 'us-east-1') {
        expect(p.snapStartCachePerGbSecond).toBeUndefined();
      }
    }
    expect(Object.keys(LAMBDA_PRICES)).toContain('eu-west-1');
  });

  test('a price the table lacks makes that strategy unavailable with the property to pass; passing it works', () => {
    const props: ColdStartCostProps = { traffic: { requestsPerMonth: 1_000_000, averageDuration: Duration.millis(100) }, region: 'eu-west-1' };
    const e = ColdStartCost.estimate(props);
    expect(e.onDemand.available).toBe(true);
    expect(e.snapStart).toMatchObject({ available: false, unavailableReason: expect.stringContaining('no SnapStart cache or restore price for eu-west-1 arm64') });
    expect(e.provisionedConcurrency.unavailableReason).toContain('pass prices.provisionedPerGbSecond');
    expect(ColdStartCost.formatTable(e)).toMatch(/SnapStart.*n\/a.*no SnapStart cache/);
    const given = ColdStartCost.estimate({ ...props, prices: { snapStartCachePerGbSecond: 0.000002, snapStartRestorePerGb: 0.0002 } });
    expect(given.snapStart.available).toBe(true);
    const x = ColdStartCost.estimate({ ...props, architecture: x86 });
    expect(x.provisionedConcurrency.available).toBe(true);
    expect(ColdStartCost.estimate({ ...props, region: 'xx-nowhere-1' }).onDemand.available).toBe(false);
  });

  test('own prices replace the table\'s', () => {
    const e = ColdStartCost.estimate({
      traffic: { requestsPerMonth: 1_000_000, averageDuration: Duration.seconds(1) }, memorySize: 1024, prices: { durationPerGbSecond: 0.00001 },
    });
    expect(e.onDemand.durationCost).toBe(10.00);
  });
});

test('inputs that cannot be right are rejected naming the property', () => {
  const t = { requestsPerMonth: 1000, averageDuration: Duration.millis(100) };
  expect(() => ColdStartCost.estimate({ traffic: { ...t, requestsPerMonth: -1 } })).toThrow(/traffic.requestsPerMonth must be a number of at least 0, got -1/);
  expect(() => ColdStartCost.estimate({ traffic: { ...t, requestsPerMonth: NaN } })).toThrow(/requestsPerMonth/);
  expect(() => ColdStartCost.estimate({ traffic: t, memorySize: 64 })).toThrow(/memorySize must be a whole number of at least 128 and at most 10240/);
  expect(() => ColdStartCost.estimate({ traffic: t, provisionedHoursPerDay: 25 })).toThrow(/provisionedHoursPerDay/);
  expect(() => ColdStartCost.estimate({ traffic: t, prices: { durationPerGbSecond: -1 } })).toThrow(/prices.durationPerGbSecond/);
  expect(() => ColdStartCost.estimate({ traffic: t, warmupInterval: Duration.seconds(0) })).toThrow(/warmupInterval must be longer than zero/);
});
