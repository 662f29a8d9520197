import * as fs from 'fs';
import * as path from 'path';
import { Annotations, CfnResource, IAspect, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { analyzeTemplate, LAMBDA_FUNCTION, SAM_FUNCTION, Suppression, SUPPRESSION_METADATA } from './engine/analyze';
import { EngineFinding, evaluateFunctions, sortFindings, validateRuleSettings } from './engine/evaluate';
import { reportBaseName, toCsv, toJson } from './engine/report';
import { setTemplateFolder, snapshotStack } from './engine/tree';
import { ALL_RULES } from './rules';
import { ColdStartFinding, ColdStartRuleInfo, FindingLevel, FindingStatus, RuleSettings } from './types';

/** Report files `ColdStartChecks` writes into the cloud assembly. */
export enum ReportFormat {
  /** `cdk-python-coldstart-<stackName>.json` */
  JSON = 'json',
  /** `cdk-python-coldstart-<stackName>.csv` */
  CSV = 'csv',
}

/** Properties of `ColdStartChecks`. */
export interface ColdStartChecksProps {
  /**
   * Per-rule settings keyed by rule ID (e.g. `{ PCS8: { memoryThresholdMb: 1024 }, PCS3: { enabled: false } }`).
   * In Python use the struct class, whose keyword arguments are checked:
   * `rules={"PCS8": coldstart.RuleSettings(memory_threshold_mb=1024)}`. Unknown rule IDs and unknown
   * setting keys (such as snake_case keys in a plain dict) are rejected, naming the accepted ones.
   * @default - every rule enabled at its default level and thresholds
   */
  readonly rules?: { [ruleId: string]: RuleSettings };

  /**
   * Report files written per stack into the cloud assembly directory. Pass an empty list for none.
   * @default [ReportFormat.JSON, ReportFormat.CSV]
   */
  readonly reportFormats?: ReportFormat[];

  /**
   * Level of findings whose input is a token or parameter (status UNKNOWN).
   * @default FindingLevel.WARNING
   */
  readonly unknownLevel?: FindingLevel;
}

const SUPPRESSIONS = Symbol.for('cdk-python-coldstart.suppressions');

/** The warnings acknowledged in the app (Annotations.acknowledgeWarning): construct path → ids. */
function acknowledgements(scope: IConstruct): Map<string, Set<string>> | undefined {
  const app = scope.node.root as any;
  const acks = app?.[Symbol.for('@aws-cdk/core.Acknowledgements')]?.acks;
  return acks instanceof Map ? acks : undefined;
}

function suppressionsOn(c: IConstruct): Suppression[] {
  return ((c as any)[SUPPRESSIONS] as Suppression[] | undefined) ?? [];
}

/**
 * Read-only aspect that reports Python Lambda functions that start slowly, and why.
 *
 * Works on what is in the tree: L1 and L2 functions (including aws-lambda-python-alpha's
 * PythonFunction, through its CfnFunction), aliases, versions, schedules and scalable targets,
 * templates brought in with CfnInclude, and SAM `AWS::Serverless::Function` resources.
 * Each stack is analyzed once, when the aspect visits it, so relations between resources
 * (alias → function, schedule → alias) are known.
 *
 * @example
 * const app = new App();
 * Aspects.of(app).add(new coldstart.ColdStartChecks({
 *   rules: { PCS8: { memoryThresholdMb: 1024 } },
 * }), { priority: AspectPriority.READONLY });
 */
export class ColdStartChecks implements IAspect {
  /** The rules, in ID order. */
  public static readonly RULES: ColdStartRuleInfo[] = ALL_RULES.map((r) => ({
    id: r.id, title: r.title, defaultLevel: r.defaultLevel, explanation: r.explanation, fix: r.fix,
  }));

  /**
   * Suppresses a rule on a construct and all its children, with a mandatory reason that is
   * recorded in the reports (status SUPPRESSED). Also written into the metadata of the L1
   * resources that exist under the construct, so the CLI and the policy validation plugin see it.
   *
   * @param construct the construct (e.g. a lambda.Function, a stack)
   * @param ruleId the rule ID, e.g. `PCS3`
   * @param reason why the finding does not apply; must not be empty
   */
  public static suppress(construct: IConstruct, ruleId: string, reason: string): void {
    if (!ALL_RULES.some((r) => r.id === ruleId)) {
      throw new Error(`ColdStartChecks.suppress: unknown rule "${ruleId}" on ${construct.node.path}. Known rules: ${ALL_RULES.map((r) => r.id).join(', ')}.`);
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(`ColdStartChecks.suppress: a reason is required to suppress ${ruleId} on ${construct.node.path}. Say why the finding does not apply; it is recorded in the report.`);
    }
    const entry = { id: ruleId, reason: reason.trim() };
    (construct as any)[SUPPRESSIONS] = [...suppressionsOn(construct), entry];
    for (const c of construct.node.findAll()) {
      if (CfnResource.isCfnResource(c)) {
        const existing = c.getMetadata(SUPPRESSION_METADATA)?.rules_to_suppress ?? [];
        c.addMetadata(SUPPRESSION_METADATA, { rules_to_suppress: [...existing, entry] });
      }
    }
  }

  /**
   * Declares the folder of the template a `CfnInclude` read, so that the relative paths in it (SAM
   * `CodeUri`, `ContentUri`, `DockerContext`) are resolved against it, as SAM does. CfnInclude does
   * not record its template file; without this, such paths are reported as UNKNOWN (never measured
   * against the working directory).
   *
   * @example
   * declare const include: cfninc.CfnInclude; // new cfninc.CfnInclude(this, 'Legacy', { templateFile: 'sam/template.yaml' })
   * coldstart.ColdStartChecks.templateFolder(include, 'sam');
   *
   * @param include the CfnInclude construct
   * @param folder the folder of its template file (absolute, or relative to the working directory)
   */
  public static templateFolder(include: IConstruct, folder: string): void {
    setTemplateFolder(include, path.resolve(folder));
  }

  private readonly props: ColdStartChecksProps;
  private readonly processed = new Set<Stack>();
  private readonly allFindings: ColdStartFinding[] = [];
  private scopePath?: string;

  constructor(props: ColdStartChecksProps = {}) {
    validateRuleSettings(props.rules);
    this.props = props;
  }

  /** Every finding so far (all stacks visited), in report order. */
  public get findings(): ColdStartFinding[] {
    return sortFindings(this.allFindings);
  }

  /** Visits a construct: each stack is analyzed once, when first reached. */
  public visit(node: IConstruct): void {
    if (this.scopePath === undefined) {
      this.scopePath = node.node.path;
    }
    let stack: Stack | undefined;
    if (Stack.isStack(node)) {
      stack = node;
    } else if (CfnResource.isCfnResource(node)) {
      stack = Stack.of(node);
    }
    if (stack && !this.processed.has(stack)) {
      this.processed.add(stack);
      try {
        this.checkStack(stack);
      } catch (e) {
        // Never break synthesis on a check: say loudly that this stack was not checked.
        Annotations.of(stack).addWarningV2('cdk-python-coldstart:engine',
          `ColdStartChecks could not analyze this stack (${(e as Error).message}); no cold-start findings were produced for it.`);
      }
    }
  }

  private checkStack(stack: Stack): void {
    const snap = snapshotStack(stack);
    const analyzed = analyzeTemplate(snap.source);
    const scope = this.scopePath ?? '';
    const inScope = (p: string) => scope === '' || p === scope || p.startsWith(scope + '/');
    const views = analyzed.functions.filter((f) => inScope(f.path) && !snap.failed.has(f.logicalId));

    const acks = acknowledgements(stack);
    const lookup = (ruleId: string, logicalIds: string[]): string | undefined => {
      for (const id of logicalIds) {
        const res = snap.resources.get(id);
        // Annotations.of(x).acknowledgeWarning('cdk-python-coldstart:PCS3', reason) on the resource or a parent.
        // (CDK keeps the acknowledgement, not its reason.)
        const level = this.props.rules?.[ruleId]?.level ?? ALL_RULES.find((r) => r.id === ruleId)?.defaultLevel;
        if (res && acks && level !== FindingLevel.ERROR) {
          const ackId = `cdk-python-coldstart:${ruleId}`;
          for (let c: IConstruct | undefined = res; c; c = c.node.scope) {
            if (acks.get(c.node.path.replace(/^\//, ''))?.has(ackId)) {
              return `acknowledged with Annotations.acknowledgeWarning('${ackId}') on ${c.node.path || 'the app'}`;
            }
          }
        }
        for (let c: IConstruct | undefined = res; c; c = c.node.scope) {
          const s = suppressionsOn(c).find((x) => x.id === ruleId);
          if (s) {
            return s.reason;
          }
        }
        const t = analyzed.suppressionsOf(id).find((x) => x.id === ruleId);
        if (t) {
          return t.reason;
        }
      }
      return undefined;
    };
    const findings: EngineFinding[] = evaluateFunctions(views, this.props, lookup,
      { stackName: snap.source.stackName, findings: analyzed.orphans.filter((o) => inScope(o.path)) });
    for (const [id, message] of snap.failed) {
      const res = snap.resources.get(id)!;
      if ((res.cfnResourceType === LAMBDA_FUNCTION || res.cfnResourceType === SAM_FUNCTION) && inScope(res.node.path)) {
        findings.push({
          ruleId: 'PCS1',
          level: this.props.unknownLevel ?? FindingLevel.WARNING,
          status: FindingStatus.UNKNOWN,
          stackName: snap.source.stackName,
          resourcePath: res.node.path,
          logicalId: id,
          message: `properties could not be resolved (${message}): no rule could check this function`,
          functionLogicalId: id,
          informational: false,
        });
      }
    }
    const sorted = sortFindings(findings);
    for (const f of sorted) {
      this.annotate(snap.resources.get(f.logicalId) ?? stack, f);
    }
    this.allFindings.push(...sorted);
    if (views.length > 0 || snap.failed.size > 0 || analyzed.orphans.length > 0) {
      this.writeReports(stack, snap.source.stackName, sorted);
    }
  }

  private annotate(target: IConstruct, f: EngineFinding): void {
    if (f.status === FindingStatus.SUPPRESSED || (f.status === FindingStatus.COMPLIANT && !f.informational)) {
      return;
    }
    const text = `[${f.ruleId}] ${f.title ?? ''}${f.title ? ': ' : ''}${f.message}`;
    const a = Annotations.of(target);
    if (f.status === FindingStatus.COMPLIANT || f.level === FindingLevel.INFO) {
      a.addInfoV2(`cdk-python-coldstart:${f.ruleId}`, text);
    } else if (f.level === FindingLevel.ERROR) {
      a.addError(text);
    } else {
      a.addWarningV2(`cdk-python-coldstart:${f.ruleId}`, text);
    }
  }

  private writeReports(stack: Stack, stackName: string, findings: ColdStartFinding[]): void {
    const formats = this.props.reportFormats ?? [ReportFormat.JSON, ReportFormat.CSV];
    if (formats.length === 0) {
      return;
    }
    const outdir = Stage.of(stack)?.outdir;
    if (!outdir) {
      return;
    }
    fs.mkdirSync(outdir, { recursive: true });
    const base = path.join(outdir, reportBaseName(stackName));
    if (formats.includes(ReportFormat.JSON)) {
      fs.writeFileSync(`${base}.json`, toJson(stackName, findings));
    }
    if (formats.includes(ReportFormat.CSV)) {
      fs.writeFileSync(`${base}.csv`, toCsv(findings));
    }
  }
}
