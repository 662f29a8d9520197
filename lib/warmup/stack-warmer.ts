import * as path from 'path';
import { Annotations, CustomResource, Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { WarmupOptions } from './options';
import {
  checkReservedConcurrency, detectProvisionedConcurrency, LINGER_KEY, PREWARM_SERVICE_TIMEOUT, resolveWarmupOptions,
  WARMUP_MARKER_KEY,
} from './validation';
import { AWS_RULES } from '../shared/aws-rules';
import { ColdStartConfigError } from '../shared/errors';

/** assets/warmer, from lib/warmup (source and compiled .js alike). */
const WARMER_ASSET_DIR = path.join(__dirname, '..', '..', 'assets', 'warmer');
/** The construct id of the warmer created per stack on first use. */
const STACK_WARMER_ID = 'ColdStartWarmer';
/** Marks an event that carries its targets (assets/warmer/index.py TARGETS_KEY / TARGETS_VALUE). */
const TARGETS_KEY = 'cdk-python-coldstart-warmer';
const TARGETS_VALUE = 'targets';
/** Upper bound of a deployed alias ARN without its alias name: arn:aws-us-gov:lambda:<region>:<account>:function:<64>. */
const MAX_FUNCTION_ARN_CHARS = 'arn:aws-us-gov:lambda:'.length + 20 + 1 + 12 + ':function:'.length + 64;
/** Characters counted for each token inside a payload (its deployed value is unknown at synth). */
const TOKEN_CHARS = 256;
/** Room left in each rule input for the wrapper object. */
const INPUT_WRAPPER_CHARS = 100;
/** One warmer per stack. */
const WARMERS = new WeakMap<Stack, StackWarmer>();

/**
 * Props of `StackWarmer`.
 */
export interface StackWarmerProps {
  /**
   * Retention of the warmer's log group.
   *
   * @default logs.RetentionDays.ONE_WEEK
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * An alias for the stack's warmer to keep warm.
 */
export interface StackWarmerTarget extends WarmupOptions {
  /**
   * The alias to keep warm. Warm-up invocations and the `lambda:InvokeFunction` permission use its
   * qualified ARN only, never `$LATEST` or the unqualified function.
   */
  readonly alias: lambda.IAlias;

  /**
   * Whether provisioned concurrency covers the alias. With provisioned concurrency a warmer only
   * adds cost, so the alias is skipped (with a warning) unless `force` is set.
   *
   * @default - detected from the alias (provisioned concurrency or auto scaling)
   */
  readonly provisionedConcurrencyCovered?: boolean;
}

interface Entry {
  readonly alias: lambda.IAlias;
  readonly concurrency: number;
  readonly lingerMs: number;
  readonly payload: { [key: string]: any };
  readonly chars: number;
  readonly prewarm: boolean;
}

interface RuleInput {
  readonly entries: Entry[];
  chars: number;
}

interface ScheduleRule {
  readonly rule: events.Rule;
  readonly inputs: RuleInput[];
}

/**
 * One fan-out warmer for a whole stack, like serverless-plugin-warmup's one warmer per service:
 * a single Lambda function (Python 3.12, arm64, outside any VPC, its own role) invokes every warmed
 * alias of the stack, each with its own concurrency, linger and payload, on one EventBridge rule per
 * schedule. `lambda:InvokeFunction` is granted on those alias ARNs only.
 *
 * The targets travel in the rules' inputs (several inputs of at most 8192 characters per rule, several
 * rules per schedule if needed), not in the warmer's environment (4 KB in all), so one warmer scales
 * to every function of a stack. Aliases with `prewarmOnDeploy` are warmed after each deployment by one
 * custom resource for the stack, which warms only the aliases whose version or settings changed.
 *
 * `OptimizedPythonFunction`'s `warmup` uses `StackWarmer.of(this)`.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
 */
export class StackWarmer extends Construct {
  /** Environment variable that marks the stack warmer (its targets come in each event). */
  public static readonly MARKER_ENV_VAR = 'CDK_PYTHON_COLDSTART_WARMER';

  /**
   * The stack's warmer, created on first use at `<stack>/ColdStartWarmer`.
   *
   * @param scope any construct in the stack
   */
  public static of(scope: IConstruct): StackWarmer {
    const stack = Stack.of(scope);
    return WARMERS.get(stack) ?? new StackWarmer(stack, STACK_WARMER_ID);
  }

  /** The fan-out warmer function. */
  public readonly warmerFunction: lambda.Function;

  /** The warmer's role: writes its own logs and invokes the target aliases, nothing else. */
  public readonly role: iam.Role;

  /** Retention of the warmer's log group. */
  public readonly logRetention: logs.RetentionDays;

  private readonly invokePolicies: { statement: iam.PolicyStatement; chars: number }[] = [];
  private readonly entries: Entry[] = [];
  private readonly schedules = new Map<string, ScheduleRule[]>();
  private readonly ruleIds = new Set<string>();
  private prewarmResource?: CustomResource;

  constructor(scope: Construct, id: string, props: StackWarmerProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const other = WARMERS.get(stack);
    if (other) {
      throw new Error(`${this.node.path}: stack ${stack.node.path} already has a warmer (${other.node.path}); a stack has one. ` +
        'Create it with new StackWarmer(stack, ...) before the functions, or get it with StackWarmer.of(scope).');
    }
    WARMERS.set(stack, this);
    this.logRetention = props.logRetention ?? logs.RetentionDays.ONE_WEEK;
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: this.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'cdk-python-coldstart stack warmer: invokes the warmed aliases of its stack',
    });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }));

    this.warmerFunction = new lambda.Function(this, 'Function', {
      description: 'cdk-python-coldstart stack warmer (fan-out)',
      runtime: lambda.Runtime.PYTHON_3_12,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(WARMER_ASSET_DIR, { exclude: ['__pycache__', '*.pyc'] }),
      // boto3 comes from the managed runtime; up to 100 invocations in flight at once.
      memorySize: 512,
      // Cold targets (init) plus linger, in waves of 100 invocations; a prewarm answers CloudFormation
      // within this time (it keeps 8 s for the response and retries the PUT until 0.5 s before the end).
      timeout: Duration.seconds(60),
      role: this.role,
      logGroup,
      // No vpc: a warmer in a VPC without a Lambda endpoint times out (aws-facts: Warmers).
      retryAttempts: 0,
      environment: { [StackWarmer.MARKER_ENV_VAR]: 'stack' },
    });
  }

  /** The aliases warmed, in the order they were added. */
  public get aliases(): lambda.IAlias[] {
    return this.entries.map((e) => e.alias);
  }

  /** The schedule rules (one per schedule expression; more when a schedule has many targets). */
  public get rules(): events.Rule[] {
    return [...this.schedules.values()].flatMap((rs) => rs.map((r) => r.rule));
  }

  /**
   * The custom resource that warms changed aliases after each deployment.
   *
   * @default - none unless a target sets `prewarmOnDeploy`
   */
  public get prewarm(): CustomResource | undefined {
    return this.prewarmResource;
  }

  /**
   * Keeps an alias warm. Returns false (with a warning) when provisioned concurrency covers the alias
   * and `force` is not set.
   *
   * @param target the alias and how to warm it
   * @param propertyPrefix prefix of property names in error messages (e.g. `warmup.`)
   */
  public addTarget(target: StackWarmerTarget, propertyPrefix?: string): boolean {
    const resolved = resolveWarmupOptions(target, propertyPrefix ?? '');
    const scope = target.alias;
    for (const w of resolved.warnings) {
      Annotations.of(scope).addWarningV2('cdk-python-coldstart:warmup-linger', w);
    }
    checkReservedConcurrency(scope, target.alias, resolved.concurrency, resolved.concurrencyKnown);
    if (!resolved.concurrencyKnown) {
      throw new ColdStartConfigError(scope, `${propertyPrefix ?? ''}concurrency`, 'is a token',
        'the stack warmer writes each alias\'s concurrency into its schedule rule at synth time',
        'use a number from 1 to 50 (or an AliasWarmer, which reads a token concurrency from its environment)');
    }
    const covered = target.provisionedConcurrencyCovered ?? detectProvisionedConcurrency(target.alias);
    if (covered && !resolved.force) {
      Annotations.of(scope).addWarningV2('cdk-python-coldstart:warmup-skipped-provisioned-concurrency',
        `Not warmed: provisioned concurrency covers alias ${target.alias.node.path}, its environments are already ` +
        'initialised and kept ready, so warm-up invocations would only add cost. To warm anyway (e.g. extra environments ' +
        'beyond the provisioned ones), set force: true.');
      return false;
    }
    if (this.entries.some((e) => e.alias === target.alias)) {
      throw new ColdStartConfigError(scope, `${propertyPrefix ?? ''}alias`, `alias ${target.alias.node.path} is already warmed by this stack's warmer`,
        'one warm-up entry per alias keeps its concurrency unambiguous', 'add each alias once');
    }
    const { [WARMUP_MARKER_KEY]: _marker, [LINGER_KEY]: _linger, ...payload } = resolved.event;
    const entry: Entry = {
      alias: target.alias,
      concurrency: resolved.concurrency,
      lingerMs: resolved.lingerMs,
      payload,
      chars: entryChars(target.alias, resolved.concurrency, resolved.lingerMs, payload),
      prewarm: resolved.prewarmOnDeploy,
    };
    this.grantInvoke(scope, target.alias, propertyPrefix ?? '');
    this.entries.push(entry);
    this.place(entry, resolved.schedule);
    if (entry.prewarm) {
      this.ensurePrewarm();
    }
    return true;
  }

  /** Puts the entry into the last input of its schedule's last rule, opening inputs and rules as needed. */
  private place(entry: Entry, schedule: events.Schedule): void {
    const budget = AWS_RULES.EVENTBRIDGE_TARGET_INPUT.limit! - INPUT_WRAPPER_CHARS;
    const key = schedule.expressionString;
    const rules = this.schedules.get(key) ?? [];
    this.schedules.set(key, rules);
    let current = rules[rules.length - 1];
    let input = current?.inputs[current.inputs.length - 1];
    if (!input || input.chars + entry.chars > budget) {
      if (!current || current.inputs.length >= AWS_RULES.EVENTBRIDGE_TARGETS_PER_RULE.limit!) {
        current = { rule: this.newRule(schedule, rules.length), inputs: [] };
        rules.push(current);
      }
      input = { entries: [], chars: 0 };
      current.inputs.push(input);
      const inputEntries = input.entries;
      // A late warm-up is worthless: no EventBridge retries, events expire after the minimum 60 s.
      current.rule.addTarget(new targets.LambdaFunction(this.warmerFunction, {
        retryAttempts: 0,
        maxEventAge: Duration.minutes(1),
        event: events.RuleTargetInput.fromObject({
          [TARGETS_KEY]: TARGETS_VALUE,
          targets: Lazy.any({ produce: () => inputEntries.map((e) => renderEntry(e)) }),
        }),
      }));
    }
    input.entries.push(entry);
    input.chars += entry.chars;
  }

  private newRule(schedule: events.Schedule, index: number): events.Rule {
    const expr = schedule.expressionString;
    const base = Token.isUnresolved(expr) ? 'Schedule' : `Schedule${expr.replace(/[^A-Za-z0-9]/g, '').slice(0, 48)}`;
    let id = index === 0 ? base : `${base}${index + 1}`;
    for (let n = 2; this.ruleIds.has(id); n++) {
      id = `${base}x${n}`;
    }
    this.ruleIds.add(id);
    return new events.Rule(this, id, {
      schedule,
      description: 'cdk-python-coldstart: keep the warmed aliases of this stack warm',
    });
  }

  private ensurePrewarm(): void {
    if (this.prewarmResource) {
      return;
    }
    // Backed by the warmer itself. Each alias's version is a property, so a deployment that publishes
    // a new version (or changes its warm-up settings) warms that alias again, and only that alias.
    this.prewarmResource = new CustomResource(this, 'Prewarm', {
      serviceToken: this.warmerFunction.functionArn,
      resourceType: 'Custom::ColdstartPrewarm',
      serviceTimeout: PREWARM_SERVICE_TIMEOUT,
      properties: {
        Targets: Lazy.any({
          produce: () => this.entries.filter((e) => e.prewarm).map((e) => ({
            ...renderEntry(e),
            p: Stack.of(this).toJsonString(e.payload),
            v: e.alias.version.version,
          })),
        }),
      },
    });
  }

  /**
   * lambda:InvokeFunction on the alias ARNs only. The ARNs go into managed policies
   * of at most 6,144 characters each (a role's inline policies total 10,240, about 70 ARNs), attached
   * to the role, so the role (and the function) exist only once the grants do.
   *
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
   */
  private grantInvoke(scope: IConstruct, alias: lambda.IAlias, prefix: string): void {
    const size = AWS_RULES.IAM_MANAGED_POLICY_SIZE;
    const chars = aliasArnChars(alias) + 4;
    let current = this.invokePolicies[this.invokePolicies.length - 1];
    if (!current || current.chars + chars > size.limit! - 300) {
      const count = AWS_RULES.IAM_ROLE_MANAGED_POLICIES;
      if (this.invokePolicies.length >= count.limit!) {
        throw ColdStartConfigError.forRule(scope, `${prefix}alias`,
          `the stack's warmer already invokes ${this.entries.length} aliases through ${count.limit} managed policies of at most ` +
          `${size.limit} characters (${size.rule})`, count);
      }
      const statement = new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'] });
      const policy = new iam.ManagedPolicy(this, this.invokePolicies.length === 0 ? 'InvokePolicy' : `InvokePolicy${this.invokePolicies.length + 1}`, {
        description: 'cdk-python-coldstart stack warmer: invoke the warmed aliases',
        statements: [statement],
      });
      this.role.addManagedPolicy(policy);
      current = { statement, chars: 0 };
      this.invokePolicies.push(current);
    }
    current.statement.addResources(alias.functionArn);
    current.chars += chars;
  }
}

/** The entry as the warmer reads it (assets/warmer/index.py parse_targets). */
function renderEntry(e: Entry): { [key: string]: any } {
  const out: { [key: string]: any } = { arn: e.alias.functionArn, n: e.concurrency, l: e.lingerMs };
  if (Object.keys(e.payload).length > 0) {
    out.p = e.payload;
  }
  return out;
}

/** The deployed length of an alias ARN, at most. */
function aliasArnChars(alias: lambda.IAlias): number {
  const arn = alias.functionArn;
  if (!Token.isUnresolved(arn)) {
    return arn.length;
  }
  const name = alias.aliasName;
  return MAX_FUNCTION_ARN_CHARS + 1 + (Token.isUnresolved(name) ? 128 : name.length);
}

/** The deployed length of an entry in a rule input, at most (tokens in the payload counted generously). */
function entryChars(alias: lambda.IAlias, concurrency: number, lingerMs: number, payload: { [key: string]: any }): number {
  const skeleton = JSON.stringify({ arn: '', n: concurrency, l: lingerMs, p: payload }) + ',';
  const tokens = (skeleton.match(/\$\{Token\[/g) ?? []).length;
  return skeleton.length + aliasArnChars(alias) + tokens * TOKEN_CHARS;
}
