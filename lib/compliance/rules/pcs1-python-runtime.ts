import { pythonMinorOrOutcomes } from './common';
import { ColdStartRule, compliant, nonCompliant } from '../engine/model';
import { FindingLevel } from '../types';

/** PCS1: Python runtime older than python3.12. */
export const PCS1: ColdStartRule = {
  id: 'PCS1',
  title: 'Python runtime older than python3.12',
  defaultLevel: FindingLevel.WARNING,
  explanation: 'SnapStart for Python needs python3.12 or newer, and newer CPython versions import and start faster.',
  fix: 'Set Runtime to python3.12 or newer (lambda.Runtime.PYTHON_3_12) and rebuild dependencies for it.',
  evaluate(fn) {
    const minor = pythonMinorOrOutcomes(fn);
    if (typeof minor === 'object') {
      return minor;
    }
    return minor < 12
      ? [nonCompliant(`Runtime is python3.${minor}: SnapStart needs python3.12+ (aws-facts: SnapStart). Set Runtime to python3.12 or newer.`)]
      : [compliant(`Runtime is python3.${minor}`)];
  },
};
