import { Annotations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AliasOptions } from './alias-options';
import { leastPrivilegeRole, resolveLogRetention, withoutLogRetention } from './execution-role';
import { AliasDelegatingFunction } from './function-delegation';
import { ColdStartMonitoringOptions } from './monitoring-options';
import { powertoolsMetricsFor } from './powertools-hook';
import { sharedDependenciesLayer } from './shared-layer';
import { validateFunctionProps } from './validation';
import { versionCoversLayers } from './versioning';
import { PythonHandlerCode } from '../bundling/handler-code';
import { PythonDependenciesLayer } from '../bundling/layer';
import { PythonBundlingOptions } from '../bundling/options';
import { checkDeploymentSize, DeploymentSizePart } from '../bundling/size-guard';
import {
  addProvisionedConcurrencyScaling,
  ColdStartMode,
  ColdStartStrategy,
  ProvisionedConcurrencyOptions,
} from '../concurrency/cold-start-strategy';
import { FunctionCostEstimateOptions, reportCostAtSynth } from '../cost/at-synth';
import { InitDurationDashboard } from '../observability/dashboard';
import { monitorFunction } from '../observability/function-monitoring';
import { ColdStartMonitor } from '../observability/monitor';
import { ColdStartDashboard } from '../observability/stack-dashboard';
import { profileAtSynth, stagedAssetDirOf, validateInitProfileOptions } from '../profile/at-synth';
import { InitProfileOptions } from '../profile/types';
import { WarmupHandler } from '../warmup/handler';
import { WarmupOptions } from '../warmup/options';
import { StackWarmer } from '../warmup/stack-warmer';
import { resolveWarmupOptions } from '../warmup/validation';
import { warmAlias } from '../warmup/warm-alias';

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
   * `logRetention` (the `lambda.FunctionOptions` property) means the same here: it sets this log group's
   * retention instead of creating CDK's log-retention custom resource. Setting both to different values, or
   * `logRetention` together with your own `logGroup`, is an error.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logGroupRetention?: logs.RetentionDays;

  /**
   * How the handler code and the dependencies layer are bundled (interpreter, pip environment, optional
   * optimizations, Docker). The function's `runtime` and `architecture` always apply.
   *
   * @default - local bundling with a Python of the runtime's version, Docker fallback, precompile only
   */
  readonly bundling?: PythonBundlingOptions;

  /**
   * The dependency specification, relative to `entry`, instead of detection.
   *
   * @default - detected in `entry`: requirements.txt, uv.lock, poetry.lock, Pipfile.lock
   */
  readonly dependencyFile?: string;

  /**
   * A dependencies layer to use instead of building one from `entry` (share one layer between
   * functions with the same dependencies). Its runtime and architecture must match the function's.
   *
   * @default - a PythonDependenciesLayer from the dependency spec in `entry`, if there is one. Functions of one
   * stack whose dependency specs have the same content and the same bundling options share that layer (one
   * LayerVersion, a child of the stack named after the dependency set), whatever their `entry` folders.
   */
  readonly dependenciesLayer?: PythonDependenciesLayer;

  /**
   * Extra glob patterns left out of the handler code (dependency specs, virtualenvs, tests and caches are
   * always left out).
   *
   * @default - the defaults only
   */
  readonly exclude?: string[];

  /**
   * Bundle the library's runtime kit (`cdk_python_coldstart_runtime`: warm-up short-circuit, wrapper
   * handler, SnapStart-aware lazy initialisation) with the handler code. A few kilobytes; always bundled
   * when `warmup` uses the wrapper handler.
   *
   * @default true
   */
  readonly includeRuntimeKit?: boolean;

  /**
   * Warn at synth when handler code plus layers exceed this many MB unzipped (Lambda's 250 MB limit
   * always fails synthesis).
   *
   * @default 100
   */
  readonly sizeBudgetMb?: number;

  /**
   * A warm-up schedule on the default alias. Off by default: with SnapStart (the default) warming trades
   * invocation cost against restore cost, and with provisioned concurrency it only adds cost (it is then
   * skipped with a warning unless `warmup.force` is set).
   *
   * @default - no warmer
   */
  readonly warmup?: WarmupOptions;

  /**
   * With `warmup`, run the handler through the runtime kit's zero-change wrapper
   * (`cdk_python_coldstart_runtime.wrapper.handler`), which imports your handler at init and answers
   * warm-up events before your code runs. Set false when your handler uses the
   * `@warmup_aware` decorator itself.
   *
   * @default true
   */
  readonly warmupWrapper?: boolean;

  /**
   * Cold-start metric filter, alarms and dashboard row.
   *
   * @default - one metric filter and one alarm (500 ms p95 budget, no action) for the metric the
   * strategy produces, and a row on the stack's shared `ColdStartDashboard`
   */
  readonly monitoring?: ColdStartMonitoringOptions;

  /**
   * Profile the handler's init at synth: import it in a fresh Python of the runtime's version with the
   * bundled code and layers, and report total init time and the heaviest imports. Runs your code on the
   * build machine (with a scrubbed environment and no AWS credentials), so it is opt-in.
   *
   * @default - not profiled
   */
  readonly initProfile?: InitProfileOptions;

  /**
   * Report at synth the monthly cost of each cold-start strategy (on demand, SnapStart, provisioned
   * concurrency, warmup) for this traffic, with this function's memory, architecture and region, as
   * an info annotation and `cdk-python-coldstart:cost-estimate` metadata.
   *
   * @default - no estimate
   * @see https://aws.amazon.com/lambda/pricing/
   */
  readonly costEstimate?: FunctionCostEstimateOptions;
}

/** Memory default: CPU is allocated in proportion to memory, and init (imports) is CPU-bound. */
export const DEFAULT_MEMORY_MB = 1024;

/**
 * A Python Lambda function built for fast cold starts: Python 3.12 on arm64, dependencies in a
 * precompiled layer, handler code precompiled, SnapStart or auto-scaled provisioned concurrency on
 * an alias, and every combination AWS would reject caught at synth time.
 */
export class OptimizedPythonFunction extends AliasDelegatingFunction {
  /**
   * The underlying Lambda function.
   *
   * Pass the construct itself (it is a `lambda.IFunction` that invokes the default alias) or `alias` to
   * integrations, event sources and `grantInvoke`: invoking `function` directly calls `$LATEST`, which
   * bypasses SnapStart and provisioned concurrency.
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
   * The version the aliases point at. A new one is published whenever the code, a layer or any option
   * that changes the bundle changes, with or without the feature flag
   * `@aws-cdk/aws-lambda:recognizeLayerVersion`; an unchanged app publishes none.
   *
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html
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

  /**
   * The dependencies layer, when the entry has a dependency spec or one was passed in.
   */
  public readonly dependenciesLayer?: PythonDependenciesLayer;

  /**
   * The stack's warmer, when `warmup` is set and the alias is warmed (one `StackWarmer` per stack
   * warms every warmed alias of the stack).
   */
  public readonly warmer?: StackWarmer;

  /**
   * The function's own cold-start dashboard (with its metric filters and alarms), only with
   * `monitoring.perFunctionDashboard` (or `monitoring.dashboardName`).
   */
  public readonly dashboard?: InitDurationDashboard;

  /**
   * The function's cold-start metric filter and alarms, unless monitoring is disabled or the function
   * has its own dashboard.
   */
  public readonly coldStartMonitor?: ColdStartMonitor;

  /**
   * The shared dashboard this function's row is on (the stack's by default).
   */
  public readonly coldStartDashboard?: ColdStartDashboard;

  /**
   * The handler string Lambda calls (the runtime kit's wrapper when warmup wraps the handler).
   */
  public readonly handler: string;

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

    const logRetention = resolveLogRetention(this, props);
    this.logGroup = props.logGroup
      ? logs.LogGroup.fromLogGroupArn(this, 'ImportedLogGroup', props.logGroup.logGroupRef.logGroupArn)
      : new logs.LogGroup(this, 'LogGroup', { retention: logRetention ?? logs.RetentionDays.ONE_MONTH });

    const moduleName = index.replace(/\.py$/, '').split(/[\\/]/).join('.');
    const userHandler = `${moduleName}.${handlerName}`;
    const warmup = props.warmup ? resolveWarmupOptions(props.warmup, 'warmup.') : undefined;
    const wrap = warmup !== undefined && props.warmupWrapper !== false;
    const wrapped = wrap ? WarmupHandler.wrap(userHandler) : undefined;
    this.handler = wrapped?.handler ?? userHandler;
    if (props.initProfile) {
      validateInitProfileOptions(this, props.initProfile);
    }

    const bundling: PythonBundlingOptions = { ...props.bundling, runtime, architecture };
    this.dependenciesLayer = props.dependenciesLayer ?? this.createDependenciesLayer(props, bundling);
    const code = PythonHandlerCode.fromEntry(props.entry, {
      ...bundling,
      exclude: props.exclude,
      dependencyFile: props.dependencyFile,
      includeRuntimeKit: wrap || (props.includeRuntimeKit ?? true),
    });

    this.function = new lambda.Function(this, 'Function', {
      ...withoutLogRetention(props),
      runtime,
      architecture,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
      handler: this.handler,
      code,
      environment: { ...props.environment, ...wrapped?.environment },
      layers: [...(this.dependenciesLayer ? [this.dependenciesLayer] : []), ...(props.layers ?? [])],
      logGroup: props.logGroup ?? this.logGroup,
      // Without a role of the user's: logs:CreateLogStream/PutLogEvents on this log group only.
      role: props.role ?? leastPrivilegeRole(this, props, this.logGroup),
      snapStart: strategy.mode === ColdStartMode.SNAP_START ? lambda.SnapStartConf.ON_PUBLISHED_VERSIONS : props.snapStart,
    });
    // A dependency-only change must publish a new version the aliases point at, with or without
    // @aws-cdk/aws-lambda:recognizeLayerVersion (see docs/versions.md).
    versionCoversLayers(this.function, [...(this.dependenciesLayer ? [this.dependenciesLayer] : []), ...(props.layers ?? [])]);

    this.currentVersion = this.function.currentVersion;
    if (strategy.mode === ColdStartMode.SNAP_START) {
      // CDK warns that SnapStart only applies to published versions: this construct always publishes
      // currentVersion and points the aliases at it.
      Annotations.of(this.function).acknowledgeWarning('@aws-cdk/aws-lambda:snapStartRequirePublish',
        'OptimizedPythonFunction publishes currentVersion and points its aliases at it');
    }

    const aliasSpecs: AliasOptions[] = [
      { aliasName, provisionedConcurrency: strategy.provisionedConcurrencyOptions },
      ...(props.additionalAliases ?? []),
    ];
    this.aliases = aliasSpecs.map((spec, i) => this.createAlias(spec, i === 0));
    this.alias = this.aliases[0];

    this.checkSize(code, props);

    if (warmup && props.warmup) {
      // One warmer per stack: this alias becomes one of its targets (lib/warmup/stack-warmer.ts).
      this.warmer = warmAlias(this, props.warmup, this.alias,
        // PC on the default alias already keeps environments initialised (aws-facts: Warmers).
        strategy.mode === ColdStartMode.PROVISIONED_CONCURRENCY);
    }

    // Powertools users: its ColdStart metric joins the function's row (powertools-hook.ts).
    const powertools = powertoolsMetricsFor(this, props);
    const monitoringOptions = powertools.length === 0 ? props.monitoring
      : { ...props.monitoring, additionalMetrics: [...(props.monitoring?.additionalMetrics ?? []), ...powertools] };
    const monitoring = monitorFunction(this, monitoringOptions, {
      function: this.function,
      logGroup: this.logGroup,
      logFormat: props.loggingFormat ?? lambda.LoggingFormat.TEXT,
      snapStart: strategy.mode === ColdStartMode.SNAP_START || props.snapStart !== undefined,
      label: this.node.path,
      aliases: aliasSpecs.map((spec, i) => ({ alias: this.aliases[i], provisionedConcurrency: spec.provisionedConcurrency !== undefined })),
    });
    this.dashboard = monitoring.dashboard;
    this.coldStartMonitor = monitoring.monitor;
    this.coldStartDashboard = monitoring.sharedDashboard;

    if (props.initProfile) {
      const codeDir = stagedAssetDirOf(this.function);
      if (codeDir !== undefined) {
        const layerDirs = this.dependenciesLayer ? [stagedAssetDirOf(this.dependenciesLayer)].filter((d): d is string => d !== undefined) : [];
        profileAtSynth(this.function, {
          codeDir,
          layerDirs,
          handler: this.handler,
          runtime,
          environment: { ...props.environment, ...wrapped?.environment },
          functionName: props.functionName,
          memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
          strategy: strategy.mode,
        }, { pythonExecutable: props.bundling?.pythonExecutable, ...props.initProfile });
      }
    }
    if (props.costEstimate) {
      reportCostAtSynth(this, props.costEstimate, {
        memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
        architecture,
        strategy: strategy.mode,
        provisionedConcurrency: strategy.provisionedConcurrencyOptions?.minCapacity,
        warmupConcurrency: warmup?.concurrencyKnown ? warmup.concurrency : undefined,
      });
    }
  }

  private createDependenciesLayer(props: OptimizedPythonFunctionProps, bundling: PythonBundlingOptions): PythonDependenciesLayer | undefined {
    // Same dependency set in the same stack: one stack-level layer, bundled and measured once (shared-layer.ts).
    // Handler-code-only options (alpha parity) do not make another dependency set and never reach the layer;
    // the function's outputPathSuffix ('' for a function) is about the handler code, the layer is always python/.
    const layerBundling: PythonBundlingOptions = {
      ...bundling,
      assetHash: undefined,
      assetExcludes: undefined,
      commandHooks: undefined,
      outputPathSuffix: undefined,
    };
    return sharedDependenciesLayer(this, props.entry, props.dependencyFile, layerBundling);
  }

  /**
   * Lambda's 250 MB unzipped limit covers code plus every layer.
   * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
   */
  private checkSize(code: lambda.Code, props: OptimizedPythonFunctionProps): void {
    const codeSize = PythonHandlerCode.sizeOf(code);
    if (codeSize === undefined) {
      return; // bundling skipped for this stack
    }
    const parts: DeploymentSizePart[] = [{ label: 'handler code', bytes: codeSize.unzippedBytes }];
    if (this.dependenciesLayer) {
      parts.push({ label: 'dependencies layer', bytes: this.dependenciesLayer.sizeReport?.unzippedBytes });
    }
    (props.layers ?? []).forEach((l, i) => parts.push({ label: `layers[${i}] ${l.node.id}`, bytes: undefined }));
    checkDeploymentSize(this, parts, props.sizeBudgetMb, parts.length - 1);
  }

  private createAlias(spec: AliasOptions, isDefault: boolean): lambda.Alias {
    const pc: ProvisionedConcurrencyOptions | undefined = spec.provisionedConcurrency;
    // PC lives on the alias, never on $LATEST or a Version resource: repointing the alias moves it to the
    // new version. Application Auto Scaling alone owns its value, so the alias gets no
    // ProvisionedConcurrencyConfig: the scalable target's MinCapacity provisions it (aws-facts: Provisioned
    // concurrency; addProvisionedConcurrencyScaling).
    const alias = new lambda.Alias(this, isDefault ? 'Alias' : `Alias-${spec.aliasName}`, {
      aliasName: spec.aliasName,
      description: spec.description,
      version: this.currentVersion,
    });
    if (pc) {
      addProvisionedConcurrencyScaling(alias, pc);
    }
    return alias;
  }
}
