import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import { ImportTiming, InitProfileResult, InitProfilerProps } from './types';
import { pythonRuntimeInfo } from '../shared/python-runtime';

/** The profiler script shipped in the package (assets/ is part of the npm tarball). */
export const PROFILER_SCRIPT = path.join(__dirname, '..', '..', 'assets', 'profiler', 'profile_init.py');

/** Region the profiled code sees: not a real one, so nothing can accidentally reach a real endpoint. */
export const PROFILE_FAKE_REGION = 'us-coldstart-1';

/** Value given to function environment variables that are unresolved tokens at synth time. */
export const UNRESOLVED_ENV_PLACEHOLDER = 'cdk-python-coldstart-unresolved-token';

/** Default profile timeout, in seconds. */
export const DEFAULT_PROFILE_TIMEOUT_S = 30;

/** Longest timeout of one profile run, in seconds. */
export const MAX_PROFILE_TIMEOUT_S = 3600;

/** Default number of profile runs (the median is reported). */
export const DEFAULT_PROFILE_RUNS = 5;

/** Most profile runs. */
export const MAX_PROFILE_RUNS = 50;

/**
 * Why a profile did not produce a result. Internal.
 * - no-python: no interpreter of the runtime's minor version
 * - architecture: native code for another CPU than this host
 * - init-error: the handler module raised at import (Lambda would fail the init phase)
 * - timeout: the import did not finish in time
 * - other kinds: missing directory, bad handler string, crash
 */
export interface InitProfileFailure {
  readonly kind: string;
  readonly message: string;
  /** True when the failure is about this machine, not the function (no interpreter, foreign native code). */
  readonly environmental: boolean;
  readonly failingModule?: string;
  readonly traceback?: string;
}

/** Internal outcome of a profile run. */
export interface InitProfileOutcome {
  readonly result?: InitProfileResult;
  readonly failure?: InitProfileFailure;
}

/** Extra inputs the synth integration and the CLI know about. Internal. */
export interface InternalProfileTarget extends InitProfilerProps {
  /** Shown to the code as AWS_LAMBDA_FUNCTION_NAME. */
  readonly functionName?: string;
  /** Shown to the code as AWS_LAMBDA_FUNCTION_MEMORY_SIZE. */
  readonly memorySize?: number;
}

/**
 * Profiles the import of a Python Lambda handler in a fresh local Python of the runtime's version.
 *
 * The handler module is imported exactly as the Lambda Python runtime imports it: the code directory,
 * then the layers' `python/lib/python3.N/site-packages` and `python/` on `sys.path`; no bytecode is
 * written; timestamp-based `.pyc` in the bundle are ignored as they are in Lambda. The process gets
 * a scrubbed environment: no AWS credentials or profile, instance metadata disabled, a fake region,
 * the Lambda variables (`AWS_LAMBDA_FUNCTION_NAME`, `LAMBDA_TASK_ROOT`, ...).
 *
 * This RUNS the handler module's import-time code on this machine. Numbers are from this machine's
 * CPU, not Lambda's: compare them with each other and against a budget, not with production logs.
 */
export class InitProfiler {
  /**
   * Profiles a handler's init and returns the timings.
   *
   * Throws an error that says what went wrong and how to fix it when the handler fails at import,
   * the import times out, no interpreter of the runtime's version is found, or the bundle holds
   * native code for another CPU architecture than this machine's.
   */
  public static profile(props: InitProfilerProps): InitProfileResult {
    const outcome = runInitProfile(props);
    if (outcome.failure) {
      throw new Error(outcome.failure.message);
    }
    return outcome.result!;
  }

  private constructor() {}
}

/** Runs the profiler and returns a result or a failure. Never throws for expected failures. Internal. */
export function runInitProfile(target: InternalProfileTarget): InitProfileOutcome {
  const runtimeName = target.runtime.name;
  const info = pythonRuntimeInfo(runtimeName);
  if (!info) {
    return fail('not-python', `runtime ${runtimeName} is not a Python runtime: only python3.N functions can be profiled`, true);
  }
  if (Token.isUnresolved(target.handler)) {
    return fail('bad-handler', 'the handler is an unresolved token: it is only known at deploy time, so it cannot be profiled', true);
  }
  const timeoutS = target.timeout ? target.timeout.toSeconds() : DEFAULT_PROFILE_TIMEOUT_S;
  const top = target.topImports ?? 10;
  if (!Number.isInteger(top) || top < 1) {
    return fail('bad-option', `topImports must be a positive integer, got ${top}`, true);
  }
  if (!(timeoutS > 0 && timeoutS <= MAX_PROFILE_TIMEOUT_S)) {
    return fail('bad-option', `timeout must be more than 0 and at most ${MAX_PROFILE_TIMEOUT_S} seconds, got ${timeoutS}`, true);
  }
  const runs = target.runs ?? DEFAULT_PROFILE_RUNS;
  if (!Number.isInteger(runs) || runs < 1 || runs > MAX_PROFILE_RUNS) {
    return fail('bad-option', `runs must be a whole number from 1 to ${MAX_PROFILE_RUNS}, got ${runs}`, true);
  }
  if (!fs.existsSync(PROFILER_SCRIPT)) {
    return fail('not-installed', `the profiler script is missing from the package: ${PROFILER_SCRIPT}`, true);
  }

  const python = findProfilerPython(info.version, target.pythonExecutable);
  if (python.error) {
    return fail('no-python', python.error, true);
  }

  const codeDir = path.resolve(target.codeDir);
  const layerDirs = (target.layerDirs ?? []).map((d) => path.resolve(d));
  const argv = [
    '-I', '-B', PROFILER_SCRIPT,
    '--handler', target.handler,
    '--code-dir', codeDir,
    ...layerDirs.flatMap((d) => ['--layer-dir', d]),
    '--timeout-s', String(timeoutS),
    '--top', String(top),
    '--runs', String(runs),
  ];
  const proc = spawnSync(python.path!, argv, {
    env: profileEnvironment(target, info.name, codeDir),
    encoding: 'utf8',
    // The script enforces the timeout of each run itself (and kills every process the import started);
    // this is a backstop.
    timeout: (timeoutS * runs + 15) * 1000,
    killSignal: 'SIGKILL',
    maxBuffer: 32 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (proc.error) {
    const timedOut = (proc.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
    return fail(timedOut ? 'timeout' : 'spawn',
      timedOut
        ? `init did not finish within ${timeoutS}s (the profiler process had to be killed)`
        : `could not run ${python.path}: ${proc.error.message}`, !timedOut);
  }
  const lastLine = (proc.stdout ?? '').trim().split('\n').pop() ?? '';
  let parsed: any;
  try {
    parsed = JSON.parse(lastLine);
  } catch {
    return fail('crashed', `the profiler exited with status ${proc.status} without a result. stderr: ${(proc.stderr ?? '').trim().slice(-2000)}`, false);
  }
  if (!parsed.ok) {
    const e = parsed.error ?? {};
    const kind = String(e.kind ?? 'unknown');
    return {
      failure: {
        kind,
        message: String(e.message ?? 'unknown profiler error'),
        environmental: kind === 'architecture' || kind === 'missing-directory',
        failingModule: e.failingModule ?? undefined,
        traceback: e.traceback ?? undefined,
      },
    };
  }
  return { result: summarizeRuns(parsed) };
}

/** One run as the script reports it. Internal. */
interface RawRun {
  readonly totalMs: number;
  readonly importMs: number;
  readonly handlerSelfMs: number;
  readonly top: { module: string; cumulativeMs: number; selfMs: number }[];
  readonly modulesImported?: number;
}

/**
 * Turns the script's per-run figures into the result: with 3 runs or more the first run is reported
 * apart and left out; the median run (by total) gives the total, its split and its heaviest imports.
 * Internal (exported for tests).
 */
export function summarizeRuns(parsed: any): InitProfileResult {
  const all: RawRun[] = Array.isArray(parsed.runs) && parsed.runs.length > 0
    ? parsed.runs
    : [{
      totalMs: parsed.totalMs,
      importMs: parsed.importMs,
      handlerSelfMs: parsed.handlerSelfMs,
      top: parsed.top,
      modulesImported: parsed.modulesImported,
    }];
  const counted = all.length >= 3 ? all.slice(1) : all;
  const byTotal = [...counted].sort((a, b) => Number(a.totalMs) - Number(b.totalMs));
  // Lower median for an even count: a real run, so its split and imports add up to its total.
  const medianRun = byTotal[Math.floor((byTotal.length - 1) / 2)];
  const totals = byTotal.map((r) => Number(r.totalMs));
  const median = totals.length % 2 === 1
    ? totals[(totals.length - 1) / 2]
    : round1((totals[totals.length / 2 - 1] + totals[totals.length / 2]) / 2);
  const topImports: ImportTiming[] = (medianRun.top ?? []).map((t) => ({
    moduleName: String(t.module),
    cumulativeMs: Number(t.cumulativeMs),
    selfMs: Number(t.selfMs),
  }));
  return {
    totalMs: median,
    importMs: Number(medianRun.importMs),
    handlerSelfMs: Number(medianRun.handlerSelfMs),
    topImports,
    runs: all.length,
    runTotalsMs: all.map((r) => Number(r.totalMs)),
    minMs: totals[0],
    maxMs: totals[totals.length - 1],
    spreadMs: round1(totals[totals.length - 1] - totals[0]),
    ...(all.length >= 3 ? { firstRunMs: Number(all[0].totalMs) } : {}),
    handlerFound: Boolean(parsed.handlerFound),
    modulesCompiledFromSource: Number(parsed.compiledFromSource ?? 0),
    modulesImported: Number(medianRun.modulesImported ?? parsed.modulesImported ?? 0),
    pythonVersion: String(parsed.pythonVersion),
    hostArchitecture: String(parsed.host),
  };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function fail(kind: string, message: string, environmental: boolean): InitProfileOutcome {
  return { failure: { kind, message, environmental } };
}

/**
 * The environment the profiled code sees: built from an allow-list, never inherited wholesale, so no
 * AWS credentials, profiles, tokens of CI systems or other secrets of this machine reach user code.
 * Internal.
 */
export function profileEnvironment(target: InternalProfileTarget, runtimeName: string, codeDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(target.environment ?? {})) {
    if (isCredentialVariable(k)) {
      continue;
    }
    env[k] = Token.isUnresolved(v) ? UNRESOLVED_ENV_PLACEHOLDER : v;
  }
  for (const k of ['PATH', 'LANG', 'LC_ALL', 'LC_CTYPE', 'SYSTEMROOT', 'TMPDIR', 'TEMP', 'TMP']) {
    const v = process.env[k];
    if (v !== undefined) {
      env[k] = v;
    }
  }
  // The null device, never a path someone else could create first: a planted config file with a
  // credential_process would run as this user and hand credentials to the profiled code.
  const noAwsConfig = os.devNull;
  const name = target.functionName ?? 'cdk-python-coldstart-profile';
  Object.assign(env, {
    // What the Lambda runtime sets (reserved variables; Lambda ignores user values for these).
    AWS_REGION: PROFILE_FAKE_REGION,
    AWS_DEFAULT_REGION: PROFILE_FAKE_REGION,
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(target.memorySize ?? 128),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: 'cdk-python-coldstart-profile',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_EXECUTION_ENV: `AWS_Lambda_${runtimeName}`,
    LAMBDA_TASK_ROOT: codeDir,
    TZ: ':UTC',
    // No credentials from anywhere: no instance metadata (an EC2 CI runner would hand out its own role),
    // no shared config or credentials files.
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: noAwsConfig,
    AWS_SHARED_CREDENTIALS_FILE: noAwsConfig,
    PYTHONDONTWRITEBYTECODE: '1',
  });
  return env;
}

function isCredentialVariable(name: string): boolean {
  return /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|SECURITY_TOKEN|PROFILE|DEFAULT_PROFILE|CONTAINER_.*|WEB_IDENTITY_TOKEN_FILE|ROLE_ARN|ROLE_SESSION_NAME|CONFIG_FILE|SHARED_CREDENTIALS_FILE)$/.test(name);
}

/**
 * Finds CPython of the given minor version: the explicit executable (which must have that version),
 * $CDK_PYTHON_COLDSTART_PYTHON, `python3.N` on PATH, then `python3`. Internal.
 */
export function findProfilerPython(version: string, explicit?: string): { path?: string; error?: string } {
  const how = 'Provide one with the pythonExecutable option (CLI: --python PATH), the CDK_PYTHON_COLDSTART_PYTHON '
    + `environment variable, or put python${version} on PATH (bytecode and native wheels are specific to the minor version).`;
  if (explicit !== undefined) {
    const v = pythonVersionOf(explicit);
    if (v === version) {
      return { path: explicit };
    }
    return {
      error: v
        ? `cannot profile a python${version} function with ${explicit}: it is Python ${v}. ${how}`
        : `cannot run the Python interpreter ${explicit}. ${how}`,
    };
  }
  const fromEnv = process.env.CDK_PYTHON_COLDSTART_PYTHON;
  const candidates = [...(fromEnv ? [fromEnv] : []), `python${version}`, 'python3'];
  const seen: string[] = [];
  for (const c of candidates) {
    const v = pythonVersionOf(c);
    if (v === version) {
      return { path: c };
    }
    seen.push(v ? `${c} is Python ${v}` : `${c} not found`);
  }
  return { error: `no Python ${version} interpreter found to profile the init (${seen.join('; ')}). ${how}` };
}

function pythonVersionOf(executable: string): string | undefined {
  const r = spawnSync(executable, ['-I', '-c', 'import sys, platform; print("%d.%d" % sys.version_info[:2], platform.python_implementation())'], {
    encoding: 'utf8',
    timeout: 15_000,
    // Only the interpreter's own startup runs here (no user code): inherit the environment for pyenv shims.
  });
  if (r.status !== 0 || !r.stdout) {
    return undefined;
  }
  const [v, impl] = r.stdout.trim().split(/\s+/);
  return impl === 'CPython' ? v : `${v} (${impl}, not CPython)`;
}
