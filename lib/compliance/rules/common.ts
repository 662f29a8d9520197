/** Shared helpers for rules. Internal. */
import { AwsRule, ruleText } from '../../shared/aws-rules';
import { FunctionView, notApplicable, ProvisionedView, RuleOutcome, unknown } from '../engine/model';
import { isUnresolved, Unresolved } from '../engine/values';

/** A Python runtime: python2.7 (major 2) or python3.N. */
export interface PythonVersion {
  readonly major: number;
  readonly minor: number;
}

/** `python2.7` / `python3.12`; undefined for other families. */
export function parsePython(runtime: string): PythonVersion | undefined {
  const m = /^python([23])\.(\d+)$/.exec(runtime);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** Older than python3.12 (SnapStart's minimum). */
export function beforePython312(v: PythonVersion): boolean {
  return v.major < 3 || v.minor < 12;
}

export function pythonName(v: PythonVersion): string {
  return `python${v.major}.${v.minor}`;
}

/**
 * The Python version of the function; `Unresolved` for tokens. Returns a NOT_APPLICABLE outcome for
 * non-Python functions (other runtimes, container images whose base image is not Python).
 */
export function pythonVersion(fn: FunctionView): PythonVersion | Unresolved | RuleOutcome {
  if (isUnresolved(fn.runtime)) {
    return fn.runtime;
  }
  const v = fn.runtime !== undefined ? parsePython(fn.runtime) : undefined;
  if (!v) {
    return notApplicable(`not a Python function (runtime ${fn.runtime ?? 'none: container image'})`);
  }
  return v;
}

/**
 * The Python version, or the outcomes to return instead: UNKNOWN naming the property when the
 * runtime is a token, NOT_APPLICABLE for non-Python functions.
 */
export function pythonVersionOrOutcomes(fn: FunctionView): PythonVersion | RuleOutcome[] {
  const v = pythonVersion(fn);
  if (isUnresolved(v)) {
    return [unknown(v)];
  }
  return 'status' in v ? [v] : v;
}

/** NOT_APPLICABLE outcome for non-Python functions; undefined for Python or unresolved runtimes. */
export function notPython(fn: FunctionView): RuleOutcome | undefined {
  const v = pythonVersion(fn);
  return !isUnresolved(v) && 'status' in v ? v : undefined;
}

/**
 * Why nobody waits for this function's cold start: the library's fan-out warmer, or a function that
 * only runs at deploy time (custom-resource provider, macro). undefined: on the request path.
 */
export function offRequestPathReason(fn: FunctionView): string | undefined {
  if (fn.deployTime) {
    return `deploy-time function (${fn.deployTime})`;
  }
  return fn.fanOutWarmer ? 'fan-out warmer' : undefined;
}

/** NOT_APPLICABLE for latency and cost rules on functions whose cold start is off the request path. */
export function offRequestPath(fn: FunctionView): RuleOutcome | undefined {
  const why = offRequestPathReason(fn);
  return why ? notApplicable(`${why}: its own cold start is off the request path`) : undefined;
}

/** Provisioned concurrency that is (or may be) there: executions above 0, or unresolved. */
export function activeProvisioned(fn: FunctionView): ProvisionedView[] {
  return fn.provisioned.filter((p) => isUnresolved(p.executions) || (typeof p.executions === 'number' && p.executions > 0)
    || (p.source === 'scalable-target' && p.executions === undefined));
}

/** How a provisioned-concurrency source reads in a message. */
export function describeProvisioned(p: ProvisionedView): string {
  const n = typeof p.executions === 'number' ? `${p.executions} provisioned concurrent executions` : 'provisioned concurrency';
  switch (p.source) {
    case 'scalable-target':
      return `the scalable target ${p.path} provisions ${typeof p.executions === 'number' ? `at least ${p.executions} (MinCapacity)` : 'concurrency'}`;
    case 'sam-function':
      return `ProvisionedConcurrencyConfig sets ${n}`;
    default:
      return `${p.source} ${p.path} has ${n}`;
  }
}

/** The catalogue's rule with its documentation link, for messages. */
export function cite(r: AwsRule): string {
  return ruleText(r);
}

export function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function sample(list: string[], n = 3): string {
  return list.slice(0, n).join(', ') + (list.length > n ? `, ... (${list.length - n} more)` : '');
}
