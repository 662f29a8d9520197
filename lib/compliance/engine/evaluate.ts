/** Runs the rules over function views and applies settings and suppressions. Internal. */
import { ALL_RULES } from '../rules';
import { ColdStartFinding, FindingLevel, FindingStatus, RuleSettings } from '../types';
import { FunctionView, RuleOutcome } from './model';

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

export function validateRuleSettings(rules: { [id: string]: RuleSettings } | undefined): void {
  const known = new Set(ALL_RULES.map((r) => r.id));
  for (const id of Object.keys(rules ?? {})) {
    if (!known.has(id)) {
      throw new Error(`ColdStartChecks: unknown rule "${id}" in rules. Known rules: ${[...known].join(', ')}.`);
    }
  }
}

export function evaluateFunctions(views: FunctionView[], options: EngineOptions, suppressed: SuppressionLookup): EngineFinding[] {
  const out: EngineFinding[] = [];
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
      for (const o of outcomes) {
        if (o.status === FindingStatus.NOT_APPLICABLE) {
          continue;
        }
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
