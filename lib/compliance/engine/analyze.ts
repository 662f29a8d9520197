/**
 * Builds normalized function views from a CloudFormation/SAM template. Shared by the aspect (which
 * feeds it the stack's resolved L1s), the policy validation plugin and the CLI. Internal.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isDirectory } from './assets';
import {
  AliasView, CodeLocation, FunctionView, InitProfile, Maybe, ProvisionedView, ResourceRef, VersionView, WarmerView,
} from './model';
import { Conditional, getPath, isIntrinsic, isUnresolved, num, render, referencedIds, short, str, strList, Unresolved } from './values';
import { AWS_RULES, ruleText } from '../../shared/aws-rules';

export const LAMBDA_FUNCTION = 'AWS::Lambda::Function';
export const SAM_FUNCTION = 'AWS::Serverless::Function';
export const INIT_PROFILE_METADATA = 'cdk-python-coldstart:init-profile';
export const WARMUP_TARGET_ENV = 'CDK_PYTHON_COLDSTART_WARMUP_TARGET';
/** Marks the library's stack warmer, whose targets travel in its schedule rules' inputs. */
export const STACK_WARMER_ENV = 'CDK_PYTHON_COLDSTART_WARMER';
const STACK_WARMER_INPUT_KEY = 'cdk-python-coldstart-warmer';
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
  /**
   * Folder of the template a resource came from, when it differs from baseDir (CfnInclude); null:
   * included from a template whose folder is not known.
   */
  readonly sourceDirOf?: (logicalId: string) => string | null | undefined;
  /** Asset hash → staged directory (from the construct tree or `*.assets.json`). */
  readonly assetDirs?: Map<string, string>;
  /** Hashes of assets staged without their bundling (stack excluded from bundling). */
  readonly skippedAssets?: Set<string>;
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
  readonly stackName: string;
  readonly functions: FunctionView[];
  /** Findings on resources that act on a function outside this template (which is not analyzed). */
  readonly orphans: OrphanFinding[];
  pathOf(logicalId: string): string;
  /** Suppressions recorded in the resource's template metadata. */
  suppressionsOf(logicalId: string): Suppression[];
}

/** A non-compliant resource that invokes or provisions a function of another template. */
export interface OrphanFinding extends ResourceRef {
  readonly ruleId: string;
  readonly message: string;
}

interface Res {
  readonly Type?: string;
  readonly Properties?: Record<string, any>;
  readonly Metadata?: Record<string, any>;
}

interface FnMatch {
  readonly fnId: string;
  readonly qualified: boolean;
  /** `:qualifier` after the name, when the text has one. */
  readonly qualifier?: string;
  /** The alias or version resource the text referenced, when it was one. */
  readonly viaId?: string;
}

export function analyzeTemplate(src: TemplateSource): AnalyzedTemplate {
  const rawResources = src.template?.Resources;
  const resources: Record<string, Res> = rawResources && typeof rawResources === 'object' && !Array.isArray(rawResources) ? rawResources : {};
  const samGlobals: Record<string, any> = src.template?.Globals?.Function ?? {};
  const propsCache = new Map<string, Record<string, any>>();
  const props = (id: string): Record<string, any> => {
    const cached = propsCache.get(id);
    if (cached) {
      return cached;
    }
    const r = resources[id];
    const p = r?.Properties && typeof r.Properties === 'object' ? r.Properties : {};
    let merged: Record<string, any> = p;
    if (r?.Type === SAM_FUNCTION) {
      // SAM Globals apply where the function does not set the property (resolved L1s keep undefined keys).
      merged = { ...samGlobals };
      for (const [k, v] of Object.entries(p)) {
        if (v !== undefined) {
          merged[k] = v;
        }
      }
    }
    propsCache.set(id, merged);
    return merged;
  };
  const pathOf = (id: string): string =>
    src.paths?.get(id) ?? stringOr(resources[id]?.Metadata?.['aws:cdk:path']) ?? `${src.stackName}/${id}`;
  const ids = Object.keys(resources).sort();
  const byType = new Map<string, string[]>();
  for (const id of ids) {
    const t = resources[id]?.Type ?? '';
    let list = byType.get(t);
    if (!list) {
      list = [];
      byType.set(t, list);
    }
    list.push(id);
  }
  const ofType = (...types: string[]) => types.flatMap((t) => byType.get(t) ?? []).sort();
  const customResourceIds = ids.filter((id) => {
    const t = resources[id]?.Type ?? '';
    return t === 'AWS::CloudFormation::CustomResource' || t.startsWith('Custom::');
  });

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
        const q = qualifier !== undefined ? qualifier !== '$LATEST' : attr === 'Alias' || attr === 'Version';
        return { fnId: id, qualified: q, qualifier };
      }
      const viaAlias = aliasFn.get(id) ?? versionFn.get(id);
      return viaAlias ? { fnId: viaAlias, qualified: true, viaId: id } : undefined;
    }
    const [name, qualifier] = t.split(':');
    const fnId = byName.get(name);
    return fnId ? { fnId, qualified: qualifier !== undefined && qualifier !== '$LATEST', qualifier } : undefined;
  };
  const functionOf = (value: unknown): string | undefined => {
    const m = matchFunction(render(value));
    if (m) {
      return m.fnId;
    }
    for (const ref of referencedIds(value)) {
      const fnId = fnIdSet.has(ref) ? ref : aliasFn.get(ref) ?? versionFn.get(ref);
      if (fnId) {
        return fnId;
      }
    }
    return undefined;
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

  const orphans: OrphanFinding[] = [];
  const push = <T>(m: Map<string, T[]>, k: string, v: T) => {
    const list = m.get(k);
    if (list) {
      list.push(v);
    } else {
      m.set(k, [v]);
    }
  };
  const aliases = new Map<string, AliasView[]>();
  const versions = new Map<string, VersionView[]>();
  const provisioned = new Map<string, ProvisionedView[]>();
  const warmers = new Map<string, WarmerView[]>();
  /** Alias logical id (explicit or SAM-generated) → its view; `fnId\0name` → view. */
  const aliasById = new Map<string, AliasView & { fnId: string }>();
  const aliasByName = new Map<string, AliasView>();

  for (const [id, fnId] of aliasFn) {
    const p = props(id);
    const name = str('Name', getPath(p, ['Name'])) ?? '';
    const versionRaw = getPath(p, ['FunctionVersion']);
    const versionText = versionRaw instanceof Conditional ? undefined : render(versionRaw);
    let version: Maybe<'$LATEST' | 'published'>;
    if (versionRaw === '$LATEST') {
      version = '$LATEST';
    } else if (typeof versionRaw === 'string' && /^\d+$/.test(versionRaw)) {
      version = 'published';
    } else if (versionText !== undefined && /^\$\{[^}.]+\.Version\}$/.test(versionText)) {
      version = 'published';
    } else {
      version = versionRaw instanceof Conditional ? str('FunctionVersion', versionRaw) as Unresolved
        : new Unresolved('FunctionVersion', short(versionRaw));
    }
    const pcRaw = getPath(p, ['ProvisionedConcurrencyConfig', 'ProvisionedConcurrentExecutions']);
    const view: AliasView = {
      logicalId: id,
      path: pathOf(id),
      name,
      version,
      provisionedConcurrency: num('ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions', pcRaw),
    };
    push(aliases, fnId, view);
    aliasById.set(id, { ...view, fnId });
    if (typeof name === 'string') {
      aliasByName.set(`${fnId}\0${name}`, view);
    }
  }
  for (const [id, fnId] of versionFn) {
    push(versions, fnId, {
      logicalId: id,
      path: pathOf(id),
      provisionedConcurrency: num('ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions',
        getPath(props(id), ['ProvisionedConcurrencyConfig', 'ProvisionedConcurrentExecutions'])),
    });
  }
  // SAM AutoPublishAlias: an implicit alias `<Fn>Alias<name>` of a published version.
  const samAlias = new Map<string, Maybe<string> | undefined>();
  for (const id of functionIds) {
    if (resources[id].Type === SAM_FUNCTION) {
      const autoAlias = str('AutoPublishAlias', getPath(props(id), ['AutoPublishAlias']));
      samAlias.set(id, autoAlias);
      if (autoAlias !== undefined) {
        const view: AliasView = {
          logicalId: id,
          path: pathOf(id),
          name: autoAlias,
          implicit: true,
          version: isUnresolved(autoAlias) ? autoAlias : 'published',
        };
        push(aliases, id, view);
        if (typeof autoAlias === 'string') {
          aliasById.set(`${id}Alias${autoAlias}`, { ...view, fnId: id });
          aliasByName.set(`${id}\0${autoAlias}`, view);
        }
      }
    }
  }

  // Application Auto Scaling targets for provisioned concurrency (aws-facts: PC auto scaling,
  // dimension lambda:function:ProvisionedConcurrency, resource id function:<name>:<alias>).
  // Each is provisioned concurrency of its own: its MinCapacity (and scheduled actions') provision it.
  const autoScaledAliases = new Set<AliasView>();
  const scalableOfAlias = new Map<AliasView, ProvisionedView>();
  let opaqueTarget: unknown;
  for (const id of ofType('AWS::ApplicationAutoScaling::ScalableTarget')) {
    const p = props(id);
    const dim = getPath(p, ['ScalableDimension']);
    if (typeof dim === 'string' && dim !== 'lambda:function:ProvisionedConcurrency') {
      continue;
    }
    const resourceId = getPath(p, ['ResourceId']);
    const text = resourceId instanceof Conditional ? undefined : render(resourceId);
    const refs = referencedIds(resourceId);
    let fnId: string | undefined;
    let alias: AliasView | undefined;
    let target: Maybe<'$LATEST' | 'published'> | undefined;
    for (const ref of refs) {
      const a = aliasById.get(ref);
      if (a) {
        fnId = a.fnId;
        alias = aliasByName.get(`${a.fnId}\0${String(a.name)}`) ?? a;
        break;
      }
    }
    const m = text !== undefined ? /^function:(.+?)(?::([^:]+))?$/.exec(text) : null;
    if (!fnId && m) {
      const match = matchFunction(m[1]);
      if (match) {
        fnId = match.viaId ? aliasFn.get(match.viaId) ?? versionFn.get(match.viaId) : match.fnId;
        const qualifier = m[2];
        if (match.viaId && aliasById.has(match.viaId)) {
          alias = aliasById.get(match.viaId);
        } else if (qualifier === undefined || qualifier === '$LATEST') {
          target = '$LATEST';
        } else if (/^\d+$/.test(qualifier)) {
          target = 'published';
        } else {
          alias = aliasByName.get(`${match.fnId}\0${qualifier}`);
          // An alias this template does not declare: Lambda only accepts aliases of published versions.
          target = alias ? undefined : 'published';
        }
      }
    }
    if (!fnId) {
      for (const ref of refs) {
        fnId = fnIdSet.has(ref) ? ref : versionFn.get(ref);
        if (fnId) {
          target = new Unresolved('ScalableTarget.ResourceId', short(resourceId));
          break;
        }
      }
    }
    if (!fnId) {
      if (text === undefined && refs.size === 0 && resourceId !== undefined) {
        opaqueTarget = resourceId;
      }
      if (m && refs.size === 0 && (m[2] === undefined || m[2] === '$LATEST')) {
        // A function of another template, provisioned on $LATEST: rejected whatever the function is.
        orphans.push({
          ruleId: 'PCS6',
          logicalId: id,
          path: pathOf(id),
          message: `the scalable target ${pathOf(id)} provisions concurrency on ${text} ($LATEST): ${ruleText(AWS_RULES.PROVISIONED_CONCURRENCY_PUBLISHED_VERSION)}; ${AWS_RULES.PROVISIONED_CONCURRENCY_PUBLISHED_VERSION.why}. Set ResourceId to function:<name>:<alias>.`,
        });
      }
      continue;
    }
    if (alias) {
      autoScaledAliases.add(alias);
      target = alias.version;
    }
    const holder: ProvisionedView = {
      logicalId: id,
      path: pathOf(id),
      source: 'scalable-target',
      target: target ?? new Unresolved('ScalableTarget.ResourceId', short(resourceId)),
      executions: scalableMin(p),
      autoScaled: true,
    };
    push(provisioned, fnId, holder);
    if (alias) {
      scalableOfAlias.set(alias, holder);
    }
  }
  const isAutoScaled = (a: AliasView): Maybe<boolean> => autoScaledAliases.has(a)
    || (opaqueTarget !== undefined ? new Unresolved('ScalableTarget.ResourceId', short(opaqueTarget)) : false);

  for (const [id, fnId] of aliasFn) {
    const raw = getPath(props(id), ['ProvisionedConcurrencyConfig', 'ProvisionedConcurrentExecutions']);
    if (raw === undefined) {
      continue;
    }
    const a = aliasById.get(id)!;
    const view = aliasByName.get(`${fnId}\0${String(a.name)}`) ?? a;
    const holder: ProvisionedView = {
      logicalId: id,
      path: pathOf(id),
      source: 'alias',
      target: a.version,
      executions: num('ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions', raw),
      autoScaled: isAutoScaled(view),
    };
    // One alias, one finding: its scalable target is folded into the alias's own configuration.
    const scalable = scalableOfAlias.get(view);
    const list = provisioned.get(fnId) ?? [];
    const at = scalable ? list.indexOf(scalable) : -1;
    if (at >= 0) {
      list[at] = holder;
    } else {
      push(provisioned, fnId, holder);
    }
  }
  for (const [id, fnId] of versionFn) {
    const raw = getPath(props(id), ['ProvisionedConcurrencyConfig', 'ProvisionedConcurrentExecutions']);
    if (raw !== undefined) {
      push(provisioned, fnId, {
        logicalId: id,
        path: pathOf(id),
        source: 'version',
        target: 'published',
        executions: num('ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions', raw),
        autoScaled: false,
      });
    }
  }

  const addWarmer = (id: string, kind: string, target: unknown, property: string, keepsWarm: Maybe<boolean>, schedule?: string) => {
    const m = matchFunction(render(target));
    if (m) {
      push(warmers, m.fnId, { logicalId: id, path: pathOf(id), kind, qualified: m.qualified, keepsWarm, schedule });
      return;
    }
    // A function of another template: `:$LATEST` is $LATEST whatever it is; the library's fan-out
    // warmer is only ever meant to warm an alias, so an unqualified ARN there is wrong too.
    const text = render(target);
    const literal = text !== undefined && !text.includes('${') ? /:function:([^:]+)(?::(.+))?$/.exec(text) : null;
    if (literal && keepsWarm === true && (literal[2] === '$LATEST' || (literal[2] === undefined && kind === 'fan-out-warmer'))) {
      orphans.push({
        ruleId: 'PCS11',
        logicalId: id,
        path: pathOf(id),
        message: `${kind} ${pathOf(id)} invokes ${text} ($LATEST): ${ruleText(AWS_RULES.WARM_THE_ALIAS)}. Warm the alias ARN (arn:...:function:<name>:<alias>) instead.`,
      });
      return;
    }
    // Unrenderable target (Fn::If, Fn::Select...) that still mentions a function: say so.
    for (const ref of referencedIds(target)) {
      const fnId = fnIdSet.has(ref) ? ref : aliasFn.get(ref) ?? versionFn.get(ref);
      if (fnId) {
        push(warmers, fnId, { logicalId: id, path: pathOf(id), kind, qualified: new Unresolved(property, short(target)), keepsWarm, schedule });
      }
    }
  };
  for (const id of ofType('AWS::Events::Rule')) {
    const p = props(id);
    if (p.ScheduleExpression === undefined) {
      continue; // event-pattern rules are event sources, not warmers
    }
    const state = getPath(p, ['State']);
    (Array.isArray(p.Targets) ? p.Targets : []).forEach((t: any, i: number) => {
      const w = warmth(p.ScheduleExpression, state, t?.Input);
      addWarmer(id, 'events-rule', t?.Arn, `Targets[${i}].Arn`, w.keepsWarm, w.schedule);
      // The stack warmer's rule input lists the aliases it warms: each is a qualified warmer.
      const input = render(t?.Input);
      if (input !== undefined && input.includes(STACK_WARMER_INPUT_KEY)) {
        try {
          const parsed = JSON.parse(input);
          (Array.isArray(parsed?.targets) ? parsed.targets : []).forEach((tw: any) =>
            addWarmer(id, 'fan-out-warmer', tw?.arn, `Targets[${i}].Input.targets[].arn`, w.keepsWarm, w.schedule));
        } catch {
          // not our input
        }
      }
    });
  }
  for (const id of ofType('AWS::Scheduler::Schedule')) {
    const p = props(id);
    const w = warmth(p.ScheduleExpression, getPath(p, ['State']), p.Target?.Input);
    addWarmer(id, 'scheduler-schedule', p.Target?.Arn, 'Target.Arn', w.keepsWarm, w.schedule);
  }
  for (const id of functionIds) {
    const raw = props(id).Environment?.Variables?.[WARMUP_TARGET_ENV];
    if (raw === undefined) {
      continue;
    }
    for (const target of splitTargets(raw)) {
      addWarmer(id, 'fan-out-warmer', target, `Environment.Variables.${WARMUP_TARGET_ENV}`, true, 'the library\'s fan-out warmer');
    }
  }

  // Functions that only run while CloudFormation deploys: custom-resource providers (ServiceToken),
  // the user handlers behind CDK's provider framework, macros.
  const deployTime = new Map<string, string>();
  for (const id of customResourceIds) {
    const fnId = functionOf(props(id).ServiceToken);
    if (fnId && !deployTime.has(fnId)) {
      deployTime.set(fnId, `ServiceToken of ${resources[id].Type} ${id}`);
    }
  }
  for (const id of ofType('AWS::CloudFormation::Macro')) {
    const fnId = functionOf(props(id).FunctionName);
    if (fnId && !deployTime.has(fnId)) {
      deployTime.set(fnId, `function of the CloudFormation macro ${id}`);
    }
  }
  for (const id of functionIds) {
    const vars = props(id).Environment?.Variables ?? {};
    if (!PROVIDER_FRAMEWORK_ENV.some((k) => vars[k] !== undefined)) {
      continue;
    }
    if (!deployTime.has(id)) {
      deployTime.set(id, 'the CDK provider framework (custom-resources.Provider)');
    }
    for (const key of PROVIDER_FRAMEWORK_ENV) {
      const fnId = vars[key] !== undefined ? functionOf(vars[key]) : undefined;
      if (fnId && fnId !== id && !deployTime.has(fnId)) {
        deployTime.set(fnId, `handler of the CDK provider framework ${id} (${key})`);
      }
    }
  }

  const functions: FunctionView[] = [];
  for (const id of functionIds) {
    const r = resources[id];
    const p = props(id);
    const sam = r.Type === SAM_FUNCTION;
    const fnWarmers = warmers.get(id) ?? [];
    const fnProvisioned = provisioned.get(id) ?? [];
    if (sam) {
      const autoAlias = samAlias.get(id);
      const pcRaw = getPath(p, ['ProvisionedConcurrencyConfig', 'ProvisionedConcurrentExecutions']);
      if (pcRaw !== undefined) {
        const implicitAlias = typeof autoAlias === 'string' ? aliasByName.get(`${id}\0${autoAlias}`) : undefined;
        fnProvisioned.push({
          logicalId: id,
          path: pathOf(id),
          source: 'sam-function',
          implicit: true,
          target: autoAlias === undefined ? '$LATEST' : isUnresolved(autoAlias) ? autoAlias : 'published',
          executions: num('ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions', pcRaw),
          autoScaled: implicitAlias ? isAutoScaled(implicitAlias) : false,
        });
      }
      for (const [name, ev] of Object.entries<any>(p.Events && typeof p.Events === 'object' ? p.Events : {})) {
        if (ev?.Type === 'Schedule' || ev?.Type === 'ScheduleV2') {
          const ep = ev.Properties ?? {};
          const enabled = ep.Enabled === false ? 'DISABLED' : ep.State ?? (ep.Enabled === undefined ? undefined : ep.Enabled);
          const w = warmth(ep.Schedule ?? ep.ScheduleExpression, enabled, ep.Input);
          // SAM: with AutoPublishAlias, event sources invoke the alias; otherwise $LATEST.
          fnWarmers.push({
            logicalId: id,
            path: `${pathOf(id)}/Events/${name}`,
            kind: 'sam-schedule-event',
            qualified: autoAlias === undefined ? false : isUnresolved(autoAlias) ? autoAlias : true,
            keepsWarm: w.keepsWarm,
            schedule: w.schedule,
          });
        }
      }
    }
    const packageType = str('PackageType', getPath(p, ['PackageType']))
      ?? (p.ImageUri || p.Code?.ImageUri || (sam && p.Metadata?.Dockerfile) ? 'Image' : 'Zip');
    let runtime: Maybe<string | undefined> = str('Runtime', getPath(p, ['Runtime']));
    if (runtime === undefined && packageType === 'Image') {
      runtime = imageRuntime(id, r, p, src);
    }
    const archs = strList('Architectures', getPath(p, ['Architectures']));
    const fileSystems = getPath(p, ['FileSystemConfigs']);
    functions.push({
      logicalId: id,
      path: pathOf(id),
      stackName: src.stackName,
      resourceType: r.Type!,
      runtime,
      packageType,
      architectures: archs ?? ['x86_64'],
      memoryMb: num('MemorySize', getPath(p, ['MemorySize'])) ?? 128,
      snapStart: str('SnapStart.ApplyOn', getPath(p, ['SnapStart', 'ApplyOn'])) ?? 'None',
      fileSystemCount: fileSystems === undefined ? 0
        : Array.isArray(fileSystems) ? fileSystems.length
          : new Unresolved('FileSystemConfigs', short(fileSystems)),
      ephemeralStorageMb: num('EphemeralStorage.Size', getPath(p, ['EphemeralStorage', 'Size'])) ?? 512,
      handler: str('Handler', p.Handler),
      code: packageType === 'Image' ? { property: 'Code', unknownReason: 'container image' } : sam ? samCode(id, p, src) : cfnCode(r, src),
      layers: layersOf(p.Layers, resources, src),
      aliases: aliases.get(id) ?? [],
      versions: versions.get(id) ?? [],
      provisioned: fnProvisioned,
      warmers: fnWarmers,
      initProfile: initProfileOf(id, r, src),
      fanOutWarmer: p.Environment?.Variables?.[WARMUP_TARGET_ENV] !== undefined
        || p.Environment?.Variables?.[STACK_WARMER_ENV] !== undefined,
      deployTime: deployTime.get(id),
    });
  }

  return {
    stackName: src.stackName,
    functions,
    pathOf,
    orphans,
    suppressionsOf: (id) => templateSuppressions(resources[id]),
  };
}

/** Environment variables through which CDK's provider framework (custom-resources.Provider) calls the user's handlers. */
const PROVIDER_FRAMEWORK_ENV = ['USER_ON_EVENT_FUNCTION_ARN', 'USER_IS_COMPLETE_FUNCTION_ARN'];

/** The highest MinCapacity of a scalable target and its scheduled actions. */
function scalableMin(p: Record<string, any>): Maybe<number | undefined> {
  const values: Maybe<number | undefined>[] = [num('MinCapacity', getPath(p, ['MinCapacity'])), num('MaxCapacity', getPath(p, ['MaxCapacity'])) === 0 ? 0 : undefined];
  const actions = Array.isArray(p.ScheduledActions) ? p.ScheduledActions : [];
  actions.forEach((a: any, i: number) => values.push(num(`ScheduledActions[${i}].ScalableTargetAction.MinCapacity`, a?.ScalableTargetAction?.MinCapacity)));
  const unresolved = values.find(isUnresolved);
  if (unresolved) {
    return unresolved;
  }
  const nums = values.filter((v): v is number => typeof v === 'number');
  return nums.length > 0 ? Math.max(...nums) : undefined;
}

/** Longest interval between warm-up invocations that still keeps environments (Lambda reclaims idle ones). */
export const WARMER_MAX_INTERVAL_MINUTES = 15;
const WARM_PAYLOAD = /warm/i;

/**
 * Whether a schedule keeps environments warm: enabled, and firing at least every 15 minutes or
 * carrying a warm-up payload (`{"warmup": true}`, the library's marker...).
 */
export function warmth(expression: unknown, state: unknown, input: unknown): { keepsWarm: Maybe<boolean>; schedule?: string } {
  if (state === 'DISABLED' || state === false) {
    return { keepsWarm: false, schedule: 'disabled' };
  }
  const inputText = typeof input === 'string' ? input : input !== undefined && !isIntrinsic(input) ? short(input) : undefined;
  if (inputText !== undefined && WARM_PAYLOAD.test(inputText)) {
    return { keepsWarm: state === undefined || typeof state === 'string' || state === true ? true : new Unresolved('State', short(state)), schedule: 'warm-up payload' };
  }
  if (typeof expression !== 'string') {
    return { keepsWarm: new Unresolved('ScheduleExpression', short(expression)) };
  }
  if (state !== undefined && typeof state !== 'string' && state !== true) {
    return { keepsWarm: new Unresolved('State', short(state)), schedule: expression };
  }
  const minutes = intervalMinutes(expression);
  return { keepsWarm: minutes !== undefined && minutes <= WARMER_MAX_INTERVAL_MINUTES, schedule: expression };
}

/** Interval of `rate(...)` or of a cron whose minutes field repeats within the hour; undefined otherwise. */
export function intervalMinutes(expression: string): number | undefined {
  const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(expression.trim());
  if (rate) {
    const n = Number(rate[1]);
    return rate[2].startsWith('minute') ? n : rate[2].startsWith('hour') ? n * 60 : n * 1440;
  }
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  if (!cron) {
    return undefined; // at(...) fires once
  }
  const [minutes, hours] = cron[1].trim().split(/\s+/);
  if (minutes === undefined || hours === undefined) {
    return undefined;
  }
  const step = /^(?:\*|\d+(?:-\d+)?)\/(\d+)$/.exec(minutes);
  let everyMinutes: number | undefined;
  if (minutes === '*') {
    everyMinutes = 1;
  } else if (step) {
    everyMinutes = Number(step[1]);
  } else if (minutes.includes(',')) {
    const list = minutes.split(',').map(Number).sort((a, b) => a - b);
    // The longest gap between two firings, across the hour boundary too.
    const gaps = list.map((v, i) => (i === 0 ? v + 60 - list[list.length - 1] : v - list[i - 1]));
    everyMinutes = list.every(Number.isFinite) && list.length > 1 ? Math.max(...gaps) : undefined;
  }
  if (everyMinutes === undefined) {
    return hours === '*' ? 60 : undefined;
  }
  return everyMinutes;
}

/**
 * The Python runtime of a container-image function, from its base image: the image URI
 * (`public.ecr.aws/lambda/python:3.12`), or the Dockerfile's FROM line in the image asset folder
 * (CDK DockerImageFunction: aws:asset:path) or the SAM DockerContext. undefined: not a Python image
 * as far as the template shows.
 */
function imageRuntime(id: string, r: Res, p: Record<string, any>, src: TemplateSource): Maybe<string | undefined> {
  const fromText = (text: string): Maybe<string | undefined> | undefined => {
    const m = /lambda\/python:(\d)\.(\d+)/.exec(text);
    if (m) {
      return `python${m[1]}.${m[2]}`;
    }
    if (/python/i.test(text)) {
      return new Unresolved('ImageUri', '', 'container image: a Python base image whose version the template does not show (use public.ecr.aws/lambda/python:3.12 or newer)');
    }
    return undefined;
  };
  const uri = typeof p.ImageUri === 'string' ? p.ImageUri : typeof p.Code?.ImageUri === 'string' ? p.Code.ImageUri : undefined;
  const fromUri = uri !== undefined ? fromText(uri) : undefined;
  if (fromUri !== undefined) {
    return fromUri;
  }
  const dirs: string[] = [];
  const assetPath = r.Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string') {
    dirs.push(path.join(path.resolve(src.baseDir ?? '.', assetPath), stringOr(r.Metadata?.['aws:asset:dockerfile-path']) ?? 'Dockerfile'));
  }
  const ctx = r.Metadata?.DockerContext;
  const base = templateDirOf(id, src);
  if (typeof ctx === 'string' && typeof base === 'string') {
    dirs.push(path.join(path.resolve(base, ctx), stringOr(r.Metadata?.Dockerfile) ?? 'Dockerfile'));
  }
  for (const file of dirs) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const from = text.split(/\r?\n/).filter((l) => /^\s*FROM\s/i.test(l)).pop();
    const rt = from !== undefined ? fromText(from) : undefined;
    if (rt !== undefined) {
      return rt;
    }
  }
  const tag = r.Metadata?.DockerTag;
  if (typeof tag === 'string') {
    const m = /python(\d)\.(\d+)/.exec(tag);
    if (m) {
      return `python${m[1]}.${m[2]}`;
    }
  }
  return undefined;
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

/** The library's CloudFormation Guard rules (policy/coldstart.guard) and the PCS rule enforcing the same AWS rule. */
export const GUARD_RULE_TO_PCS: Record<string, string> = {
  COLDSTART_NO_SNAPSTART_WITH_PROVISIONED_CONCURRENCY: 'PCS4',
  COLDSTART_NO_PROVISIONED_CONCURRENCY_ON_LATEST: 'PCS6',
  COLDSTART_NO_WARMER_ON_LATEST: 'PCS11',
  COLDSTART_PYTHON_ARM64: 'PCS2',
  COLDSTART_PYTHON_312_OR_NEWER: 'PCS1',
};

function templateSuppressions(r: Res | undefined): Suppression[] {
  const list = r?.Metadata?.[SUPPRESSION_METADATA]?.rules_to_suppress;
  const out: Suppression[] = Array.isArray(list)
    ? list.filter((s: any) => typeof s?.id === 'string' && typeof s?.reason === 'string' && s.reason.trim() !== '')
      .map((s: any) => ({ id: s.id, reason: s.reason }))
    : [];
  // A template suppressed for the guard rules says the same of the PCS rule behind each one.
  const guard = r?.Metadata?.guard?.SuppressedRules;
  if (Array.isArray(guard)) {
    for (const g of guard) {
      const id = typeof g === 'string' ? GUARD_RULE_TO_PCS[g] : undefined;
      if (id && !out.some((s) => s.id === id)) {
        out.push({ id, reason: `suppressed for cfn-guard (Metadata.guard.SuppressedRules: ${g})` });
      }
    }
  }
  return out;
}

const HASH = /([a-f0-9]{64})/;

function fromS3(property: string, key: unknown, src: TemplateSource): CodeLocation | undefined {
  if (typeof key !== 'string') {
    return undefined;
  }
  const m = HASH.exec(key);
  if (m && src.skippedAssets?.has(m[1])) {
    return { property, notInspected: 'bundling is skipped for this stack (aws:cdk:bundling-stacks): the staged asset is the unbundled source, not what deploys' };
  }
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

/**
 * The folder a relative path of resource `id` (SAM CodeUri, ContentUri, DockerContext) is relative
 * to: the template's folder. A string explaining why it is not known otherwise.
 */
function templateDirOf(id: string, src: TemplateSource): string | { unknown: string } {
  const fromInclude = src.sourceDirOf?.(id);
  if (fromInclude === null) {
    return { unknown: 'it is relative to the included template\'s folder, which CfnInclude does not record: declare it with ColdStartChecks.templateFolder(include, folder)' };
  }
  return fromInclude ?? src.baseDir ?? path.resolve('.');
}

/** SAM builds a CodeUri folder with a requirements.txt: `sam build` installs it into the package. */
const SAM_BUILD_INPUTS = ['requirements.txt', 'pyproject.toml', 'Pipfile', 'poetry.lock'];

function samCode(id: string, p: Record<string, any>, src: TemplateSource): CodeLocation {
  if (typeof p.InlineCode === 'string') {
    return { property: 'InlineCode', inlineBytes: Buffer.byteLength(p.InlineCode) };
  }
  const uri = p.CodeUri;
  if (typeof uri === 'string' && !uri.startsWith('s3://')) {
    const base = templateDirOf(id, src);
    if (typeof base !== 'string') {
      return { property: 'CodeUri', unknownReason: `CodeUri ${uri}: ${base.unknown}` };
    }
    const dir = path.resolve(base, uri);
    if (isDirectory(dir)) {
      const manifest = SAM_BUILD_INPUTS.find((n) => fs.existsSync(path.join(dir, n)));
      return manifest
        ? { property: 'CodeUri', dir, pendingBuild: `\`sam build\` installs the dependencies of ${manifest} into the package; run the check on .aws-sam/build/template.yaml to measure them` }
        : { property: 'CodeUri', dir };
    }
    return { property: 'CodeUri', unknownReason: `CodeUri ${uri} is not a folder next to the template (${dir})` };
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
      const base = templateDirOf(ref![1], src);
      if (typeof base !== 'string') {
        return { property, unknownReason: `ContentUri of layer ${ref![1]}: ${base.unknown}` };
      }
      const dir = typeof uri === 'string' ? path.resolve(base, uri) : undefined;
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
