import { notPython } from './common';
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
  evaluate(fn) {
    const np = notPython(fn);
    if (np) {
      return [np];
    }
    // A schedule that invokes the library's fan-out warmer is its trigger, not a warmer of the warmer:
    // only the warmer's own target (its CDK_PYTHON_COLDSTART_WARMUP_TARGET) is judged.
    const warmers = fn.fanOutWarmer ? fn.warmers.filter((w) => w.kind === 'fan-out-warmer') : fn.warmers;
    if (warmers.length === 0) {
      return [notApplicable('no warmer')];
    }
    return warmers.map((w): RuleOutcome => {
      if (isUnresolved(w.qualified)) {
        return unknown(w.qualified, { subject: w });
      }
      return w.qualified
        ? { ...compliant(`${w.path} invokes an alias or version`), subject: w }
        : nonCompliant(`${w.kind} ${w.path} invokes the unqualified function ($LATEST): warm the alias instead (aws-facts: Warmers).`, { subject: w });
    });
  },
};
