import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BundlingOptions, DockerImage, DockerVolume, Duration, ILocalBundling } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { privateBuildDir, publishBuildDir, removeAbandonedBuildDirs } from './bundle-lock';
import { bundlingError } from './messages';
import { BytecodeOptimization, PythonInstaller } from './options';
import { uvInstallArgv } from './parity';
import { discoverPython, LocalPython, PYTHON_ENV_VAR } from './python-discovery';
import { checkIndexUrls, hashableEnvironment } from './secrets';
import { DependencySpec } from './spec';
import { PythonRuntimeInfo, pythonRuntimeInfo } from '../shared/python-runtime';
import { redactUrls } from '../shared/redact';

/** The package's assets folder (`assets/`), next to `lib/` both in the repo and in the npm package. */
export const ASSETS_DIR = path.resolve(__dirname, '..', '..', 'assets');
/** The one optimizer script, run in both bundling modes. */
export const OPTIMIZER_SCRIPT = path.join(ASSETS_DIR, 'bundling', 'optimize.py');
/** The supply-chain script: splits exported locks, verifies wheel tags and ELF objects after install. */
export const SUPPLY_CHAIN_SCRIPT = path.join(ASSETS_DIR, 'bundling', 'supply_chain.py');
/** The runtime kit package copied next to handler code on request. */
export const RUNTIME_KIT_DIR = path.join(ASSETS_DIR, 'runtime', 'cdk_python_coldstart_runtime');

export { PYTHON_ENV_VAR } from './python-discovery';
export type { LocalPython } from './python-discovery';

/** Where things are inside the Docker container. */
export const DOCKER_PATHS = {
  python: '', // filled per runtime: python3.N
  input: '/asset-input',
  output: '/asset-output',
  tmp: '/tmp/cdk-python-coldstart',
  assets: '/cdk-python-coldstart-assets',
};

/** `PIP_*` variables forwarded into the Docker fallback (private indexes are common). */
const DOCKER_PIP_PASSTHROUGH = ['PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'PIP_TRUSTED_HOST'];

/**
 * One bundling step: an argv array whose elements may contain the placeholders `{{python}}`,
 * `{{input}}`, `{{output}}`, `{{tmp}}` and `{{assets}}`. The same steps run locally (spawned
 * without a shell) and in Docker (every argument single-quoted).
 */
export interface Step {
  readonly description: string;
  readonly argv: string[];
  /** Run with the entry folder as working directory (pip resolves relative requirement paths there). */
  readonly inInput?: boolean;
  /** Write the step's stdout to this (placeholder) path. */
  readonly stdoutTo?: string;
  readonly env?: Record<string, string>;
  /** Only locally: the step needs this tool on PATH (Docker installs it first). */
  readonly localTool?: string;
  /** Only in Docker: steps that run before this one (installing the tool). */
  readonly dockerOnly?: boolean;
  /** Only locally: the argv that proves `localTool` can do this step (default `<tool> --version`). */
  readonly localToolCheck?: string[];
  /** Added to the error when the step fails: what to do about it. */
  readonly hint?: string;
  /** Only locally: run this argv instead when `tool` is on PATH (e.g. `uv pip install` for pip install). */
  readonly localAlternative?: { readonly tool: string; readonly argv: string[] };
}

export interface Placeholders {
  readonly python: string;
  readonly input: string;
  readonly output: string;
  readonly tmp: string;
  readonly assets: string;
}

/** Replaces placeholders in one pass (values inserted are never re-scanned). */
export function render(arg: string, vars: Placeholders): string {
  return arg.replace(/\{\{(python|input|output|tmp|assets)\}\}/g, (_, k: keyof Placeholders) => vars[k]);
}

/** POSIX single-quoting: safe for any string, including `$(...)`, quotes and spaces. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, '\'"\'"\'')}'`;
}

/** Resolved bundling options (defaults applied). */
export interface ResolvedBundling {
  readonly runtime: lambda.Runtime;
  readonly architecture: lambda.Architecture;
  readonly info: PythonRuntimeInfo;
  readonly optimization: Required<BytecodeOptimization>;
  readonly environment: Record<string, string>;
  readonly pythonExecutable?: string;
  readonly forceDockerBundling: boolean;
  readonly dockerImage: DockerImage;
  /** poetry export with hashes (alpha: poetryIncludeHashes). */
  readonly poetryIncludeHashes?: boolean;
  /** poetry export --without-urls (alpha: poetryWithoutUrls). */
  readonly poetryWithoutUrls?: boolean;
  /** `uv pip install` locally when uv is on PATH. */
  readonly installer?: PythonInstaller;
  /** Longest run of one external step, in seconds (`bundlingTimeout`). */
  readonly stepTimeoutSeconds: number;
}

/** Default of `bundlingTimeout`: 15 minutes per step (a large scientific stack installs in a few). */
export const DEFAULT_STEP_TIMEOUT_SECONDS = 15 * 60;

/** How long a synth waits for another one bundling the same asset: every step at its longest, plus a minute. */
export function lockWaitMs(r: ResolvedBundling, steps: number): number {
  return (Math.max(steps, 1) * r.stepTimeoutSeconds + 60) * 1000;
}

/** Docker: the environment variable carrying the step timeout (kept out of the hashed command). */
export const STEP_TIMEOUT_ENV_VAR = 'CDK_PYTHON_COLDSTART_STEP_TIMEOUT';

/** `bundlingTimeout` in whole seconds, validated. */
export function stepTimeoutSeconds(construct: string, timeout?: Duration): number {
  if (timeout === undefined) return DEFAULT_STEP_TIMEOUT_SECONDS;
  const seconds = timeout.toSeconds({ integral: false });
  if (!Number.isFinite(seconds) || seconds < 1) {
    throw bundlingError(construct, 'bundlingTimeout', `${timeout.toHumanString()} is shorter than a second`,
      'no pip install or lock export finishes that fast, so every bundle would fail', 'set bundlingTimeout to Duration.minutes(15) (the default) or more for large dependency sets');
  }
  return Math.ceil(seconds);
}

export function resolveBundling(construct: string, o: {
  runtime?: lambda.Runtime;
  architecture?: lambda.Architecture;
  optimization?: BytecodeOptimization;
  environment?: { [key: string]: string };
  pythonExecutable?: string;
  forceDockerBundling?: boolean;
  dockerImage?: DockerImage;
  poetryIncludeHashes?: boolean;
  poetryWithoutUrls?: boolean;
  installer?: PythonInstaller;
  bundlingTimeout?: Duration;
}): ResolvedBundling {
  const runtime = o.runtime ?? lambda.Runtime.PYTHON_3_12;
  const architecture = o.architecture ?? lambda.Architecture.ARM_64;
  const info = pythonRuntimeInfo(runtime);
  if (!info || runtime.family !== lambda.RuntimeFamily.PYTHON) {
    throw new Error(`${construct}: runtime ${runtime.name} is not a Python runtime. Set 'runtime' to a lambda.Runtime.PYTHON_3_N runtime (default PYTHON_3_12).`);
  }
  if (architecture.name !== lambda.Architecture.ARM_64.name && architecture.name !== lambda.Architecture.X86_64.name) {
    throw new Error(`${construct}: architecture ${architecture.name} is not supported by Lambda. Set 'architecture' to lambda.Architecture.ARM_64 or X86_64.`);
  }
  const excludePackages = [...(o.optimization?.excludePackages ?? [])];
  for (const p of excludePackages) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(p)) {
      throw new Error(`${construct}: optimization.excludePackages entry '${p}' is not a Python project or import name, so nothing could be matched and excluded. Give distribution or import names such as 'boto3' or 'botocore' (letters, digits, '.', '_', '-').`);
    }
  }
  checkIndexUrls(construct, o.environment ?? {});
  return {
    runtime,
    architecture,
    info,
    stepTimeoutSeconds: stepTimeoutSeconds(construct, o.bundlingTimeout),
    optimization: {
      stripDebugSymbols: o.optimization?.stripDebugSymbols ?? false,
      sourceless: o.optimization?.sourceless ?? false,
      excludePackages,
      removeTestSuites: o.optimization?.removeTestSuites ?? false,
    },
    environment: { ...(o.environment ?? {}) },
    pythonExecutable: o.pythonExecutable,
    forceDockerBundling: o.forceDockerBundling ?? false,
    dockerImage: o.dockerImage ?? defaultDockerImage(runtime, architecture),
    poetryIncludeHashes: o.poetryIncludeHashes,
    poetryWithoutUrls: o.poetryWithoutUrls,
    installer: o.installer,
  };
}

/** The AWS SAM build image for a runtime and architecture. */
export function defaultDockerImage(runtime: lambda.Runtime, architecture: lambda.Architecture): DockerImage {
  const tag = architecture.name === lambda.Architecture.ARM_64.name ? 'latest-arm64' : 'latest-x86_64';
  return DockerImage.fromRegistry(`public.ecr.aws/sam/build-${runtime.name}:${tag}`);
}

/**
 * pip's target-platform flags (compiled wheels must match the target:
 * the runtime's own CPython version and ABI).
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/python-package.html
 */
export function platformArgs(info: PythonRuntimeInfo, architecture: lambda.Architecture): string[] {
  const machine = architecture.name === lambda.Architecture.ARM_64.name ? 'aarch64' : 'x86_64';
  const cp = `cp3${info.minor}`;
  return [
    '--platform', `manylinux_2_28_${machine}`,
    '--platform', `manylinux2014_${machine}`,
    '--only-binary=:all:',
    '--python-version', info.version,
    '--implementation', 'cp',
    '--abi', cp,
  ];
}

function optimizerArgs(r: ResolvedBundling, target: string, ddir: string): string[] {
  const args = ['{{python}}', '{{assets}}/bundling/optimize.py', '--target', target, '--python-version', r.info.version, '--ddir', ddir];
  if (r.optimization.stripDebugSymbols) args.push('--strip');
  if (r.optimization.sourceless) args.push('--sourceless');
  if (r.optimization.removeTestSuites) args.push('--remove-tests');
  for (const p of r.optimization.excludePackages) args.push('--exclude-package', p);
  return args;
}

const REQUIREMENTS_OUT = '{{tmp}}/requirements.txt';

/** Steps that export a lock file to `{{tmp}}/requirements.txt` (none for a requirements file). */
function exportSteps(spec: DependencySpec, r: ResolvedBundling): Step[] {
  const py = '{{python}}';
  const toolsDir = '{{tmp}}/tools';
  const inDocker = (pkg: string): Step => ({
    description: `install ${pkg} (the Docker image does not ship it)`,
    argv: [py, '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', toolsDir, pkg],
    dockerOnly: true,
  });
  const dockerEnv = { PYTHONPATH: toolsDir };
  switch (spec.kind) {
    case 'uv': {
      // With hashes (uv's default): the lock is enforced at download (--require-hashes).
      const args = ['export', '--format', 'requirements-txt', '--frozen', '--no-dev', '--no-emit-project', '--output-file', REQUIREMENTS_OUT];
      return [inDocker('uv'),
        { description: 'uv export (uv.lock to requirements)', argv: ['uv', ...args], inInput: true, localTool: 'uv' },
        { description: 'uv export (uv.lock to requirements)', argv: [py, '-m', 'uv', ...args], inInput: true, env: dockerEnv, dockerOnly: true }];
    }
    case 'poetry': {
      // With hashes (poetry export's default): the lock is enforced at download (--require-hashes).
      // poetryIncludeHashes is accepted for parity; hashes are always kept (docs/migration.md).
      const args = ['export', '-f', 'requirements.txt', ...(r.poetryWithoutUrls ? ['--without-urls'] : []), '--output', REQUIREMENTS_OUT];
      return [inDocker('poetry'), inDocker('poetry-plugin-export'),
        { description: 'poetry export (poetry.lock to requirements)', argv: ['poetry', ...args], inInput: true, localTool: 'poetry', localToolCheck: ['poetry', 'export', '--help'] },
        { description: 'poetry export (poetry.lock to requirements)', argv: [py, '-m', 'poetry', ...args], inInput: true, env: dockerEnv, dockerOnly: true }];
    }
    case 'pipenv':
      return [inDocker('pipenv'),
        { description: 'pipenv requirements (Pipfile.lock to requirements)', argv: ['pipenv', 'requirements', '--hash'], inInput: true, stdoutTo: REQUIREMENTS_OUT, localTool: 'pipenv' },
        { description: 'pipenv requirements (Pipfile.lock to requirements)', argv: [py, '-m', 'pipenv', 'requirements', '--hash'], inInput: true, stdoutTo: REQUIREMENTS_OUT, env: dockerEnv, dockerOnly: true }];
    default:
      void r;
      return [];
  }
}

const THIRD_PARTY_OUT = '{{tmp}}/requirements-third-party.txt';
const LOCAL_OUT = '{{tmp}}/requirements-local.txt';
const PIP_REPORTS = ['{{tmp}}/pip-report.json', '{{tmp}}/pip-report-local.json'];

/** The Linux machine name of a Lambda architecture (`aarch64`, `x86_64`). */
export function linuxMachine(architecture: lambda.Architecture): string {
  return architecture.name === lambda.Architecture.ARM_64.name ? 'aarch64' : 'x86_64';
}

/** The newest glibc of the manylinux tags pip may pick (see `platformArgs`). */
export const MAX_MANYLINUX_GLIBC = '2.28';

function pipInstall(requirements: string, report: string, r: ResolvedBundling, extra: string[]): string[] {
  // No --isolated and no index options: the user's pip configuration and PIP_* variables apply.
  // --only-binary=:all: (in platformArgs) comes after the requirements file on purpose; options inside it
  // that would undo it are refused at synth (scanRequirements) or before install (supply_chain.py split).
  return ['{{python}}', '-m', 'pip', 'install', '--requirement', requirements, '--target', '{{output}}/python',
    '--no-compile', '--disable-pip-version-check', ...platformArgs(r.info, r.architecture), ...extra, '--report', report];
}

/**
 * Supply-chain options of the dependency steps. Internal.
 */
export interface DependencyStepOptions {
  /** The requirements file pins hashes (`--hash`): install with `--require-hashes`. Lock exports always do. */
  readonly requireHashes?: boolean;
  /** Added to the error of a failing pip install. */
  readonly pipHint?: string;
  /** Added to the error of a failing verification. */
  readonly verifyHint?: string;
}

/**
 * The dependencies layer: export the lock (if any, with hashes), pip install wheels for the target
 * platform (third-party packages with hashes when the lock has them; the user's own local folders
 * built from source, after them, with --no-deps), verify wheel tags and ELF objects, optimize.
 */
export function dependencySteps(spec: DependencySpec, r: ResolvedBundling, o: DependencyStepOptions = {}): Step[] {
  const install: Step[] = spec.kind === 'requirements'
    ? [{
      description: 'pip install',
      argv: pipInstall(`{{input}}/${spec.file}`, PIP_REPORTS[0], r, o.requireHashes ? ['--require-hashes'] : []),
      inInput: true,
      hint: o.pipHint,
    }]
    : [{
      description: 'split the exported lock (third-party wheels with hashes, your local packages)',
      argv: ['{{python}}', `{{assets}}/bundling/${path.basename(SUPPLY_CHAIN_SCRIPT)}`, 'split', '--requirements', REQUIREMENTS_OUT,
        '--third-party', THIRD_PARTY_OUT, '--local', LOCAL_OUT],
      inInput: true,
    }, {
      description: 'pip install',
      argv: pipInstall(THIRD_PARTY_OUT, PIP_REPORTS[0], r, ['--require-hashes']),
      inInput: true,
      hint: o.pipHint,
    }, {
      description: 'pip install (your local packages, built from source)',
      // Their dependencies are in the lock, installed (with hashes) by the step before.
      argv: pipInstall(LOCAL_OUT, PIP_REPORTS[1], r, ['--no-deps']),
      inInput: true,
      hint: o.pipHint,
    }];
  return withUvInstaller(r, [
    ...exportSteps(spec, r),
    ...install,
    {
      description: 'verify native code (wheel tags and ELF objects match the target)',
      argv: ['{{python}}', `{{assets}}/bundling/${path.basename(SUPPLY_CHAIN_SCRIPT)}`, 'verify', '--target', '{{output}}/python',
        '--machine', linuxMachine(r.architecture), '--python-version', r.info.version, '--max-glibc', MAX_MANYLINUX_GLIBC,
        ...PIP_REPORTS.flatMap((p) => ['--report', p])],
      hint: o.verifyHint,
    },
    {
      description: 'optimize bytecode',
      // Layers are extracted to /opt; python/ is on sys.path as /opt/python.
      argv: [...optimizerArgs(r, '{{output}}/python', '/opt/python'), '--drop-scripts'],
    },
  ]);
}

/** With `installer: UV`, the pip install step runs as `uv pip install` locally when uv is on PATH. */
function withUvInstaller(r: ResolvedBundling, steps: Step[]): Step[] {
  if (r.installer !== PythonInstaller.UV) return steps;
  return steps.map((st) => {
    const uv = uvInstallArgv(st.argv, r.architecture);
    return uv ? { ...st, localAlternative: { tool: 'uv', argv: uv } } : st;
  });
}

/**
 * What is left out of handler code by default: dependency specs (dependencies belong in the
 * layer), virtual environments, tests, caches and stale bytecode.
 */
export const DEFAULT_HANDLER_EXCLUDES = [
  'requirements*.txt', 'pyproject.toml', 'uv.lock', 'poetry.lock', 'Pipfile', 'Pipfile.lock',
  // Package-index configuration, which may hold credentials: never shipped.
  'pip.conf', 'pip.ini', '.pypirc', '.netrc', 'poetry.toml', 'uv.toml',
  '.venv', 'venv', '__pycache__', '*.pyc', '.pytest_cache', '.mypy_cache', '.ruff_cache', '.tox', '.nox',
  '.git', 'cdk.out', 'node_modules', 'tests', '.DS_Store',
];

/**
 * Handler code: copy exactly the paths the hash was computed from (selected once, in TypeScript, with
 * CDK's own glob matcher: see file-selection.ts), add the runtime kit, optimize.
 */
export function handlerSteps(r: ResolvedBundling, copyPaths: string[], includeRuntimeKit: boolean): Step[] {
  const argv = [...optimizerArgs(r, '{{output}}', '/var/task'), '--strict', '--copy-from', '{{input}}'];
  for (const p of copyPaths) argv.push(`--copy-path=${p}`);
  if (includeRuntimeKit) argv.push('--copy-package', '{{assets}}/runtime/cdk_python_coldstart_runtime');
  return [{ description: 'copy and optimize handler code', argv }];
}

/**
 * The Docker command: the same steps, every argument single-quoted, joined with `&&`. Every step runs
 * in /asset-input (the bundling working directory), where pip resolves relative requirement paths.
 */
export function dockerCommand(steps: Step[], r: ResolvedBundling): string[] {
  const vars: Placeholders = { ...DOCKER_PATHS, python: `python${r.info.version}` };
  const lines = [`mkdir -p ${shellQuote(vars.tmp)}`];
  for (const s of steps.filter((x) => x.localTool === undefined)) {
    // Every step is bounded (coreutils timeout, exit code 124); the trap names the step that timed out.
    lines.push(`CPC_STEP=${shellQuote(s.description)}`);
    let line = `timeout -k 10 "$${STEP_TIMEOUT_ENV_VAR}" `;
    if (s.env) {
      line += 'env ' + Object.entries(s.env).map(([k, v]) => shellQuote(`${k}=${render(v, vars)}`)).join(' ') + ' ';
    }
    line += s.argv.map((a) => shellQuote(render(a, vars))).join(' ');
    if (s.stdoutTo) line += ` > ${shellQuote(render(s.stdoutTo, vars))}`;
    lines.push(line);
  }
  const report = `rc=$?; if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then echo "cdk-python-coldstart: bundling step '$CPC_STEP' did not finish within $${STEP_TIMEOUT_ENV_VAR} seconds and was stopped. Raise the 'bundlingTimeout' bundling option if it needs longer." >&2; fi`;
  return ['bash', '-c', `set -euo pipefail; CPC_STEP=start; trap ${shellQuote(report)} EXIT; ${lines.join(' && ')}`];
}

/** The user's `environment` with URL credentials redacted (the asset hash uses `hashableEnvironment`, which also hides credential variables). */
export function redactedEnvironment(environment: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, redactUrls(v)]));
}

/** The Docker fallback's environment: the user's extra variables, private-index variables, fixed seed. */
export function dockerEnvironment(r: ResolvedBundling): Record<string, string> {
  const env: Record<string, string> = { HOME: '/tmp', PYTHONHASHSEED: '0' };
  for (const k of DOCKER_PIP_PASSTHROUGH) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  const all = { ...env, ...r.environment, [STEP_TIMEOUT_ENV_VAR]: String(r.stepTimeoutSeconds) };
  // CDK hashes the bundling options as JSON: only the user's own `environment` (already in the custom
  // hash) may count, not variables of the machine that happens to synthesize, never credentials (and
  // CDK's own index-URL check would print a malformed URL whole) and not the timeout.
  Object.defineProperty(all, 'toJSON', { value: () => hashableEnvironment(r.environment), enumerable: false });
  return all;
}

/**
 * Finds a Python of the runtime's minor version: the `pythonExecutable` prop, `$CDK_PYTHON_COLDSTART_PYTHON`,
 * `python3.N` on PATH, pyenv's versions folder, `uv python find` (see python-discovery.ts).
 */
export function findLocalPython(construct: string, version: string, explicit?: string): LocalPython {
  return discoverPython(construct, version, explicit);
}

function toolAvailable(tool: string, check?: string[]): boolean {
  const argv = check ?? [tool, '--version'];
  // env passed explicitly: PATH is looked up in the environment the steps run with.
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 60_000, env: process.env });
  return r.status === 0;
}

/** Whether a Docker engine answers (the CLI alone is not enough). */
export function dockerAvailable(): boolean {
  const docker = process.env.CDK_DOCKER ?? 'docker';
  const r = spawnSync(docker, ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0;
}

function tail(text: string | undefined, lines = 30): string {
  if (!text) return '';
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

/** Summary line the optimizer prints. */
export const SUMMARY_PREFIX = 'CDK_PYTHON_COLDSTART_SUMMARY ';

/**
 * Local-first bundling (model: aws-lambda-nodejs): runs the steps with a local Python of the
 * runtime's version; when that is impossible, says why and returns false so CDK uses Docker; when
 * Docker is not available either, fails with what to install.
 */
export class LocalPythonBundler implements ILocalBundling {
  /** Number of local bundling runs in this process (tests check the bundle-once behaviour). */
  public static runs = 0;

  constructor(
    private readonly label: string,
    private readonly inputDir: string,
    private readonly steps: Step[],
    private readonly r: ResolvedBundling,
    private readonly errorHint: string,
    /** Why the Docker fallback cannot produce this bundle (e.g. symlinks that leave the entry), if so. */
    private readonly dockerBlocker?: string,
  ) {}

  private checkDockerPossible(): void {
    if (this.dockerBlocker !== undefined) {
      throw bundlingError(this.label, 'entry', this.dockerBlocker,
        'the Docker fallback mounts only the entry folder, so the bundle would miss files',
        `bundle locally: install Python ${this.r.info.version} (python${this.r.info.version} on PATH, $${PYTHON_ENV_VAR} or 'pythonExecutable') and unset forceDockerBundling, or replace the links by the files`);
    }
  }

  /**
   * CDK hashes the bundling options as JSON: keep machine-specific fields (entry path, interpreter)
   * out of it, so the same dependency set gives the same asset hash in any folder or checkout.
   */
  public toJSON(): Record<string, string> {
    return { local: 'cdk-python-coldstart' };
  }

  public tryBundle(outputDir: string, _options: BundlingOptions): boolean {
    if (this.r.forceDockerBundling) {
      this.checkDockerPossible();
      if (!dockerAvailable()) {
        throw new Error(`${this.label}: forceDockerBundling is set, but no Docker engine is available (\`${process.env.CDK_DOCKER ?? 'docker'} version\` failed). Start Docker, or unset forceDockerBundling to bundle with a local Python ${this.r.info.version}.`);
      }
      return false;
    }
    const found = findLocalPython(this.label, this.r.info.version, this.r.pythonExecutable);
    let reason = found.reason;
    if (found.python !== undefined) {
      const missing = this.steps.filter((s) => s.localTool !== undefined && !toolAvailable(s.localTool, s.localToolCheck))
        .map((s) => s.localToolCheck ? `${s.localTool} (with \`${s.localToolCheck.slice(1).join(' ')}\`)` : s.localTool!);
      if (missing.length > 0) {
        reason = `${missing.join(', ')} is not on PATH (needed to export the lock file to requirements` +
          (this.steps.some((s) => s.localTool === 'poetry') ? '; poetry 2 needs the poetry-plugin-export plugin' : '') + ')';
      }
    }
    if (reason !== undefined) {
      if (dockerAvailable()) {
        this.checkDockerPossible();
        process.stderr.write(
          `\n${this.label}: cannot bundle locally (${reason}).\n` +
          `Falling back to Docker with ${this.r.dockerImage.image}. Install Python ${this.r.info.version}` +
          (reason.includes('export') ? ' and the lock tool' : '') + ' for faster, Docker-free bundling.\n\n');
        return false;
      }
      const what = reason.includes('export')
        ? `Install ${this.steps.find((s) => s.localTool)?.localTool} (or Docker), or provide a requirements.txt.`
        : `Install Python ${this.r.info.version} (put python${this.r.info.version} on PATH, install it with pyenv or "uv python install ${this.r.info.version}", set $${PYTHON_ENV_VAR} or the 'pythonExecutable' property) or install and start Docker.`;
      throw new Error(`${this.label}: cannot bundle: ${reason}, and no Docker engine is available for the fallback. ${what}`);
    }
    LocalPythonBundler.runs++;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-python-coldstart-'));
    // Build into a private folder next to CDK's output folder and move it into place only when
    // complete: a killed or concurrent synth never leaves a half-built tree where CDK (or another
    // synth) would take it for a bundle.
    removeAbandonedBuildDirs(outputDir);
    const work = privateBuildDir(outputDir);
    try {
      const vars: Placeholders = { python: found.python!, input: this.inputDir, output: work, tmp, assets: ASSETS_DIR };
      const baseEnv: Record<string, string | undefined> = { ...process.env, ...this.r.environment, PYTHONHASHSEED: '0' };
      for (const step of this.steps.filter((s) => !s.dockerOnly)) {
        const alternative = step.localAlternative && toolAvailable(step.localAlternative.tool) ? step.localAlternative.argv : undefined;
        const argv = (alternative ?? step.argv).map((a) => render(a, vars));
        const timeoutMs = this.r.stepTimeoutSeconds * 1000;
        const res = spawnSync(argv[0], argv.slice(1), {
          cwd: step.inInput ? this.inputDir : undefined,
          env: { ...baseEnv, ...(step.env ?? {}) },
          encoding: 'utf8',
          maxBuffer: 256 * 1024 * 1024,
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: timeoutMs,
          killSignal: 'SIGKILL',
        });
        const timedOut = (res.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
        if (timedOut) {
          throw bundlingError(this.label, 'bundlingTimeout', `${step.description} did not finish within ${this.r.stepTimeoutSeconds} seconds and was stopped (command: ${argv.map(shellQuote).join(' ')})`,
            'a hung index, a lock on the pip cache or a slow build never ends a synth otherwise',
            'check that the package index answers, or raise \'bundlingTimeout\' (default 15 minutes per step), e.g. bundlingTimeout: Duration.minutes(30)');
        }
        if (res.error || res.status !== 0) {
          const detail = res.error ? String(res.error) : `exit code ${res.status}`;
          // Credentials never enter an error: pip echoes index URLs (it masks passwords, not user names or tokens).
          throw new Error(redactUrls(`${this.label}: ${step.description} failed (${detail}).\n` +
            `Command: ${argv.map(shellQuote).join(' ')}\n${[tail(res.stdout, 10), tail(res.stderr)].filter((t) => t).join('\n')}\n${step.hint ?? (step.description === 'pip install' ? this.errorHint : '')}`));
        }
        if (step.stdoutTo) {
          fs.writeFileSync(render(step.stdoutTo, vars), res.stdout);
        }
      }
      publishBuildDir(work, outputDir);
      return true;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
}

/** CDK bundling options for a set of steps (local first, Docker fallback running the same steps). */
export function bundlingOptions(label: string, inputDir: string, steps: Step[], r: ResolvedBundling, errorHint: string,
  dockerExtras: Partial<BundlingOptions> = {}, dockerBlocker?: string): BundlingOptions {
  // The library's assets folder is mounted for the optimizer. Its host path differs per machine and
  // CDK hashes the bundling options as JSON: serialize it without the host path (contents are hashed
  // through the custom hash instead).
  const assetsVolume = { hostPath: ASSETS_DIR, containerPath: DOCKER_PATHS.assets, toJSON: () => ({ containerPath: DOCKER_PATHS.assets }) };
  const volumes: DockerVolume[] = [assetsVolume, ...(dockerExtras.volumes ?? [])];
  return {
    ...dockerExtras,
    image: r.dockerImage,
    command: dockerCommand(steps, r),
    environment: dockerEnvironment(r),
    volumes,
    workingDirectory: DOCKER_PATHS.input,
    platform: r.architecture.dockerPlatform,
    // With forceDockerBundling the local bundler only checks that Docker can run, and returns false.
    local: new LocalPythonBundler(label, inputDir, steps, r, errorHint, dockerBlocker),
  };
}

/** sha256 of a file's contents. */
export function fileSha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Hashes of this library's own files (assets/), which do not change while a synth runs: once per process. */
const LIBRARY_FILE_HASHES = new Map<string, string>();

/** `fileSha256` of a file of this library's assets/ folder, computed once per process. */
export function libraryFileSha256(file: string): string {
  let hash = LIBRARY_FILE_HASHES.get(file);
  if (hash === undefined) {
    hash = fileSha256(file);
    LIBRARY_FILE_HASHES.set(file, hash);
  }
  return hash;
}

/** Stable JSON (sorted keys) hashed with sha256. */
export function stableHash(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return crypto.createHash('sha256').update(JSON.stringify(sort(value))).digest('hex');
}

/** Bump when the TypeScript side changes what a bundle contains. */
export const BUNDLING_FORMAT_VERSION = '1';

/** The hash inputs every bundle shares: runtime, architecture, options, optimizer contents. */
export function commonHashInputs(r: ResolvedBundling): Record<string, unknown> {
  return {
    format: BUNDLING_FORMAT_VERSION,
    optimizer: libraryFileSha256(OPTIMIZER_SCRIPT),
    runtime: r.runtime.name,
    architecture: r.architecture.name,
    optimization: r.optimization,
    environment: hashableEnvironment(r.environment),
    dockerImage: r.dockerImage.image,
  };
}
