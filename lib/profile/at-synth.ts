import * as fs from 'fs';
import { Annotations, AssetStaging, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { InitProfileOutcome, MAX_PROFILE_RUNS, MAX_PROFILE_TIMEOUT_S, PROFILE_FAKE_REGION, runInitProfile } from './profiler';
import { InitProfileBudgetLevel, InitProfileOptions, InitProfileResult } from './types';
import { FindingLevel } from '../compliance/types';

/** Node metadata type under which the profile is recorded on the function (read by the compliance checks). */
export const INIT_PROFILE_METADATA_TYPE = 'cdk-python-coldstart:init-profile';

/** Data of the `cdk-python-coldstart:init-profile` metadata entry. */
export interface InitProfileMetadata {
  /** Median total init (imports + module-level code) of the counted runs. */
  readonly totalMs: number;
  readonly importMs: number;
  readonly moduleCodeMs: number;
  readonly runs: number;
  readonly spreadMs: number;
  readonly firstRunMs?: number;
  readonly budgetMs?: number;
  /** Noise margin: over budget means totalMs > budgetMs + marginMs. */
  readonly marginMs?: number;
  /** The median run's heaviest imports. */
  readonly top: { readonly module: string; readonly cumulativeMs: number }[];
}

/** Cold-start strategy of the profiled function, for advice that fits it. Internal. */
export type ProfiledStrategy = string; // a ColdStartMode value: SNAP_START, PROVISIONED_CONCURRENCY, ON_DEMAND

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
  /** The function's cold-start strategy (advice differs: with SnapStart init runs at publish). */
  readonly strategy?: ProfiledStrategy;
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
  const level = budgetLevelOf(options.budgetLevel);
  const report = (id: string, message: string) => {
    if (level === FindingLevel.ERROR) {
      annotations.addError(message);
    } else if (level === FindingLevel.WARNING) {
      annotations.addWarningV2(id, message);
    } else {
      annotations.addInfoV2(id, message);
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
    runs: options.runs,
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
    budgetMs = options.budget.toMilliseconds({ integral: false });
  }
  const marginMs = budgetMs === undefined ? undefined
    : options.budgetMargin && !options.budgetMargin.isUnresolved() ? options.budgetMargin.toMilliseconds({ integral: false })
      : round1(budgetMs * 0.1);
  const meta: InitProfileMetadata = {
    totalMs: r.totalMs,
    importMs: r.importMs,
    moduleCodeMs: r.handlerSelfMs,
    runs: r.runs,
    spreadMs: r.spreadMs,
    ...(r.firstRunMs !== undefined ? { firstRunMs: r.firstRunMs } : {}),
    ...(budgetMs !== undefined ? { budgetMs, marginMs } : {}),
    top: r.topImports.map((t) => ({ module: t.moduleName, cumulativeMs: t.cumulativeMs })),
  };
  scope.node.addMetadata(INIT_PROFILE_METADATA_TYPE, meta);
  annotations.addInfoV2(ID_INFO, describeProfile(r, budgetMs, marginMs));

  if (!r.handlerFound) {
    const [mod, fn] = splitHandler(target.handler);
    report(ID_INIT_FAILS, `Init profile: handler '${target.handler}' is not a callable '${fn}' on module '${mod}'. `
      + 'Lambda fails every invocation with Runtime.HandlerNotFound. Fix the handler property or the function name.');
  }
  if (budgetMs !== undefined && isOverBudget(r.totalMs, budgetMs, marginMs!)) {
    const heaviest = r.topImports.slice(0, 3).map((t) => `${t.moduleName} ${fmt(t.cumulativeMs)} ms`).join(', ');
    report(ID_OVER_BUDGET, `Init profile: init (imports ${fmt(r.importMs)} ms + module-level code ${fmt(r.handlerSelfMs)} ms) `
      + `takes ${fmt(r.totalMs)} ms locally (${runsText(r)}), over the budget of ${fmt(budgetMs)} ms `
      + `plus its noise margin of ${fmt(marginMs!)} ms`
      + (heaviest ? `. Heaviest imports of the median run: ${heaviest}` : '')
      + `. ${initAdvice(target.strategy)}`);
  }
  return outcome;
}

/** Over budget: the median exceeds the budget plus the noise margin. Internal. */
export function isOverBudget(medianMs: number, budgetMs: number, marginMs: number): boolean {
  return medianMs > budgetMs + marginMs;
}

/**
 * What to do about a slow init, for the function's strategy: with SnapStart init runs once when a
 * version is published and requests see the restore; with provisioned concurrency init runs in the
 * provisioned environments (ahead of requests) and in every environment beyond them. Internal.
 */
export function initAdvice(strategy?: ProfiledStrategy): string {
  const trim = 'Defer heavy imports and clients to first use (cdk_python_coldstart_runtime.lazy), drop unused dependencies, '
    + 'or raise the budget (initProfile.budget)';
  switch (strategy) {
    case 'SNAP_START':
      return 'With SnapStart this init runs once when each version is published, not on requests (they see the restore); '
        + 'a long init slows every deploy and anything left to do after restore. '
        + `${trim}.`;
    case 'PROVISIONED_CONCURRENCY':
      return 'With provisioned concurrency this init runs in each provisioned environment before it takes requests, '
        + 'and on the request path of every environment beyond the provisioned ones (spillover). '
        + `${trim}.`;
    case 'ON_DEMAND':
      return `Every new environment runs this init in front of its first request. ${trim}, or use SnapStart (ColdStartStrategy.snapStart()).`;
    default:
      return `${trim}.`;
  }
}

/** The level a budgetLevel value stands for (FindingLevel, or the former InitProfileBudgetLevel). Internal. */
export function budgetLevelOf(value: FindingLevel | InitProfileBudgetLevel | undefined): FindingLevel {
  if (value === undefined) {
    return FindingLevel.WARNING;
  }
  const v = value instanceof InitProfileBudgetLevel ? value.level : String(value);
  switch (v.toLowerCase()) {
    case 'error': return FindingLevel.ERROR;
    case 'warning': return FindingLevel.WARNING;
    case 'info': return FindingLevel.INFO;
    default: throw new Error(`initProfile.budgetLevel must be a FindingLevel (FindingLevel.WARNING, FindingLevel.ERROR or FindingLevel.INFO), got ${v}`);
  }
}

function runsText(r: InitProfileResult): string {
  if (r.runs === 1) {
    return '1 run';
  }
  return `median of ${r.runs - (r.firstRunMs !== undefined ? 1 : 0)} runs, spread ${fmt(r.spreadMs)} ms`
    + (r.firstRunMs !== undefined ? `, first run ${fmt(r.firstRunMs)} ms not counted` : '');
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
  if (options.timeout && !options.timeout.isUnresolved() && options.timeout.toSeconds({ integral: false }) > MAX_PROFILE_TIMEOUT_S) {
    throw new Error(`${where}.timeout must be at most ${MAX_PROFILE_TIMEOUT_S / 60} minutes, got ${options.timeout.toHumanString()}`);
  }
  if (options.budget && !options.budget.isUnresolved() && options.budget.toMilliseconds({ integral: false }) <= 0) {
    throw new Error(`${where}.budget must be longer than zero, e.g. Duration.millis(300)`);
  }
  if (options.budgetMargin && !options.budgetMargin.isUnresolved() && options.budgetMargin.toMilliseconds({ integral: false }) < 0) {
    throw new Error(`${where}.budgetMargin must not be negative`);
  }
  if (options.runs !== undefined && (!Number.isInteger(options.runs) || options.runs < 1 || options.runs > MAX_PROFILE_RUNS)) {
    throw new Error(`${where}.runs must be a whole number from 1 to ${MAX_PROFILE_RUNS} (the median is compared with the budget), got ${options.runs}`);
  }
  budgetLevelOf(options.budgetLevel);
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
export function describeProfile(r: InitProfileResult, budgetMs?: number, marginMs?: number): string {
  const top = r.topImports.length
    ? ` Heaviest imports of the median run (cumulative): ${r.topImports.map((t) => `${t.moduleName} ${fmt(t.cumulativeMs)} ms`).join(', ')}.`
    : '';
  const compiled = r.modulesCompiledFromSource > 0
    ? ` ${r.modulesCompiledFromSource} module(s) of the bundle have no usable bytecode and are compiled on every cold start.`
    : '';
  const budget = budgetMs === undefined ? ''
    : ` (budget ${fmt(budgetMs)} ms${marginMs !== undefined ? ` + ${fmt(marginMs)} ms noise margin` : ''})`;
  return `Init profile (local Python ${r.pythonVersion} on ${r.hostArchitecture}; relative numbers, not Lambda's CPU): `
    + `${fmt(r.totalMs)} ms to import the handler module (${runsText(r)}): ${fmt(r.importMs)} ms in imports, `
    + `${fmt(r.handlerSelfMs)} ms in its own module-level code${budget}.${top}${compiled}`;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function splitHandler(handler: string): [string, string] {
  const i = handler.lastIndexOf('.');
  return [handler.slice(0, i).replace(/\//g, '.'), handler.slice(i + 1)];
}

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}
