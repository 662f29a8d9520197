import { activeProvisioned, cite, notPython } from './common';
import { AWS_RULES } from '../../shared/aws-rules';
import { ColdStartRule, compliant, nonCompliant, notApplicable, RuleOutcome, unknown } from '../engine/model';
import { isUnresolved } from '../engine/values';
import { FindingLevel } from '../types';

const RULE = AWS_RULES.PROVISIONED_CONCURRENCY_AUTO_SCALING;

/** PCS7: provisioned concurrency without auto scaling. */
export const PCS7: ColdStartRule = {
  id: 'PCS7',
  title: 'Provisioned concurrency without auto scaling',
  defaultLevel: FindingLevel.WARNING,
  explanation: `Fixed provisioned concurrency: ${RULE.why}; on a Version resource it cannot follow new deployments.`,
  fix: `Put provisioned concurrency on an alias and add ${RULE.fix}.`,
  awsRules: [RULE],
  evaluate(fn) {
    const np = notPython(fn);
    if (np) {
      return [np];
    }
    const out: RuleOutcome[] = [];
    for (const p of activeProvisioned(fn).filter((x) => x.target !== '$LATEST')) {
      if (p.source === 'version') {
        out.push(nonCompliant(`provisioned concurrency is on the Version ${p.path}: it stays on that version after the next deployment and cannot be auto-scaled through an alias. Put it on an alias with auto scaling (${cite(RULE)}).`, { subject: p }));
        continue;
      }
      if (isUnresolved(p.autoScaled)) {
        out.push(unknown(p.autoScaled, { subject: p }));
        continue;
      }
      out.push(p.autoScaled
        ? { ...compliant(`${p.path}: provisioned concurrency is managed by Application Auto Scaling`), subject: p }
        : nonCompliant(`provisioned concurrency on ${p.path} has no Application Auto Scaling target (dimension lambda:function:ProvisionedConcurrency): ${RULE.why}. Add ${RULE.fix} (${RULE.docUrl}).`, { subject: p }));
    }
    return out.length > 0 ? out : [notApplicable('no provisioned concurrency on a published version')];
  },
};
