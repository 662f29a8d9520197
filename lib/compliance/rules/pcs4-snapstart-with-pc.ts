import { activeProvisioned, cite, describeProvisioned, notPython } from './common';
import { AWS_RULES } from '../../shared/aws-rules';
import { ColdStartRule, compliant, nonCompliant, notApplicable, RuleOutcome, unknown } from '../engine/model';
import { isUnresolved, Unresolved } from '../engine/values';
import { FindingLevel } from '../types';

const RULE = AWS_RULES.SNAPSTART_WITHOUT_PROVISIONED_CONCURRENCY;

/** PCS4: SnapStart together with provisioned concurrency (from an alias, a version, SAM or a scalable target). */
export const PCS4: ColdStartRule = {
  id: 'PCS4',
  title: 'SnapStart together with provisioned concurrency',
  defaultLevel: FindingLevel.ERROR,
  explanation: `${RULE.rule}: ${RULE.why}.`,
  fix: 'Choose one: remove the provisioned concurrency (ProvisionedConcurrencyConfig and lambda:function:ProvisionedConcurrency scalable targets), or set SnapStart.ApplyOn to None.',
  awsRules: [RULE],
  evaluate(fn) {
    const np = notPython(fn);
    if (np) {
      return [np];
    }
    const withPc = activeProvisioned(fn);
    if (withPc.length === 0) {
      return [fn.snapStart === 'PublishedVersions' ? compliant('SnapStart without provisioned concurrency') : notApplicable('no provisioned concurrency')];
    }
    if (isUnresolved(fn.snapStart)) {
      return [unknown(fn.snapStart)];
    }
    if (fn.snapStart !== 'PublishedVersions') {
      return [notApplicable('SnapStart is off')];
    }
    return withPc.map((p): RuleOutcome => {
      if (isUnresolved(p.executions)) {
        return unknown(new Unresolved(p.executions.property, '', `SnapStart is on and ${p.executions.describe()}: ${cite(RULE)}`), { subject: p });
      }
      return nonCompliant(`SnapStart is on and ${describeProvisioned(p)}: ${cite(RULE)}; ${RULE.why}. Remove the provisioned concurrency or set SnapStart.ApplyOn to None.`, { subject: p });
    });
  },
};
