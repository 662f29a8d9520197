import * as path from 'path';
import { Annotations, CustomResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { WarmupOptions } from './options';
import {
  checkReservedConcurrency, DEFAULT_LINGER_MS, detectProvisionedConcurrency, MAX_CONCURRENCY, MAX_LINGER_MS, PREWARM_SERVICE_TIMEOUT,
  resolveWarmupOptions, WARMUP_MARKER_KEY, WARMUP_MARKER_VALUE,
} from './validation';

/** assets/warmer, from lib/warmup (source and compiled .js alike). */
const WARMER_ASSET_DIR = path.join(__dirname, '..', '..', 'assets', 'warmer');

/**
 * Properties of an `AliasWarmer`.
 */
export interface AliasWarmerProps extends WarmupOptions {
  /**
   * The alias to keep warm. Warm-up invocations and the `lambda:InvokeFunction` permission use its
   * qualified ARN only, never `$LATEST` or the unqualified function.
   */
  readonly alias: lambda.IAlias;

  /**
   * Whether provisioned concurrency covers the alias. With provisioned concurrency a warmer only
   * adds cost, so the warmer is skipped (with a warning) unless `force` is set.
   *
   * @default - detected: true when the alias (an `Alias` in this app) has a provisioned
   * concurrency configuration or auto scaling, false otherwise
   */
  readonly provisionedConcurrencyCovered?: boolean;
}

/**
 * Keeps N execution environments of a Lambda alias warm on a schedule.
 *
 * - `concurrency` 1: an EventBridge rule invokes the alias directly with the warm-up event.
 * - `concurrency` N > 1: the rule invokes a small fan-out warmer function (Python 3.12, arm64, outside
 *   any VPC, its own role) that invokes the alias N times concurrently; each warm-up invocation
 *   lingers `lingerMs` so the N invocations overlap and occupy N environments.
 *
 * The function must answer warm-up events early: use the runtime kit's wrapper handler
 * (`WarmupHandler.wrap(...)`) or its `@warmup_aware` decorator.
 *
 * @example
 * declare const alias: lambda.Alias;
 * new coldstart.AliasWarmer(this, 'Warmer', {
 *   alias,
 *   concurrency: 3,
 *   schedule: events.Schedule.rate(Duration.minutes(5)),
 * });
 */
export class AliasWarmer extends Construct {
  /** The key that marks the warm-up event; its value is `WARMUP_MARKER_VALUE`. */
  public static readonly WARMUP_MARKER_KEY = WARMUP_MARKER_KEY;
  /** The value of `WARMUP_MARKER_KEY` in the warm-up event. */
  public static readonly WARMUP_MARKER_VALUE = WARMUP_MARKER_VALUE;
  /** Fan-out warmer environment variable holding the alias ARN it warms. */
  public static readonly TARGET_ENV_VAR = 'CDK_PYTHON_COLDSTART_WARMUP_TARGET';
  /** Fan-out warmer environment variable holding the number of concurrent invocations. */
  public static readonly CONCURRENCY_ENV_VAR = 'CDK_PYTHON_COLDSTART_WARMUP_CONCURRENCY';
  /** Fan-out warmer environment variable holding the warm-up event (JSON). */
  public static readonly PAYLOAD_ENV_VAR = 'CDK_PYTHON_COLDSTART_WARMUP_PAYLOAD';
  /** Highest accepted `concurrency`. */
  public static readonly MAX_CONCURRENCY = MAX_CONCURRENCY;
  /** Highest accepted `lingerMs`. */
  public static readonly MAX_LINGER_MS = MAX_LINGER_MS;
  /** `lingerMs` used when `concurrency` > 1 and none is given. */
  public static readonly DEFAULT_LINGER_MS = DEFAULT_LINGER_MS;

  /** The alias kept warm. */
  public readonly alias: lambda.IAlias;
  /** False when the warmer was skipped because provisioned concurrency covers the alias. */
  public readonly enabled: boolean;
  /** Number of environments kept warm (may be a token). */
  public readonly concurrency: number;
  /** How long each warm-up invocation lingers, in ms. */
  public readonly lingerMs: number;
  /** The event each warm-up invocation receives. */
  public readonly warmupEvent: { [key: string]: any };
  /**
   * The schedule rule.
   *
   * @default - none when the warmer is skipped
   */
  public readonly rule?: events.Rule;
  /**
   * The fan-out warmer function.
   *
   * @default - none with concurrency 1 and no prewarm, or when skipped
   */
  public readonly warmerFunction?: lambda.Function;
  /**
   * The post-deployment prewarm custom resource.
   *
   * @default - none unless `prewarmOnDeploy`
   */
  public readonly prewarm?: CustomResource;

  constructor(scope: Construct, id: string, props: AliasWarmerProps) {
    super(scope, id);
    const resolved = resolveWarmupOptions(props);
    this.alias = props.alias;
    this.concurrency = resolved.concurrency;
    this.lingerMs = resolved.lingerMs;
    this.warmupEvent = resolved.event;
    for (const w of resolved.warnings) {
      Annotations.of(this).addWarningV2('cdk-python-coldstart:warmup-linger', w);
    }
    checkReservedConcurrency(this, props.alias, resolved.concurrency, resolved.concurrencyKnown);

    // aws-facts (Warmers): with provisioned concurrency covering the alias, a warmer only adds cost.
    const covered = props.provisionedConcurrencyCovered ?? detectProvisionedConcurrency(props.alias);
    if (covered && !resolved.force) {
      this.enabled = false;
      Annotations.of(this).addWarningV2('cdk-python-coldstart:warmup-skipped-provisioned-concurrency',
        `Warmer not created: provisioned concurrency covers alias ${props.alias.node.path}, its environments are ` +
        'already initialised and kept ready, so warm-up invocations would only add cost. To warm anyway (e.g. extra ' +
        'environments beyond the provisioned ones), set force: true.');
      return;
    }
    this.enabled = true;

    const fanOut = !resolved.concurrencyKnown || resolved.concurrency > 1;
    if (fanOut || resolved.prewarmOnDeploy) {
      this.warmerFunction = this.createWarmerFunction(props, resolved.concurrency, resolved.event);
    }

    this.rule = new events.Rule(this, 'Schedule', {
      schedule: resolved.schedule,
      description: `cdk-python-coldstart: keep ${fanOut ? resolved.concurrency : 1} environment(s) of a Lambda alias warm`,
    });
    // A late warm-up is worthless: no EventBridge retries, events expire after the minimum 60 s.
    const targetOptions = { retryAttempts: 0, maxEventAge: Duration.minutes(1) };
    if (fanOut) {
      this.rule.addTarget(new targets.LambdaFunction(this.warmerFunction!, targetOptions));
    } else {
      // Target the alias itself (qualified ARN), never $LATEST (aws-facts: Warmers).
      this.rule.addTarget(new targets.LambdaFunction(props.alias, {
        ...targetOptions,
        event: events.RuleTargetInput.fromObject(resolved.event),
      }));
    }

    if (resolved.prewarmOnDeploy) {
      // Backed by the warmer function itself: CloudFormation invokes it as the service token, it
      // fans out and always answers SUCCESS. The alias' version is a property, so a deployment
      // that publishes a new version (or changes these options) warms again. `Target` references
      // the alias and the warmer depends on its role's policy, so both exist before the prewarm.
      this.prewarm = new CustomResource(this, 'Prewarm', {
        serviceToken: this.warmerFunction!.functionArn,
        resourceType: 'Custom::ColdstartPrewarm',
        // The warmer answers within its own 30 s timeout (it retries the response PUT until shortly
        // before it); if it never does, the stack fails after this, not after CloudFormation's hour.
        serviceTimeout: PREWARM_SERVICE_TIMEOUT,
        properties: {
          Target: props.alias.functionArn,
          Version: props.alias.version.version,
          Concurrency: resolved.concurrency,
          Event: Stack.of(this).toJsonString(resolved.event),
        },
      });
    }
  }

  private createWarmerFunction(props: AliasWarmerProps, concurrency: number, event: { [key: string]: any }): lambda.Function {
    const logGroup = new logs.LogGroup(this, 'WarmerLogs', {
      retention: props.warmerLogRetention ?? logs.RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Own least-privilege role: write its own logs, invoke the alias ARN and nothing else.
    const role = new iam.Role(this, 'WarmerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'cdk-python-coldstart fan-out warmer: invokes one alias',
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }));
    // aws-facts (Warmers): grant lambda:InvokeFunction on the alias ARN only.
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['lambda:InvokeFunction'],
      resources: [props.alias.functionArn],
    }));

    const fn = new lambda.Function(this, 'Warmer', {
      description: 'cdk-python-coldstart fan-out warmer',
      runtime: lambda.Runtime.PYTHON_3_12,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(WARMER_ASSET_DIR, { exclude: ['__pycache__', '*.pyc'] }),
      // boto3 comes from the managed runtime: the warmer has no dependencies to bundle.
      memorySize: 256,
      // 30 s covers cold targets (init) plus linger; the warmer stops waiting 3 s before it.
      timeout: Duration.seconds(30),
      role,
      logGroup,
      // No vpc: a warmer in a VPC without a Lambda endpoint times out (aws-facts: Warmers).
      retryAttempts: 0,
      environment: {
        [AliasWarmer.TARGET_ENV_VAR]: props.alias.functionArn,
        [AliasWarmer.CONCURRENCY_ENV_VAR]: Token.isUnresolved(concurrency) ? Token.asString(concurrency) : String(concurrency),
        [AliasWarmer.PAYLOAD_ENV_VAR]: Stack.of(this).toJsonString(event),
      },
    });
    return fn;
  }
}
