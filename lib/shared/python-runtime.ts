import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * Facts about a Python Lambda runtime that the library's checks and bundling rely on.
 * Internal: not part of the public API.
 */
export interface PythonRuntimeInfo {
  /** e.g. `python3.12` */
  readonly name: string;
  /** e.g. `3.12` */
  readonly version: string;
  /** Minor version, e.g. 12 */
  readonly minor: number;
}

/** Parses `python3.N` runtime names; returns undefined for any other family. */
export function pythonRuntimeInfo(runtime: lambda.Runtime | string): PythonRuntimeInfo | undefined {
  const name = typeof runtime === 'string' ? runtime : runtime.name;
  const m = /^python3\.(\d+)$/.exec(name);
  if (!m) {
    return undefined;
  }
  const minor = Number(m[1]);
  return { name, version: `3.${minor}`, minor };
}

/**
 * SnapStart for Python: managed runtimes python3.12 and newer only.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html#snapstart-runtimes
 */
export function pythonSupportsSnapStart(runtime: lambda.Runtime | string): boolean {
  const info = pythonRuntimeInfo(runtime);
  return info !== undefined && info.minor >= 12;
}
