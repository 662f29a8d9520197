import { notPython } from './common';
import { ColdStartRule, compliant, nonCompliant, notApplicable, RuleOutcome, unknown } from '../engine/model';
import { isUnresolved } from '../engine/values';
import { FindingLevel } from '../types';

/** PCS4: SnapStart together with provisioned concurrency. */
export const PCS4: ColdStartRule = {
  id: 'PCS4',
  title: 'SnapStart together with provisioned concurrency',
  defaultLevel: FindingLevel.ERROR,
  explanation: 'Lambda does not support SnapStart together with provisioned concurrency: the deployment fails.',
  fix: 'Choose one: remove ProvisionedConcurrencyConfig from the aliases/versions, or set SnapStart.ApplyOn to None.',
  evaluate(fn) {
    const np = notPython(fn);
    if (np) {
      return [np];
    }
    const withPc = [...fn.aliases, ...fn.versions].filter((a) => a.provisionedConcurrency !== undefined
      && (isUnresolved(a.provisionedConcurrency) || a.provisionedConcurrency > 0));
    if (isUnresolved(fn.snapStart)) {
      return withPc.length > 0 ? [unknown(fn.snapStart)] : [notApplicable('no provisioned concurrency')];
    }
    if (fn.snapStart !== 'PublishedVersions') {
      return [notApplicable('SnapStart is off')];
    }
    if (withPc.length === 0) {
      return [compliant('SnapStart without provisioned concurrency')];
    }
    return withPc.map((a): RuleOutcome => isUnresolved(a.provisionedConcurrency)
      ? unknown(a.provisionedConcurrency, { subject: a })
      : nonCompliant(`SnapStart is on and ${a.path} has ${a.provisionedConcurrency} provisioned concurrent executions: Lambda rejects SnapStart with provisioned concurrency (aws-facts: SnapStart). Remove ProvisionedConcurrencyConfig or set SnapStart.ApplyOn to None.`, { subject: a }));
  },
};
