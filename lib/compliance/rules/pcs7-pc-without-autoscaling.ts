import { notPython } from './common';
import { ColdStartRule, compliant, nonCompliant, notApplicable, RuleOutcome, unknown } from '../engine/model';
import { isUnresolved } from '../engine/values';
import { FindingLevel } from '../types';

/** PCS7: provisioned concurrency without auto scaling. */
export const PCS7: ColdStartRule = {
  id: 'PCS7',
  title: 'Provisioned concurrency without auto scaling',
  defaultLevel: FindingLevel.WARNING,
  explanation: 'Fixed provisioned concurrency is paid around the clock and spills over into cold starts at peaks; on a Version resource it cannot follow new deployments.',
  fix: 'Put provisioned concurrency on an alias and add alias.addAutoScaling({ minCapacity, maxCapacity }).scaleOnUtilization({ utilizationTarget: 0.7 }).',
  evaluate(fn) {
    const np = notPython(fn);
    if (np) {
      return [np];
    }
    const hasPc = (p: unknown) => p !== undefined && (isUnresolved(p) || (p as number) > 0);
    const out: RuleOutcome[] = [];
    for (const a of fn.aliases.filter((x) => hasPc(x.provisionedConcurrency) && x.version !== '$LATEST')) {
      if (isUnresolved(a.autoScaled)) {
        out.push(unknown(a.autoScaled, { subject: a }));
        continue;
      }
      out.push(a.autoScaled
        ? { ...compliant(`${a.path} has a lambda:function:ProvisionedConcurrency scalable target`), subject: a }
        : nonCompliant(`provisioned concurrency on ${a.path} has no Application Auto Scaling target (dimension lambda:function:ProvisionedConcurrency). Add alias.addAutoScaling(...).scaleOnUtilization({ utilizationTarget: 0.7 }).`, { subject: a }));
    }
    for (const v of fn.versions.filter((x) => hasPc(x.provisionedConcurrency))) {
      out.push(nonCompliant(`provisioned concurrency is on the Version ${v.path}: it stays on that version after the next deployment and cannot be auto-scaled through an alias (aws-facts: PC). Put it on an alias with auto scaling.`, { subject: v }));
    }
    return out.length > 0 ? out : [notApplicable('no provisioned concurrency on a published version')];
  },
};
