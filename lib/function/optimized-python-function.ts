import * as path from 'path';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AliasOptions } from './alias-options';
import { validateFunctionProps } from './validation';
import {
  addProvisionedConcurrencyScaling,
  ColdStartMode,
  ColdStartStrategy,
  ProvisionedConcurrencyOptions,
} from '../concurrency/cold-start-strategy';

/**
 * Properties of an `OptimizedPythonFunction`. Every `lambda.FunctionOptions` property (memory, timeout,
 * environment, VPC, role, ...) is passed through to the underlying `lambda.Function`.
 */
export interface OptimizedPythonFunctionProps extends lambda.FunctionOptions {
  /**
   * Folder with the handler code and, optionally, its dependency spec (`requirements.txt`, `uv.lock`,
   * `poetry.lock` or `Pipfile.lock`). Dependencies go into a `PythonDependenciesLayer`; the handler code
   * is bundled without them.
   */
  readonly entry: string;

  /**
   * The handler's file, relative to `entry`.
   *
   * @default 'index.py'
   */
  readonly index?: string;

  /**
   * The handler function's name inside `index`.
   *
   * @default 'handler'
   */
  readonly handler?: string;

  /**
   * The Python runtime. python3.12 is the oldest runtime with SnapStart for Python.
   *
   * @default lambda.Runtime.PYTHON_3_12
   */
  readonly runtime?: lambda.Runtime;

  /**
   * How cold starts are avoided: SnapStart, auto-scaled provisioned concurrency, or neither.
   *
   * @default ColdStartStrategy.snapStart()
   */
  readonly coldStart?: ColdStartStrategy;

  /**
   * Name of the alias created on the current version. Callers, warmers and provisioned concurrency all
   * use this alias, never `$LATEST`.
   *
   * @default 'live'
   */
  readonly aliasName?: string;

  /**
   * More aliases on the current version (for example a `dev` alias beside `prod`), each with its own
   * provisioned concurrency when the strategy is `provisionedConcurrency`.
   *
   * @default - only the default alias
   */
  readonly additionalAliases?: AliasOptions[];

  /**
   * Retention of the function's log group, created explicitly so it is not left forever with infinite
   * retention by Lambda's implicit log group. Ignored when `logGroup` is given.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logGroupRetention?: logs.RetentionDays;
}

/** Memory default: CPU is allocated in proportion to memory, and init (imports) is CPU-bound. */
export const DEFAULT_MEMORY_MB = 1024;

/**
 * A Python Lambda function built for fast cold starts: Python 3.12 on arm64, dependencies in a
 * precompiled layer, handler code precompiled, SnapStart or auto-scaled provisioned concurrency on
 * an alias, and every combination AWS would reject caught at synth time.
 */
export class OptimizedPythonFunction extends Construct {
  /**
   * The underlying Lambda function.
   */
  public readonly function: lambda.Function;

  /**
   * The default alias (`live` unless renamed). Invoke, warm and monitor this alias.
   */
  public readonly alias: lambda.Alias;

  /**
   * Every alias: the default one first, then `additionalAliases` in order.
   */
  public readonly aliases: lambda.Alias[];

  /**
   * The version the aliases point at; a new one is published whenever code or configuration changes.
   */
  public readonly currentVersion: lambda.Version;

  /**
   * The function's log group.
   */
  public readonly logGroup: logs.ILogGroup;

  /**
   * The cold-start strategy in force.
   */
  public readonly coldStartStrategy: ColdStartStrategy;

  /**
   * The runtime of the function.
   */
  public readonly runtime: lambda.Runtime;

  /**
   * The architecture of the function.
   */
  public readonly architecture: lambda.Architecture;

  constructor(scope: Construct, id: string, props: OptimizedPythonFunctionProps) {
    super(scope, id);

    const runtime = props.runtime ?? lambda.Runtime.PYTHON_3_12;
    const architecture = props.architecture ?? lambda.Architecture.ARM_64;
    const strategy = props.coldStart ?? ColdStartStrategy.snapStart();
    const aliasName = props.aliasName ?? 'live';
    const index = props.index ?? 'index.py';
    const handlerName = props.handler ?? 'handler';

    validateFunctionProps(this, props, { runtime, strategy, aliasName, index, handlerName });

    this.runtime = runtime;
    this.architecture = architecture;
    this.coldStartStrategy = strategy;

    this.logGroup = props.logGroup
      ? logs.LogGroup.fromLogGroupArn(this, 'ImportedLogGroup', props.logGroup.logGroupRef.logGroupArn)
      : new logs.LogGroup(this, 'LogGroup', { retention: props.logGroupRetention ?? logs.RetentionDays.ONE_MONTH });

    const moduleName = index.replace(/\.py$/, '').split(path.sep).join('.').split('/').join('.');

    this.function = new lambda.Function(this, 'Function', {
      ...props,
      runtime,
      architecture,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
      handler: `${moduleName}.${handlerName}`,
      code: lambda.Code.fromAsset(props.entry),
      logGroup: props.logGroup ?? this.logGroup,
      snapStart: strategy.mode === ColdStartMode.SNAP_START ? lambda.SnapStartConf.ON_PUBLISHED_VERSIONS : props.snapStart,
    });

    this.currentVersion = this.function.currentVersion;

    const aliasSpecs: AliasOptions[] = [
      { aliasName, provisionedConcurrency: strategy.provisionedConcurrencyOptions },
      ...(props.additionalAliases ?? []),
    ];
    this.aliases = aliasSpecs.map((spec, i) => this.createAlias(spec, i === 0));
    this.alias = this.aliases[0];
  }

  /**
   * Grants invoke permission on the default alias only (never the unqualified function).
   */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return this.alias.grantInvoke(grantee);
  }

  private createAlias(spec: AliasOptions, isDefault: boolean): lambda.Alias {
    const pc: ProvisionedConcurrencyOptions | undefined = spec.provisionedConcurrency;
    const alias = new lambda.Alias(this, isDefault ? 'Alias' : `Alias-${spec.aliasName}`, {
      aliasName: spec.aliasName,
      description: spec.description,
      version: this.currentVersion,
      // PC lives on the alias, never on $LATEST or a Version resource: repointing the alias moves
      // it to the new version (aws-facts: Provisioned concurrency).
      provisionedConcurrentExecutions: pc?.minCapacity,
    });
    if (pc) {
      addProvisionedConcurrencyScaling(alias, pc);
    }
    return alias;
  }
}
