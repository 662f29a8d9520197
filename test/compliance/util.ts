import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AppProps, Aspects, AspectPriority, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ColdStartChecks, ColdStartChecksProps, ColdStartFinding } from '../../lib/compliance';

export const ROLE = 'arn:aws:iam::123456789012:role/r';

export function tmpdir(prefix = 'pcs-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A directory with the given files (relative path → content). */
export function codeDir(files: Record<string, string | Buffer>): string {
  const dir = tmpdir('pcs-code-');
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

export interface Checked {
  readonly app: App;
  readonly stack: Stack;
  readonly checks: ColdStartChecks;
  readonly findings: ColdStartFinding[];
  readonly outdir: string;
}

/** Builds a stack `S`, runs ColdStartChecks on the app, synthesizes. */
export function check(build: (stack: Stack) => void, props?: ColdStartChecksProps, appProps: AppProps = {}): Checked {
  const outdir = tmpdir('pcs-out-');
  const app = new App({ outdir, ...appProps });
  const stack = new Stack(app, 'S');
  build(stack);
  const checks = new ColdStartChecks(props);
  Aspects.of(app).add(checks, { priority: AspectPriority.READONLY });
  app.synth();
  return { app, stack, checks, findings: checks.findings, outdir };
}

/** Status of rule `ruleId` findings (optionally only those whose resource path contains `pathPart`). */
export function statuses(findings: ColdStartFinding[], ruleId: string, pathPart?: string): string[] {
  return findings.filter((f) => f.ruleId === ruleId && (pathPart === undefined || f.resourcePath.includes(pathPart)))
    .map((f) => f.status);
}

export function only(findings: ColdStartFinding[], ruleId: string): ColdStartFinding {
  const list = findings.filter((f) => f.ruleId === ruleId);
  if (list.length !== 1) {
    throw new Error(`expected one ${ruleId} finding, got ${JSON.stringify(list, undefined, 1)}`);
  }
  return list[0];
}

/** An L1 Python function. */
export function cfnFn(stack: Stack, props: Partial<lambda.CfnFunctionProps> = {}, id = 'Fn'): lambda.CfnFunction {
  return new lambda.CfnFunction(stack, id, {
    role: ROLE,
    code: { zipFile: 'def handler(e, c):\n  return 1\n' },
    handler: 'index.handler',
    runtime: 'python3.12',
    ...props,
  });
}

/** An L2 Python function with inline code. */
export function l2Fn(stack: Stack, props: Partial<lambda.FunctionProps> = {}, id = 'Fn'): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.PYTHON_3_12,
    handler: 'index.handler',
    code: lambda.Code.fromInline('def handler(e, c):\n  return 1\n'),
    ...props,
  });
}
