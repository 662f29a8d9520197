import { notPython, offRequestPath } from './common';
import { ColdStartRule, compliant, nonCompliant, unknown } from '../engine/model';
import { isUnresolved, Unresolved } from '../engine/values';
import { FindingLevel } from '../types';

/** PCS3: no cold-start mitigation (SnapStart, provisioned concurrency or a warmer). */
export const PCS3: ColdStartRule = {
  id: 'PCS3',
  title: 'No cold-start mitigation',
  defaultLevel: FindingLevel.WARNING,
  explanation: 'Without SnapStart, provisioned concurrency or a warmer, every new execution environment pays the full Python init (imports) in front of a request.',
  fix: 'Enable SnapStart (ApplyOn: PublishedVersions) and invoke through an alias, or put auto-scaled provisioned concurrency on an alias, or add a warmer for the alias.',
  evaluate(fn) {
    const np = notPython(fn) ?? offRequestPath(fn);
    if (np) {
      return [np];
    }
    const pcs = [...fn.aliases, ...fn.versions].map((a) => a.provisionedConcurrency);
    if (fn.snapStart === 'PublishedVersions') {
      // aws-facts (SnapStart): applies to published versions and their aliases, never to $LATEST.
      return fn.versions.length + fn.aliases.filter((a) => a.version !== '$LATEST').length > 0
        ? [compliant('SnapStart is on and a version is published')]
        : [nonCompliant('SnapStart is on, but this template publishes no version or alias: invocations of $LATEST are never restored from a snapshot. Invoke an alias of fn.currentVersion (SAM: AutoPublishAlias).')];
    }
    if (pcs.some((p) => typeof p === 'number' && p > 0)) {
      return [compliant('provisioned concurrency is configured')];
    }
    // Application Auto Scaling alone may own an alias' PC (no ProvisionedConcurrencyConfig in the template):
    // its scalable target provisions MinCapacity (aws-facts: Provisioned concurrency).
    if (fn.aliases.some((a) => a.autoScaled === true && a.version !== '$LATEST')) {
      return [compliant('provisioned concurrency is managed by Application Auto Scaling on an alias')];
    }
    if (fn.warmers.length > 0) {
      return [compliant(`warmed by ${fn.warmers.map((w) => w.path).join(', ')}`)];
    }
    const unresolved = [fn.snapStart, ...pcs].find(isUnresolved) as Unresolved | undefined;
    if (unresolved) {
      return [unknown(unresolved)];
    }
    return [nonCompliant('no SnapStart, no provisioned concurrency and no warmer: every scale-out pays the full Python init. Enable SnapStart (ApplyOn: PublishedVersions) behind an alias, or auto-scaled provisioned concurrency on an alias.')];
  },
};
