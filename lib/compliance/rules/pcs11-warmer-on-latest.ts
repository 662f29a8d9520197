import { cite, notPython } from './common';
import { AWS_RULES } from '../../shared/aws-rules';
import { ColdStartRule, compliant, nonCompliant, notApplicable, RuleOutcome, unknown } from '../engine/model';
import { isUnresolved } from '../engine/values';
import { FindingLevel } from '../types';

/** PCS11: a warmer that targets `$LATEST`. */
export const PCS11: ColdStartRule = {
  id: 'PCS11',
  title: 'Warmer targets $LATEST',
  defaultLevel: FindingLevel.WARNING,
  explanation: 'Environments of $LATEST are separate from those of an alias or version: warming the unqualified function does not warm the alias that serves traffic.',
  fix: 'Target the alias ARN (Ref of the AWS::Lambda::Alias, or the function ARN with ":<alias>") and grant lambda:InvokeFunction on that ARN only.',
  awsRules: [AWS_RULES.WARM_THE_ALIAS],
  evaluate(fn) {
    const np = notPython(fn);
    if (np) {
      return [np];
    }
    // A schedule that invokes the library's fan-out warmer is its trigger, not a warmer of the warmer:
    // only the warmer's own target (its CDK_PYTHON_COLDSTART_WARMUP_TARGET) is judged.
    // Only schedules that keep environments warm are warmers: a nightly job on $LATEST is not one.
    const warmers = (fn.fanOutWarmer ? fn.warmers.filter((w) => w.kind === 'fan-out-warmer') : fn.warmers)
      .filter((w) => w.keepsWarm !== false);
    if (warmers.length === 0) {
      return [notApplicable('no warmer')];
    }
    // Without an alias or version, $LATEST is what callers invoke: warming it is right.
    if (fn.aliases.length + fn.versions.length === 0) {
      return [notApplicable('no alias or version: $LATEST is what callers invoke')];
    }
    return warmers.map((w): RuleOutcome => {
      if (isUnresolved(w.qualified)) {
        return unknown(w.qualified, { subject: w });
      }
      if (isUnresolved(w.keepsWarm) && !w.qualified) {
        return unknown(w.keepsWarm, { subject: w });
      }
      return w.qualified
        ? { ...compliant(`${w.path} invokes an alias or version`), subject: w }
        : nonCompliant(`${w.kind} ${w.path} invokes the unqualified function ($LATEST): ${cite(AWS_RULES.WARM_THE_ALIAS)}. Warm the alias instead.`, { subject: w });
    });
  },
};
