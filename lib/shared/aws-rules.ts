/**
 * The AWS rules the library enforces, each written once.
 *
 * Every check that enforces one of these — the construct's synth-time validation, the PCS compliance
 * rules, remediation, the CLI and the generated docs (`docs/aws-rules.md`) — reads the entry here:
 * its limit, the one-sentence rule, why it matters, the usual fix and the AWS documentation page.
 * Two wordings of one rule drift; one entry cannot.
 *
 * Internal: not part of the public API (docs/aws-rules.md is its public face).
 */
export interface AwsRule {
  /** Stable id, e.g. `SNAPSTART_WITHOUT_PROVISIONED_CONCURRENCY`. */
  readonly id: string;
  /** The rule as AWS states it, one sentence, e.g. "Lambda does not support SnapStart together with provisioned concurrency". */
  readonly rule: string;
  /** What happens when it is broken, e.g. "the deployment fails". */
  readonly why: string;
  /** The usual fix, phrased as an instruction; call sites may give a more specific one. */
  readonly fix: string;
  /** The AWS documentation page that states the rule (users are pointed here, never at internal notes). */
  readonly docUrl: string;
  /** The numeric limit, where the rule is one (e.g. 250 for 250 MB). */
  readonly limit?: number;
  /** The unit of `limit`, e.g. "MB". */
  readonly unit?: string;
}

const LAMBDA_DG = 'https://docs.aws.amazon.com/lambda/latest/dg';

function rule(r: AwsRule): AwsRule {
  return r;
}

/**
 * The catalogue. Add a rule here (never a literal limit or a second wording elsewhere), then read it
 * with `AWS_RULES.X.limit`, `ruleText(AWS_RULES.X)` or `ColdStartConfigError.forRule(...)`.
 */
export const AWS_RULES = {
  SNAPSTART_WITHOUT_PROVISIONED_CONCURRENCY: rule({
    id: 'SNAPSTART_WITHOUT_PROVISIONED_CONCURRENCY',
    rule: 'Lambda does not support SnapStart together with provisioned concurrency',
    why: 'the deployment fails',
    fix: 'use ColdStartStrategy.snapStart() or ColdStartStrategy.provisionedConcurrency(), not both',
    docUrl: `${LAMBDA_DG}/snapstart.html#snapstart-runtimes`,
  }),
  SNAPSTART_RUNTIME: rule({
    id: 'SNAPSTART_RUNTIME',
    rule: 'SnapStart for Python needs a managed python3.12 runtime or newer',
    why: 'Lambda rejects SnapStart on older runtimes',
    fix: 'use lambda.Runtime.PYTHON_3_12 or newer',
    docUrl: `${LAMBDA_DG}/snapstart.html#snapstart-runtimes`,
  }),
  SNAPSTART_NO_EFS: rule({
    id: 'SNAPSTART_NO_EFS',
    rule: 'Lambda does not support SnapStart with an Amazon EFS file system',
    why: 'the deployment fails',
    fix: 'remove filesystem, or use provisioned concurrency instead of SnapStart',
    docUrl: `${LAMBDA_DG}/snapstart.html#snapstart-runtimes`,
  }),
  SNAPSTART_EPHEMERAL_STORAGE: rule({
    id: 'SNAPSTART_EPHEMERAL_STORAGE',
    rule: 'Lambda does not support SnapStart with ephemeral storage above 512 MB',
    why: 'the deployment fails',
    fix: 'set ephemeralStorageSize to at most 512 MiB, or use another cold-start strategy',
    docUrl: `${LAMBDA_DG}/snapstart.html#snapstart-runtimes`,
    limit: 512,
    unit: 'MB',
  }),
  PACKAGE_UNZIPPED_SIZE: rule({
    id: 'PACKAGE_UNZIPPED_SIZE',
    rule: 'Function code plus all its layers must be at most 250 MB unzipped',
    why: 'Lambda rejects the function at deployment',
    fix: 'exclude packages you do not import, or move large dependencies to a container image',
    docUrl: `${LAMBDA_DG}/gettingstarted-limits.html`,
    limit: 250,
    unit: 'MB',
  }),
  MAX_LAYERS: rule({
    id: 'MAX_LAYERS',
    rule: 'A function can use at most 5 layers',
    why: 'Lambda rejects the function at deployment',
    fix: 'merge layers, or move dependencies into the dependencies layer',
    docUrl: `${LAMBDA_DG}/gettingstarted-limits.html`,
    limit: 5,
  }),
  // --- h15-fleet: one warmer per stack ---
  EVENTBRIDGE_TARGET_INPUT: rule({
    id: 'EVENTBRIDGE_TARGET_INPUT',
    rule: 'The Input of an EventBridge rule target is at most 8192 characters',
    why: 'CloudFormation rejects the rule at deployment',
    fix: 'keep warm-up payloads small; the stack warmer spreads its targets over several inputs and rules',
    docUrl: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html',
    limit: 8192,
    unit: 'characters',
  }),
  EVENTBRIDGE_TARGETS_PER_RULE: rule({
    id: 'EVENTBRIDGE_TARGETS_PER_RULE',
    rule: 'An EventBridge rule has at most 5 targets',
    why: 'PutTargets fails at deployment',
    fix: 'spread targets over several rules',
    docUrl: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html',
    limit: 5,
  }),
  IAM_MANAGED_POLICY_SIZE: rule({
    id: 'IAM_MANAGED_POLICY_SIZE',
    rule: 'A customer managed IAM policy is at most 6,144 characters',
    why: 'CloudFormation fails to create the policy at deployment',
    fix: 'spread the statements over several managed policies',
    docUrl: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html',
    limit: 6144,
    unit: 'characters',
  }),
  IAM_ROLE_MANAGED_POLICIES: rule({
    id: 'IAM_ROLE_MANAGED_POLICIES',
    rule: 'An IAM role has at most 10 managed policies attached (default quota)',
    why: 'CloudFormation fails to attach the policy at deployment',
    fix: 'warm fewer aliases per stack (split the functions across stacks), or warm some with their own AliasWarmer',
    docUrl: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html',
    limit: 10,
  }),
  LAMBDA_ENVIRONMENT_SIZE: rule({
    id: 'LAMBDA_ENVIRONMENT_SIZE',
    rule: 'The environment variables of a Lambda function total at most 4 KB',
    why: 'Lambda rejects the function at deployment',
    fix: 'keep configuration out of the environment (the stack warmer carries its targets in its rule inputs)',
    docUrl: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
    limit: 4096,
    unit: 'bytes',
  }),
  // --- end h15-fleet ---
} as const;

/** `Lambda does not support X (see https://docs.aws.amazon.com/...)`: the rule with its source, for messages. */
export function ruleText(r: AwsRule): string {
  return `${r.rule} (see ${r.docUrl})`;
}
