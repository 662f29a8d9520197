/** Shared helpers for rules. Internal. */
import { FunctionView, notApplicable, RuleOutcome, unknown } from '../engine/model';
import { isUnresolved, Unresolved } from '../engine/values';

/**
 * Minor version of a `python3.N` runtime; `Unresolved` for tokens. Returns a NOT_APPLICABLE
 * outcome for non-Python functions (other runtimes, container images without Runtime).
 */
export function pythonMinor(fn: FunctionView): number | Unresolved | RuleOutcome {
  if (isUnresolved(fn.runtime)) {
    return fn.runtime;
  }
  const m = fn.runtime !== undefined ? /^python3\.(\d+)$/.exec(fn.runtime) : null;
  if (!m) {
    return notApplicable(`not a Python function (runtime ${fn.runtime ?? 'none: container image'})`);
  }
  return Number(m[1]);
}

/**
 * The Python minor version, or the outcomes to return instead: UNKNOWN naming the property when the
 * runtime is a token, NOT_APPLICABLE for non-Python functions.
 */
export function pythonMinorOrOutcomes(fn: FunctionView): number | RuleOutcome[] {
  const minor = pythonMinor(fn);
  if (isUnresolved(minor)) {
    return [unknown(minor)];
  }
  return typeof minor === 'object' ? [minor] : minor;
}

/** NOT_APPLICABLE outcome for non-Python functions; undefined for Python or unresolved runtimes. */
export function notPython(fn: FunctionView): RuleOutcome | undefined {
  const m = pythonMinor(fn);
  return typeof m === 'object' && !isUnresolved(m) ? m : undefined;
}

/** NOT_APPLICABLE for latency rules on the library's fan-out warmer: nobody waits for its cold start. */
export function offRequestPath(fn: FunctionView): RuleOutcome | undefined {
  return fn.fanOutWarmer ? notApplicable('fan-out warmer: its own cold start is off the request path') : undefined;
}

export function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function sample(list: string[], n = 3): string {
  return list.slice(0, n).join(', ') + (list.length > n ? `, ... (${list.length - n} more)` : '');
}
