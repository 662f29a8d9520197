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
  // --- supply chain (dependencies layer) ---
  NATIVE_CODE_TARGET: rule({
    id: 'NATIVE_CODE_TARGET',
    rule: 'Compiled code in a function or layer must be built for the function\'s architecture (arm64: aarch64, x86_64: x86-64) and the runtime\'s Python version on Amazon Linux',
    why: 'the function fails at import with an invalid ELF header or an undefined symbol, after deployment',
    fix: 'depend on versions that publish manylinux wheels for the target architecture and CPython version (or pure-Python wheels), and build your own native packages for the target',
    docUrl: `${LAMBDA_DG}/python-package.html`,
  }),
  // --- h12-deploy: function configuration, provisioned concurrency and scheduling ---------------------
  LAMBDA_MEMORY: rule({
    id: 'LAMBDA_MEMORY',
    rule: 'A Lambda function has 128 MB to 10,240 MB of memory, in 1 MB steps',
    why: 'Lambda rejects any other memory size at deployment',
    fix: 'set memorySize to a whole number of MB between 128 and 10240 (CPU grows with memory; 1024 is the default here)',
    docUrl: `${LAMBDA_DG}/configuration-memory.html`,
    limit: 10240,
    unit: 'MB',
  }),
  LAMBDA_TIMEOUT: rule({
    id: 'LAMBDA_TIMEOUT',
    rule: 'A Lambda function times out after 1 to 900 seconds (15 minutes), in whole seconds',
    why: 'Lambda rejects any other timeout at deployment',
    fix: 'set timeout to Duration.seconds(n) with 1 <= n <= 900; longer work belongs in Step Functions or a queue',
    docUrl: `${LAMBDA_DG}/configuration-timeout.html`,
    limit: 900,
    unit: 's',
  }),
  RESERVED_CONCURRENCY: rule({
    id: 'RESERVED_CONCURRENCY',
    rule: 'Reserved concurrency is a whole number of concurrent executions, 0 or more (0 stops every invocation)',
    why: 'Lambda rejects a negative or fractional value at deployment',
    fix: 'set reservedConcurrentExecutions to a whole number >= 0, or leave it unset to use the unreserved pool',
    docUrl: `${LAMBDA_DG}/configuration-concurrency.html`,
  }),
  PROVISIONED_WITHIN_RESERVED: rule({
    id: 'PROVISIONED_WITHIN_RESERVED',
    rule: 'Provisioned concurrency counts against reserved concurrency and must stay below it',
    why: 'Lambda rejects more provisioned than reserved concurrency, and equal leaves no on-demand capacity so every other request is throttled',
    fix: 'raise reservedConcurrentExecutions above the highest provisioned concurrency any alias or schedule can reach, or lower it',
    docUrl: `${LAMBDA_DG}/provisioned-concurrency.html`,
  }),
  PROVISIONED_CAPACITY: rule({
    id: 'PROVISIONED_CAPACITY',
    rule: 'Provisioned concurrency on an alias is a whole number of execution environments, at least 1, and MinCapacity <= MaxCapacity',
    why: 'Lambda and Application Auto Scaling reject other values at deployment',
    fix: 'set whole numbers with 1 <= minCapacity <= maxCapacity, or use ColdStartStrategy.onDemand() for no provisioned concurrency',
    docUrl: `${LAMBDA_DG}/provisioned-concurrency.html`,
  }),
  PROVISIONED_UTILIZATION_TARGET: rule({
    id: 'PROVISIONED_UTILIZATION_TARGET',
    rule: 'Target tracking on LambdaProvisionedConcurrencyUtilization accepts a target of 0.1 to 0.9',
    why: 'CDK and Application Auto Scaling reject other values, and a target near 1 lets requests spill over to cold on-demand environments',
    fix: "use a value between 0.1 and 0.9; AWS's example uses 0.7 (the default)",
    docUrl: `${LAMBDA_DG}/provisioned-concurrency.html`,
    limit: 0.9,
  }),
  SCHEDULED_ACTION_NAME: rule({
    id: 'SCHEDULED_ACTION_NAME',
    rule: 'A scheduled action name is 1 to 256 characters, unique per scalable target, without control characters, ":", "/" or "|" and without leading or trailing spaces',
    why: 'Application Auto Scaling rejects the scalable target at deployment',
    fix: "use a short name of letters, digits, '-' and '_', e.g. 'business-hours'",
    docUrl: 'https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScheduledAction.html',
    limit: 256,
  }),
  SCHEDULED_ACTION_CHANGE: rule({
    id: 'SCHEDULED_ACTION_CHANGE',
    rule: 'A scheduled action sets a new MinCapacity, MaxCapacity or both: whole numbers, MinCapacity at least 1 for Lambda, and MinCapacity <= MaxCapacity',
    why: 'Application Auto Scaling rejects the scheduled action at deployment',
    fix: 'set minCapacity and/or maxCapacity to whole numbers with 1 <= minCapacity <= maxCapacity',
    docUrl: 'https://docs.aws.amazon.com/autoscaling/application/APIReference/API_ScalableTargetAction.html',
  }),
  SCHEDULE_EXPRESSION: rule({
    id: 'SCHEDULE_EXPRESSION',
    rule: 'Application Auto Scaling schedules are at(yyyy-mm-ddThh:mm:ss), rate(value unit) with a positive whole value and unit minute/hour/day (singular for 1, plural otherwise), or cron() with six fields: minutes hours day-of-month month day-of-week year',
    why: 'Application Auto Scaling rejects any other expression at deployment',
    fix: "build it with appscaling.Schedule.rate(Duration.minutes(5)), Schedule.cron({ hour: '8', minute: '0' }) or Schedule.at(date) instead of a hand-written expression",
    docUrl: 'https://docs.aws.amazon.com/autoscaling/application/userguide/scheduled-scaling-using-cron-expressions.html',
  }),
  PYTHON_HANDLER: rule({
    id: 'PYTHON_HANDLER',
    rule: 'Lambda calls the Python handler as <module>.<function>: the function must be a name defined at the top level of the handler module',
    why: 'every invocation fails with Runtime.HandlerNotFound (or Runtime.ImportModuleError for a missing module)',
    fix: "set handler to the name of a function defined in the index file, e.g. 'handler' for def handler(event, context)",
    docUrl: `${LAMBDA_DG}/python-handler.html`,
  }),
  SNAPSTART_REGIONS: rule({
    id: 'SNAPSTART_REGIONS',
    rule: 'SnapStart is available in all commercial Regions except Asia Pacific (New Zealand) and Asia Pacific (Taipei)',
    why: 'the deployment fails in a Region without SnapStart',
    fix: 'deploy this stack to a Region with SnapStart, or use coldStart: ColdStartStrategy.provisionedConcurrency({...}) or onDemand() there',
    docUrl: `${LAMBDA_DG}/snapstart.html`,
  }),
  // --- compliance rules (PCS*, remediation, CLI): h14-compliance ---
  SNAPSTART_NO_CONTAINER_IMAGE: rule({
    id: 'SNAPSTART_NO_CONTAINER_IMAGE',
    rule: 'Lambda does not support SnapStart for container images',
    why: 'the deployment fails',
    fix: 'set SnapStart.ApplyOn to None on image functions, or package the function as a .zip',
    docUrl: `${LAMBDA_DG}/snapstart.html#snapstart-runtimes`,
  }),
  SNAPSTART_PUBLISHED_VERSIONS: rule({
    id: 'SNAPSTART_PUBLISHED_VERSIONS',
    rule: 'SnapStart applies to published function versions and aliases that point at them, never to $LATEST',
    why: 'invocations of $LATEST are never restored from a snapshot and pay the full init',
    fix: 'publish a version and invoke it through an alias (fn.currentVersion; SAM: AutoPublishAlias)',
    docUrl: `${LAMBDA_DG}/snapstart-activate.html`,
  }),
  PROVISIONED_CONCURRENCY_PUBLISHED_VERSION: rule({
    id: 'PROVISIONED_CONCURRENCY_PUBLISHED_VERSION',
    rule: 'Provisioned concurrency applies only to a published version or an alias of one, never to $LATEST',
    why: 'Lambda rejects it ("Provisioned Concurrency Configs cannot be applied to unpublished function versions")',
    fix: 'point the alias at a published version (fn.currentVersion), or with SAM set AutoPublishAlias',
    docUrl: `${LAMBDA_DG}/provisioned-concurrency.html`,
  }),
  PROVISIONED_CONCURRENCY_AUTO_SCALING: rule({
    id: 'PROVISIONED_CONCURRENCY_AUTO_SCALING',
    rule: 'Application Auto Scaling manages provisioned concurrency of an alias (dimension lambda:function:ProvisionedConcurrency, resource id function:<name>:<alias>); its MinCapacity is provisioned',
    why: 'fixed provisioned concurrency is paid around the clock and spills over into cold starts at peaks',
    fix: 'alias.addAutoScaling({ minCapacity, maxCapacity }).scaleOnUtilization({ utilizationTarget: 0.7 })',
    docUrl: `${LAMBDA_DG}/provisioned-concurrency.html`,
  }),
  ARM64_PRICE: rule({
    id: 'ARM64_PRICE',
    rule: 'Lambda duration and provisioned concurrency on arm64 (Graviton) are priced about 20% below x86_64',
    why: 'x86_64 functions pay more for the same work',
    fix: 'set Architectures to ["arm64"] and bundle aarch64 wheels',
    docUrl: 'https://aws.amazon.com/lambda/pricing/',
  }),
  READ_ONLY_CODE_DIRECTORY: rule({
    id: 'READ_ONLY_CODE_DIRECTORY',
    rule: 'Lambda extracts the deployment package into a read-only directory, so Python cannot write __pycache__ there',
    why: 'every module without a usable .pyc for the runtime\'s Python is compiled again on every cold start',
    fix: 'compile the bundle with the runtime\'s Python: python3.12 -m compileall -q --invalidation-mode unchecked-hash <dir>',
    docUrl: `${LAMBDA_DG}/python-package.html`,
  }),
  WARM_THE_ALIAS: rule({
    id: 'WARM_THE_ALIAS',
    rule: 'Execution environments of $LATEST are separate from those of an alias or version: invoking the unqualified function warms none of the alias\'s environments',
    why: 'the warmer pays for environments no alias caller uses',
    fix: 'target the alias ARN (Ref of the AWS::Lambda::Alias, or the function ARN with ":<alias>")',
    docUrl: `${LAMBDA_DG}/configuration-aliases.html`,
  }),
  MEMORY_ALLOCATES_CPU: rule({
    id: 'MEMORY_ALLOCATES_CPU',
    rule: 'Lambda allocates CPU power in proportion to the memory configured',
    why: 'Python init (imports, bytecode loading) is CPU-bound and runs slower on small functions',
    fix: 'raise MemorySize (1024 MB or more for functions with heavy imports)',
    docUrl: `${LAMBDA_DG}/configuration-memory.html`,
  }),
  // --- end h14-compliance ---
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

/**
 * Commercial Regions without SnapStart (AWS_RULES.SNAPSTART_REGIONS): Asia Pacific (New Zealand) and
 * Asia Pacific (Taipei).
 */
export const SNAPSTART_UNSUPPORTED_REGIONS: readonly string[] = ['ap-southeast-6', 'ap-east-2'];

/** Lower bounds of the rules above whose range does not start at 0 (their `limit` is the upper bound). */
export const RULE_MINIMUMS = {
  /** AWS_RULES.LAMBDA_MEMORY: 128 MB. */
  LAMBDA_MEMORY: 128,
  /** AWS_RULES.LAMBDA_TIMEOUT: 1 s. */
  LAMBDA_TIMEOUT: 1,
  /** AWS_RULES.PROVISIONED_UTILIZATION_TARGET: 0.1. */
  PROVISIONED_UTILIZATION_TARGET: 0.1,
  /** AWS_RULES.PROVISIONED_CAPACITY and SCHEDULED_ACTION_CHANGE: one environment. */
  PROVISIONED_CAPACITY: 1,
} as const;

/** `Lambda does not support X (see https://docs.aws.amazon.com/...)`: the rule with its source, for messages. */
export function ruleText(r: AwsRule): string {
  return `${r.rule} (see ${r.docUrl})`;
}
