import { TimeZone, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { scheduleExpressionProblem } from './schedule-expression';
import { AWS_RULES, RULE_MINIMUMS } from '../shared/aws-rules';
import { ColdStartConfigError } from '../shared/errors';

/**
 * How a function avoids cold starts.
 */
export enum ColdStartMode {
  /** SnapStart on published versions: init runs once per version, environments restore from a snapshot. */
  SNAP_START = 'SNAP_START',
  /** Provisioned concurrency on the alias, auto-scaled by Application Auto Scaling. */
  PROVISIONED_CONCURRENCY = 'PROVISIONED_CONCURRENCY',
  /** Neither: every new execution environment runs the full init. */
  ON_DEMAND = 'ON_DEMAND',
}

/**
 * A scheduled change of the provisioned concurrency range (for example: more before business hours).
 */
export interface ProvisionedConcurrencySchedule {
  /**
   * A name for the scheduled action, unique per alias.
   */
  readonly name: string;

  /**
   * When the action runs (cron or rate).
   */
  readonly schedule: appscaling.Schedule;

  /**
   * The new minimum provisioned concurrency.
   *
   * @default - minimum unchanged
   */
  readonly minCapacity?: number;

  /**
   * The new maximum provisioned concurrency.
   *
   * @default - maximum unchanged
   */
  readonly maxCapacity?: number;

  /**
   * The time zone of a cron schedule, e.g. `TimeZone.EUROPE_PARIS`.
   *
   * @default - UTC
   */
  readonly timeZone?: TimeZone;
}

/**
 * Provisioned concurrency for an alias, auto-scaled with target tracking on
 * `LambdaProvisionedConcurrencyUtilization`.
 */
export interface ProvisionedConcurrencyOptions {
  /**
   * Provisioned environments kept ready at all times (at least 1).
   */
  readonly minCapacity: number;

  /**
   * The most provisioned environments auto scaling may allocate.
   */
  readonly maxCapacity: number;

  /**
   * Target utilization of the provisioned environments, between 0.1 and 0.9. AWS's own example uses 0.7:
   * scaling out before the pool is exhausted keeps requests from spilling over to cold on-demand environments.
   *
   * @default 0.7
   */
  readonly utilizationTarget?: number;

  /**
   * Scheduled changes of the min/max range.
   *
   * @default - none
   */
  readonly schedules?: ProvisionedConcurrencySchedule[];
}

/**
 * The cold-start strategy of an `OptimizedPythonFunction`. Choose one with the static factories.
 */
export class ColdStartStrategy {
  /**
   * SnapStart on published versions (the default). Init runs once when a version is published; new
   * environments restore from the snapshot. Billed for Python: a cache charge per active version and a
   * charge per restore. Cannot be combined with provisioned concurrency, EFS or ephemeral storage above 512 MB.
   */
  public static snapStart(): ColdStartStrategy {
    return new ColdStartStrategy(ColdStartMode.SNAP_START);
  }

  /**
   * Provisioned concurrency on the alias (never on `$LATEST`), auto-scaled between `minCapacity` and
   * `maxCapacity` by target tracking on utilization, with optional schedules. SnapStart stays off.
   */
  public static provisionedConcurrency(options: ProvisionedConcurrencyOptions): ColdStartStrategy {
    return new ColdStartStrategy(ColdStartMode.PROVISIONED_CONCURRENCY, options);
  }

  /**
   * Neither SnapStart nor provisioned concurrency (pair it with a warmup schedule or accept cold starts).
   */
  public static onDemand(): ColdStartStrategy {
    return new ColdStartStrategy(ColdStartMode.ON_DEMAND);
  }

  /**
   * The chosen mode.
   */
  public readonly mode: ColdStartMode;

  /**
   * Provisioned concurrency of the default alias, for `PROVISIONED_CONCURRENCY`.
   *
   * @default - none
   */
  public readonly provisionedConcurrencyOptions?: ProvisionedConcurrencyOptions;

  private constructor(mode: ColdStartMode, provisionedConcurrency?: ProvisionedConcurrencyOptions) {
    this.mode = mode;
    this.provisionedConcurrencyOptions = provisionedConcurrency;
  }
}

/**
 * Default target from AWS's own example.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html
 */
export const DEFAULT_UTILIZATION_TARGET = 0.7;

function known(n: number | undefined): n is number {
  return n !== undefined && !Token.isUnresolved(n);
}

/** A known value that is not a whole number >= min (NaN included). */
function notWhole(n: number | undefined, min: number): n is number {
  return known(n) && !(Number.isInteger(n) && n >= min);
}

/** Characters Application Auto Scaling refuses in a scheduled action name (AWS_RULES.SCHEDULED_ACTION_NAME). */
// eslint-disable-next-line no-control-regex
const BAD_ACTION_NAME_CHARS = /[\u0000-\u001f\u007f-\u009f:/|]/;

/**
 * Validates provisioned-concurrency settings. Tokens are skipped: only what is known is checked.
 * @internal
 */
export function validateProvisionedConcurrency(scope: IConstruct, property: string, pc: ProvisionedConcurrencyOptions): void {
  const { minCapacity, maxCapacity } = pc;
  const capacity = AWS_RULES.PROVISIONED_CAPACITY;
  if (notWhole(minCapacity, RULE_MINIMUMS.PROVISIONED_CAPACITY)) {
    throw ColdStartConfigError.forRule(scope, `${property}.minCapacity`, `is ${minCapacity}`, capacity,
      'set minCapacity to a whole number >= 1, or use ColdStartStrategy.onDemand() for no provisioned concurrency');
  }
  if (notWhole(maxCapacity, RULE_MINIMUMS.PROVISIONED_CAPACITY)) {
    throw ColdStartConfigError.forRule(scope, `${property}.maxCapacity`, `is ${maxCapacity}`, capacity,
      `set maxCapacity to a whole number >= ${known(minCapacity) ? minCapacity : 1}`);
  }
  if (known(minCapacity) && known(maxCapacity) && minCapacity > maxCapacity) {
    throw ColdStartConfigError.forRule(scope, `${property}.minCapacity`, `(${minCapacity}) is above maxCapacity (${maxCapacity})`, capacity,
      `set maxCapacity >= ${minCapacity}`);
  }
  const t = pc.utilizationTarget;
  const targetRule = AWS_RULES.PROVISIONED_UTILIZATION_TARGET;
  if (known(t) && !(t >= RULE_MINIMUMS.PROVISIONED_UTILIZATION_TARGET && t <= targetRule.limit!)) {
    throw ColdStartConfigError.forRule(scope, `${property}.utilizationTarget`, `is ${t}`, targetRule);
  }
  const names = new Set<string>();
  for (const s of pc.schedules ?? []) {
    validateSchedule(scope, property, s, names);
  }
}

function validateSchedule(scope: IConstruct, property: string, s: ProvisionedConcurrencySchedule, names: Set<string>): void {
  const nameRule = AWS_RULES.SCHEDULED_ACTION_NAME;
  if (!Token.isUnresolved(s.name)) {
    if (names.has(s.name)) {
      throw ColdStartConfigError.forRule(scope, `${property}.schedules`, `two schedules are named '${s.name}'`, nameRule,
        'give every schedule a unique name');
    }
    names.add(s.name);
    if (s.name.length < 1 || s.name.length > nameRule.limit! || BAD_ACTION_NAME_CHARS.test(s.name) || s.name !== s.name.trim()) {
      throw ColdStartConfigError.forRule(scope, `${property}.schedules['${s.name}'].name`,
        s.name.length > nameRule.limit! ? `is ${s.name.length} characters long` : `'${s.name}' is not a valid scheduled action name`, nameRule);
    }
  }
  const where = `${property}.schedules['${s.name}']`;
  const change = AWS_RULES.SCHEDULED_ACTION_CHANGE;
  if (s.minCapacity === undefined && s.maxCapacity === undefined) {
    throw ColdStartConfigError.forRule(scope, where, 'sets neither minCapacity nor maxCapacity', change, 'set minCapacity, maxCapacity or both');
  }
  if (notWhole(s.minCapacity, RULE_MINIMUMS.PROVISIONED_CAPACITY)) {
    throw ColdStartConfigError.forRule(scope, `${where}.minCapacity`, `is ${s.minCapacity}`, change, 'set minCapacity to a whole number >= 1');
  }
  if (notWhole(s.maxCapacity, RULE_MINIMUMS.PROVISIONED_CAPACITY)) {
    throw ColdStartConfigError.forRule(scope, `${where}.maxCapacity`, `is ${s.maxCapacity}`, change, 'set maxCapacity to a whole number >= 1');
  }
  if (known(s.minCapacity) && known(s.maxCapacity) && s.minCapacity > s.maxCapacity) {
    throw ColdStartConfigError.forRule(scope, `${where}.minCapacity`, `(${s.minCapacity}) is above maxCapacity (${s.maxCapacity})`, change,
      `set maxCapacity >= ${s.minCapacity}`);
  }
  const expression = s.schedule.expressionString;
  if (!Token.isUnresolved(expression)) {
    const problem = scheduleExpressionProblem(expression);
    if (problem) {
      throw ColdStartConfigError.forRule(scope, `${where}.schedule`, problem, AWS_RULES.SCHEDULE_EXPRESSION);
    }
  }
}

/**
 * The most provisioned concurrency an alias can reach: its maxCapacity or any schedule's raised minimum or
 * maximum. Undefined when a value is a token.
 * @internal
 */
export function peakProvisionedConcurrency(pc: ProvisionedConcurrencyOptions): number | undefined {
  const values = [pc.maxCapacity, ...(pc.schedules ?? []).flatMap((s) => [s.minCapacity, s.maxCapacity])]
    .filter((v): v is number => v !== undefined);
  return values.some((v) => Token.isUnresolved(v)) ? undefined : Math.max(...values);
}

/**
 * Registers an alias with Application Auto Scaling: namespace `lambda`, dimension
 * `lambda:function:ProvisionedConcurrency`, target tracking on `LambdaProvisionedConcurrencyUtilization`
 * (CDK renders all of it from `alias.addAutoScaling`).
 *
 * Application Auto Scaling is the only owner of the alias' provisioned concurrency: the alias itself gets no
 * `ProvisionedConcurrencyConfig` (aws-cdk#29992, #30503, #31507: with both,
 * CloudFormation and Application Auto Scaling fight over the value, a deploy during a scheduled scale-up resets
 * it, and updates drift or fail). Registering the scalable target provisions MinCapacity on the first deploy.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html
 * @internal
 */
export function addProvisionedConcurrencyScaling(alias: lambda.Alias, pc: ProvisionedConcurrencyOptions): lambda.IScalableFunctionAttribute {
  const scaling = alias.addAutoScaling({ minCapacity: pc.minCapacity, maxCapacity: pc.maxCapacity });
  scaling.scaleOnUtilization({ utilizationTarget: pc.utilizationTarget ?? DEFAULT_UTILIZATION_TARGET });
  for (const s of pc.schedules ?? []) {
    scaling.scaleOnSchedule(s.name, {
      schedule: s.schedule,
      minCapacity: s.minCapacity,
      maxCapacity: s.maxCapacity,
      timeZone: s.timeZone,
    });
  }
  return scaling;
}
