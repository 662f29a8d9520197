import { Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LAMBDA_PRICES, PRICES_READ_ON, RegionPrices } from './prices';

/** Hours in a month, as AWS's pricing examples and calculator count them. */
export const HOURS_PER_MONTH = 730;
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
/** SnapStart bills each published version's snapshot cache for at least 3 hours. */
const SNAPSTART_MINIMUM_CACHE_S = 3 * 3600;
const FREE_REQUESTS = 1_000_000;
const FREE_GB_SECONDS = 400_000;

/**
 * How a function is used: the traffic the cost of each cold-start strategy depends on.
 */
export interface TrafficProfile {
  /** Invocations per month. */
  readonly requestsPerMonth: number;

  /** Average billed duration of one invocation (handler time, without init). */
  readonly averageDuration: Duration;

  /**
   * Average number of invocations in flight.
   *
   * @default - requestsPerMonth x averageDuration / seconds in a month (730 hours)
   */
  readonly averageConcurrency?: number;

  /**
   * Highest number of invocations in flight during the day.
   *
   * @default - the average concurrency rounded up (at least 1)
   */
  readonly peakConcurrency?: number;

  /**
   * New execution environments per day without any strategy (each one runs the full init in front
   * of a request). Set it from the `Init Duration` count of your REPORT logs when you have them.
   *
   * @default - scaleOutsPerDay x (peak - average concurrency, at least 1), plus each average
   * environment replaced once a day
   */
  readonly coldStartsPerDay?: number;

  /**
   * How many times a day concurrency climbs from the average to the peak (bursts). Ignored when
   * `coldStartsPerDay` is set.
   *
   * @default 1
   */
  readonly scaleOutsPerDay?: number;
}

/**
 * Prices that replace the table's (for the estimate's region and architecture), in USD.
 * Any price left out comes from the table.
 */
export interface LambdaPriceOverrides {
  /** Per million requests. @default - the table's */
  readonly requestPerMillion?: number;
  /** On-demand duration per GB-second. @default - the table's */
  readonly durationPerGbSecond?: number;
  /** Provisioned concurrency per GB-second provisioned. @default - the table's */
  readonly provisionedPerGbSecond?: number;
  /** Duration per GB-second of invocations served by provisioned concurrency. @default - the table's */
  readonly provisionedDurationPerGbSecond?: number;
  /** SnapStart snapshot cache per GB-second. @default - the table's */
  readonly snapStartCachePerGbSecond?: number;
  /** SnapStart restore per GB restored. @default - the table's */
  readonly snapStartRestorePerGb?: number;
}

/**
 * What to estimate: a traffic profile, the function's configuration and each strategy's settings.
 */
export interface ColdStartCostProps {
  /** The traffic. */
  readonly traffic: TrafficProfile;

  /**
   * Memory in MB.
   *
   * @default 1024
   */
  readonly memorySize?: number;

  /**
   * CPU architecture.
   *
   * @default lambda.Architecture.ARM_64
   */
  readonly architecture?: lambda.Architecture;

  /**
   * Region whose prices apply.
   *
   * @default 'us-east-1'
   */
  readonly region?: string;

  /**
   * Your own prices (negotiated rates, a region or price the table lacks).
   *
   * @default - the table in lib/cost/prices.ts
   */
  readonly prices?: LambdaPriceOverrides;

  /**
   * Billed init duration of a new on-demand environment (Lambda bills the init phase like duration).
   *
   * @default Duration.millis(0) - not priced
   */
  readonly initDuration?: Duration;

  /**
   * Billed restore duration of a SnapStart environment (`Billed Restore Duration` in REPORT lines).
   *
   * @default Duration.millis(0) - not priced
   */
  readonly restoreDuration?: Duration;

  /**
   * SnapStart: published versions kept all month (each keeps its snapshot cached and billed until it is
   * deleted, whether or not an alias points at it).
   *
   * @default 1
   */
  readonly snapStartRetainedVersions?: number;

  /**
   * SnapStart: versions published per month (deploys); each is billed at least 3 hours of cache.
   *
   * @default 4
   */
  readonly versionsPublishedPerMonth?: number;

  /**
   * Provisioned concurrency kept (the auto-scaling minimum or the scheduled capacity).
   *
   * @default - the average concurrency rounded up (at least 1)
   */
  readonly provisionedConcurrency?: number;

  /**
   * Hours a day the provisioned concurrency is kept (a schedule); outside them requests are on demand.
   *
   * @default 24
   */
  readonly provisionedHoursPerDay?: number;

  /**
   * Warmup: environments each warm-up round invokes at once.
   *
   * @default - the average concurrency rounded up (at least 1)
   */
  readonly warmupConcurrency?: number;

  /**
   * Warmup: time between warm-up rounds.
   *
   * @default Duration.minutes(5)
   */
  readonly warmupInterval?: Duration;

  /**
   * Warmup: billed duration of one warm-up invocation (it must linger for the invocations to overlap).
   *
   * @default Duration.millis(100)
   */
  readonly warmupDuration?: Duration;

  /**
   * Subtract the monthly free tier (1M requests, 400,000 GB-seconds) from the on-demand, SnapStart
   * and warmup estimates (it is per account, not per function; it never applies with provisioned
   * concurrency).
   *
   * @default false
   */
  readonly includeFreeTier?: boolean;
}

/** The monthly cost of one strategy and how many requests still pay a cold start. */
export interface StrategyCost {
  /** `on-demand`, `snapstart`, `provisioned-concurrency` or `warmup`. */
  readonly strategy: string;
  /** Human name, e.g. `Provisioned concurrency (2, 24 h/day)`. */
  readonly label: string;
  /** False when a price it needs is not known for the region and architecture (see `unavailableReason`). */
  readonly available: boolean;
  /** Which price is missing and how to pass it. @default - available */
  readonly unavailableReason?: string;
  /** Total per month in USD: the sum of the parts, each rounded to the cent as AWS's examples do. */
  readonly monthlyCost: number;
  /** Requests, USD per month. */
  readonly requestCost: number;
  /** Duration (handler, init or restore), USD per month. */
  readonly durationCost: number;
  /** Provisioned concurrency kept, USD per month. */
  readonly provisionedCost: number;
  /** SnapStart snapshot cache, USD per month. */
  readonly snapStartCacheCost: number;
  /** SnapStart restores, USD per month. */
  readonly snapStartRestoreCost: number;
  /** Warm-up invocations (requests and duration), USD per month. */
  readonly warmupCost: number;
  /** Requests per month that pay a cold start (an init, or a restore with SnapStart). */
  readonly coldStartsPerMonth: number;
  /** coldStartsPerMonth / requestsPerMonth. */
  readonly coldStartShare: number;
  /** What those requests wait for: `init` or `restore`. */
  readonly coldStartPhase: string;
  /** Assumptions worth knowing for this strategy. */
  readonly notes: string[];
}

/** Side-by-side monthly cost of each strategy for one traffic profile. */
export interface ColdStartCostEstimate {
  readonly region: string;
  readonly architecture: string;
  readonly memorySize: number;
  readonly requestsPerMonth: number;
  /** Date the price table was read. */
  readonly pricesReadOn: string;
  /** AWS page the region's prices were read from, or `user` when every price used was passed in. */
  readonly priceSource: string;
  readonly onDemand: StrategyCost;
  readonly snapStart: StrategyCost;
  readonly provisionedConcurrency: StrategyCost;
  readonly warmup: StrategyCost;
}

/**
 * Monthly cost of each cold-start strategy (on demand, SnapStart, provisioned concurrency, warmup) for
 * a traffic profile, with the number of requests that still pay a cold start. Prices come from a
 * table in the package (region, architecture, date and AWS page of each) or from you.
 *
 * @see https://aws.amazon.com/lambda/pricing/
 */
export class ColdStartCost {
  /** Estimates every strategy's monthly cost. Throws when an input cannot be right (negative, not a number). */
  public static estimate(props: ColdStartCostProps): ColdStartCostEstimate {
    return estimateCost(props);
  }

  /** The estimate as a plain-text side-by-side table (what the CLI `cost` command prints). */
  public static formatTable(estimate: ColdStartCostEstimate): string {
    return formatCostTable(estimate);
  }

  /**
   * Estimates and formats in one call: `formatTable(estimate(props))`. Reads naturally in Python, where
   * a struct parameter is passed as keyword arguments: `ColdStartCost.estimate_table(traffic=..., region=...)`.
   *
   * @param props the traffic profile and function settings, as for `estimate`
   * @returns the plain-text side-by-side table
   */
  public static estimateTable(props: ColdStartCostProps): string {
    return formatCostTable(ColdStartCost.estimate(props));
  }

  private constructor() {}
}

function check(name: string, v: number | undefined, opts: { integer?: boolean; min?: number; max?: number } = {}): void {
  if (v === undefined) {
    return;
  }
  if (Token.isUnresolved(v) || typeof v !== 'number' || !Number.isFinite(v) || v < (opts.min ?? 0)
    || (opts.max !== undefined && v > opts.max) || (opts.integer && !Number.isInteger(v))) {
    throw new Error(`ColdStartCost: ${name} must be ${opts.integer ? 'a whole number' : 'a number'} of at least ${opts.min ?? 0}`
      + `${opts.max !== undefined ? ` and at most ${opts.max}` : ''}, got ${v}`);
  }
}

function seconds(name: string, d: Duration | undefined, dflt: number): number {
  if (d === undefined) {
    return dflt;
  }
  if (d.isUnresolved()) {
    throw new Error(`ColdStartCost: ${name} must be a literal duration, not a token`);
  }
  return d.toMilliseconds({ integral: false }) / 1000;
}

const cents = (usd: number) => Math.round(usd * 100 + 1e-9) / 100;

function estimateCost(props: ColdStartCostProps): ColdStartCostEstimate {
  const t = props.traffic;
  check('traffic.requestsPerMonth', t.requestsPerMonth);
  check('traffic.averageConcurrency', t.averageConcurrency);
  check('traffic.peakConcurrency', t.peakConcurrency);
  check('traffic.coldStartsPerDay', t.coldStartsPerDay);
  check('traffic.scaleOutsPerDay', t.scaleOutsPerDay);
  const memorySize = props.memorySize ?? 1024;
  check('memorySize', memorySize, { integer: true, min: 128, max: 10240 });
  check('snapStartRetainedVersions', props.snapStartRetainedVersions, { integer: true });
  check('versionsPublishedPerMonth', props.versionsPublishedPerMonth);
  check('provisionedConcurrency', props.provisionedConcurrency, { integer: true });
  check('provisionedHoursPerDay', props.provisionedHoursPerDay, { max: 24 });
  check('warmupConcurrency', props.warmupConcurrency, { integer: true });
  for (const [k, v] of Object.entries(props.prices ?? {})) {
    check(`prices.${k}`, v as number);
  }
  const arch = props.architecture ?? lambda.Architecture.ARM_64;
  const arm = arch.name === lambda.Architecture.ARM_64.name;
  const region = props.region ?? 'us-east-1';
  const table: RegionPrices | undefined = LAMBDA_PRICES[region];
  const o = props.prices ?? {};
  const price = {
    request: o.requestPerMillion ?? table?.requestPerMillion,
    duration: o.durationPerGbSecond ?? (arm ? table?.durationPerGbSecondArm64 : table?.durationPerGbSecondX86),
    provisioned: o.provisionedPerGbSecond ?? (arm ? table?.provisionedPerGbSecondArm64 : table?.provisionedPerGbSecondX86),
    provisionedDuration: o.provisionedDurationPerGbSecond
      ?? (arm ? table?.provisionedDurationPerGbSecondArm64 : table?.provisionedDurationPerGbSecondX86),
    cache: o.snapStartCachePerGbSecond ?? table?.snapStartCachePerGbSecond,
    restore: o.snapStartRestorePerGb ?? table?.snapStartRestorePerGb,
  };
  const missing = (what: string, prop: string) => `no ${what} price for ${region} ${arch.name} in the table (not found in an AWS source); `
    + `pass prices.${prop}`;

  const gb = memorySize / 1024;
  const requests = t.requestsPerMonth;
  const durS = seconds('traffic.averageDuration', t.averageDuration, 0);
  const avgConc = t.averageConcurrency ?? requests * durS / SECONDS_PER_MONTH;
  const baseline = Math.max(1, Math.ceil(avgConc - 1e-9));
  const peak = Math.max(t.peakConcurrency ?? baseline, avgConc);
  const coldPerDay = t.coldStartsPerDay ?? (t.scaleOutsPerDay ?? 1) * Math.max(1, Math.ceil(peak - avgConc)) + baseline;
  const coldPerMonth = coldPerDay * DAYS_PER_MONTH;
  const initS = seconds('initDuration', props.initDuration, 0);
  const restoreS = seconds('restoreDuration', props.restoreDuration, 0);
  const freeTier = props.includeFreeTier === true;

  const base = (strategy: string, label: string) => ({
    strategy,
    label,
    available: true,
    monthlyCost: 0,
    requestCost: 0,
    durationCost: 0,
    provisionedCost: 0,
    snapStartCacheCost: 0,
    snapStartRestoreCost: 0,
    warmupCost: 0,
    coldStartsPerMonth: 0,
    coldStartShare: 0,
    coldStartPhase: 'init',
    notes: [] as string[],
  });
  const unavailable = (s: ReturnType<typeof base>, reason: string): StrategyCost => ({ ...s, available: false, unavailableReason: reason });
  const finish = (s: ReturnType<typeof base>, cold: number): StrategyCost => {
    const monthlyCost = cents(s.requestCost + s.durationCost + s.provisionedCost + s.snapStartCacheCost + s.snapStartRestoreCost + s.warmupCost);
    return { ...s, monthlyCost, coldStartsPerMonth: Math.round(cold), coldStartShare: requests > 0 ? Math.min(1, cold / requests) : 0 };
  };
  /** Requests and duration billed on demand (free tier optional). */
  const onDemandCharges = (reqs: number, gbSeconds: number, allowFree: boolean) => {
    const billableReqs = allowFree ? Math.max(0, reqs - FREE_REQUESTS) : reqs;
    const billableGbs = allowFree ? Math.max(0, gbSeconds - FREE_GB_SECONDS) : gbSeconds;
    return { requestCost: cents(billableReqs / 1e6 * price.request!), durationCost: cents(billableGbs * price.duration!) };
  };

  // On demand
  let onDemand: StrategyCost;
  {
    const s = base('on-demand', 'On demand');
    if (price.request === undefined || price.duration === undefined) {
      onDemand = unavailable(s, missing('request or duration', 'durationPerGbSecond'));
    } else {
      Object.assign(s, onDemandCharges(requests, requests * durS * gb + coldPerMonth * initS * gb, freeTier));
      if (initS === 0) {
        s.notes.push('init duration not priced (set initDuration)');
      }
      onDemand = finish(s, coldPerMonth);
    }
  }

  // SnapStart
  let snapStart: StrategyCost;
  {
    const retained = props.snapStartRetainedVersions ?? 1;
    const published = props.versionsPublishedPerMonth ?? 4;
    const s = base('snapstart', `SnapStart (${retained} version${retained === 1 ? '' : 's'} kept, ${published} published/month)`);
    s.coldStartPhase = 'restore';
    if (price.request === undefined || price.duration === undefined) {
      snapStart = unavailable(s, missing('request or duration', 'durationPerGbSecond'));
    } else if (price.cache === undefined || price.restore === undefined) {
      snapStart = unavailable(s, missing('SnapStart cache or restore', 'snapStartCachePerGbSecond and prices.snapStartRestorePerGb'));
    } else {
      Object.assign(s, onDemandCharges(requests, requests * durS * gb + coldPerMonth * restoreS * gb, freeTier));
      s.snapStartCacheCost = cents(gb * (retained * SECONDS_PER_MONTH + published * SNAPSTART_MINIMUM_CACHE_S) * price.cache);
      s.snapStartRestoreCost = cents(coldPerMonth * gb * price.restore);
      s.notes.push('init runs once per published version; new environments restore the snapshot');
      s.notes.push('every version kept stays cached and billed: delete old versions');
      snapStart = finish(s, coldPerMonth);
    }
  }

  // Provisioned concurrency
  let provisioned: StrategyCost;
  {
    const pc = props.provisionedConcurrency ?? baseline;
    const hours = props.provisionedHoursPerDay ?? 24;
    const s = base('provisioned-concurrency', `Provisioned concurrency (${pc}, ${fmtNum(hours)} h/day)`);
    if (price.request === undefined || price.duration === undefined) {
      provisioned = unavailable(s, missing('request or duration', 'durationPerGbSecond'));
    } else if (price.provisioned === undefined || price.provisionedDuration === undefined) {
      provisioned = unavailable(s, missing('provisioned concurrency', 'provisionedPerGbSecond and prices.provisionedDurationPerGbSecond'));
    } else {
      const share = hours / 24;
      const covered = requests * share * Math.min(1, avgConc > 0 ? pc / avgConc : 1);
      const spill = requests - covered;
      const coldInPc = coldPerMonth * share * (peak > pc ? (peak - pc) / peak : 0);
      const cold = coldInPc + coldPerMonth * (1 - share);
      s.requestCost = cents(requests / 1e6 * price.request);
      s.durationCost = cents(covered * durS * gb * price.provisionedDuration + (spill * durS + cold * initS) * gb * price.duration);
      s.provisionedCost = cents(pc * gb * SECONDS_PER_MONTH * share * price.provisioned);
      s.notes.push('the free tier does not apply to a function with provisioned concurrency');
      if (spill > 0) {
        s.notes.push(`${fmtNum(Math.round(spill))} requests/month beyond it run on demand (spillover)`);
      }
      provisioned = finish(s, cold);
    }
  }

  // Warmup
  let warmup: StrategyCost;
  {
    const conc = props.warmupConcurrency ?? baseline;
    const intervalS = seconds('warmupInterval', props.warmupInterval, 300);
    const pingS = seconds('warmupDuration', props.warmupDuration, 0.1);
    if (!(intervalS > 0)) {
      throw new Error('ColdStartCost: warmupInterval must be longer than zero');
    }
    const s = base('warmup', `Warmup (${conc} every ${fmtNum(intervalS / 60)} min)`);
    if (price.request === undefined || price.duration === undefined) {
      warmup = unavailable(s, missing('request or duration', 'durationPerGbSecond'));
    } else {
      const pings = conc * SECONDS_PER_MONTH / intervalS;
      const cold = coldPerMonth * (peak > conc ? (peak - conc) / peak : 0);
      const all = onDemandCharges(requests + pings, (requests * durS + cold * initS + pings * pingS) * gb, freeTier);
      const own = onDemandCharges(requests, (requests * durS + cold * initS) * gb, freeTier);
      s.requestCost = own.requestCost;
      s.durationCost = own.durationCost;
      s.warmupCost = cents(all.requestCost + all.durationCost - own.requestCost - own.durationCost);
      s.notes.push(`${fmtNum(Math.round(pings))} warm-up invocations/month; environments Lambda recycles still run init, in front of a warm-up or a request`);
      warmup = finish(s, cold);
    }
  }

  return {
    region,
    architecture: arch.name,
    memorySize,
    requestsPerMonth: requests,
    pricesReadOn: PRICES_READ_ON,
    priceSource: table?.source ?? 'user',
    onDemand,
    snapStart,
    provisionedConcurrency: provisioned,
    warmup,
  };
}

function fmtNum(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(1);
}

/** The four strategies of an estimate, in table order. Internal. */
export function strategiesOf(e: ColdStartCostEstimate): StrategyCost[] {
  return [e.onDemand, e.snapStart, e.provisionedConcurrency, e.warmup];
}

/** Plain-text side-by-side table. Internal (ColdStartCost.formatTable). */
export function formatCostTable(e: ColdStartCostEstimate): string {
  const money = (n: number) => `$${n.toFixed(2)}`;
  const rows = strategiesOf(e).map((s) => s.available
    ? [s.label, money(s.monthlyCost), money(s.requestCost + s.durationCost), money(s.provisionedCost),
      money(s.snapStartCacheCost + s.snapStartRestoreCost), money(s.warmupCost),
      `${fmtNum(s.coldStartsPerMonth)} ${s.coldStartPhase} (${(s.coldStartShare * 100).toFixed(s.coldStartShare < 0.001 ? 4 : 2)}%)`]
    : [s.label, 'n/a', '', '', '', '', s.unavailableReason!]);
  const header = ['Strategy', 'Per month', 'Requests+duration', 'Provisioned', 'SnapStart', 'Warm-ups', 'Requests paying a cold start'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 1 && i <= 5 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [
    `Monthly cost, ${e.region} ${e.architecture}, ${e.memorySize} MB, ${fmtNum(e.requestsPerMonth)} requests/month `
      + `(prices read ${e.pricesReadOn} from ${e.priceSource})`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n') + '\n';
}
