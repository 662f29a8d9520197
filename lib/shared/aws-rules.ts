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
} as const;

/** `Lambda does not support X (see https://docs.aws.amazon.com/...)`: the rule with its source, for messages. */
export function ruleText(r: AwsRule): string {
  return `${r.rule} (see ${r.docUrl})`;
}
