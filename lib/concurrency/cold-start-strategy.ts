import { TimeZone, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
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

/** Default target from AWS's own example (aws-facts: Provisioned concurrency). */
export const DEFAULT_UTILIZATION_TARGET = 0.7;

function known(n: number | undefined): n is number {
  return n !== undefined && !Token.isUnresolved(n);
}

/**
 * Validates provisioned-concurrency settings. Tokens are skipped: only what is known is checked.
 * @internal
 */
export function validateProvisionedConcurrency(scope: IConstruct, property: string, pc: ProvisionedConcurrencyOptions): void {
  const { minCapacity, maxCapacity } = pc;
  if (known(minCapacity) && (minCapacity < 1 || !Number.isInteger(minCapacity))) {
    throw new ColdStartConfigError(scope, `${property}.minCapacity`, `is ${minCapacity}`,
      'Provisioned concurrency is a whole number of environments and at least 1',
      'set minCapacity >= 1, or use ColdStartStrategy.onDemand() for no provisioned concurrency');
  }
  if (known(maxCapacity) && !Number.isInteger(maxCapacity)) {
    throw new ColdStartConfigError(scope, `${property}.maxCapacity`, `is ${maxCapacity}`,
      'Provisioned concurrency is a whole number of environments', 'set a whole number');
  }
  if (known(minCapacity) && known(maxCapacity) && minCapacity > maxCapacity) {
    throw new ColdStartConfigError(scope, `${property}.minCapacity`, `(${minCapacity}) is above maxCapacity (${maxCapacity})`,
      'Application Auto Scaling rejects a scalable target whose MinCapacity exceeds MaxCapacity',
      `set maxCapacity >= ${minCapacity}`);
  }
  const t = pc.utilizationTarget;
  if (known(t) && (t < 0.1 || t > 0.9)) {
    throw new ColdStartConfigError(scope, `${property}.utilizationTarget`, `is ${t}`,
      'Target tracking on LambdaProvisionedConcurrencyUtilization accepts 0.1 to 0.9 (CDK enforces the same range)',
      `use a value between 0.1 and 0.9; AWS's example uses ${DEFAULT_UTILIZATION_TARGET}`);
  }
  const names = new Set<string>();
  for (const s of pc.schedules ?? []) {
    if (names.has(s.name)) {
      throw new ColdStartConfigError(scope, `${property}.schedules`, `two schedules are named '${s.name}'`,
        'Each scheduled action of a scalable target needs its own name', 'give every schedule a unique name');
    }
    names.add(s.name);
    if (s.minCapacity === undefined && s.maxCapacity === undefined) {
      throw new ColdStartConfigError(scope, `${property}.schedules['${s.name}']`, 'sets neither minCapacity nor maxCapacity',
        'Application Auto Scaling rejects a scheduled action that changes nothing', 'set minCapacity, maxCapacity or both');
    }
    if (known(s.minCapacity) && s.minCapacity < 1) {
      throw new ColdStartConfigError(scope, `${property}.schedules['${s.name}'].minCapacity`, `is ${s.minCapacity}`,
        'Provisioned concurrency on an alias is at least 1', 'set minCapacity >= 1');
    }
    if (known(s.minCapacity) && known(s.maxCapacity) && s.minCapacity > s.maxCapacity) {
      throw new ColdStartConfigError(scope, `${property}.schedules['${s.name}'].minCapacity`,
        `(${s.minCapacity}) is above maxCapacity (${s.maxCapacity})`,
        'Application Auto Scaling rejects a scheduled action whose MinCapacity exceeds MaxCapacity',
        `set maxCapacity >= ${s.minCapacity}`);
    }
  }
}

/**
 * Puts provisioned concurrency on an alias and registers it with Application Auto Scaling: namespace
 * `lambda`, dimension `lambda:function:ProvisionedConcurrency`, target tracking on
 * `LambdaProvisionedConcurrencyUtilization` (aws-facts: Provisioned concurrency; CDK renders all of it from
 * `alias.addAutoScaling`).
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
