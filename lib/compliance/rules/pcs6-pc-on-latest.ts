import { notPython } from './common';
import { ColdStartRule, compliant, nonCompliant, notApplicable, RuleOutcome, unknown } from '../engine/model';
import { isUnresolved } from '../engine/values';
import { FindingLevel } from '../types';

/** PCS6: provisioned concurrency on `$LATEST`. */
export const PCS6: ColdStartRule = {
  id: 'PCS6',
  title: 'Provisioned concurrency on $LATEST',
  defaultLevel: FindingLevel.ERROR,
  explanation: 'Provisioned concurrency only applies to a published version or an alias of one; on $LATEST the deployment fails.',
  fix: 'Point the alias at a published version (fn.currentVersion), or with SAM set AutoPublishAlias next to ProvisionedConcurrencyConfig.',
  evaluate(fn) {
    const np = notPython(fn);
    if (np) {
      return [np];
    }
    const withPc = fn.aliases.filter((a) => a.provisionedConcurrency !== undefined
      && (isUnresolved(a.provisionedConcurrency) || a.provisionedConcurrency > 0));
    if (withPc.length === 0) {
      return [notApplicable('no provisioned concurrency on an alias')];
    }
    return withPc.map((a): RuleOutcome => {
      if (isUnresolved(a.version)) {
        return unknown(a.version, { subject: a });
      }
      if (a.version === '$LATEST') {
        return nonCompliant(a.implicit
          ? 'ProvisionedConcurrencyConfig without AutoPublishAlias applies to $LATEST, which Lambda rejects (aws-facts: PC). Set AutoPublishAlias.'
          : `alias ${a.path} points at $LATEST and has provisioned concurrency, which Lambda rejects (aws-facts: PC). Point FunctionVersion at a published version.`,
        { subject: a });
      }
      return { ...compliant(`provisioned concurrency on ${a.path} targets a published version`), subject: a };
    });
  },
};
