import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FindingLevel } from '../compliance/types';

/**
 * Former level type of `InitProfileOptions.budgetLevel`.
 *
 * @deprecated use `FindingLevel` (`FindingLevel.WARNING`, `FindingLevel.ERROR`, `FindingLevel.INFO`): the
 * same levels the compliance rules use. Values of this class passed as `budgetLevel` are still understood.
 */
export class InitProfileBudgetLevel {
  /** @deprecated use `FindingLevel.WARNING` */
  public static readonly WARNING = new InitProfileBudgetLevel('warning');

  /** @deprecated use `FindingLevel.ERROR` */
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
   * Init time the handler module may take to import (its imports plus its own module-level code, the
   * median of `runs` local runs). Over `budget` + `budgetMargin`, synth reports a finding at
   * `budgetLevel`.
   *
   * @default - no budget: the profile is only reported
   */
  readonly budget?: Duration;

  /**
   * Noise margin on top of the budget: the median must exceed `budget + budgetMargin` to count as
   * over budget (local timings vary by a few percent from run to run).
   *
   * @default - 10% of the budget
   */
  readonly budgetMargin?: Duration;

  /**
   * Level of the finding when the median init is over budget, or when the handler fails at init.
   * Exactly this level is used, whatever the amount over budget.
   *
   * @default FindingLevel.WARNING
   */
  readonly budgetLevel?: FindingLevel;

  /**
   * How many times to import the handler, each in a fresh interpreter. The budget is compared with
   * the median; with 3 runs or more the first run (cold disk cache) is reported separately and not
   * counted in the median and spread. At most 50.
   *
   * @default 5
   */
  readonly runs?: number;

  /**
   * How long one import may take before the profile gives up ("init did not finish within ...").
   * Processes the handler started are killed with it. At most 1 hour.
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
  /**
   * Wall time to import the handler module (all of its imports and module-level code), in
   * milliseconds: the median of the counted runs.
   */
  readonly totalMs: number;

  /** Part of the median run's total spent in import statements (the imported modules' own code included), in milliseconds. */
  readonly importMs: number;

  /** Part of the median run's total spent in the handler module's own module-level code, in milliseconds. */
  readonly handlerSelfMs: number;

  /** The heaviest imports of the median run by cumulative time, heaviest first. */
  readonly topImports: ImportTiming[];

  /** How many runs were made (each a fresh interpreter). */
  readonly runs: number;

  /** Totals of every run in order, in milliseconds (the first one included). */
  readonly runTotalsMs: number[];

  /** Fastest counted run, in milliseconds. */
  readonly minMs: number;

  /** Slowest counted run, in milliseconds. */
  readonly maxMs: number;

  /** Slowest minus fastest counted run, in milliseconds. */
  readonly spreadMs: number;

  /**
   * The first run's total when it is not counted (3 runs or more): it pays for a cold disk cache and
   * is often an outlier.
   *
   * @default - the first run is counted (fewer than 3 runs)
   */
  readonly firstRunMs?: number;

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
   * How many times to import the handler (each in a fresh interpreter); the result is the median.
   *
   * @default 5
   */
  readonly runs?: number;

  /**
   * Python interpreter of the runtime's minor version.
   *
   * @default - $CDK_PYTHON_COLDSTART_PYTHON, `python3.N` on PATH, or `python3` if it has the right version
   */
  readonly pythonExecutable?: string;
}
