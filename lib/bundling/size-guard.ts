import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { BundleSizeReport } from './size-report';
import { AWS_RULES } from '../shared/aws-rules';

/** Lambda's hard limit for function code plus all its layers, unzipped (AWS_RULES.PACKAGE_UNZIPPED_SIZE). */
export const LAMBDA_UNZIPPED_LIMIT_BYTES = AWS_RULES.PACKAGE_UNZIPPED_SIZE.limit! * 1024 * 1024;
/** Lambda's limit on layers per function (AWS_RULES.MAX_LAYERS). */
export const LAMBDA_MAX_LAYERS = AWS_RULES.MAX_LAYERS.limit!;
/** Default warning budget for a dependencies layer or a whole function. */
export const DEFAULT_SIZE_BUDGET_MB = 100;

function packageNameOf(entry: string): string {
  let m = /^(.+?)-[^-]+\.(dist-info|data)$/.exec(entry);
  if (m) return m[1].replace(/[-_.]+/g, '_').toLowerCase();
  m = /^(.+)\.(py|pyc|so|pth)$/.exec(entry);
  if (m) return m[1].split('.')[0].toLowerCase();
  return entry.toLowerCase();
}

/**
 * Walks a directory (sorted, symlinks not followed) and measures it. `packagesRoot` is the folder
 * whose children are packages (`python/` in a layer, the root for handler code).
 * Internal: used by the layer, the handler code and the function construct.
 */
export function measureDirectory(dir: string, packagesRoot: string = dir): BundleSizeReport {
  let unzippedBytes = 0;
  let fileCount = 0;
  const perPackage = new Map<string, number>();
  const walk = (d: string, top: string | undefined) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      const st = fs.lstatSync(p);
      const pkg = top ?? (path.resolve(d) === path.resolve(packagesRoot) ? packageNameOf(name) : undefined);
      if (st.isDirectory()) {
        walk(p, pkg);
      } else if (st.isFile()) {
        unzippedBytes += st.size;
        fileCount++;
        if (pkg !== undefined) perPackage.set(pkg, (perPackage.get(pkg) ?? 0) + st.size);
      }
    }
  };
  if (fs.existsSync(dir)) walk(dir, undefined);
  const largestPackages = [...perPackage.entries()]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name))
    .slice(0, 10);
  return { unzippedBytes, fileCount, largestPackages };
}

/** `12.3 MB` */
export function formatMb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** One part of a deployment package for checkDeploymentSize. */
export interface DeploymentSizePart {
  /** What the part is, e.g. "handler code" or "layer Deps". */
  readonly label: string;
  /** Unzipped bytes; undefined when unknown (e.g. an imported layer). */
  readonly bytes?: number;
}

/**
 * Fails synthesis when function code plus layers exceed Lambda's 250 MB unzipped limit or use more
 * than 5 layers: fail before deployment. Warns above `budgetMb`.
 * Parts of unknown size are listed as unknown and not counted. Internal: called by the function construct.
 *
 * @param layerCount number of layers attached (undefined: not checked)
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export function checkDeploymentSize(
  scope: IConstruct, parts: DeploymentSizePart[], budgetMb: number = DEFAULT_SIZE_BUDGET_MB, layerCount?: number,
): number {
  if (layerCount !== undefined && layerCount > LAMBDA_MAX_LAYERS) {
    throw new Error(`${scope.node.path}: ${layerCount} layers attached, but Lambda allows at most ${LAMBDA_MAX_LAYERS} layers per function (${AWS_RULES.MAX_LAYERS.docUrl}). Merge dependency sets into one PythonDependenciesLayer or drop layers.`);
  }
  const known = parts.filter((p) => p.bytes !== undefined);
  const unknown = parts.filter((p) => p.bytes === undefined).map((p) => p.label);
  const total = known.reduce((s, p) => s + (p.bytes ?? 0), 0);
  const breakdown = known.map((p) => `${p.label} ${formatMb(p.bytes!)}`).join(', ') + (unknown.length ? `; unknown size: ${unknown.join(', ')}` : '');
  if (total > LAMBDA_UNZIPPED_LIMIT_BYTES) {
    throw new Error(`${scope.node.path}: function code plus layers are ${formatMb(total)} unzipped (${breakdown}), above Lambda's ${AWS_RULES.PACKAGE_UNZIPPED_SIZE.limit} MB limit for code and all layers together (${AWS_RULES.PACKAGE_UNZIPPED_SIZE.docUrl}): the deployment would fail. Exclude packages (optimization.excludePackages), enable optimization.removeTestSuites / stripDebugSymbols, or move large dependencies to a container image.`);
  }
  if (!Token.isUnresolved(budgetMb) && total > budgetMb * 1024 * 1024) {
    Annotations.of(scope).addWarningV2('cdk-python-coldstart:sizeBudget',
      `Deployment package is ${formatMb(total)} unzipped (${breakdown}), above the ${budgetMb} MB budget (sizeBudgetMb). Large packages lengthen cold starts: consider excluding packages or raising the budget.`);
  }
  return total;
}
