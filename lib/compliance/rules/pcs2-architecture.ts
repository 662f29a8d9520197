import { cite, notPython, offRequestPath } from './common';
import { AWS_RULES } from '../../shared/aws-rules';
import { ColdStartRule, compliant, nonCompliant, unknown } from '../engine/model';
import { isUnresolved } from '../engine/values';
import { FindingLevel } from '../types';

/** PCS2: x86_64 architecture. */
export const PCS2: ColdStartRule = {
  id: 'PCS2',
  title: 'Function runs on x86_64',
  defaultLevel: FindingLevel.WARNING,
  explanation: `${AWS_RULES.ARM64_PRICE.rule}, with equal or better init for Python.`,
  fix: 'Set Architectures to ["arm64"] (lambda.Architecture.ARM_64) and bundle aarch64 wheels.',
  awsRules: [AWS_RULES.ARM64_PRICE],
  evaluate(fn) {
    const np = notPython(fn) ?? offRequestPath(fn);
    if (np) {
      return [np];
    }
    if (isUnresolved(fn.architectures)) {
      return [unknown(fn.architectures)];
    }
    const image = fn.packageType === 'Image' ? ' (container image: build the image for linux/arm64)' : '';
    return fn.architectures.includes('arm64')
      ? [compliant('Architectures is arm64')]
      : [nonCompliant(`Architectures is x86_64 (the default when unset): ${cite(AWS_RULES.ARM64_PRICE)}. Set Architectures to ["arm64"] with aarch64 wheels${image}.`)];
  },
};
