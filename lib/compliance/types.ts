/**
 * Severity of a cold-start finding. Maps to CDK annotations (error, warning, info).
 *
 * Each value is its member name (`FindingLevel.WARNING` is `"WARNING"` in every language, as jsii
 * enums are in Python), and the reports (JSON, CSV, table, SARIF) print that same spelling.
 */
export enum FindingLevel {
  /** Reported with `Annotations.addError`: `cdk synth` / `cdk deploy` fail. */
  ERROR = 'ERROR',
  /** Reported with `Annotations.addWarningV2` (fails with `cdk synth --strict`). */
  WARNING = 'WARNING',
  /** Reported with `Annotations.addInfo`. */
  INFO = 'INFO',
}

/** Outcome of one rule for one function. */
export enum FindingStatus {
  /** The function follows the rule. */
  COMPLIANT = 'COMPLIANT',
  /** The function breaks the rule. */
  NON_COMPLIANT = 'NON_COMPLIANT',
  /** The rule does not apply (e.g. non-Python runtime). Not written to the reports. */
  NOT_APPLICABLE = 'NOT_APPLICABLE',
  /** A property the rule needs is a token or parameter: it could not be checked. */
  UNKNOWN = 'UNKNOWN',
  /** Non-compliant or unknown, but suppressed with a reason. */
  SUPPRESSED = 'SUPPRESSED',
}

/** Per-rule settings of `ColdStartChecks` (and the CLI / policy validation plugin). */
export interface RuleSettings {
  /**
   * Whether the rule runs at all.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Level of the rule's non-compliant findings.
   * @default - the rule's default level (see the rule table)
   */
  readonly level?: FindingLevel;

  /**
   * PCS8: minimum memory in MB. Lambda allocates CPU in proportion to memory, so init
   * (imports) runs faster with more memory.
   * @default 512
   */
  readonly memoryThresholdMb?: number;

  /**
   * PCS9: unzipped size budget in MB for code plus layers; above it a finding at the rule's level
   * (warning). Above the hard AWS limit of 250 MB the finding is always an error.
   * @default 100
   */
  readonly sizeBudgetMb?: number;

  /**
   * PCS12: init budget in ms for the measured init profile; overrides the profile's own `budgetMs`.
   * @default - the profile's `budgetMs`, else 1000
   */
  readonly initBudgetMs?: number;
}

/** One evaluated (rule, function) pair as written to the reports. */
export interface ColdStartFinding {
  /** Rule ID, e.g. `PCS1`. */
  readonly ruleId: string;
  /** Level the finding is reported at. */
  readonly level: FindingLevel;
  /** Outcome. */
  readonly status: FindingStatus;
  /** Stack (or template) the resource belongs to. */
  readonly stackName: string;
  /** Construct path of the offending resource (or `<template>/<logicalId>` outside CDK). */
  readonly resourcePath: string;
  /** CloudFormation logical ID of the offending resource. */
  readonly logicalId: string;
  /** What was found and how to fix it. */
  readonly message: string;
  /**
   * Reason given when the finding was suppressed.
   * @default - not suppressed
   */
  readonly suppressionReason?: string;
}

/** Description of one rule. */
export interface ColdStartRuleInfo {
  /** Stable rule ID, e.g. `PCS1`. */
  readonly id: string;
  /** Short title. */
  readonly title: string;
  /** Default level of non-compliant findings. */
  readonly defaultLevel: FindingLevel;
  /** Why the rule matters. */
  readonly explanation: string;
  /** How to comply. */
  readonly fix: string;
}
