import { AssetHashType, BundlingOptions, DockerVolume } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ICommandHooks, PythonBundlingOptions, PythonInstaller } from './options';

/**
 * The options @aws-cdk/aws-lambda-python-alpha users bring along (docs/migration.md), turned into what the
 * bundler already knows: `image` is `dockerImage`, `buildArgs` are pip environment variables, `assetExcludes`
 * add to `exclude`, commands of `commandHooks` become argv steps, Docker run options go to the container.
 * Internal.
 */

/** A bundling step as the bundler runs it (kept structurally compatible with bundler.ts's Step). */
export interface HookStep {
  readonly description: string;
  readonly argv: string[];
  readonly inInput?: boolean;
}

/** `image`/`dockerImage` and `buildArgs`/`environment` folded into the canonical options. */
export function canonicalBundlingOptions<T extends PythonBundlingOptions>(label: string, o: T): T {
  if (o.image !== undefined && o.dockerImage !== undefined && o.image.image !== o.dockerImage.image) {
    throw new Error(`${label}: image (${o.image.image}) and dockerImage (${o.dockerImage.image}) name different Docker images. Set one of them: image is the @aws-cdk/aws-lambda-python-alpha name of dockerImage.`);
  }
  const environment: Record<string, string> = { ...(o.buildArgs ?? {}) };
  for (const [k, v] of Object.entries(o.environment ?? {})) {
    if (k in environment && environment[k] !== v) {
      throw new Error(`${label}: buildArgs.${k} and environment.${k} differ. Set it once, in environment: buildArgs are passed to pip as environment variables.`);
    }
    environment[k] = v;
  }
  return {
    ...o,
    dockerImage: o.dockerImage ?? o.image,
    environment: Object.keys(environment).length > 0 || o.environment !== undefined ? environment : undefined,
  };
}

/** The handler code's excludes: `exclude` (function prop or option) and the alpha's `assetExcludes`. */
export function combinedExcludes(...lists: Array<string[] | undefined>): string[] {
  return lists.flatMap((l) => l ?? []);
}

/** outputPathSuffix is only accepted where it matches the fixed layout Lambda imports from. */
export function checkOutputPathSuffix(label: string, suffix: string | undefined, kind: 'handler code' | 'layer'): void {
  if (suffix === undefined) return;
  const normalized = suffix.replace(/^\.?\/*|\/+$/g, '');
  const expected = kind === 'layer' ? 'python' : '';
  if (normalized !== expected) {
    throw new Error(`${label}: outputPathSuffix '${suffix}' would move the ${kind} away from where Lambda imports it (${kind === 'layer' ? '/opt/python' : '/var/task, the function\'s code root'}). Remove outputPathSuffix: the ${kind} is always bundled ${kind === 'layer' ? 'under python/' : 'at the root'}.`);
  }
}

/** How the handler code's asset hash is chosen. */
export interface HashChoice {
  /** `custom` (the computed source hash or the user's assetHash) or `output`. */
  readonly type: 'custom' | 'output';
  /** The user's assetHash, when given. */
  readonly assetHash?: string;
}

export function hashChoice(label: string, o: PythonBundlingOptions): HashChoice {
  const t = o.assetHashType;
  if (o.assetHash !== undefined) {
    if (t !== undefined && t !== AssetHashType.CUSTOM) {
      throw new Error(`${label}: assetHash is set with assetHashType ${t}. Set assetHashType to AssetHashType.CUSTOM (or leave it unset) to use your hash, or remove assetHash.`);
    }
    if (o.assetHash.trim() === '') {
      throw new Error(`${label}: assetHash is empty: every version of the code would have the same hash and never be redeployed. Set it to something that changes with the code (e.g. the commit id), or remove it.`);
    }
    return { type: 'custom', assetHash: o.assetHash };
  }
  if (t === AssetHashType.CUSTOM) {
    throw new Error(`${label}: assetHashType is CUSTOM but assetHash is not set. Set assetHash, or leave assetHashType unset to hash the sources.`);
  }
  return { type: t === AssetHashType.OUTPUT ? 'output' : 'custom' };
}

/** Shell features a hook command may not use (it is never run through a shell). */
const SHELL_OPERATORS = /^(\||\|\||&&|&|;|<|>|>>|2>|2>&1|\(|\))$/;

/**
 * Splits one hook command into arguments like a POSIX shell would (single and double quotes, backslash
 * escapes), without any expansion. Shell operators, `$` and backticks outside single quotes, and globs are
 * rejected with the fix: one command per string, or an explicit `bash -c '...'` if a shell is really meant.
 */
export function tokenizeCommand(label: string, command: string): string[] {
  const args: string[] = [];
  let cur = '';
  let inArg = false;
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${label}: commandHooks command ${JSON.stringify(command)} uses ${what}, but hook commands are run without a shell (argv). ` +
      'Return one command per string (they run one after the other and stop at the first failure), or write the shell explicitly, e.g. "bash -c \'cd src && make\'".');
  };
  while (i < command.length) {
    const c = command[i];
    if (c === '\'') {
      const end = command.indexOf('\'', i + 1);
      if (end < 0) fail('an unterminated single quote');
      cur += command.slice(i + 1, end);
      inArg = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < command.length && command[i] !== '"') {
        if (command[i] === '\\' && i + 1 < command.length && '"\\$`'.includes(command[i + 1])) {
          cur += command[i + 1];
          i += 2;
        } else {
          if (command[i] === '$' || command[i] === '`') fail(`shell expansion (${command[i]})`);
          cur += command[i++];
        }
      }
      if (i >= command.length) fail('an unterminated double quote');
      inArg = true;
      i++;
    } else if (c === '\\' && i + 1 < command.length) {
      cur += command[i + 1];
      inArg = true;
      i += 2;
    } else if (/\s/.test(c)) {
      if (inArg) args.push(cur);
      cur = '';
      inArg = false;
      i++;
    } else {
      if (c === '$' || c === '`') fail(`shell expansion (${c})`);
      if ('*?'.includes(c)) fail(`a glob (${c})`);
      if ('|&;<>()'.includes(c)) {
        const op = /^(\|\||&&|>>|2>&1|[|&;<>()])/.exec(command.slice(i))![0];
        if (SHELL_OPERATORS.test(op)) fail(`the shell operator ${op}`);
      }
      cur += c;
      inArg = true;
      i++;
    }
  }
  if (inArg) args.push(cur);
  if (args.length === 0) fail('no command at all');
  return args;
}

/** Placeholders the hooks receive as inputDir/outputDir (rendered to real paths locally, to /asset-* in Docker). */
const HOOK_INPUT = '{{input}}';
const HOOK_OUTPUT = '{{output}}';

/** The steps of `commandHooks`, and what of them goes into the asset hash (the commands, not the machine's paths). */
export function hookSteps(label: string, hooks: ICommandHooks | undefined): { before: HookStep[]; after: HookStep[]; hashInput?: unknown } {
  if (hooks === undefined) return { before: [], after: [] };
  const toSteps = (which: string, commands: string[] | undefined): HookStep[] => (commands ?? []).map((cmd, n) => {
    if (typeof cmd !== 'string') {
      throw new Error(`${label}: commandHooks.${which} must return strings (one command each); item ${n} is ${typeof cmd}.`);
    }
    return { description: `commandHooks.${which} #${n + 1} (${cmd.slice(0, 80)})`, argv: tokenizeCommand(label, cmd), inInput: true };
  });
  const before = toSteps('beforeBundling', hooks.beforeBundling(HOOK_INPUT, HOOK_OUTPUT));
  const after = toSteps('afterBundling', hooks.afterBundling(HOOK_INPUT, HOOK_OUTPUT));
  return { before, after, hashInput: { before: before.map((s) => s.argv), after: after.map((s) => s.argv) } };
}

/** The Docker run options of the alpha's DockerRunOptions that apply to the bundling container. */
export function dockerRunExtras(o: PythonBundlingOptions): Partial<BundlingOptions> {
  const extras: { -readonly [K in keyof BundlingOptions]?: BundlingOptions[K] } = {};
  if (o.volumes?.length) {
    // Host paths differ per machine and CDK hashes the bundling options as JSON: hash the container side only.
    extras.volumes = o.volumes.map((v): DockerVolume => Object.defineProperty({ ...v }, 'toJSON', {
      value: () => ({ containerPath: v.containerPath, consistency: v.consistency }),
      enumerable: false,
    }));
  }
  if (o.volumesFrom?.length) extras.volumesFrom = [...o.volumesFrom];
  if (o.network !== undefined) extras.network = o.network;
  if (o.user !== undefined) extras.user = o.user;
  if (o.securityOpt !== undefined) extras.securityOpt = o.securityOpt;
  if (o.bundlingFileAccess !== undefined) extras.bundlingFileAccess = o.bundlingFileAccess;
  return extras;
}

/** Flags of `pip install` that uv pip does not take, or takes differently. */
const PIP_ONLY_FLAGS_WITH_VALUE = new Set(['--platform', '--implementation', '--abi', '--report']);
const PIP_ONLY_FLAGS = new Set(['--no-compile', '--disable-pip-version-check']);

/**
 * `uv pip install` arguments equivalent to a `{{python}} -m pip install ...` step (same requirements, target
 * folder and target platform), or undefined when the step is not one.
 */
export function uvInstallArgv(pipArgv: string[], architecture: lambda.Architecture): string[] | undefined {
  if (pipArgv[0] !== '{{python}}' || pipArgv[1] !== '-m' || pipArgv[2] !== 'pip' || pipArgv[3] !== 'install') return undefined;
  const machine = architecture.name === lambda.Architecture.ARM_64.name ? 'aarch64' : 'x86_64';
  const out = ['uv', 'pip', 'install', '--python', '{{python}}', '--python-platform', `${machine}-manylinux_2_28`];
  const rest = pipArgv.slice(4);
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (PIP_ONLY_FLAGS_WITH_VALUE.has(a)) {
      i++;
    } else if (PIP_ONLY_FLAGS.has(a)) {
      continue;
    } else if (a === '--only-binary=:all:') {
      out.push('--only-binary', ':all:');
    } else {
      out.push(a);
    }
  }
  return out;
}

/** Whether the user opted into uv for installs. */
export function wantsUv(o: PythonBundlingOptions): boolean {
  return o.installer === PythonInstaller.UV;
}
