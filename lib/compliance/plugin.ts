import { IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1, PolicyViolationBeta1 } from 'aws-cdk-lib';
import { analyzeTemplate } from './engine/analyze';
import { loadTemplateSource } from './engine/cloud-assembly';
import { evaluateFunctions, validateRuleSettings } from './engine/evaluate';
import { ALL_RULES } from './rules';
import { FindingLevel, FindingStatus, RuleSettings } from './types';

/** Properties of `ColdStartPolicyValidationPlugin`. */
export interface ColdStartPolicyValidationPluginProps {
  /**
   * Per-rule settings keyed by rule ID, as for `ColdStartChecks`.
   * @default - every rule enabled at its default level and thresholds
   */
  readonly rules?: { [ruleId: string]: RuleSettings };

  /**
   * Report UNKNOWN findings (tokens, parameters) as violations too.
   * @default true
   */
  readonly reportUnknown?: boolean;
}

/**
 * The cold-start rules as a CDK policy validation plugin: runs over the synthesized templates
 * (with the staged assets next to them) and fails synthesis on error-level findings.
 * Suppressions made with `ColdStartChecks.suppress()` are read from the resources' metadata.
 *
 * @example
 * const app = new App({
 *   policyValidationBeta1: [new coldstart.ColdStartPolicyValidationPlugin()],
 * });
 */
export class ColdStartPolicyValidationPlugin implements IPolicyValidationPluginBeta1 {
  /** Plugin name shown in the validation report. */
  public readonly name: string = 'cdk-python-coldstart';
  /** Rule IDs this plugin evaluates. */
  public readonly ruleIds?: string[];
  private readonly props: ColdStartPolicyValidationPluginProps;

  constructor(props: ColdStartPolicyValidationPluginProps = {}) {
    validateRuleSettings(props.rules, 'ColdStartPolicyValidationPlugin');
    this.props = props;
    this.ruleIds = ALL_RULES.filter((r) => props.rules?.[r.id]?.enabled !== false).map((r) => r.id);
  }

  /** Runs the rules over the templates of the cloud assembly. */
  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const byRule = new Map<string, PolicyViolationBeta1>();
    let success = true;
    for (const templatePath of context.templatePaths) {
      const analyzed = analyzeTemplate(loadTemplateSource(templatePath));
      const findings = evaluateFunctions(analyzed.functions, this.props, (ruleId, ids) => {
        for (const id of ids) {
          const s = analyzed.suppressionsOf(id).find((x) => x.id === ruleId);
          if (s) {
            return s.reason;
          }
        }
        return undefined;
      }, { stackName: templatePath, findings: analyzed.orphans });
      for (const f of findings) {
        const report = f.status === FindingStatus.NON_COMPLIANT
          || (f.status === FindingStatus.UNKNOWN && this.props.reportUnknown !== false);
        if (!report) {
          continue;
        }
        if (f.level === FindingLevel.ERROR) {
          success = false;
        }
        const rule = ALL_RULES.find((r) => r.id === f.ruleId)!;
        const key = `${f.ruleId}/${f.level}/${f.status}`;
        const v = byRule.get(key) ?? {
          ruleName: f.ruleId,
          description: `${rule.title}${f.status === FindingStatus.UNKNOWN ? ' (could not check: unresolved value)' : ''}. ${rule.explanation}`,
          fix: rule.fix,
          severity: f.level,
          violatingResources: [],
        };
        v.violatingResources.push({ resourceLogicalId: f.logicalId, templatePath, locations: [f.message] });
        byRule.set(key, v);
      }
    }
    return { success, violations: [...byRule.values()] };
  }
}
