import * as path from 'path';
import { AssetHashType, FileSystem, IgnoreMode } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { bundlingOptions, commonHashInputs, DEFAULT_HANDLER_EXCLUDES, handlerSteps, resolveBundling, RUNTIME_KIT_DIR, stableHash } from './bundler';
import { PythonBundlingOptions } from './options';
import { canonicalBundlingOptions, checkOutputPathSuffix, combinedExcludes, dockerRunExtras, hashChoice, hookSteps } from './parity';
import { measureDirectory } from './size-guard';
import { BundleSizeReport } from './size-report';
import { StagedAssetCode } from './staged-code';

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
}

/**
 * The user's handler code with the same bytecode treatment as the dependencies layer:
 * precompiled by the runtime's own Python into unchecked-hash bytecode, which Lambda uses from its
 * read-only filesystem although the CDK CLI zips every file with a 1980-01-01 mtime.
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
    const fingerprint = (dir: string, exclude: string[]) => FileSystem.fingerprint(dir, { exclude, ignoreMode: IgnoreMode.GLOB });
    const hash = choice.assetHash ?? stableHash({
      kind: 'handler-code',
      ...commonHashInputs(r),
      source: fingerprint(abs, excludes),
      excludes,
      runtimeKit: includeRuntimeKit ? fingerprint(RUNTIME_KIT_DIR, ['__pycache__', '*.pyc']) : false,
      ...(hooks.hashInput !== undefined ? { commandHooks: hooks.hashInput } : {}),
    });
    const hint = '';
    const steps = [...hooks.before, ...handlerSteps(r, excludes, includeRuntimeKit), ...hooks.after];
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
