import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { ColdStartCost, ColdStartCostEstimate, LambdaPriceOverrides, strategiesOf, TrafficProfile } from './estimate';
import { ColdStartConfigError } from '../shared/errors';

/** Node metadata type under which a function's cost estimate is recorded (cdk.out manifest). */
export const COST_ESTIMATE_METADATA_TYPE = 'cdk-python-coldstart:cost-estimate';

/**
 * Opt-in cost estimate of an OptimizedPythonFunction at synth: the monthly cost of each cold-start
 * strategy for this traffic, with the function's memory, architecture and region.
 */
export interface FunctionCostEstimateOptions {
  /** The traffic the function serves. */
  readonly traffic: TrafficProfile;

  /**
   * Region whose prices apply.
   *
   * @default - the stack's region when it is known at synth, else us-east-1
   */
  readonly region?: string;

  /**
   * Your own prices.
   *
   * @default - the table in the package
   */
  readonly prices?: LambdaPriceOverrides;

  /**
   * Billed init duration of a new on-demand environment (e.g. the init profile's median, scaled to Lambda).
   *
   * @default Duration.millis(0) - not priced
   */
  readonly initDuration?: Duration;

  /**
   * SnapStart: published versions kept all month.
   *
   * @default 1
   */
  readonly snapStartRetainedVersions?: number;

  /**
   * SnapStart: versions published per month.
   *
   * @default 4
   */
  readonly versionsPublishedPerMonth?: number;
}

/** What the function knows about itself. Internal. */
export interface CostTarget {
  readonly memorySize: number;
  readonly architecture: lambda.Architecture;
  /** ColdStartMode value of the function (SNAP_START, PROVISIONED_CONCURRENCY, ON_DEMAND). */
  readonly strategy: string;
  /** Minimum provisioned concurrency, when the strategy is PROVISIONED_CONCURRENCY. */
  readonly provisionedConcurrency?: number;
  readonly warmupConcurrency?: number;
}

const ID = 'cdk-python-coldstart:costEstimate';

/**
 * Estimates the function's monthly cost per strategy and reports it on `scope`: an info annotation
 * with the side-by-side table (the function's own strategy marked) and a metadata entry. Internal:
 * called by OptimizedPythonFunction when `costEstimate` is set.
 */
export function reportCostAtSynth(scope: IConstruct, options: FunctionCostEstimateOptions, target: CostTarget): ColdStartCostEstimate {
  const stackRegion = Stack.of(scope).region;
  const region = options.region ?? (Token.isUnresolved(stackRegion) ? 'us-east-1' : stackRegion);
  let estimate: ColdStartCostEstimate;
  try {
    estimate = ColdStartCost.estimate({
      traffic: options.traffic,
      memorySize: target.memorySize,
      architecture: target.architecture,
      region,
      prices: options.prices,
      initDuration: options.initDuration,
      snapStartRetainedVersions: options.snapStartRetainedVersions,
      versionsPublishedPerMonth: options.versionsPublishedPerMonth,
      provisionedConcurrency: literal(target.provisionedConcurrency),
      warmupConcurrency: literal(target.warmupConcurrency),
    });
  } catch (e) {
    throw new ColdStartConfigError(scope, 'costEstimate', (e as Error).message.replace(/^ColdStartCost: /, ''),
      'The cost model prices requests, GB-seconds and environments: each input is a real, non-negative quantity',
      'set the traffic and settings to the values you expect (see docs/cost.md)');
  }
  const own = ownStrategy(target.strategy);
  const lines = strategiesOf(estimate).map((s) => `${s.strategy === own ? '* ' : '  '}${s.label}: `
    + (s.available ? `$${s.monthlyCost.toFixed(2)}/month, ${s.coldStartsPerMonth.toLocaleString('en-US')} requests/month pay ${s.coldStartPhase === 'restore' ? 'a restore' : 'an init'}`
      : `n/a (${s.unavailableReason})`));
  Annotations.of(scope).addInfoV2(ID, `Cost estimate (${estimate.region} ${estimate.architecture}, ${estimate.memorySize} MB, `
    + `${estimate.requestsPerMonth.toLocaleString('en-US')} requests/month, prices read ${estimate.pricesReadOn}; * = this function's strategy): `
    + lines.join('; '));
  scope.node.addMetadata(COST_ESTIMATE_METADATA_TYPE, {
    region: estimate.region,
    architecture: estimate.architecture,
    memorySize: estimate.memorySize,
    strategy: own,
    pricesReadOn: estimate.pricesReadOn,
    strategies: strategiesOf(estimate).map((s) => ({
      strategy: s.strategy, available: s.available, monthlyCost: s.monthlyCost, coldStartsPerMonth: s.coldStartsPerMonth,
    })),
  });
  return estimate;
}

function literal(n: number | undefined): number | undefined {
  return n === undefined || Token.isUnresolved(n) ? undefined : n;
}

function ownStrategy(mode: string): string {
  return mode === 'SNAP_START' ? 'snapstart' : mode === 'PROVISIONED_CONCURRENCY' ? 'provisioned-concurrency' : 'on-demand';
}
