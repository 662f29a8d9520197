import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * What an init profile over its budget does at synth time.
 */
export class InitProfileBudgetLevel {
  /** Report an over-budget init as a synth warning (acknowledgeable, does not fail `cdk synth`). */
  public static readonly WARNING = new InitProfileBudgetLevel('warning');

  /** Report an over-budget init (or a handler that fails at init) as a synth error: `cdk synth` fails. */
  public static readonly ERROR = new InitProfileBudgetLevel('error');

  /**
   * @param level `warning` or `error`
   */
  private constructor(
    /** `warning` or `error`. */
    public readonly level: string,
  ) {}
}

/**
 * Opt-in init profiling of a Python function at synth time.
 *
 * Profiling RUNS YOUR HANDLER MODULE'S IMPORT-TIME CODE on the machine that synthesizes the app
 * (in a separate Python process, without AWS credentials, with a timeout). Only enable it for code
 * you would run locally anyway.
 */
export interface InitProfileOptions {
  /**
   * Init time the handler module may take to import (module-level code and imports, measured
   * locally). Over it, synth reports a warning or an error (see `budgetLevel`).
   *
   * @default - no budget: the profile is only reported
   */
  readonly budget?: Duration;

  /**
   * What an over-budget init does at synth, and how a handler that fails at init is reported.
   *
   * @default InitProfileBudgetLevel.WARNING
   */
  readonly budgetLevel?: InitProfileBudgetLevel;

  /**
   * How long the import may take before the profile gives up ("init did not finish within ...").
   *
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;

  /**
   * How many of the heaviest imports (by cumulative time) to report.
   *
   * @default 10
   */
  readonly topImports?: number;

  /**
   * Python interpreter to profile with. It must be CPython of the function runtime's minor version
   * (bytecode and native wheels are version-specific).
   *
   * @default - $CDK_PYTHON_COLDSTART_PYTHON if it has the right version, else `python3.N` on PATH,
   * else `python3` if it has the right version
   */
  readonly pythonExecutable?: string;
}

/**
 * One imported module in an init profile (from `python -X importtime`).
 */
export interface ImportTiming {
  /** Dotted module name, e.g. `botocore.session`. */
  readonly moduleName: string;

  /** Time to import the module including everything it imported, in milliseconds. */
  readonly cumulativeMs: number;

  /** Time spent in the module's own top-level code, in milliseconds. */
  readonly selfMs: number;
}

/**
 * The result of profiling a handler module's init.
 */
export interface InitProfileResult {
  /** Wall time to import the handler module (all of its imports and module-level code), in milliseconds. */
  readonly totalMs: number;

  /** Part of `totalMs` spent in import statements (the imported modules' own code included), in milliseconds. */
  readonly importMs: number;

  /** Part of `totalMs` spent in the handler module's own top-level code, in milliseconds. */
  readonly handlerSelfMs: number;

  /** The heaviest imports by cumulative time, heaviest first. */
  readonly topImports: ImportTiming[];

  /** Whether the handler function exists on the module and is callable (Lambda fails the init otherwise). */
  readonly handlerFound: boolean;

  /**
   * Modules from the code or layers that had no usable bytecode and were compiled from source, as
   * they would be on every cold start in Lambda (timestamp-based .pyc never match there).
   */
  readonly modulesCompiledFromSource: number;

  /** Number of modules the handler's init imported. */
  readonly modulesImported: number;

  /** Version of the Python that ran the profile, e.g. `3.12.1`. */
  readonly pythonVersion: string;

  /** CPU architecture of the machine that ran the profile, e.g. `x86_64`. Numbers are from this machine, not Lambda. */
  readonly hostArchitecture: string;
}

/**
 * What to profile: a handler in a code directory plus layer directories, as staged by CDK.
 */
export interface InitProfilerProps {
  /** Directory holding the function code (what Lambda extracts into /var/task). */
  readonly codeDir: string;

  /**
   * Layer directories in the function's layer order (each holds `python/` as Lambda extracts it into /opt).
   *
   * @default - no layers
   */
  readonly layerDirs?: string[];

  /** Handler string, e.g. `index.handler` or `app/main.handler`. */
  readonly handler: string;

  /** Python runtime of the function; the profile uses an interpreter of the same minor version. */
  readonly runtime: lambda.Runtime;

  /**
   * Environment variables the function sets (the profile also sets the Lambda ones and a fake region).
   * Unresolved tokens are replaced with a placeholder.
   *
   * @default - none
   */
  readonly environment?: { [key: string]: string };

  /**
   * How long the import may take.
   *
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;

  /**
   * How many of the heaviest imports to report.
   *
   * @default 10
   */
  readonly topImports?: number;

  /**
   * Python interpreter of the runtime's minor version.
   *
   * @default - $CDK_PYTHON_COLDSTART_PYTHON, `python3.N` on PATH, or `python3` if it has the right version
   */
  readonly pythonExecutable?: string;
}
