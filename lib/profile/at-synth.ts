import * as fs from 'fs';
import { Annotations, AssetStaging, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { InitProfileOutcome, PROFILE_FAKE_REGION, runInitProfile } from './profiler';
import { InitProfileBudgetLevel, InitProfileOptions, InitProfileResult } from './types';

/** Node metadata type under which the profile is recorded on the function (read by the compliance checks). */
export const INIT_PROFILE_METADATA_TYPE = 'cdk-python-coldstart:init-profile';

/** Data of the `cdk-python-coldstart:init-profile` metadata entry. */
export interface InitProfileMetadata {
  readonly totalMs: number;
  readonly budgetMs?: number;
  readonly top: { readonly module: string; readonly cumulativeMs: number }[];
}

/** What the function construct knows about the staged function. Internal. */
export interface SynthProfileTarget {
  /** Staged code directory (the function's asset). */
  readonly codeDir: string;
  /** Staged layer directories, in the function's layer order (each with `python/` inside). */
  readonly layerDirs: string[];
  readonly handler: string;
  readonly runtime: lambda.Runtime;
  /** The function's environment variables (tokens allowed: they become a placeholder). */
  readonly environment?: { [key: string]: string };
  readonly functionName?: string;
  readonly memorySize?: number;
}

const ID_INFO = 'cdk-python-coldstart:initProfile';
const ID_UNAVAILABLE = 'cdk-python-coldstart:initProfileUnavailable';
const ID_OVER_BUDGET = 'cdk-python-coldstart:initProfileOverBudget';
const ID_INIT_FAILS = 'cdk-python-coldstart:initProfileInitFails';

/**
 * Profiles the function's init at synth time (opt-in: it runs the handler module's import-time code
 * locally) and reports it on `scope`: an info annotation with the total and the heaviest imports, a
 * warning or error over budget, and the `cdk-python-coldstart:init-profile` metadata entry.
 * Internal: called by OptimizedPythonFunction when its profiling prop is set.
 */
export function profileAtSynth(scope: IConstruct, target: SynthProfileTarget, options: InitProfileOptions = {}): InitProfileOutcome | undefined {
  validateInitProfileOptions(scope, options);
  const annotations = Annotations.of(scope);
  if (!Stack.of(scope).bundlingRequired) {
    annotations.addInfoV2(ID_INFO, 'Init profile skipped: assets of this stack are not bundled in this synthesis (bundlingStacks).');
    return undefined;
  }
  const level = options.budgetLevel ?? InitProfileBudgetLevel.WARNING;
  const report = (id: string, message: string) => {
    if (level.level === 'error') {
      annotations.addError(message);
    } else {
      annotations.addWarningV2(id, message);
    }
  };

  const outcome = runInitProfile({
    codeDir: target.codeDir,
    layerDirs: target.layerDirs,
    handler: target.handler,
    runtime: target.runtime,
    environment: target.environment,
    functionName: target.functionName,
    memorySize: target.memorySize,
    timeout: options.timeout,
    topImports: options.topImports,
    pythonExecutable: options.pythonExecutable,
  });

  if (outcome.failure) {
    const f = outcome.failure;
    if (f.environmental) {
      // About this machine, not the function: never fail the synth for it.
      annotations.addWarningV2(ID_UNAVAILABLE, `Init profile not run: ${f.message}`);
    } else {
      const tb = f.traceback ? ` Traceback (last lines): ${f.traceback.trim().split('\n').slice(-6).join(' | ')}` : '';
      report(ID_INIT_FAILS, `Init profile: the handler fails at init when imported locally: ${f.message} `
        + 'In Lambda this fails the init phase (and a provisioned concurrency deployment, FUNCTION_ERROR_INIT_FAILURE). '
        + `The profile ran without AWS credentials and with region ${PROFILE_FAKE_REGION}; code that calls AWS at import fails here too.${tb}`);
    }
    return outcome;
  }

  const r = outcome.result!;
  let budgetMs: number | undefined;
  if (options.budget && !options.budget.isUnresolved()) {
    budgetMs = options.budget.toMilliseconds();
  }
  const meta: InitProfileMetadata = {
    totalMs: r.totalMs,
    ...(budgetMs !== undefined ? { budgetMs } : {}),
    top: r.topImports.map((t) => ({ module: t.moduleName, cumulativeMs: t.cumulativeMs })),
  };
  scope.node.addMetadata(INIT_PROFILE_METADATA_TYPE, meta);
  annotations.addInfoV2(ID_INFO, describeProfile(r, budgetMs));

  if (!r.handlerFound) {
    const [mod, fn] = splitHandler(target.handler);
    report(ID_INIT_FAILS, `Init profile: handler '${target.handler}' is not a callable '${fn}' on module '${mod}'. `
      + 'Lambda fails every invocation with Runtime.HandlerNotFound. Fix the handler property or the function name.');
  }
  if (budgetMs !== undefined && r.totalMs > budgetMs) {
    const heaviest = r.topImports.slice(0, 3).map((t) => `${t.moduleName} ${fmt(t.cumulativeMs)} ms`).join(', ');
    report(ID_OVER_BUDGET, `Init profile: init takes ${fmt(r.totalMs)} ms locally, over the budget of ${fmt(budgetMs)} ms`
      + (heaviest ? ` (heaviest imports: ${heaviest})` : '')
      + '. Defer heavy imports and clients to first use (cdk_python_coldstart_runtime.lazy), drop unused dependencies, '
      + 'or raise the budget (initProfile.budget).');
  }
  return outcome;
}

/**
 * Rejects options that cannot work, naming the property (a config error, not a profiling failure).
 * Unresolved durations are skipped. Internal: the function construct may call it at construction.
 */
export function validateInitProfileOptions(scope: IConstruct, options: InitProfileOptions): void {
  const where = `${scope.node.path}: initProfile`;
  if (options.topImports !== undefined && (!Number.isInteger(options.topImports) || options.topImports < 1)) {
    throw new Error(`${where}.topImports must be a positive integer (how many of the heaviest imports to report), got ${options.topImports}`);
  }
  if (options.timeout && !options.timeout.isUnresolved() && options.timeout.toMilliseconds() <= 0) {
    throw new Error(`${where}.timeout must be longer than zero (how long the import may take before the profile gives up)`);
  }
  if (options.budget && !options.budget.isUnresolved() && options.budget.toMilliseconds() <= 0) {
    throw new Error(`${where}.budget must be longer than zero, e.g. Duration.millis(300)`);
  }
}

/**
 * The staged directory of a `lambda.Function` or `lambda.LayerVersion` whose code is a directory asset
 * (`Code.fromAsset(dir)`, bundled or not), found through the public construct tree (the asset's
 * `Code/Stage` AssetStaging). Undefined for inline, S3, image or zip-file code. Internal.
 */
export function stagedAssetDirOf(functionOrLayer: IConstruct): string | undefined {
  const staging = functionOrLayer.node.tryFindChild('Code')?.node.tryFindChild('Stage');
  if (!(staging instanceof AssetStaging)) {
    return undefined;
  }
  const dir = staging.absoluteStagedPath;
  return fs.existsSync(dir) && fs.statSync(dir).isDirectory() ? dir : undefined;
}

/** One-line human summary of a profile. Internal. */
export function describeProfile(r: InitProfileResult, budgetMs?: number): string {
  const top = r.topImports.length
    ? ` Heaviest imports (cumulative): ${r.topImports.map((t) => `${t.moduleName} ${fmt(t.cumulativeMs)} ms`).join(', ')}.`
    : '';
  const compiled = r.modulesCompiledFromSource > 0
    ? ` ${r.modulesCompiledFromSource} module(s) of the bundle have no usable bytecode and are compiled on every cold start.`
    : '';
  return `Init profile (local Python ${r.pythonVersion} on ${r.hostArchitecture}; relative numbers, not Lambda's CPU): `
    + `${fmt(r.totalMs)} ms to import the handler module, ${fmt(r.importMs)} ms of it in imports, `
    + `${fmt(r.handlerSelfMs)} ms in its own module-level code${budgetMs !== undefined ? ` (budget ${fmt(budgetMs)} ms)` : ''}.${top}${compiled}`;
}

function splitHandler(handler: string): [string, string] {
  const i = handler.lastIndexOf('.');
  return [handler.slice(0, i).replace(/\//g, '.'), handler.slice(i + 1)];
}

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}
