import { cite, notPython, offRequestPath } from './common';
import { AWS_RULES } from '../../shared/aws-rules';
import { ColdStartRule, compliant, nonCompliant, unknown } from '../engine/model';
import { isUnresolved } from '../engine/values';
import { FindingLevel } from '../types';

export const DEFAULT_MEMORY_THRESHOLD_MB = 512;

/** PCS8: memory below a threshold. */
export const PCS8: ColdStartRule = {
  id: 'PCS8',
  title: 'Memory below the threshold',
  defaultLevel: FindingLevel.WARNING,
  explanation: `${AWS_RULES.MEMORY_ALLOCATES_CPU.rule}; ${AWS_RULES.MEMORY_ALLOCATES_CPU.why}.`,
  fix: 'Raise MemorySize to the threshold (default 512 MB) or lower the threshold with rules.PCS8.memoryThresholdMb.',
  awsRules: [AWS_RULES.MEMORY_ALLOCATES_CPU],
  evaluate(fn, ctx) {
    const np = notPython(fn) ?? offRequestPath(fn);
    if (np) {
      return [np];
    }
    if (isUnresolved(fn.memoryMb)) {
      return [unknown(fn.memoryMb)];
    }
    const threshold = ctx.settings.memoryThresholdMb ?? DEFAULT_MEMORY_THRESHOLD_MB;
    return fn.memoryMb < threshold
      ? [nonCompliant(`MemorySize is ${fn.memoryMb} MB (128 when unset), below ${threshold} MB: ${cite(AWS_RULES.MEMORY_ALLOCATES_CPU)}, so init runs slower. Set MemorySize to at least ${threshold}.`)]
      : [compliant(`MemorySize is ${fn.memoryMb} MB`)];
  },
};
