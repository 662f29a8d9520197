import { DockerImage, Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * What the bytecode optimizer does to the bundle besides precompiling it.
 *
 * Every bundle is always precompiled with the runtime's own Python into `unchecked-hash` bytecode
 * (the only kind that survives the CDK CLI's 1980-01-01 zip mtimes on Lambda's read-only filesystem);
 * these options are the optional, riskier extras. All are off by default.
 */
export interface BytecodeOptimization {
  /**
   * Strip debug symbols (`strip --strip-debug`) from compiled extension modules (`.so`).
   *
   * auditwheel-bundled libraries in `*.libs/` folders (e.g. `numpy.libs/`) are never stripped:
   * stripping them makes numpy fail to import.
   *
   * @default false
   */
  readonly stripDebugSymbols?: boolean;

  /**
   * Ship bytecode only: write `module.pyc` next to each module and delete the `.py` source.
   *
   * Smaller bundles, but tracebacks show no source lines and code that reads its own source
   * (`inspect.getsource`) fails.
   *
   * @default false
   */
  readonly sourceless?: boolean;

  /**
   * Distributions to leave out of the dependencies layer (project or import names), e.g.
   * `['boto3', 'botocore']` to use the copies in the Lambda runtime instead (saves ~80 MB).
   *
   * AWS recommends shipping your own boto3: the runtime's copy changes without notice, so excluding
   * it risks version skew. A warning is added when you do.
   *
   * @default - nothing is excluded
   */
  readonly excludePackages?: string[];

  /**
   * Remove `tests/` folders nested inside installed packages (e.g. `pandas/tests`, `numpy/*\/tests`).
   *
   * Only folders named `tests` below a package are removed; importable helpers such as `numpy.testing`
   * and documentation packages (`botocore.docs` is imported at runtime) are always kept.
   *
   * @default false
   */
  readonly removeTestSuites?: boolean;
}

/**
 * Bundling options shared by the dependencies layer and the handler code.
 */
export interface PythonBundlingOptions {
  /**
   * The Lambda runtime the bundle targets. Bytecode is compiled by a Python of exactly this
   * minor version (the magic number differs between versions).
   *
   * @default lambda.Runtime.PYTHON_3_12
   */
  readonly runtime?: lambda.Runtime;

  /**
   * The architecture the bundle targets (selects the manylinux wheels pip downloads).
   *
   * @default lambda.Architecture.ARM_64
   */
  readonly architecture?: lambda.Architecture;

  /**
   * The Python interpreter used for local bundling. It must have the runtime's minor version.
   *
   * @default - `$CDK_PYTHON_COLDSTART_PYTHON` if it has the runtime's version, else `python3.N` on PATH
   */
  readonly pythonExecutable?: string;

  /**
   * Extra environment variables for pip and the export tools (e.g. `PIP_INDEX_URL`).
   *
   * Locally, your own pip configuration and `PIP_*` variables are honoured as they are; these are
   * added on top. They are part of the asset hash, except credentials: the userinfo of URLs
   * (`https://user:TOKEN@host/...`) and the values of variables named like a credential (`*_TOKEN`,
   * `*_PASSWORD`, `*_SECRET`, `*_AUTH*`, `*_KEY`) are hashed as `***`, so rotating a token publishes
   * nothing new. URLs are redacted in every message.
   *
   * @default - none
   * @see https://docs.aws.amazon.com/lambda/latest/dg/python-layers.html
   */
  readonly environment?: { [key: string]: string };

  /**
   * The longest any one external bundling step (lock export with uv, poetry or pipenv, `pip install`,
   * the bytecode optimizer, each step of the Docker fallback) may run. A step that takes longer is
   * stopped and synthesis fails naming the step. Not part of the asset hash.
   *
   * @default Duration.minutes(15)
   */
  readonly bundlingTimeout?: Duration;

  /**
   * Optional optimizations on top of unchecked-hash precompilation.
   *
   * @default - precompile only
   */
  readonly optimization?: BytecodeOptimization;

  /**
   * Bundle in Docker even when a local Python of the right version is available.
   *
   * @default false
   */
  readonly forceDockerBundling?: boolean;

  /**
   * The Docker image used when bundling cannot run locally.
   *
   * @default - the AWS SAM build image for the runtime and architecture, e.g.
   * `public.ecr.aws/sam/build-python3.12:latest-arm64`
   */
  readonly dockerImage?: DockerImage;
}
