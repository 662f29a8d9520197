import { IConstruct } from 'constructs';

/**
 * A synth-time error written for people: which property is wrong, which AWS rule it breaks, and what to
 * set instead. Thrown before anything is deployed.
 */
export class ColdStartConfigError extends Error {
  constructor(scope: IConstruct, property: string, problem: string, rule: string, fix: string) {
    super(`${scope.node.path}: ${property}: ${problem}. ${rule}. Fix: ${fix}`);
    this.name = 'ColdStartConfigError';
  }
}
