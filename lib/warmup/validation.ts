// Internal: validation and normalisation of WarmupOptions. Not exported from the package index;
// OptimizedPythonFunction may import it from '../warmup/validation' to validate its `warmup` prop
// early with its own property prefix.
import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { WarmupOptions } from './options';

/** Key and value that mark our warm-up event (assets/runtime/cdk_python_coldstart_runtime/warmup.py). */
export const WARMUP_MARKER_KEY = 'cdk-python-coldstart';
export const WARMUP_MARKER_VALUE = 'warmup';
export const LINGER_KEY = 'linger_ms';
/** Upper bound of the concurrency option (see concurrencyError). */
export const MAX_CONCURRENCY = 50;
/** Same bound as MAX_LINGER_MS in warmup.py. */
export const MAX_LINGER_MS = 1000;
/**
 * Default linger when several warm-up invocations must overlap.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 */
export const DEFAULT_LINGER_MS = 100;
/** Serialized payload budget: EventBridge target Input is at most 8192 characters and Lambda
 * environment variables (where the fan-out warmer reads it) 4 KB in total. */
export const MAX_PAYLOAD_CHARS = 2048;
/** How long CloudFormation waits for a prewarm custom resource to answer (its default is an hour). */
export const PREWARM_SERVICE_TIMEOUT = Duration.seconds(120);

/** Options with defaults applied. `concurrency`/`lingerMs` may be number tokens. */
export interface ResolvedWarmup {
  readonly schedule: events.Schedule;
  readonly concurrency: number;
  /** false when concurrency is a token: the fan-out warmer is used whatever its value. */
  readonly concurrencyKnown: boolean;
  readonly lingerMs: number;
  readonly event: { [key: string]: any };
  readonly prewarmOnDeploy: boolean;
  readonly force: boolean;
  /** Non-fatal findings, to be added as warnings on the construct. */
  readonly warnings: string[];
}

function err(prop: string, message: string): Error {
  return new Error(`${prop}: ${message}`);
}

/**
 * Validates and normalises warm-up options. Throws errors that name the property (prefixed with
 * `propPrefix`, e.g. 'warmup.'), the rule and the fix. Unresolved tokens are never inspected.
 */
export function resolveWarmupOptions(options: WarmupOptions, propPrefix = ''): ResolvedWarmup {
  const warnings: string[] = [];
  const p = (name: string) => `${propPrefix}${name}`;

  // concurrency
  const concurrency = options.concurrency ?? 1;
  const concurrencyKnown = !Token.isUnresolved(concurrency);
  if (concurrencyKnown) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw err(p('concurrency'), `must be a whole number of at least 1 (got ${concurrency}). ` +
        'It is the number of execution environments kept warm; set 1 to warm one environment, or remove the warmup to warm none.');
    }
    if (concurrency > MAX_CONCURRENCY) {
      throw err(p('concurrency'), `must be at most ${MAX_CONCURRENCY} (got ${concurrency}). ` +
        `Every warm-up tick runs ${concurrency} billed invocations from one fan-out warmer, all counted against the account's ` +
        'concurrency; keeping that many environments ready is what provisioned concurrency is for (no cold starts at all, ' +
        'auto-scaled, arm64 priced 20% lower). Use provisioned concurrency, or set concurrency to at most ' +
        `${MAX_CONCURRENCY}.`);
    }
  }

  // lingerMs
  const defaultLinger = concurrencyKnown && concurrency === 1 ? 0 : DEFAULT_LINGER_MS;
  const lingerMs = options.lingerMs ?? defaultLinger;
  if (!Token.isUnresolved(lingerMs)) {
    if (!Number.isInteger(lingerMs) || lingerMs < 0 || lingerMs > MAX_LINGER_MS) {
      throw err(p('lingerMs'), `must be a whole number of milliseconds from 0 to ${MAX_LINGER_MS} (got ${lingerMs}). ` +
        `Concurrent warm-up invocations only need to overlap (tens of ms; default ${DEFAULT_LINGER_MS}); a longer linger ` +
        'holds environments away from real requests and is billed.');
    }
    if (lingerMs === 0 && (!concurrencyKnown || concurrency > 1)) {
      warnings.push(`${p('lingerMs')} is 0 with ${p('concurrency')} ${concurrencyKnown ? concurrency : '(token)'}: warm-up ` +
        'invocations that do not linger may not overlap, so Lambda can answer them from fewer environments than ' +
        `requested. Leave lingerMs unset (default ${DEFAULT_LINGER_MS}).`);
    }
  }

  // schedule
  const schedule = options.schedule ?? events.Schedule.rate(Duration.minutes(5));
  validateSchedule(schedule, p('schedule'));

  // payload
  const event = buildEvent(options.payload, lingerMs, p('payload'));

  return {
    schedule,
    concurrency,
    concurrencyKnown,
    lingerMs,
    event,
    prewarmOnDeploy: options.prewarmOnDeploy ?? false,
    force: options.force ?? false,
    warnings,
  };
}

/** EventBridge schedule expressions: rate(N minute(s)|hour(s)|day(s)) or cron(...); never below a minute. */
export function validateSchedule(schedule: events.Schedule, prop: string): void {
  const expr = schedule.expressionString;
  if (Token.isUnresolved(expr)) {
    return;
  }
  const rate = /^rate\(\s*(\S+)\s+(\S+)\s*\)$/.exec(expr);
  if (rate) {
    const [, amount, unit] = rate;
    if (/^(second|seconds|millisecond|milliseconds)$/.test(unit)) {
      throw err(prop, `'${expr}' runs more often than once a minute. EventBridge rules run at most once a minute ` +
        '(rate units are minute(s), hour(s), day(s)). Use events.Schedule.rate(Duration.minutes(1)) at most, and raise ' +
        'concurrency to keep more environments warm.');
    }
    if (!/^(minute|minutes|hour|hours|day|days)$/.test(unit)) {
      throw err(prop, `'${expr}' has an unknown rate unit '${unit}'. EventBridge accepts minute(s), hour(s), day(s): ` +
        'build it with events.Schedule.rate(Duration.minutes(5)).');
    }
    if (!Token.isUnresolved(amount) && !/^\$\{Token/.test(amount) && !/^[1-9]\d*$/.test(amount)) {
      throw err(prop, `'${expr}' must use a whole number of at least 1 (EventBridge rejects '${amount}'). ` +
        'Use events.Schedule.rate(Duration.minutes(5)).');
    }
    return;
  }
  if (/^cron\(.+\)$/.test(expr)) {
    // The finest cron granularity is one minute: every cron expression is allowed.
    return;
  }
  throw err(prop, `'${expr}' is not an EventBridge rule schedule: use events.Schedule.rate(...) or ` +
    'events.Schedule.cron(...) (one-time at(...) schedules belong to EventBridge Scheduler, not rules).');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * Checks that `value` can be sent as JSON: no functions, symbols, bigints, undefined, non-finite
 * numbers or cycles. Tokens (strings/numbers/lists encoded by CDK, or IResolvable objects) are allowed.
 */
function checkJson(value: unknown, path: string, seen: Set<unknown>): void {
  if (Token.isUnresolved(value)) {
    return;
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new Error(`${path} is ${value}, which JSON cannot represent: use a finite number or a string.`);
      }
      return;
    case 'object':
      if (value === null) return;
      if (seen.has(value)) {
        throw new Error(`${path} refers back to itself: a warm-up payload must be plain JSON without cycles.`);
      }
      seen.add(value);
      if (Array.isArray(value)) {
        value.forEach((v, i) => checkJson(v, `${path}[${i}]`, seen));
      } else {
        for (const [k, v] of Object.entries(value as object)) {
          checkJson(v, `${path}.${k}`, seen);
        }
      }
      seen.delete(value);
      return;
    default:
      throw new Error(`${path} is ${describe(value)}, which JSON cannot represent: use strings, numbers, booleans, null, arrays or objects.`);
  }
}

/** The warm-up event: the marker, linger_ms, then the user's extra fields. */
export function buildEvent(payload: unknown, lingerMs: number, prop: string): { [key: string]: any } {
  const event: { [key: string]: any } = { [WARMUP_MARKER_KEY]: WARMUP_MARKER_VALUE, [LINGER_KEY]: lingerMs };
  if (payload === undefined) {
    return event;
  }
  if (Token.isUnresolved(payload)) {
    throw err(prop, 'is a token; it must be a literal object because its fields are merged into the warm-up event ' +
      '(its values may be tokens). Pass { key: value, ... }.');
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw err(prop, `must be a JSON object (got ${describe(payload)}): its fields are merged into the warm-up event ` +
      `${JSON.stringify(event)}. Wrap the value, e.g. { "data": <value> }.`);
  }
  for (const reserved of [WARMUP_MARKER_KEY, LINGER_KEY]) {
    if (Object.prototype.hasOwnProperty.call(payload, reserved)) {
      throw err(prop, `must not set the reserved key '${reserved}': it ` +
        (reserved === LINGER_KEY ? 'comes from lingerMs; set lingerMs instead.' : 'marks the event as a warm-up; the library sets it.'));
    }
  }
  checkJson(payload, prop, new Set());
  const merged = { ...event, ...(payload as object) };
  const size = JSON.stringify(payload).length;
  if (size > MAX_PAYLOAD_CHARS) {
    throw err(prop, `is ${size} characters as JSON; the limit is ${MAX_PAYLOAD_CHARS} (an EventBridge target input is ` +
      'at most 8192 characters and a function\'s environment variables, where the fan-out warmer reads it, 4 KB in total). ' +
      'A warm-up payload is a marker, not data: keep only the fields your handler needs to recognise it.');
  }
  return merged;
}

/** True when an Alias in this app is configured with provisioned concurrency or auto scaling. */
export function detectProvisionedConcurrency(alias: lambda.IAlias): boolean {
  const cfn = alias.node.defaultChild;
  if (cfn instanceof lambda.CfnAlias && cfn.provisionedConcurrencyConfig !== undefined) {
    return true;
  }
  // alias.addAutoScaling() adds this child (aws-cdk-lib Alias).
  return alias.node.tryFindChild('AliasScaling') !== undefined;
}

/** Warm-up invocations beyond the function's reserved concurrency are throttled. */
export function checkReservedConcurrency(scope: Construct, alias: lambda.IAlias, concurrency: number, known: boolean): void {
  if (!known) return;
  const fnNode = alias.version?.lambda?.node;
  const cfn = fnNode?.defaultChild;
  if (!(cfn instanceof lambda.CfnFunction)) return;
  const reserved = cfn.reservedConcurrentExecutions;
  if (reserved === undefined || Token.isUnresolved(reserved)) return;
  if (concurrency > reserved) {
    throw new Error(`concurrency: ${concurrency} exceeds the function's reserved concurrency (${reserved}): Lambda ` +
      `throttles invocations beyond it, so only ${reserved} environment(s) can be warm. Set concurrency to at most ` +
      `${reserved}, or raise reservedConcurrentExecutions.`);
  }
  if (concurrency === reserved) {
    Annotations.of(scope).addWarningV2('cdk-python-coldstart:warmup-reserved-concurrency',
      `concurrency ${concurrency} equals the function's reserved concurrency: while a warm-up runs (lingerMs), ` +
      'real requests to this function are throttled. Lower concurrency or raise reservedConcurrentExecutions.');
  }
}
