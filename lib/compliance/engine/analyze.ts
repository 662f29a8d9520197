/**
 * Builds normalized function views from a CloudFormation/SAM template. Shared by the aspect (which
 * feeds it the stack's resolved L1s), the policy validation plugin and the CLI. Internal.
 */
import * as path from 'path';
import { isDirectory } from './assets';
import {
  AliasView, CodeLocation, FunctionView, InitProfile, Maybe, VersionView, WarmerView,
} from './model';
import { isUnresolved, num, render, referencedIds, short, str, strList, Unresolved } from './values';

export const LAMBDA_FUNCTION = 'AWS::Lambda::Function';
export const SAM_FUNCTION = 'AWS::Serverless::Function';
export const INIT_PROFILE_METADATA = 'cdk-python-coldstart:init-profile';
export const WARMUP_TARGET_ENV = 'CDK_PYTHON_COLDSTART_WARMUP_TARGET';
/** Resource metadata key for suppressions in templates: `{ rules_to_suppress: [{ id, reason }] }`. */
export const SUPPRESSION_METADATA = 'cdk_python_coldstart';

export interface MetadataEntry {
  readonly type: string;
  readonly data?: unknown;
}

export interface TemplateSource {
  readonly stackName: string;
  /** Parsed template (JSON/YAML) or the resolved L1s of a stack. */
  readonly template: any;
  /** Directory relative paths (aws:asset:path, SAM CodeUri) are resolved against. */
  readonly baseDir?: string;
  /** Asset hash → staged directory (from the construct tree or `*.assets.json`). */
  readonly assetDirs?: Map<string, string>;
  /** Construct path per logical ID; defaults to the `aws:cdk:path` metadata. */
  readonly paths?: Map<string, string>;
  /** Construct metadata per logical ID (construct tree or manifest.json). */
  readonly metadata?: (logicalId: string) => MetadataEntry[];
}

export interface Suppression {
  readonly id: string;
  readonly reason: string;
}

export interface AnalyzedTemplate {
  readonly functions: FunctionView[];
  pathOf(logicalId: string): string;
  /** Suppressions recorded in the resource's template metadata. */
  suppressionsOf(logicalId: string): Suppression[];
}

interface Res {
  readonly Type?: string;
  readonly Properties?: Record<string, any>;
  readonly Metadata?: Record<string, any>;
}

interface FnMatch {
  readonly fnId: string;
  readonly qualified: boolean;
}

export function analyzeTemplate(src: TemplateSource): AnalyzedTemplate {
  const resources: Record<string, Res> = src.template?.Resources ?? {};
  const samGlobals: Record<string, any> = src.template?.Globals?.Function ?? {};
  const props = (id: string): Record<string, any> => {
    const r = resources[id];
    const p = r?.Properties ?? {};
    if (r?.Type !== SAM_FUNCTION) {
      return p;
    }
    // SAM Globals apply where the function does not set the property (resolved L1s keep undefined keys).
    const merged: Record<string, any> = { ...samGlobals };
    for (const [k, v] of Object.entries(p)) {
      if (v !== undefined) {
        merged[k] = v;
      }
    }
    return merged;
  };
  const pathOf = (id: string): string =>
    src.paths?.get(id) ?? stringOr(resources[id]?.Metadata?.['aws:cdk:path']) ?? `${src.stackName}/${id}`;
  const ids = Object.keys(resources).sort();
  const ofType = (...types: string[]) => ids.filter((id) => types.includes(resources[id]?.Type ?? ''));

  const functionIds = ofType(LAMBDA_FUNCTION, SAM_FUNCTION);
  const fnIdSet = new Set(functionIds);
  const byName = new Map<string, string>();
  for (const id of functionIds) {
    const name = props(id).FunctionName;
    if (typeof name === 'string') {
      byName.set(name, id);
    }
  }
  const aliasFn = new Map<string, string>();
  const versionFn = new Map<string, string>();

  // Resolves an invoke/alias target (rendered with ${Id} / ${Id.Attr} placeholders) to a function.
  const matchFunction = (text: string | undefined): FnMatch | undefined => {
    if (text === undefined) {
      return undefined;
    }
    let t = text;
    const arn = /:function:(.+)$/.exec(t);
    if (arn) {
      t = arn[1];
    }
    const ref = /^\$\{([^}.]+)(?:\.([^}]+))?\}(?::(.+))?$/.exec(t);
    if (ref) {
      const [, id, attr, qualifier] = ref;
      if (fnIdSet.has(id)) {
        // SAM: ${Fn.Alias} / ${Fn.Version} are qualified; Ref / Arn are the unqualified function.
        return { fnId: id, qualified: qualifier !== undefined || attr === 'Alias' || attr === 'Version' };
      }
      const viaAlias = aliasFn.get(id) ?? versionFn.get(id);
      return viaAlias ? { fnId: viaAlias, qualified: true } : undefined;
    }
    const [name, qualifier] = t.split(':');
    const fnId = byName.get(name);
    return fnId ? { fnId, qualified: qualifier !== undefined } : undefined;
  };

  for (const id of ofType('AWS::Lambda::Alias')) {
    const m = matchFunction(render(props(id).FunctionName));
    if (m) {
      aliasFn.set(id, m.fnId);
    }
  }
  for (const id of ofType('AWS::Lambda::Version')) {
    const m = matchFunction(render(props(id).FunctionName));
    if (m) {
      versionFn.set(id, m.fnId);
    }
  }

  // Application Auto Scaling targets for provisioned concurrency (aws-facts: PC auto scaling,
  // dimension lambda:function:ProvisionedConcurrency, resource id function:<name>:<alias>).
  const scalingTargets: { text?: string; refs: Set<string>; raw: unknown }[] = [];
  for (const id of ofType('AWS::ApplicationAutoScaling::ScalableTarget')) {
    const p = props(id);
    if (p.ScalableDimension !== undefined && typeof p.ScalableDimension === 'string'
      && p.ScalableDimension !== 'lambda:function:ProvisionedConcurrency') {
      continue;
    }
    scalingTargets.push({ text: render(p.ResourceId), refs: referencedIds(p.ResourceId), raw: p.ResourceId });
  }
  const opaqueTarget = scalingTargets.find((t) => t.text === undefined && t.refs.size === 0);
  const isAutoScaled = (aliasId: string, fnId: string, aliasName: Maybe<string>): Maybe<boolean> =>
    scalingTargets.some((t) => {
      if (t.refs.has(aliasId)) {
        return true;
      }
      const m = t.text !== undefined ? /^function:(.+):([^:]+)$/.exec(t.text) : null;
      if (!m || typeof aliasName !== 'string' || m[2] !== aliasName) {
        return false;
      }
      return matchFunction(m[1])?.fnId === fnId;
    }) || (opaqueTarget ? new Unresolved('ScalableTarget.ResourceId', short(opaqueTarget.raw)) : false);

  const aliases = new Map<string, AliasView[]>();
  const versions = new Map<string, VersionView[]>();
  const warmers = new Map<string, WarmerView[]>();
  const push = <T>(m: Map<string, T[]>, k: string, v: T) => {
    m.set(k, [...(m.get(k) ?? []), v]);
  };

  for (const [id, fnId] of aliasFn) {
    const p = props(id);
    const name = str('Name', p.Name) ?? '';
    const versionRaw = p.FunctionVersion;
    const versionText = render(versionRaw);
    let version: Maybe<'$LATEST' | 'published'>;
    if (versionRaw === '$LATEST') {
      version = '$LATEST';
    } else if (typeof versionRaw === 'string' && /^\d+$/.test(versionRaw)) {
      version = 'published';
    } else if (versionText !== undefined && /^\$\{[^}.]+\.Version\}$/.test(versionText)) {
      version = 'published';
    } else {
      version = new Unresolved('FunctionVersion', short(versionRaw));
    }
    push(aliases, fnId, {
      logicalId: id,
      path: pathOf(id),
      name,
      version,
      provisionedConcurrency: num('ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions',
        p.ProvisionedConcurrencyConfig?.ProvisionedConcurrentExecutions),
      autoScaled: isAutoScaled(id, fnId, name),
    });
  }
  for (const [id, fnId] of versionFn) {
    const p = props(id);
    push(versions, fnId, {
      logicalId: id,
      path: pathOf(id),
      provisionedConcurrency: num('ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions',
        p.ProvisionedConcurrencyConfig?.ProvisionedConcurrentExecutions),
    });
  }

  const addWarmer = (id: string, kind: string, target: unknown, property: string) => {
    const m = matchFunction(render(target));
    if (m) {
      push(warmers, m.fnId, { logicalId: id, path: pathOf(id), kind, qualified: m.qualified });
      return;
    }
    // Unrenderable target (Fn::If, Fn::Select...) that still mentions a function: say so.
    for (const ref of referencedIds(target)) {
      const fnId = fnIdSet.has(ref) ? ref : aliasFn.get(ref) ?? versionFn.get(ref);
      if (fnId) {
        push(warmers, fnId, { logicalId: id, path: pathOf(id), kind, qualified: new Unresolved(property, short(target)) });
      }
    }
  };
  for (const id of ofType('AWS::Events::Rule')) {
    const p = props(id);
    if (p.ScheduleExpression === undefined) {
      continue; // event-pattern rules are event sources, not warmers
    }
    (Array.isArray(p.Targets) ? p.Targets : []).forEach((t: any, i: number) =>
      addWarmer(id, 'events-rule', t?.Arn, `Targets[${i}].Arn`));
  }
  for (const id of ofType('AWS::Scheduler::Schedule')) {
    addWarmer(id, 'scheduler-schedule', props(id).Target?.Arn, 'Target.Arn');
  }
  for (const id of functionIds) {
    const raw = props(id).Environment?.Variables?.[WARMUP_TARGET_ENV];
    if (raw === undefined) {
      continue;
    }
    for (const target of splitTargets(raw)) {
      addWarmer(id, 'fan-out-warmer', target, `Environment.Variables.${WARMUP_TARGET_ENV}`);
    }
  }

  const functions: FunctionView[] = [];
  for (const id of functionIds) {
    const r = resources[id];
    const p = props(id);
    const sam = r.Type === SAM_FUNCTION;
    const fnAliases = [...(aliases.get(id) ?? [])];
    const fnWarmers = [...(warmers.get(id) ?? [])];
    if (sam) {
      const autoAlias = str('AutoPublishAlias', p.AutoPublishAlias);
      const pcRaw = p.ProvisionedConcurrencyConfig?.ProvisionedConcurrentExecutions;
      if (autoAlias !== undefined || pcRaw !== undefined) {
        const aliasName = autoAlias ?? '$LATEST';
        const implicitId = typeof aliasName === 'string' && autoAlias !== undefined ? `${id}Alias${aliasName}` : id;
        fnAliases.push({
          logicalId: id,
          path: pathOf(id),
          name: aliasName,
          version: autoAlias === undefined ? '$LATEST' : isUnresolved(autoAlias) ? autoAlias : 'published',
          provisionedConcurrency: num('ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions', pcRaw),
          autoScaled: isAutoScaled(implicitId, id, aliasName),
          implicit: true,
        });
      }
      for (const [name, ev] of Object.entries<any>(p.Events ?? {})) {
        if (ev?.Type === 'Schedule' || ev?.Type === 'ScheduleV2') {
          // SAM: with AutoPublishAlias, event sources invoke the alias; otherwise $LATEST.
          fnWarmers.push({
            logicalId: id,
            path: `${pathOf(id)}/Events/${name}`,
            kind: 'sam-schedule-event',
            qualified: autoAlias === undefined ? false : isUnresolved(autoAlias) ? autoAlias : true,
          });
        }
      }
    }
    const archs = strList('Architectures', p.Architectures);
    functions.push({
      logicalId: id,
      path: pathOf(id),
      stackName: src.stackName,
      resourceType: r.Type!,
      runtime: str('Runtime', p.Runtime),
      packageType: str('PackageType', p.PackageType) ?? (p.ImageUri || p.Code?.ImageUri ? 'Image' : 'Zip'),
      architectures: archs ?? ['x86_64'],
      memoryMb: num('MemorySize', p.MemorySize) ?? 128,
      snapStart: str('SnapStart.ApplyOn', p.SnapStart?.ApplyOn) ?? 'None',
      fileSystemCount: p.FileSystemConfigs === undefined ? 0
        : Array.isArray(p.FileSystemConfigs) ? p.FileSystemConfigs.length
          : new Unresolved('FileSystemConfigs', short(p.FileSystemConfigs)),
      ephemeralStorageMb: num('EphemeralStorage.Size', p.EphemeralStorage?.Size) ?? 512,
      handler: str('Handler', p.Handler),
      code: sam ? samCode(p, src) : cfnCode(r, src),
      layers: layersOf(p.Layers, resources, src),
      aliases: fnAliases,
      versions: versions.get(id) ?? [],
      warmers: fnWarmers,
      initProfile: initProfileOf(id, r, src),
      fanOutWarmer: p.Environment?.Variables?.[WARMUP_TARGET_ENV] !== undefined,
    });
  }

  return {
    functions,
    pathOf,
    suppressionsOf: (id) => templateSuppressions(resources[id]),
  };
}

function stringOr(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function splitTargets(raw: unknown): unknown[] {
  if (typeof raw === 'string') {
    const t = raw.trim();
    if (t.startsWith('[')) {
      try {
        const parsed = JSON.parse(t);
        return Array.isArray(parsed) ? parsed : [raw];
      } catch {
        return [raw];
      }
    }
    return t.split(',').map((s) => s.trim()).filter((s) => s);
  }
  return [raw];
}

function templateSuppressions(r: Res | undefined): Suppression[] {
  const list = r?.Metadata?.[SUPPRESSION_METADATA]?.rules_to_suppress;
  if (!Array.isArray(list)) {
    return [];
  }
  return list
    .filter((s: any) => typeof s?.id === 'string' && typeof s?.reason === 'string' && s.reason.trim() !== '')
    .map((s: any) => ({ id: s.id, reason: s.reason }));
}

const HASH = /([a-f0-9]{64})/;

function fromS3(property: string, key: unknown, src: TemplateSource): CodeLocation | undefined {
  if (typeof key !== 'string') {
    return undefined;
  }
  const m = HASH.exec(key);
  const dir = m ? src.assetDirs?.get(m[1]) : undefined;
  return dir && isDirectory(dir) ? { property, dir } : undefined;
}

function fromAssetMetadata(property: string, r: Res | undefined, src: TemplateSource): CodeLocation | undefined {
  const p = r?.Metadata?.['aws:asset:path'];
  if (typeof p !== 'string') {
    return undefined;
  }
  const dir = path.resolve(src.baseDir ?? '.', p);
  return isDirectory(dir) ? { property, dir } : undefined;
}

function cfnCode(r: Res, src: TemplateSource): CodeLocation {
  const code = r.Properties?.Code ?? {};
  if (typeof code.ZipFile === 'string') {
    return { property: 'Code', inlineBytes: Buffer.byteLength(code.ZipFile) };
  }
  if (code.ImageUri !== undefined) {
    return { property: 'Code', unknownReason: 'container image' };
  }
  return fromS3('Code', code.S3Key, src) ?? fromAssetMetadata('Code', r, src)
    ?? { property: 'Code', unknownReason: `code is not a staged asset (Code.S3Key ${short(code.S3Key)})` };
}

function samCode(p: Record<string, any>, src: TemplateSource): CodeLocation {
  if (typeof p.InlineCode === 'string') {
    return { property: 'InlineCode', inlineBytes: Buffer.byteLength(p.InlineCode) };
  }
  const uri = p.CodeUri;
  if (typeof uri === 'string' && !uri.startsWith('s3://')) {
    const dir = path.resolve(src.baseDir ?? '.', uri);
    if (isDirectory(dir)) {
      return { property: 'CodeUri', dir };
    }
  }
  if (uri && typeof uri === 'object' && !Array.isArray(uri)) {
    const loc = fromS3('CodeUri', uri.Key, src);
    if (loc) {
      return loc;
    }
  }
  return { property: 'CodeUri', unknownReason: `code is not a local directory (CodeUri ${short(uri)})` };
}

function layersOf(raw: unknown, resources: Record<string, Res>, src: TemplateSource): Maybe<CodeLocation[]> {
  if (raw === undefined) {
    return [];
  }
  if (!Array.isArray(raw)) {
    return new Unresolved('Layers', short(raw));
  }
  return raw.map((entry, i) => {
    const property = `Layers[${i}]`;
    const text = render(entry);
    const ref = text !== undefined ? /^\$\{([^}.]+)\}$/.exec(text) : null;
    const r = ref ? resources[ref[1]] : undefined;
    if (r?.Type === 'AWS::Lambda::LayerVersion') {
      return fromS3(property, r.Properties?.Content?.S3Key, src) ?? fromAssetMetadata(property, r, src)
        ?? { property, unknownReason: `layer ${ref![1]} is not a staged asset` };
    }
    if (r?.Type === 'AWS::Serverless::LayerVersion') {
      const uri = r.Properties?.ContentUri;
      const dir = typeof uri === 'string' ? path.resolve(src.baseDir ?? '.', uri) : undefined;
      return dir && isDirectory(dir) ? { property, dir } : { property, unknownReason: `layer ${ref![1]} is not a local directory` };
    }
    return { property, unknownReason: `layer ${short(entry)} is not part of this template` };
  });
}

function initProfileOf(id: string, r: Res, src: TemplateSource): Maybe<InitProfile> | undefined {
  const entries = src.metadata?.(id) ?? [];
  const entry = entries.filter((e) => e.type === INIT_PROFILE_METADATA).pop();
  const data = entry ? entry.data : r.Metadata?.[INIT_PROFILE_METADATA];
  if (data === undefined) {
    return undefined;
  }
  const d = data as any;
  if (!d || typeof d.totalMs !== 'number' || (d.budgetMs !== undefined && typeof d.budgetMs !== 'number')) {
    return new Unresolved(`Metadata ${INIT_PROFILE_METADATA}`, short(data));
  }
  const top = Array.isArray(d.top)
    ? d.top.filter((t: any) => typeof t?.module === 'string' && typeof t?.cumulativeMs === 'number')
    : [];
  const finite = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  return { totalMs: d.totalMs, budgetMs: d.budgetMs, marginMs: finite(d.marginMs), runs: finite(d.runs), top };
}
