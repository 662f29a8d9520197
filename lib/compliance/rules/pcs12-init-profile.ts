import { notPython, offRequestPath } from './common';
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
  fix: 'Defer or drop the slowest imports listed, or enable SnapStart so init runs once per version.',
  awsRules: [],
  evaluate(fn, ctx) {
    const np = notPython(fn) ?? offRequestPath(fn);
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
    const top = [...p.top].sort((a, b) => b.cumulativeMs - a.cumulativeMs).slice(0, 5)
      .map((t) => `${t.module} ${Math.round(t.cumulativeMs)} ms`).join(', ');
    const text = `init imports took ${Math.round(p.totalMs)} ms (budget ${budget} ms)${top ? `; slowest: ${top}` : ''}`;
    if (p.totalMs > budget) {
      return [nonCompliant(`${text}. Defer the slowest imports or enable SnapStart.`,
        p.totalMs > 2 * budget ? { level: FindingLevel.ERROR } : {})];
    }
    return [{ ...compliant(text), informational: true }];
  },
};
