import { notPython } from './common';
import { ColdStartRule, compliant, nonCompliant, notApplicable, unknown } from '../engine/model';
import { isUnresolved } from '../engine/values';
import { FindingLevel } from '../types';

export const DEFAULT_INIT_BUDGET_MS = 1000;

/** PCS12: measured init profile (metadata `cdk-python-coldstart:init-profile`) against its budget. */
export const PCS12: ColdStartRule = {
  id: 'PCS12',
  title: 'Measured init time over budget',
  defaultLevel: FindingLevel.WARNING,
  explanation: 'The init profiler measured the handler module\'s import time; imports run in front of the first request of every new environment.',
  fix: 'Defer or drop the slowest imports listed (with SnapStart init runs at publish, with provisioned concurrency in the provisioned environments).',
  evaluate(fn, ctx) {
    const np = notPython(fn);
    if (np) {
      return [np];
    }
    const p = fn.initProfile;
    if (p === undefined) {
      return [notApplicable('no init profile')];
    }
    if (isUnresolved(p)) {
      return [unknown(p)];
    }
    const budget = ctx.settings.initBudgetMs ?? p.budgetMs ?? DEFAULT_INIT_BUDGET_MS;
    // The profile's noise margin belongs to its own budget; a budget set on the rule is compared as is.
    const margin = ctx.settings.initBudgetMs === undefined && p.budgetMs !== undefined ? (p.marginMs ?? 0) : 0;
    const top = [...p.top].sort((a, b) => b.cumulativeMs - a.cumulativeMs).slice(0, 5)
      .map((t) => `${t.module} ${Math.round(t.cumulativeMs)} ms`).join(', ');
    const measured = p.runs !== undefined && p.runs > 1 ? `median of ${p.runs} local runs` : 'measured locally';
    const text = `init (imports and module-level code, ${measured}) took ${Math.round(p.totalMs)} ms `
      + `(budget ${budget} ms${margin > 0 ? ` + ${Math.round(margin)} ms noise margin` : ''})${top ? `; slowest imports: ${top}` : ''}`;
    if (p.totalMs > budget + margin) {
      // The level is the rule's configured level, whatever the amount over budget.
      return [nonCompliant(`${text}. ${adviceFor(fn)}`)];
    }
    return [{ ...compliant(text), informational: true }];
  },
};

function adviceFor(fn: Parameters<ColdStartRule['evaluate']>[0]): string {
  const pc = [...fn.aliases, ...fn.versions].some((a) => typeof a.provisionedConcurrency === 'number' && a.provisionedConcurrency > 0);
  if (fn.snapStart === 'PublishedVersions') {
    return 'With SnapStart this init runs once when a version is published (requests see the restore): defer the slowest imports to shorten deploys and restores.';
  }
  if (pc) {
    return 'With provisioned concurrency this init runs in the provisioned environments before requests, and in front of requests beyond them: defer the slowest imports.';
  }
  return 'Every new environment runs this init before its first request: defer the slowest imports or enable SnapStart.';
}
