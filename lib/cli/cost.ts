/**
 * `cdk-python-coldstart cost`: the monthly cost of each cold-start strategy for a traffic profile,
 * side by side (the same model as ColdStartCost.estimate).
 */
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ColdStartCost, ColdStartCostProps } from '../cost/estimate';

export const COST_USAGE = `Usage: cdk-python-coldstart cost --requests-per-month N --duration-ms N [options]

Prints the monthly cost of each cold-start strategy (on demand, SnapStart, provisioned concurrency,
warmup) for a traffic profile, and how many requests still pay an init or a restore.

  --requests-per-month N     invocations per month (required)
  --duration-ms N            average billed duration of one invocation (required)
  --memory-mb N              memory (default 1024)
  --arch arm64|x86_64        architecture (default arm64)
  --region R                 region whose prices apply (default us-east-1)
  --average-concurrency N    average in-flight invocations (default: from requests and duration)
  --peak-concurrency N       daily peak (default: the average rounded up)
  --cold-starts-per-day N    new environments a day without any strategy
  --scale-outs-per-day N     bursts from average to peak a day (default 1)
  --init-ms N                billed init duration of an on-demand cold start (default 0)
  --restore-ms N             billed restore duration with SnapStart (default 0)
  --retained-versions N      SnapStart versions kept all month (default 1)
  --versions-per-month N     SnapStart versions published a month (default 4)
  --provisioned N            provisioned concurrency (default: the average rounded up)
  --provisioned-hours N      hours a day it is provisioned (default 24)
  --warmup-concurrency N     environments each warm-up round invokes (default: the average rounded up)
  --free-tier                subtract the monthly free tier (per account)
  --price-<name> USD         your own price: request-per-million, duration-per-gb-second,
                             provisioned-per-gb-second, provisioned-duration-per-gb-second,
                             snapstart-cache-per-gb-second, snapstart-restore-per-gb
  --format table|json        output (default table)
Exit codes: 0 printed, 2 usage error.`;

const NUMBER_OPTIONS: { [flag: string]: string } = {
  '--requests-per-month': 'requests',
  '--duration-ms': 'durationMs',
  '--memory-mb': 'memory',
  '--average-concurrency': 'avg',
  '--peak-concurrency': 'peak',
  '--cold-starts-per-day': 'coldPerDay',
  '--scale-outs-per-day': 'scaleOuts',
  '--init-ms': 'initMs',
  '--restore-ms': 'restoreMs',
  '--retained-versions': 'retained',
  '--versions-per-month': 'published',
  '--provisioned': 'pc',
  '--provisioned-hours': 'pcHours',
  '--warmup-concurrency': 'warm',
  '--price-request-per-million': 'requestPerMillion',
  '--price-duration-per-gb-second': 'durationPerGbSecond',
  '--price-provisioned-per-gb-second': 'provisionedPerGbSecond',
  '--price-provisioned-duration-per-gb-second': 'provisionedDurationPerGbSecond',
  '--price-snapstart-cache-per-gb-second': 'snapStartCachePerGbSecond',
  '--price-snapstart-restore-per-gb': 'snapStartRestorePerGb',
};

/** Runs the cost command; returns the exit code. */
export function runCostCommand(argv: string[], out: (t: string) => void, err: (t: string) => void): number {
  const n: { [k: string]: number } = {};
  let arch = 'arm64';
  let region: string | undefined;
  let format = 'table';
  let freeTier = false;
  const usage = (message: string) => {
    err(`error: ${message} (see cdk-python-coldstart cost --help)\n`);
    return 2;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag === '--help' || flag === '-h') {
      out(`${COST_USAGE}\n`);
      return 0;
    }
    if (flag === '--free-tier') {
      freeTier = true;
      continue;
    }
    const known = NUMBER_OPTIONS[flag] !== undefined || ['--arch', '--region', '--format'].includes(flag);
    if (!known) {
      return usage(`unknown option ${flag}`);
    }
    const value = inline ?? argv[++i];
    if (value === undefined) {
      return usage(`${flag} needs a value`);
    }
    if (flag === '--arch') {
      if (value !== 'arm64' && value !== 'x86_64') {
        return usage(`--arch must be arm64 or x86_64, got '${value}'`);
      }
      arch = value;
    } else if (flag === '--region') {
      if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(value)) {
        return usage(`--region must be a region name like us-east-1, got '${value}'`);
      }
      region = value;
    } else if (flag === '--format') {
      if (value !== 'table' && value !== 'json') {
        return usage(`--format must be table or json, got '${value}'`);
      }
      format = value;
    } else {
      // Plain decimal notation: no exponents, hex or Infinity.
      const v = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
      if (!Number.isFinite(v)) {
        return usage(`${flag} must be a number of at least 0, got '${value}'`);
      }
      n[NUMBER_OPTIONS[flag]] = v;
    }
  }
  if (n.requests === undefined || n.durationMs === undefined) {
    return usage('--requests-per-month and --duration-ms are required');
  }
  const prices: { [k: string]: number } = {};
  for (const k of ['requestPerMillion', 'durationPerGbSecond', 'provisionedPerGbSecond', 'provisionedDurationPerGbSecond', 'snapStartCachePerGbSecond', 'snapStartRestorePerGb']) {
    if (n[k] !== undefined) {
      prices[k] = n[k];
    }
  }
  const props: ColdStartCostProps = {
    traffic: {
      requestsPerMonth: n.requests,
      averageDuration: Duration.millis(n.durationMs),
      averageConcurrency: n.avg,
      peakConcurrency: n.peak,
      coldStartsPerDay: n.coldPerDay,
      scaleOutsPerDay: n.scaleOuts,
    },
    memorySize: n.memory,
    architecture: arch === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64,
    region,
    prices,
    initDuration: n.initMs !== undefined ? Duration.millis(n.initMs) : undefined,
    restoreDuration: n.restoreMs !== undefined ? Duration.millis(n.restoreMs) : undefined,
    snapStartRetainedVersions: n.retained,
    versionsPublishedPerMonth: n.published,
    provisionedConcurrency: n.pc,
    provisionedHoursPerDay: n.pcHours,
    warmupConcurrency: n.warm,
    includeFreeTier: freeTier,
  };
  let estimate;
  try {
    estimate = ColdStartCost.estimate(props);
  } catch (e) {
    return usage((e as Error).message.replace(/^ColdStartCost: /, ''));
  }
  out(format === 'json' ? `${JSON.stringify(estimate, undefined, 2)}\n` : ColdStartCost.formatTable(estimate));
  return 0;
}
