import * as fs from 'fs';
import * as path from 'path';
import { AssetHashType, FileSystem, IgnoreMode } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { bundlingOptions, commonHashInputs, DEFAULT_HANDLER_EXCLUDES, handlerSteps, lockWaitMs, resolveBundling, RUNTIME_KIT_DIR, stableHash } from './bundler';
import { selectFiles, selectionFingerprint } from './file-selection';
import { bundlingError } from './messages';
import { PythonBundlingOptions } from './options';
import { canonicalBundlingOptions, checkOutputPathSuffix, combinedExcludes, dockerRunExtras, hashChoice, hookSteps } from './parity';
import { measureDirectory } from './size-guard';
import { BundleSizeReport } from './size-report';
import { detectDependencySpec, SPEC_DETECTION_ORDER } from './spec';
import { StagedAssetCode } from './staged-code';
import { dependencySpecFiles } from './supply-chain';

/**
 * Options for PythonHandlerCode.fromEntry.
 */
export interface PythonHandlerCodeOptions extends PythonBundlingOptions {
  /**
   * Extra glob patterns to leave out of the handler code, added to the defaults (dependency
   * specification files, `.venv`/`venv`, `tests`, `__pycache__`, tool caches, `.git`, `cdk.out`,
   * `node_modules`). CDK's glob syntax (`Code.fromAsset` with `IgnoreMode.GLOB`): a pattern without
   * `/` matches a file or folder name at any depth, one with `/` a path relative to the entry;
   * `*.{json,yaml}` and `**` work; `!pattern` re-includes what an earlier pattern excluded (not below
   * an excluded folder). One matcher decides both the asset hash and what is copied; symlinks are
   * followed like `Code.fromAsset` does.
   *
   * @see https://github.com/cdk-python-coldstart/cdk-python-coldstart/blob/main/docs/bundling.md
   * @default - the defaults only
   */
  readonly exclude?: string[];

  /**
   * Copy the library's runtime kit (`cdk_python_coldstart_runtime`: warm-up short-circuit,
   * wrapper handler, SnapStart-aware lazy initialisation) into the bundle root, so handlers can
   * `import cdk_python_coldstart_runtime`.
   *
   * @default false
   */
  readonly includeRuntimeKit?: boolean;

  /**
   * The dependency specification, relative to `entry`, when it is not one of the detected names
   * (e.g. `deps/prod.txt`). It is left out of the handler code, with every file it includes
   * (`-r base.txt`, `-c constraints.txt`): they may carry package-index credentials and belong in the
   * dependencies layer.
   *
   * @default - the spec detected in `entry` (requirements.txt, uv.lock, poetry.lock, Pipfile.lock)
   */
  readonly dependencyFile?: string;
}

/** The runtime kit is this library's own folder: fingerprinted once per process. */
let runtimeKitHash: string | undefined;
function runtimeKitFingerprint(fingerprint: (dir: string, exclude: string[]) => string): string {
  runtimeKitHash ??= fingerprint(RUNTIME_KIT_DIR, ['__pycache__', '*.pyc']);
  return runtimeKitHash;
}

/**
 * The user's handler code with the same bytecode treatment as the dependencies layer:
 * precompiled by the runtime's own Python into unchecked-hash bytecode, which Lambda uses from its
 * read-only filesystem although the CDK CLI zips every file with a 1980-01-01 mtime.
 *
 * Versions on a plain `lambda.Function`: a code change publishes a new `currentVersion` (the code's
 * asset hash is part of it), but a `PythonDependenciesLayer` you attach is not, unless the app sets
 * the feature flag `@aws-cdk/aws-lambda:recognizeLayerVersion` (off by default). Without the flag a
 * dependency-only change updates `$LATEST` while your aliases keep the old version: call
 * `fn.invalidateVersionBasedOn(layer.assetHash)` or turn the flag on. `OptimizedPythonFunction` does
 * this itself.
 *
 * @see https://github.com/cdk-python-coldstart/cdk-python-coldstart/blob/main/docs/versions.md
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html
 */
export class PythonHandlerCode {
  /**
   * Handler code from a folder, bundled locally with a Python of the runtime's version (Docker
   * fallback with the AWS SAM build image).
   *
   * @param entry the folder with the handler module(s)
   * @param options bundling options
   */
  public static fromEntry(entry: string, options: PythonHandlerCodeOptions = {}): lambda.AssetCode {
    const label = `PythonHandlerCode ${entry}`;
    const abs = path.resolve(entry);
    checkEntry(entry, abs);
    const o = canonicalBundlingOptions(label, options);
    checkOutputPathSuffix(label, o.outputPathSuffix, 'handler code');
    const choice = hashChoice(label, o);
    const hooks = hookSteps(label, o.commandHooks);
    const r = resolveBundling('PythonHandlerCode', o);
    const excludes = [...DEFAULT_HANDLER_EXCLUDES, ...combinedExcludes(o.exclude, o.assetExcludes)];
    const includeRuntimeKit = options.includeRuntimeKit ?? false;
    // The dependency spec and every file it includes, by exact path (they may carry index credentials).
    const excludeFiles = specFilesOf(abs, options.dependencyFile);
    const fingerprint = (dir: string, exclude: string[]) => FileSystem.fingerprint(dir, { exclude, ignoreMode: IgnoreMode.GLOB });
    // One selection for the hash and the copy (file-selection.ts).
    const selection = selectFiles(`PythonHandlerCode.fromEntry('${entry}')`, abs, excludes, excludeFiles);
    if (selection.files.length === 0) {
      throw bundlingError(`PythonHandlerCode.fromEntry('${entry}')`, 'exclude', `no file of '${abs}' is left after the exclude patterns (${excludes.join(', ')})`,
        'Lambda needs the handler module in the code', 'remove the pattern that matches the handler module from exclude, or point entry at the folder with the handler');
    }
    const hash = choice.assetHash ?? stableHash({
      kind: 'handler-code',
      ...commonHashInputs(r),
      // Relative paths and contents of exactly the files that are copied (the patterns themselves
      // are not hashed: an edit that selects the same files changes nothing).
      source: selectionFingerprint(selection),
      runtimeKit: includeRuntimeKit ? runtimeKitFingerprint(fingerprint) : false,
      ...(hooks.hashInput !== undefined ? { commandHooks: hooks.hashInput } : {}),
    });
    const hint = '';
    const dockerBlocker = selection.externalLinks.length === 0 ? undefined
      : `symlinks point outside the entry folder (${selection.externalLinks.map(([link, target]) => `${link} -> ${target}`).join(', ')})`;
    const steps = [...hooks.before, ...handlerSteps(r, selection.copyPaths, includeRuntimeKit), ...hooks.after];
    return new StagedAssetCode(abs, hash, bundlingOptions(label, abs, steps, r, hint, dockerRunExtras(o), dockerBlocker),
      choice.type === 'output' ? AssetHashType.OUTPUT : AssetHashType.CUSTOM, lockWaitMs(r, steps.length));
  }

  /**
   * The measured size of handler code created by `fromEntry`, once it has been bound to a function
   * (the function construct uses it for Lambda's 250 MB check).
   *
   * @param code code returned by `fromEntry`
   * @returns undefined for other code, before bind, or when bundling was skipped for the stack
   */
  public static sizeOf(code: lambda.Code): BundleSizeReport | undefined {
    const staged = PythonHandlerCode.stagedPathOf(code);
    return staged === undefined ? undefined : measureDirectory(staged);
  }

  /**
   * The staged (bundled) folder of handler code created by `fromEntry`, once bound.
   *
   * @param code code returned by `fromEntry`
   * @returns undefined for other code, before bind, or when bundling was skipped for the stack
   */
  public static stagedPathOf(code: lambda.Code): string | undefined {
    return code instanceof StagedAssetCode ? code.stagedPath : undefined;
  }

  private constructor() {}
}

/**
 * The dependency spec of a handler entry and every file it includes (relative paths), left out of the
 * handler code: none when the entry has no spec.
 */
function specFilesOf(entry: string, dependencyFile?: string): string[] {
  if (dependencyFile === undefined && !SPEC_DETECTION_ORDER.some(({ file }) => fs.existsSync(path.join(entry, file)))) {
    return [];
  }
  if (!fs.existsSync(entry) || !fs.statSync(entry).isDirectory()) return [];
  return dependencySpecFiles(entry, detectDependencySpec(entry, dependencyFile));
}

/** `fromEntry('missing')` (today an ENOENT from lstat) or a file: say which folder is expected. */
function checkEntry(entry: string, abs: string): void {
  const label = `PythonHandlerCode.fromEntry('${entry}')`;
  if (!fs.existsSync(abs)) {
    const parent = path.dirname(abs);
    const isDir = (n: string) => fs.statSync(path.join(parent, n), { throwIfNoEntry: false })?.isDirectory() ?? false;
    const siblings = fs.existsSync(parent) ? fs.readdirSync(parent).filter(isDir).sort().slice(0, 10) : [];
    throw bundlingError(label, 'entry', `'${abs}' does not exist${entry === abs ? '' : ` (resolved from the working directory ${process.cwd()})`}`,
      'the handler code is bundled from this folder',
      'point entry at the folder that holds the handler module, e.g. path.join(__dirname, \'handler\') in TypeScript or os.path.join(os.path.dirname(__file__), \'handler\') in Python' +
      (siblings.length ? `; folders in ${parent}: ${siblings.join(', ')}` : ''));
  }
  if (!fs.statSync(abs).isDirectory()) {
    throw bundlingError(label, 'entry', `'${abs}' is a file, not a folder`,
      'the handler code is bundled from a folder (the handler module and what it imports)',
      `set entry to its folder '${path.dirname(abs)}' and the function's handler to '${path.basename(abs).replace(/\.py$/, '')}.<function>'`);
  }
}
