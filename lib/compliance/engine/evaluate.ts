/** Runs the rules over function views and applies settings and suppressions. Internal. */
import { ALL_RULES } from '../rules';
import { ColdStartFinding, FindingLevel, FindingStatus, RuleSettings } from '../types';
import { OrphanFinding } from './analyze';
import { FunctionView, RuleOutcome } from './model';
import { isUnresolved } from './values';

export interface EngineOptions {
  readonly rules?: { [id: string]: RuleSettings };
  /** Level of UNKNOWN findings. */
  readonly unknownLevel?: FindingLevel;
}

export interface EngineFinding extends ColdStartFinding {
  /** Logical ID of the function the rule evaluated. */
  readonly functionLogicalId: string;
  /** Annotate even though compliant. */
  readonly informational: boolean;
  /** Rule title, for annotations. */
  readonly title?: string;
}

/** Returns the suppression reason for a rule on the function or the subject resource. */
export type SuppressionLookup = (ruleId: string, logicalIds: string[]) => string | undefined;

/** The keys of RuleSettings, as the library reads them (camelCase, in every language). */
export const RULE_SETTING_KEYS = ['enabled', 'level', 'memoryThresholdMb', 'sizeBudgetMb', 'initBudgetMs'] as const;

function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Rejects what would otherwise be ignored in silence: unknown rule ids, unknown setting keys (a
 * Python plain dict `{"memory_threshold_mb": 2048}` nested in the map reaches the library with
 * snake_case keys, which jsii does not translate), levels that are not FindingLevel values.
 */
export function validateRuleSettings(rules: { [id: string]: RuleSettings } | undefined, owner = 'ColdStartChecks'): void {
  if (rules === undefined || rules === null) {
    return;
  }
  if (typeof rules !== 'object' || Array.isArray(rules)) {
    throw new Error(`${owner}: rules must be a map of rule ID to RuleSettings, e.g. { PCS8: { memoryThresholdMb: 1024 } }; got ${JSON.stringify(rules)}.`);
  }
  const known = ALL_RULES.map((r) => r.id);
  for (const [id, settings] of Object.entries(rules)) {
    if (!known.includes(id)) {
      throw new Error(`${owner}: unknown rule "${id}" in rules. Known rules: ${known.join(', ')}.`);
    }
    if (settings === undefined || settings === null) {
      continue;
    }
    if (typeof settings !== 'object' || Array.isArray(settings)) {
      throw new Error(`${owner}: rules.${id} must be a RuleSettings object (keys: ${RULE_SETTING_KEYS.join(', ')}); got ${JSON.stringify(settings)}.`);
    }
    for (const key of Object.keys(settings)) {
      if ((RULE_SETTING_KEYS as readonly string[]).includes(key)) {
        continue;
      }
      const guess = camel(key);
      const hint = guess !== key && (RULE_SETTING_KEYS as readonly string[]).includes(guess)
        ? ` Did you mean "${guess}"? In Python pass a struct, rules={"${id}": RuleSettings(${key}=...)}, or the camelCase key "${guess}" in a plain dict.`
        : '';
      throw new Error(`${owner}: unknown setting "${key}" in rules.${id}. Accepted keys: ${RULE_SETTING_KEYS.join(', ')}.${hint}`);
    }
    const level = (settings as RuleSettings).level;
    if (level !== undefined && !Object.values(FindingLevel).includes(level)) {
      throw new Error(`${owner}: rules.${id}.level is "${String(level)}"; use FindingLevel.${Object.keys(FindingLevel).join(', FindingLevel.')}.`);
    }
    for (const key of ['memoryThresholdMb', 'sizeBudgetMb', 'initBudgetMs'] as const) {
      const v = (settings as RuleSettings)[key];
      if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)) {
        throw new Error(`${owner}: rules.${id}.${key} must be a positive number of ${key.endsWith('Ms') ? 'milliseconds' : 'MB'}; got ${JSON.stringify(v)}.`);
      }
    }
    const enabled = (settings as RuleSettings).enabled;
    if (enabled !== undefined && typeof enabled !== 'boolean') {
      throw new Error(`${owner}: rules.${id}.enabled must be true or false; got ${JSON.stringify(enabled)}.`);
    }
  }
}

export function evaluateFunctions(views: FunctionView[], options: EngineOptions, suppressed: SuppressionLookup,
  orphans: { stackName: string; findings: OrphanFinding[] } = { stackName: '', findings: [] }): EngineFinding[] {
  const out: EngineFinding[] = [];
  for (const o of orphans.findings) {
    const rule = ALL_RULES.find((r) => r.id === o.ruleId)!;
    const settings = options.rules?.[rule.id] ?? {};
    if (settings.enabled === false) {
      continue;
    }
    const reason = suppressed(rule.id, [o.logicalId]);
    out.push({
      ruleId: rule.id,
      level: settings.level ?? rule.defaultLevel,
      status: reason !== undefined ? FindingStatus.SUPPRESSED : FindingStatus.NON_COMPLIANT,
      stackName: orphans.stackName,
      resourcePath: o.path,
      logicalId: o.logicalId,
      message: o.message,
      suppressionReason: reason,
      functionLogicalId: '',
      informational: false,
      title: rule.title,
    });
  }
  for (const fn of views) {
    for (const rule of ALL_RULES) {
      const settings = options.rules?.[rule.id] ?? {};
      if (settings.enabled === false) {
        continue;
      }
      let outcomes: RuleOutcome[];
      try {
        outcomes = rule.evaluate(fn, { settings });
      } catch (e) {
        // Never an exception out of a check: report the rule as unable to decide.
        outcomes = [{ status: FindingStatus.UNKNOWN, message: `rule failed: ${(e as Error).message}` }];
      }
      for (const raw of outcomes) {
        if (raw.status === FindingStatus.NOT_APPLICABLE) {
          continue;
        }
        // A runtime that is a token may not be Python: a warning-level rule cannot say "non-compliant".
        const o = raw.status === FindingStatus.NON_COMPLIANT && isUnresolved(fn.runtime) && rule.defaultLevel !== FindingLevel.ERROR
          ? { ...raw, status: FindingStatus.UNKNOWN, message: `${fn.runtime.describe()}; if it is a Python runtime: ${raw.message}` }
          : raw;
        const subject = o.subject ?? fn;
        let level = o.level ?? settings.level ?? rule.defaultLevel;
        if (o.status === FindingStatus.UNKNOWN) {
          level = options.unknownLevel ?? FindingLevel.WARNING;
        } else if (o.status === FindingStatus.COMPLIANT) {
          level = FindingLevel.INFO;
        }
        const reason = o.status === FindingStatus.NON_COMPLIANT || o.status === FindingStatus.UNKNOWN
          ? suppressed(rule.id, [...new Set([fn.logicalId, subject.logicalId])])
          : undefined;
        out.push({
          ruleId: rule.id,
          level,
          status: reason !== undefined ? FindingStatus.SUPPRESSED : o.status,
          stackName: fn.stackName,
          resourcePath: subject.path,
          logicalId: subject.logicalId,
          message: o.message,
          suppressionReason: reason,
          functionLogicalId: fn.logicalId,
          informational: o.informational === true,
          title: rule.title,
        });
      }
    }
  }
  return sortFindings(out);
}

function ruleOrder(id: string): [string, number] {
  const m = /^(\D*)(\d+)$/.exec(id);
  return m ? [m[1], Number(m[2])] : [id, 0];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Stable report order: stack, resource path, rule ID (PCS2 before PCS10), message. */
export function sortFindings<T extends ColdStartFinding>(findings: T[]): T[] {
  return [...findings].sort((a, b) => {
    const [pa, na] = ruleOrder(a.ruleId);
    const [pb, nb] = ruleOrder(b.ruleId);
    return cmp(a.stackName, b.stackName) || cmp(a.resourcePath, b.resourcePath)
      || cmp(pa, pb) || na - nb || cmp(a.message, b.message);
  });
}

/** A finding that blocks: non-compliant at error level, not suppressed. */
export function isBlocking(f: ColdStartFinding): boolean {
  return f.level === FindingLevel.ERROR && (f.status === FindingStatus.NON_COMPLIANT || f.status === FindingStatus.UNKNOWN);
}
