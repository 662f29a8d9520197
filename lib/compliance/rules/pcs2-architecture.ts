import { notPython } from './common';
import { ColdStartRule, compliant, nonCompliant, unknown } from '../engine/model';
import { isUnresolved } from '../engine/values';
import { FindingLevel } from '../types';

/** PCS2: x86_64 architecture. */
export const PCS2: ColdStartRule = {
  id: 'PCS2',
  title: 'Function runs on x86_64',
  defaultLevel: FindingLevel.WARNING,
  explanation: 'arm64 (Graviton) duration and provisioned concurrency are priced 20% below x86_64, with equal or better init for Python.',
  fix: 'Set Architectures to ["arm64"] (lambda.Architecture.ARM_64) and bundle aarch64 wheels.',
  evaluate(fn) {
    const np = notPython(fn);
    if (np) {
      return [np];
    }
    if (isUnresolved(fn.architectures)) {
      return [unknown(fn.architectures)];
    }
    return fn.architectures.includes('arm64')
      ? [compliant('Architectures is arm64')]
      : [nonCompliant('Architectures is x86_64 (the default when unset): arm64 is priced 20% lower (aws-facts: Graviton). Set Architectures to ["arm64"] with aarch64 wheels.')];
  },
};
