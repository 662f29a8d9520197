import { activeProvisioned, cite, notPython, offRequestPathReason } from './common';
import { AWS_RULES } from '../../shared/aws-rules';
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
  awsRules: [AWS_RULES.SNAPSTART_PUBLISHED_VERSIONS],
  evaluate(fn) {
    const np = notPython(fn);
    if (np) {
      return [np];
    }
    const off = offRequestPathReason(fn);
    if (off) {
      // One info line says why the latency rules do not apply to this function.
      return [{ ...compliant(`exempt from latency rules (PCS1, PCS2, PCS3, PCS8, PCS10, PCS12): ${off}; nobody waits for its cold start`), informational: fn.deployTime !== undefined }];
    }
    const provisioned = activeProvisioned(fn);
    if (fn.snapStart === 'PublishedVersions' && fn.packageType !== 'Image') {
      return fn.versions.length + fn.aliases.filter((a) => a.version !== '$LATEST').length > 0
        ? [compliant('SnapStart is on and a version is published')]
        : [nonCompliant(`SnapStart is on, but this template publishes no version or alias: ${cite(AWS_RULES.SNAPSTART_PUBLISHED_VERSIONS)}. Invoke an alias of fn.currentVersion (SAM: AutoPublishAlias).`)];
    }
    if (provisioned.some((p) => typeof p.executions === 'number' && p.executions > 0 && p.target === 'published')) {
      return [compliant('provisioned concurrency is configured')];
    }
    const warm = fn.warmers.filter((w) => w.keepsWarm === true);
    if (warm.length > 0) {
      return [compliant(`warmed by ${warm.map((w) => w.path).join(', ')}`)];
    }
    const unresolved = [fn.snapStart, ...provisioned.flatMap((p) => [p.executions, p.target]), ...fn.warmers.map((w) => w.keepsWarm)]
      .find(isUnresolved) as Unresolved | undefined;
    if (unresolved) {
      return [unknown(unresolved)];
    }
    const notWarmers = fn.warmers.length > 0
      ? ` (${fn.warmers.map((w) => `${w.path}: ${w.schedule ?? 'schedule'}`).join(', ')} fire${fn.warmers.length === 1 ? 's' : ''} too rarely to keep environments: a warmer runs at least every 15 minutes or sends a warm-up payload)`
      : '';
    return [nonCompliant(`no SnapStart, no provisioned concurrency and no warmer${notWarmers}: every scale-out pays the full Python init. Enable SnapStart (ApplyOn: PublishedVersions) behind an alias, or auto-scaled provisioned concurrency on an alias.`)];
  },
};
