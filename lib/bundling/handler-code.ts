import * as fs from 'fs';
import * as path from 'path';
import { AssetHashType, FileSystem, IgnoreMode, IgnoreStrategy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { bundlingOptions, commonHashInputs, DEFAULT_HANDLER_EXCLUDES, handlerSteps, resolveBundling, RUNTIME_KIT_DIR, stableHash } from './bundler';
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
   * `node_modules`). A pattern without `/` matches a file or folder name at any depth; one with `/`
   * matches a path relative to the entry.
   *
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
    const o = canonicalBundlingOptions(label, options);
    checkOutputPathSuffix(label, o.outputPathSuffix, 'handler code');
    const choice = hashChoice(label, o);
    const hooks = hookSteps(label, o.commandHooks);
    const r = resolveBundling('PythonHandlerCode', o);
    const abs = path.resolve(entry);
    const excludes = [...DEFAULT_HANDLER_EXCLUDES, ...combinedExcludes(o.exclude, o.assetExcludes)];
    const includeRuntimeKit = options.includeRuntimeKit ?? false;
    // Only the spec files the patterns do not already leave out (both reach the asset hash).
    const excludeFiles = specFilesOf(abs, options.dependencyFile)
      .filter((f) => !IgnoreStrategy.glob(abs, excludes).ignores(path.join(abs, f)));
    const fingerprint = (dir: string, exclude: string[]) => FileSystem.fingerprint(dir, { exclude, ignoreMode: IgnoreMode.GLOB });
    const hash = choice.assetHash ?? stableHash({
      kind: 'handler-code',
      ...commonHashInputs(r),
      source: fingerprint(abs, excludes),
      excludes,
      excludeFiles,
      runtimeKit: includeRuntimeKit ? fingerprint(RUNTIME_KIT_DIR, ['__pycache__', '*.pyc']) : false,
      ...(hooks.hashInput !== undefined ? { commandHooks: hooks.hashInput } : {}),
    });
    const hint = '';
    const steps = [...hooks.before, ...handlerSteps(r, excludes, includeRuntimeKit, excludeFiles), ...hooks.after];
    return new StagedAssetCode(abs, hash, bundlingOptions(label, abs, steps, r, hint, dockerRunExtras(o)),
      choice.type === 'output' ? AssetHashType.OUTPUT : AssetHashType.CUSTOM);
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
