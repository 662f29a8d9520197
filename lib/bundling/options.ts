import { AssetHashType, BundlingFileAccess, DockerImage, DockerVolume } from 'aws-cdk-lib';
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
   * @default - the first of these with the runtime's version: `$CDK_PYTHON_COLDSTART_PYTHON`, `python3.N` on PATH,
   * pyenv's `versions/3.N.*` (under `$PYENV_ROOT` or `pyenv root`), `uv python find 3.N`
   */
  readonly pythonExecutable?: string;

  /**
   * Extra environment variables for pip and the export tools (e.g. `PIP_INDEX_URL`).
   *
   * Locally, your own pip configuration and `PIP_*` variables are honoured as they are; these are
   * added on top. They are part of the asset hash.
   *
   * @default - none
   */
  readonly environment?: { [key: string]: string };

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

  // --- Parity with @aws-cdk/aws-lambda-python-alpha's BundlingOptions (same names, same meaning; docs/migration.md) ---

  /**
   * Glob patterns left out of the handler code: the alpha's name for `exclude` (both are applied).
   *
   * @default - the defaults only
   */
  readonly assetExcludes?: string[];

  /**
   * How the handler code's asset hash is computed. `SOURCE` (the default) hashes what changes the bundle:
   * the entry's files, the options and the optimizer. `OUTPUT` hashes the bundled output (handler code and
   * dependencies layer). `CUSTOM` requires `assetHash`.
   *
   * @default AssetHashType.SOURCE
   */
  readonly assetHashType?: AssetHashType;

  /**
   * A custom hash for the handler code (e.g. a git commit). You then decide when the code is redeployed:
   * change it whenever the code changes. The dependencies layer keeps its own hash of the dependency spec.
   *
   * @default - computed from the sources, per `assetHashType`
   */
  readonly assetHash?: string;

  /**
   * Commands run before and after the handler code is bundled, locally or in the Docker container, with the
   * entry folder as working directory. Each string is one command, split into arguments like a shell would
   * (quotes are honoured) but never run through a shell: pipes, redirections, `&&`, `$VAR` and globbing are
   * rejected. Use the hook's `inputDir`/`outputDir` arguments for paths. Files an `afterBundling` command adds
   * are not precompiled.
   *
   * @default - no commands
   */
  readonly commandHooks?: ICommandHooks;

  /**
   * Accepted for parity with `@aws-cdk/aws-lambda-python-alpha`; it changes nothing here: every lock file
   * (poetry.lock, uv.lock, Pipfile.lock) is exported with its hashes and installed with `--require-hashes`,
   * so the lock is enforced at download whatever this is set to.
   *
   * @default true - hashes are always kept
   */
  readonly poetryIncludeHashes?: boolean;

  /**
   * Export poetry.lock without source repository URLs (`poetry export --without-urls`).
   *
   * @default false
   */
  readonly poetryWithoutUrls?: boolean;

  /**
   * The Docker image for bundling when it cannot run locally: the alpha's name for `dockerImage`.
   *
   * @default - `dockerImage`, else the AWS SAM build image for the runtime and architecture
   */
  readonly image?: DockerImage;

  /**
   * The alpha's build arguments of its bundling image, used there for index URLs (`PIP_INDEX_URL`,
   * `PIP_EXTRA_INDEX_URL`). No image is built here: they are passed to pip as environment variables
   * (locally and in Docker), like `environment`, and are part of the asset hash like it.
   *
   * @default - none
   */
  readonly buildArgs?: { [key: string]: string };

  /**
   * Extra volumes mounted into the Docker container (only when bundling runs in Docker).
   *
   * @default - none
   */
  readonly volumes?: DockerVolume[];

  /**
   * Containers whose volumes are mounted into the Docker container (`docker run --volumes-from`).
   *
   * @default - none
   */
  readonly volumesFrom?: string[];

  /**
   * The Docker network of the bundling container (`docker run --network`).
   *
   * @default - Docker's default network
   */
  readonly network?: string;

  /**
   * The user the bundling container runs as (`docker run -u`).
   *
   * @default - `uid:gid` of the current user, as CDK sets it
   */
  readonly user?: string;

  /**
   * A security option of the bundling container (`docker run --security-opt`).
   *
   * @default - none
   */
  readonly securityOpt?: string;

  /**
   * How files get into and out of the bundling container (bind mount, or volume copy for remote Docker).
   *
   * @default BundlingFileAccess.BIND_MOUNT
   */
  readonly bundlingFileAccess?: BundlingFileAccess;

  /**
   * Where the bundled files go inside the asset. Handler code is always at the root (`''` or `'.'`); a
   * dependencies layer always under `python` (where Lambda's runtime looks, /opt/python). Other values are an
   * error, as they would move the code away from where Lambda imports it.
   *
   * @default - '' for handler code, 'python' for a layer
   */
  readonly outputPathSuffix?: string;

  /**
   * Which installer puts the dependencies into the layer. `UV` runs `uv pip install` when uv is on PATH
   * (faster; uv reads its own configuration, e.g. `UV_INDEX_URL`, not pip's), and pip otherwise and in Docker.
   * The asset hash does not depend on the installer.
   *
   * @default PythonInstaller.PIP
   */
  readonly installer?: PythonInstaller;
}

/**
 * Commands to run around bundling (the same interface as @aws-cdk/aws-lambda-python-alpha's).
 *
 * Each returned string is one command, split into arguments (quotes honoured) and run without a shell.
 */
export interface ICommandHooks {
  /**
   * Commands to run before the handler code is bundled.
   *
   * @param inputDir the entry folder (`/asset-input` in Docker)
   * @param outputDir the bundle's folder (`/asset-output` in Docker)
   */
  beforeBundling(inputDir: string, outputDir: string): string[];

  /**
   * Commands to run after the handler code is bundled and precompiled.
   *
   * @param inputDir the entry folder (`/asset-input` in Docker)
   * @param outputDir the bundle's folder (`/asset-output` in Docker)
   */
  afterBundling(inputDir: string, outputDir: string): string[];
}

/** The tool that installs the dependencies into the layer. */
export enum PythonInstaller {
  /** `python -m pip install` (the default). */
  PIP = 'pip',
  /** `uv pip install` when uv is on PATH locally; pip otherwise and in Docker. */
  UV = 'uv',
}
