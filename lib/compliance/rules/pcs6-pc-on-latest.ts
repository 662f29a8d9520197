import { activeProvisioned, cite, describeProvisioned, notPython } from './common';
import { AWS_RULES } from '../../shared/aws-rules';
import { ColdStartRule, compliant, nonCompliant, notApplicable, RuleOutcome, unknown } from '../engine/model';
import { isUnresolved } from '../engine/values';
import { FindingLevel } from '../types';

const RULE = AWS_RULES.PROVISIONED_CONCURRENCY_PUBLISHED_VERSION;

/** PCS6: provisioned concurrency on `$LATEST` (alias of $LATEST, SAM without AutoPublishAlias, scalable target on the unqualified function). */
export const PCS6: ColdStartRule = {
  id: 'PCS6',
  title: 'Provisioned concurrency on $LATEST',
  defaultLevel: FindingLevel.ERROR,
  explanation: `${RULE.rule}: on $LATEST the deployment fails.`,
  fix: 'Point the alias (or the scalable target\'s ResourceId function:<name>:<alias>) at a published version (fn.currentVersion), or with SAM set AutoPublishAlias next to ProvisionedConcurrencyConfig.',
  awsRules: [RULE],
  evaluate(fn) {
    const np = notPython(fn);
    if (np) {
      return [np];
    }
    const withPc = activeProvisioned(fn);
    if (withPc.length === 0) {
      return [notApplicable('no provisioned concurrency')];
    }
    return withPc.map((p): RuleOutcome => {
      if (isUnresolved(p.target)) {
        return unknown(p.target, { subject: p });
      }
      if (p.target === '$LATEST') {
        const fix = p.source === 'sam-function' ? 'Set AutoPublishAlias.'
          : p.source === 'scalable-target' ? 'Set ResourceId to function:<name>:<alias> of an alias of a published version.'
            : 'Point FunctionVersion at a published version.';
        return nonCompliant(`${describeProvisioned(p)} on $LATEST: ${cite(RULE)}; ${RULE.why}. ${fix}`, { subject: p });
      }
      return { ...compliant(`provisioned concurrency from ${p.path} targets a published version`), subject: p };
    });
  },
};
