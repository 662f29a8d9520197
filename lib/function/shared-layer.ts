import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { dependencySetHash, PythonDependenciesLayer } from '../bundling/layer';
import { PythonBundlingOptions } from '../bundling/options';
import { SPEC_DETECTION_ORDER } from '../bundling/spec';
import { AWS_RULES } from '../shared/aws-rules';

/** Id prefix of the stack-level shared dependencies layers. */
export const SHARED_LAYER_ID_PREFIX = 'PythonDependencies';

/**
 * The stack-level dependencies layer for a function's dependency set, created on first use.
 *
 * One LayerVersion per dependency set and stack, whatever the functions' `entry` folders: the key is the
 * layer's own content hash (spec contents, runtime, architecture, bundling options), and the layer is a child
 * of the stack whose id derives from that hash. Renaming, moving or removing the function that happened to
 * come first therefore changes nothing for the others (their layer's logical id stays), and a changed
 * dependency set gets a new layer id (LayerVersions are immutable: a new one is published either way).
 *
 * Returns undefined when `entry` has no dependency spec (and no `dependencyFile` is given). Internal.
 */
export function sharedDependenciesLayer(scope: IConstruct, entry: string, dependencyFile: string | undefined,
  bundling: PythonBundlingOptions): PythonDependenciesLayer | undefined {
  const hasSpec = dependencyFile !== undefined || SPEC_DETECTION_ORDER.some(({ file }) => fs.existsSync(path.join(entry, file)));
  if (!hasSpec) {
    return undefined;
  }
  const props = { ...bundling, entry, dependencyFile };
  const stack = Stack.of(scope);
  const id = `${SHARED_LAYER_ID_PREFIX}${dependencySetHash(props).slice(0, 16)}`;
  const existing = stack.node.tryFindChild(id);
  if (existing instanceof PythonDependenciesLayer) {
    return existing;
  }
  // Each function checks its own sizeBudgetMb against code plus layers; the shared layer only keeps
  // Lambda's hard limit, so no function's budget decides the warnings of the others.
  return new PythonDependenciesLayer(stack, id, { ...props, sizeBudgetMb: AWS_RULES.PACKAGE_UNZIPPED_SIZE.limit });
}
