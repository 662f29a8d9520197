import { beforePython312, cite, offRequestPath, pythonName, pythonVersionOrOutcomes } from './common';
import { AWS_RULES } from '../../shared/aws-rules';
import { ColdStartRule, compliant, nonCompliant } from '../engine/model';
import { FindingLevel } from '../types';

/** PCS1: Python runtime older than python3.12. */
export const PCS1: ColdStartRule = {
  id: 'PCS1',
  title: 'Python runtime older than python3.12',
  defaultLevel: FindingLevel.WARNING,
  explanation: `${AWS_RULES.SNAPSTART_RUNTIME.rule}, and newer CPython versions import and start faster.`,
  fix: 'Set Runtime to python3.12 or newer (lambda.Runtime.PYTHON_3_12) and rebuild dependencies for it.',
  awsRules: [AWS_RULES.SNAPSTART_RUNTIME],
  evaluate(fn) {
    const v = pythonVersionOrOutcomes(fn);
    if (Array.isArray(v)) {
      return v;
    }
    const off = offRequestPath(fn);
    if (off) {
      return [off];
    }
    const name = pythonName(v);
    if (!beforePython312(v)) {
      return [compliant(`Runtime is ${name}`)];
    }
    const eol = v.major < 3 ? `${name} is no longer supported by Lambda (no new functions, no updates); ` : '';
    return [nonCompliant(`Runtime is ${name}: ${eol}${cite(AWS_RULES.SNAPSTART_RUNTIME)}. Set Runtime to python3.12 or newer.`)];
  },
};
