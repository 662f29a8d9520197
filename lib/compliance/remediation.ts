import { Annotations, CfnResource, IAspect, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { analyzeTemplate } from './engine/analyze';
import { findForeignAbiExtensions, findX86Native } from './engine/assets';
import { CodeLocation, FunctionView } from './engine/model';
import { snapshotStack } from './engine/tree';
import { activeProvisioned, describeProvisioned } from './rules/common';
import { AWS_RULES, ruleText } from '../shared/aws-rules';
import { isUnresolved } from './engine/values';

/** Properties of `ColdStartRemediation`. */
export interface ColdStartRemediationProps {
  /**
   * Switch x86_64 functions to arm64 when the staged code and layers hold no x86_64 native code.
   * @default true
   */
  readonly architecture?: boolean;

  /**
   * Upgrade python3.8 to python3.11 functions to python3.12 when the staged code holds no
   * compiled extension built for another CPython version.
   * @default true
   */
  readonly runtime?: boolean;

  /**
   * Enable SnapStart (ApplyOn PublishedVersions) on python3.12+ functions without provisioned
   * concurrency, EFS, ephemeral storage above 512 MB or a container image.
   * @default true
   */
  readonly snapStart?: boolean;
}

/** A property `ColdStartRemediation` changed. */
export interface RemediationChange {
  /** Construct path of the function's L1 resource. */
  readonly resourcePath: string;
  /** Logical ID of the function. */
  readonly logicalId: string;
  /** CloudFormation property, e.g. `Architectures`. */
  readonly property: string;
  /** Previous value, as JSON. */
  readonly oldValue: string;
  /** New value, as JSON. */
  readonly newValue: string;
}

/** A change `ColdStartRemediation` did not make, and why. */
export interface RemediationSkip {
  /** Construct path of the function's L1 resource. */
  readonly resourcePath: string;
  /** Logical ID of the function. */
  readonly logicalId: string;
  /** CloudFormation property that was left alone. */
  readonly property: string;
  /** Why it was not safe. */
  readonly reason: string;
}

/**
 * Opt-in mutating aspect: sets arm64, python3.12 and SnapStart on Python functions where it is
 * safe, never where it would break the function or the deployment, and reports every change
 * (an info annotation on the function and the `changes` list).
 *
 * @example
 * const app = new App();
 * Aspects.of(app).add(new coldstart.ColdStartRemediation(), { priority: AspectPriority.MUTATING });
 */
export class ColdStartRemediation implements IAspect {
  private readonly props: ColdStartRemediationProps;
  private readonly processed = new Set<Stack>();
  private readonly madeChanges: RemediationChange[] = [];
  private readonly skips: RemediationSkip[] = [];

  constructor(props: ColdStartRemediationProps = {}) {
    this.props = props;
  }

  /** Every change made so far. */
  public get changes(): RemediationChange[] {
    return [...this.madeChanges];
  }

  /** Every change considered and not made, with the reason. */
  public get skipped(): RemediationSkip[] {
    return [...this.skips];
  }

  /** Visits a construct: each stack is remediated once, when first reached. */
  public visit(node: IConstruct): void {
    const stack = Stack.isStack(node) ? node : CfnResource.isCfnResource(node) ? Stack.of(node) : undefined;
    if (stack && !this.processed.has(stack)) {
      this.processed.add(stack);
      const snap = snapshotStack(stack);
      for (const fn of analyzeTemplate(snap.source).functions) {
        const res = snap.resources.get(fn.logicalId);
        if (res && !snap.failed.has(fn.logicalId)) {
          this.remediate(fn, res);
        }
      }
    }
  }

  private remediate(fn: FunctionView, res: CfnResource): void {
    if (typeof fn.runtime !== 'string') {
      return;
    }
    const m = /^python3\.(\d+)$/.exec(fn.runtime);
    if (!m) {
      return; // non-Python: not ours to change
    }
    let minor = Number(m[1]);
    const skip = (property: string, reason: string) =>
      this.skips.push({ resourcePath: res.node.path, logicalId: fn.logicalId, property, reason });
    const change = (property: string, oldValue: unknown, newValue: unknown, why: string) => {
      res.addPropertyOverride(property, newValue);
      const c = {
        resourcePath: res.node.path,
        logicalId: fn.logicalId,
        property,
        oldValue: JSON.stringify(oldValue),
        newValue: JSON.stringify(newValue),
      };
      this.madeChanges.push(c);
      Annotations.of(res).addInfoV2(`cdk-python-coldstart:remediation:${property}`, `[ColdStartRemediation] set ${property} to ${c.newValue} (was ${c.oldValue}): ${why}`);
    };
    const dirs = inspectableDirs(fn);

    if (this.props.architecture !== false) {
      if (isUnresolved(fn.architectures)) {
        skip('Architectures', fn.architectures.describe());
      } else if (!fn.architectures.includes('arm64')) {
        const native = typeof dirs === 'string' ? undefined : dirs.flatMap(findX86Native);
        if (typeof dirs === 'string') {
          skip('Architectures', `cannot rule out x86_64 native code: ${dirs}`);
        } else if (native!.length > 0) {
          skip('Architectures', `x86_64 native code in the staged asset: ${native!.slice(0, 3).join(', ')}`);
        } else {
          change('Architectures', fn.architectures, ['arm64'], `${ruleText(AWS_RULES.ARM64_PRICE)}; the staged asset holds no x86_64 native code`);
        }
      }
    }

    if (this.props.runtime !== false && minor < 12) {
      const foreign = typeof dirs === 'string' ? undefined : dirs.flatMap((d) => findForeignAbiExtensions(d, 12));
      if (typeof dirs === 'string') {
        skip('Runtime', `cannot rule out compiled extensions for python3.${minor}: ${dirs}`);
      } else if (foreign!.length > 0) {
        skip('Runtime', `compiled extensions built for another Python: ${foreign!.slice(0, 3).join(', ')}`);
      } else {
        change('Runtime', fn.runtime, 'python3.12', `${ruleText(AWS_RULES.SNAPSTART_RUNTIME)}; rebuild bytecode for 3.12 (PCS10)`);
        minor = 12;
      }
    }

    if (this.props.snapStart !== false && fn.snapStart !== 'PublishedVersions') {
      const reason = snapStartBlocker(fn, minor);
      if (reason) {
        skip('SnapStart', reason);
      } else {
        change('SnapStart', { ApplyOn: fn.snapStart }, { ApplyOn: 'PublishedVersions' },
          `init runs once per published version; ${ruleText(AWS_RULES.SNAPSTART_PUBLISHED_VERSIONS)}: invoke through an alias or version, re-create unique IDs and connections after restore`);
      }
    }
  }
}

/** Staged directories of code and layers, or why they cannot all be inspected. */
function inspectableDirs(fn: FunctionView): string[] | string {
  if (isUnresolved(fn.layers)) {
    return fn.layers.describe();
  }
  const parts: CodeLocation[] = [fn.code, ...fn.layers];
  const blind = parts.find((p) => !p.dir && p.inlineBytes === undefined);
  if (blind) {
    return `${blind.property}: ${blind.unknownReason}`;
  }
  return parts.filter((p) => p.dir).map((p) => p.dir!);
}

/** SnapStart (catalogue entries SNAPSTART_*): not with provisioned concurrency, EFS, ephemeral storage > 512 MB, images; python3.12+. */
function snapStartBlocker(fn: FunctionView, minor: number): string | undefined {
  if (isUnresolved(fn.snapStart)) {
    return fn.snapStart.describe();
  }
  if (minor < 12) {
    return `runtime python3.${minor}: ${ruleText(AWS_RULES.SNAPSTART_RUNTIME)}`;
  }
  for (const p of activeProvisioned(fn)) {
    if (isUnresolved(p.executions)) {
      return `${p.path}: ${p.executions.describe()}`;
    }
    return `${describeProvisioned(p)}: ${ruleText(AWS_RULES.SNAPSTART_WITHOUT_PROVISIONED_CONCURRENCY)}`;
  }
  if (isUnresolved(fn.fileSystemCount)) {
    return fn.fileSystemCount.describe();
  }
  if (fn.fileSystemCount > 0) {
    return `EFS (FileSystemConfigs): ${ruleText(AWS_RULES.SNAPSTART_NO_EFS)}`;
  }
  if (isUnresolved(fn.ephemeralStorageMb)) {
    return fn.ephemeralStorageMb.describe();
  }
  if (fn.ephemeralStorageMb > AWS_RULES.SNAPSTART_EPHEMERAL_STORAGE.limit!) {
    return `EphemeralStorage.Size ${fn.ephemeralStorageMb} MB: ${ruleText(AWS_RULES.SNAPSTART_EPHEMERAL_STORAGE)}`;
  }
  if (fn.packageType !== 'Zip') {
    return `container image or unresolved PackageType: ${ruleText(AWS_RULES.SNAPSTART_NO_CONTAINER_IMAGE)}`;
  }
  return undefined;
}
