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
