import { IConstruct } from 'constructs';
import { AwsRule, ruleText } from './aws-rules';

/**
 * A synth-time error written for people: which property is wrong, which AWS rule it breaks, and what to
 * set instead. Thrown before anything is deployed. The one error type of the library.
 */
export class ColdStartConfigError extends Error {
  /**
   * The error for a rule of the catalogue (`AWS_RULES`): the rule's wording and documentation link come
   * from the catalogue; `fix` defaults to the rule's own.
   */
  public static forRule(scope: IConstruct, property: string, problem: string, rule: AwsRule, fix?: string): ColdStartConfigError {
    return new ColdStartConfigError(scope, property, problem, `${ruleText(rule)}: ${rule.why}`, fix ?? rule.fix);
  }

  constructor(scope: IConstruct, property: string, problem: string, rule: string, fix: string) {
    super(`${scope.node.path}: ${property}: ${problem}. ${rule}. Fix: ${fix}`);
    this.name = 'ColdStartConfigError';
  }
}
