/**
 * Turns a stack of the construct tree into a TemplateSource: every L1 (CfnFunction, CfnAlias,
 * CfnInclude'd resources, SAM CfnFunction...) resolved with `stack.resolve()`, so the aspect runs the
 * same template engine as the CLI and the policy validation plugin. Internal.
 */
import * as path from 'path';
import { AssetStaging, CfnElement, CfnResource, Stack, Stage, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { MetadataEntry, TemplateSource } from './analyze';
import { isIntrinsic } from './values';

/** The resource types the engine reads; others (roles, policies...) are not resolved at all. */
const RELEVANT_TYPES = new Set([
  'AWS::Lambda::Function', 'AWS::Lambda::Alias', 'AWS::Lambda::Version', 'AWS::Lambda::LayerVersion',
  'AWS::ApplicationAutoScaling::ScalableTarget', 'AWS::Events::Rule', 'AWS::Scheduler::Schedule',
  'AWS::Serverless::Function', 'AWS::Serverless::LayerVersion',
]);

const TEMPLATE_FOLDER = Symbol.for('cdk-python-coldstart.template-folder');

/** Records the folder of the template a CfnInclude read (CfnInclude itself does not keep it). */
export function setTemplateFolder(include: IConstruct, folder: string): void {
  (include as any)[TEMPLATE_FOLDER] = folder;
}

function templateFolderOf(include: IConstruct): string | undefined {
  return (include as any)[TEMPLATE_FOLDER];
}

/** CfnFunction properties the engine reads: camelCase name, template name, whether its keys are renamed too. */
const FUNCTION_PROPS: [string, string, boolean][] = [
  ['runtime', 'Runtime', false], ['architectures', 'Architectures', false], ['memorySize', 'MemorySize', false],
  ['handler', 'Handler', false], ['packageType', 'PackageType', false], ['functionName', 'FunctionName', false],
  ['layers', 'Layers', false], ['fileSystemConfigs', 'FileSystemConfigs', false],
  ['snapStart', 'SnapStart', true], ['ephemeralStorage', 'EphemeralStorage', true], ['code', 'Code', true],
  ['environment', 'Environment', true], ['imageConfig', 'ImageConfig', true],
];

/**
 * The part of a plain `lambda.CfnFunction` the engine reads, resolved property by property: the same
 * values `_toCloudFormation()` renders, at a fraction of the cost (rendering a whole function runs
 * every property's validator and the override merge; on 5,000 functions that was most of the
 * aspect's time). Anything unusual (overrides, conditions, subclasses) takes the full path.
 */
export function fastFunction(stack: Stack, res: CfnResource): Record<string, unknown> | undefined {
  if ((res.constructor as unknown) !== lambda.CfnFunction || Object.keys((res as any).rawOverrides ?? {}).length > 0
    || res.cfnOptions.condition !== undefined || (res as any).shouldSynthesize?.() === false) {
    return undefined;
  }
  const fn = res as any;
  const props: Record<string, unknown> = {};
  for (const [camel, pascal, nested] of FUNCTION_PROPS) {
    const raw = fn[camel];
    if (raw === undefined) {
      continue;
    }
    const value = stack.resolve(raw);
    if (value === undefined) {
      continue;
    }
    // (as CDK renders it: after resolution, keys renamed unless the value is an intrinsic)
    props[pascal] = nested && value !== null && typeof value === 'object' && !Array.isArray(value) && !isIntrinsic(value)
      ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), v]))
      : value;
  }
  const metadata = stack.resolve(res.cfnOptions.metadata);
  return { Type: res.cfnResourceType, Properties: props, ...(metadata && Object.keys(metadata).length > 0 ? { Metadata: metadata } : {}) };
}

export interface StackSnapshot {
  readonly source: TemplateSource;
  readonly resources: Map<string, CfnResource>;
  /** Logical IDs whose properties could not be resolved at all. */
  readonly failed: Map<string, string>;
}

const assetCache = new WeakMap<IConstruct, { dirs: Map<string, string>; skipped: Set<string> }>();

function assetsOf(scope: IConstruct): { dirs: Map<string, string>; skipped: Set<string> } {
  const root = scope.node.root;
  let entry = assetCache.get(root);
  if (!entry) {
    entry = { dirs: new Map(), skipped: new Set() };
    for (const c of root.node.findAll()) {
      if (c instanceof AssetStaging) {
        entry.dirs.set(c.assetHash, c.absoluteStagedPath);
        // A stack excluded from bundling (aws:cdk:bundling-stacks) stages the unbundled source in
        // place: it is not what `cdk deploy` (which bundles) uploads.
        if (!Stack.of(c).bundlingRequired && path.resolve(c.sourcePath) === path.resolve(c.absoluteStagedPath)) {
          entry.skipped.add(c.assetHash);
        }
      }
    }
    assetCache.set(root, entry);
  }
  return entry;
}

/** Asset hash → staged directory for every AssetStaging in the app (computed once per app). */
export function stagedAssets(scope: IConstruct): Map<string, string> {
  return assetsOf(scope).dirs;
}

/** Hashes of assets whose bundling was skipped (their staged folder is the source). */
export function skippedAssets(scope: IConstruct): Set<string> {
  return assetsOf(scope).skipped;
}

/** The L1 resources that belong to `stack` itself (not to nested stacks or stages). */
export function stackResources(stack: Stack, others: CfnElement[] = []): CfnResource[] {
  const out: CfnResource[] = [];
  const visit = (c: IConstruct) => {
    for (const child of c.node.children) {
      if (Stack.isStack(child) || Stage.isStage(child)) {
        continue;
      }
      if (CfnResource.isCfnResource(child)) {
        out.push(child);
      } else if (CfnElement.isCfnElement(child)) {
        others.push(child);
      }
      visit(child);
    }
  };
  visit(stack);
  return out;
}

export function stackLabel(stack: Stack): string {
  return Token.isUnresolved(stack.stackName) ? stack.node.path.replace(/\//g, '-') : stack.stackName;
}

export function snapshotStack(stack: Stack): StackSnapshot {
  const resources = new Map<string, CfnResource>();
  const failed = new Map<string, string>();
  const template: { Resources: Record<string, unknown>; Globals?: unknown } = { Resources: {} };
  const paths = new Map<string, string>();
  const metadata = new Map<string, MetadataEntry[]>();
  const elements: CfnElement[] = [];
  const cfnResources = stackResources(stack, elements);
  const includes = elements.filter((el) => el.constructor.name === 'CfnInclude');
  const sourceDirs = new Map<string, string | null>();
  // CfnInclude renders the template's other sections itself: SAM Globals apply to its functions.
  for (const el of elements) {
    if (el.constructor.name === 'CfnInclude') {
      try {
        const globals = stack.resolve((el as any)._toCloudFormation())?.Globals;
        if (globals) {
          template.Globals = globals;
        }
      } catch {
        // sections that do not resolve only lose SAM Globals
      }
    }
  }
  for (const res of cfnResources) {
    if (!RELEVANT_TYPES.has(res.cfnResourceType)) {
      continue;
    }
    let logicalId: string;
    try {
      logicalId = stack.resolve(res.logicalId);
    } catch {
      continue;
    }
    resources.set(logicalId, res);
    paths.set(logicalId, res.node.path);
    if (includes.length > 0) {
      const include = includes.find((inc) => res.node.path.startsWith(inc.node.path + '/'));
      if (include) {
        sourceDirs.set(logicalId, templateFolderOf(include) ?? null);
      }
    }
    // Metadata of the L1 and, for an L2's default child, of the L2 (e.g. the init profile).
    const owner = res.node.scope;
    const fromOwner = owner && owner.node.defaultChild === res ? owner.node.metadata : [];
    metadata.set(logicalId, [...fromOwner, ...res.node.metadata].map((m) => ({ type: m.type, data: m.data })));
    try {
      const fast = fastFunction(stack, res);
      if (fast) {
        template.Resources[logicalId] = fast;
        continue;
      }
      // _toCloudFormation() includes property overrides (addPropertyOverride), as the template will.
      const cfn = stack.resolve((res as any)._toCloudFormation());
      Object.assign(template.Resources, cfn.Resources ?? {});
    } catch (e) {
      failed.set(logicalId, (e as Error).message);
      template.Resources[logicalId] = { Type: res.cfnResourceType, Properties: {} };
    }
  }
  return {
    source: {
      stackName: stackLabel(stack),
      template,
      assetDirs: stagedAssets(stack),
      skippedAssets: skippedAssets(stack),
      paths,
      sourceDirOf: (id) => sourceDirs.get(id),
      metadata: (id) => metadata.get(id) ?? [],
    },
    resources,
    failed,
  };
}
