import { notPython, offRequestPath } from './common';
import { ColdStartRule, compliant, nonCompliant, unknown } from '../engine/model';
import { isUnresolved } from '../engine/values';
import { FindingLevel } from '../types';

export const DEFAULT_MEMORY_THRESHOLD_MB = 512;

/** PCS8: memory below a threshold. */
export const PCS8: ColdStartRule = {
  id: 'PCS8',
  title: 'Memory below the threshold',
  defaultLevel: FindingLevel.WARNING,
  explanation: 'Lambda allocates CPU in proportion to memory; Python init (imports, bytecode loading) is CPU-bound and runs slower on small functions.',
  fix: 'Raise MemorySize to the threshold (default 512 MB) or lower the threshold with rules.PCS8.memoryThresholdMb.',
  awsRules: [],
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
      ? [nonCompliant(`MemorySize is ${fn.memoryMb} MB (128 when unset), below ${threshold} MB: CPU scales with memory, so init runs slower (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html). Set MemorySize to at least ${threshold}.`)]
      : [compliant(`MemorySize is ${fn.memoryMb} MB`)];
  },
};
