import * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * How to keep a function alias warm. Used by `AliasWarmer` and by `OptimizedPythonFunction`'s
 * `warmup` prop.
 *
 * The warm-up event sent to the alias is
 * `{ "cdk-python-coldstart": "warmup", "linger_ms": <lingerMs>, ...payload }`; the runtime kit's
 * wrapper handler (`cdk_python_coldstart_runtime.wrapper.handler`) and `@warmup_aware` decorator
 * answer it before user code runs.
 */
export interface WarmupOptions {
  /**
   * How often to warm. EventBridge rules run at most once a minute: `rate(1 minute)` or a cron
   * expression firing every minute is the most frequent schedule allowed.
   *
   * @default events.Schedule.rate(Duration.minutes(5))
   */
  readonly schedule?: events.Schedule;

  /**
   * How many execution environments to keep warm: the number of overlapping warm-up invocations
   * sent on each schedule tick. 1 is sent by the schedule directly; more are sent by a small
   * fan-out warmer function. Between 1 and 50.
   *
   * @default 1
   */
  readonly concurrency?: number;

  /**
   * Extra fields merged into the warm-up event (a JSON object; values may be tokens).
   * The keys `cdk-python-coldstart` and `linger_ms` are reserved.
   *
   * @default - no extra fields
   */
  readonly payload?: { [key: string]: any };

  /**
   * How long each warm-up invocation lingers, in milliseconds (0 to 1000), so that concurrent
   * warm-up invocations overlap and Lambda has to serve them from distinct environments.
   *
   * @default - 0 when `concurrency` is 1, 100 otherwise
   */
  readonly lingerMs?: number;

  /**
   * Also warm right after each deployment that changes the alias' version (or these options),
   * through a custom resource backed by the fan-out warmer function. Best effort: it never fails
   * a deployment.
   *
   * @default false
   */
  readonly prewarmOnDeploy?: boolean;

  /**
   * Warm even when provisioned concurrency covers the alias (where a warmer only adds cost).
   *
   * @default false
   */
  readonly force?: boolean;

  /**
   * Retention of the fan-out warmer's log group (only created when `concurrency` > 1 or
   * `prewarmOnDeploy` is set).
   *
   * @default logs.RetentionDays.ONE_WEEK
   */
  readonly warmerLogRetention?: logs.RetentionDays;
}
