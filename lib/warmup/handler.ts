import { Token } from 'aws-cdk-lib';

/**
 * A function handler setting and the environment variables that go with it.
 */
export interface WrappedHandler {
  /** Value for the function's `handler` property. */
  readonly handler: string;
  /** Environment variables to add to the function. */
  readonly environment: { [key: string]: string };
}

/**
 * The runtime kit's zero-change wrapper handler: the function's handler becomes
 * `cdk_python_coldstart_runtime.wrapper.handler`, which imports the user's handler (named in
 * `CDK_PYTHON_COLDSTART_HANDLER`) at init, answers warm-up events before user code runs and passes
 * every other event through unchanged. The `cdk_python_coldstart_runtime` package must be in the
 * deployment package or a layer (`OptimizedPythonFunction` bundles it).
 */
export class WarmupHandler {
  /** The wrapper's handler setting. */
  public static readonly WRAPPER_HANDLER = 'cdk_python_coldstart_runtime.wrapper.handler';

  /** Environment variable naming the user's handler (`module.function`). */
  public static readonly HANDLER_ENV_VAR = 'CDK_PYTHON_COLDSTART_HANDLER';

  /**
   * The handler setting and environment that route `userHandler` through the wrapper.
   *
   * @param userHandler the handler you would otherwise configure, `module.function`
   *   (e.g. `index.handler`, `pkg.module.handler` or `src/index.handler`)
   */
  public static wrap(userHandler: string): WrappedHandler {
    if (!Token.isUnresolved(userHandler)) {
      if (userHandler === WarmupHandler.WRAPPER_HANDLER) {
        throw new Error(`handler: '${userHandler}' is the warm-up wrapper itself; pass your own handler ` +
          "(e.g. 'index.handler'), the wrapper calls it.");
      }
      if (!/^[A-Za-z_][A-Za-z0-9_]*([./][A-Za-z_][A-Za-z0-9_]*)*\.[A-Za-z_][A-Za-z0-9_]*$/.test(userHandler)) {
        throw new Error(`handler: '${userHandler}' is not a Python handler of the form 'module.function' ` +
          "(module path segments and the function must be Python identifiers, e.g. 'index.handler' or 'pkg.mod.handler').");
      }
    }
    return {
      handler: WarmupHandler.WRAPPER_HANDLER,
      environment: { [WarmupHandler.HANDLER_ENV_VAR]: userHandler },
    };
  }

  private constructor() {}
}
