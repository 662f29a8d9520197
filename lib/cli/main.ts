#!/usr/bin/env node
/**
 * cdk-python-coldstart command line.
 *
 *   cdk-python-coldstart check <template file | SAM folder | cdk.out dir>... [--format table|json|csv|sarif]
 *                              [--disable PCS3,PCS8] [--memory-threshold-mb N] [--size-budget-mb N]
 *                              [--fail-on ERROR|WARNING] [--version]
 *   cdk-python-coldstart profile ...   (delegates to lib/profile/cli when present)
 */
import * as fs from 'fs';
import * as path from 'path';
import { runCostCommand } from './cost';
import { analyzeTemplate } from '../compliance/engine/analyze';
import { loadTemplateSource, TemplateInputError, templatesFor } from '../compliance/engine/cloud-assembly';
import { EngineFinding, evaluateFunctions, sortFindings } from '../compliance/engine/evaluate';
import { toCsv, toJson, toSarif, toTable } from '../compliance/engine/report';
import { ALL_RULES } from '../compliance/rules';
import { FindingLevel, FindingStatus, RuleSettings } from '../compliance/types';

const USAGE = `Usage:
  cdk-python-coldstart check <template file | SAM project folder | cdk.out dir>... [options]
      Runs the cold-start rules over CloudFormation/SAM templates (JSON or YAML).
      --format table|json|csv|sarif  output format (default table; sarif is SARIF 2.1.0 for code scanning)
      --disable PCS3,PCS8         rules to skip
      --memory-threshold-mb N     PCS8 threshold (default 512)
      --size-budget-mb N          PCS9 budget (default 100)
      --fail-on ERROR|WARNING     lowest level that makes the exit code 1 (default ERROR)
      --version                   print the version
  cdk-python-coldstart profile ...
      Measures a handler's init imports (see "profile --help").
  cdk-python-coldstart cost --requests-per-month N --duration-ms N ...
      Monthly cost of each cold-start strategy for a traffic profile (see "cost --help").
Exit codes: 0 no blocking finding, 1 blocking findings, 2 usage or input error (an input that is not a
template, or could not be read: the others are still checked and reported).`;

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const stdio: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'check') {
    return check(rest, io);
  }
  if (command === 'cost') {
    return runCostCommand(rest, io.out, io.err);
  }
  if (command === 'profile') {
    let mod: any;
    try {
      // Written by the init profiler; optional at runtime.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require('../profile/cli');
    } catch (e) {
      if ((e as any)?.code !== 'MODULE_NOT_FOUND') {
        throw e;
      }
    }
    if (typeof mod?.runProfileCommand !== 'function') {
      io.err('profile is not available in this build of cdk-python-coldstart\n');
      return 2;
    }
    return mod.runProfileCommand(rest);
  }
  if (command === '--version' || command === 'version') {
    io.out(`${version()}\n`);
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE + '\n');
    return command === undefined ? 2 : 0;
  }
  io.err(`unknown command "${command}"\n${USAGE}\n`);
  return 2;
}

function check(args: string[], io: Io): number {
  const targets: string[] = [];
  let format = 'table';
  let failOn = FindingLevel.ERROR;
  const rules: Record<string, RuleSettings> = {};
  const set = (id: string, s: RuleSettings) => {
    rules[id] = { ...rules[id], ...s };
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) {
        throw new UsageError(`${a} needs a value`);
      }
      return v;
    };
    const count = () => {
      const v = Number(value());
      if (!Number.isFinite(v) || v <= 0) {
        throw new UsageError(`${a} needs a positive number`);
      }
      return v;
    };
    try {
      if (a === '--format') {
        format = value();
        if (!FORMATS.includes(format)) {
          throw new UsageError(`--format must be ${FORMATS.join(', ')}, not "${format}"`);
        }
      } else if (a === '--disable') {
        for (const id of value().split(',').map((s) => s.trim()).filter((s) => s)) {
          if (!ALL_RULES.some((r) => r.id === id)) {
            throw new UsageError(`unknown rule "${id}" (known: ${ALL_RULES.map((r) => r.id).join(', ')})`);
          }
          set(id, { enabled: false });
        }
      } else if (a === '--memory-threshold-mb') {
        set('PCS8', { memoryThresholdMb: count() });
      } else if (a === '--size-budget-mb') {
        set('PCS9', { sizeBudgetMb: count() });
      } else if (a === '--fail-on') {
        const v = value().toUpperCase();
        if (v !== FindingLevel.ERROR && v !== FindingLevel.WARNING) {
          throw new UsageError('--fail-on must be ERROR or WARNING');
        }
        failOn = v;
      } else if (a === '--help' || a === '-h') {
        io.out(USAGE + '\n');
        return 0;
      } else if (a === '--version') {
        io.out(`${version()}\n`);
        return 0;
      } else if (a.startsWith('-')) {
        throw new UsageError(`unknown option ${a}`);
      } else {
        targets.push(a);
      }
    } catch (e) {
      if (e instanceof UsageError) {
        io.err(`${e.message}\n${USAGE}\n`);
        return 2;
      }
      throw e;
    }
  }
  if (targets.length === 0) {
    io.err(`check needs a template file, a SAM project folder or a cdk.out directory\n${USAGE}\n`);
    return 2;
  }

  // Every input is read; one that cannot be is named and makes the exit code 2, but never hides
  // the findings of the others.
  const problems: string[] = [];
  const files: string[] = [];
  for (const target of targets) {
    if (!fs.existsSync(target)) {
      problems.push(`${target}: no such file or directory`);
      continue;
    }
    try {
      files.push(...templatesFor(target));
    } catch (e) {
      problems.push(e instanceof TemplateInputError ? e.message : `${target}: ${(e as Error).message}`);
    }
  }
  const findings: EngineFinding[] = [];
  const fileOf = new Map<EngineFinding, string>();
  const functions: { stackName: string; logicalId: string }[] = [];
  const read: string[] = [];
  for (const file of files) {
    let analyzed;
    try {
      analyzed = analyzeTemplate(loadTemplateSource(file));
    } catch (e) {
      problems.push(e instanceof TemplateInputError ? e.message : `${file}: cannot read template: ${(e as Error).message}`);
      continue;
    }
    read.push(file);
    const stackName = analyzed.stackName;
    const f = evaluateFunctions(analyzed.functions, { rules }, (ruleId, ids) => {
      for (const id of ids) {
        const s = analyzed.suppressionsOf(id).find((x) => x.id === ruleId);
        if (s) {
          return s.reason;
        }
      }
      return undefined;
    }, { stackName, findings: analyzed.orphans });
    for (const x of f) {
      findings.push(x);
      fileOf.set(x, file);
    }
    const seen = new Set(f.map((x) => x.functionLogicalId));
    for (const fn of analyzed.functions) {
      if (seen.has(fn.logicalId)) {
        functions.push({ stackName: fn.stackName, logicalId: fn.logicalId });
      }
    }
  }
  const sorted = sortFindings(findings);
  if (format === 'json') {
    // One JSON document: { stacks: [<the per-stack report format>, ...] }
    const byStack = new Map<string, EngineFinding[]>();
    for (const x of sorted) {
      const list = byStack.get(x.stackName);
      if (list) {
        list.push(x);
      } else {
        byStack.set(x.stackName, [x]);
      }
    }
    const stacks = [...byStack.keys()].sort().map((s) => JSON.parse(toJson(s, byStack.get(s)!)));
    io.out(JSON.stringify({ stacks, ...(problems.length > 0 ? { unreadable: problems } : {}) }, undefined, 2) + '\n');
  } else if (format === 'csv') {
    io.out(toCsv(sorted));
  } else if (format === 'sarif') {
    io.out(toSarif(sorted, (f) => fileOf.get(f as EngineFinding), version(), problems));
  } else {
    const shown = sorted.filter((f) => f.status !== FindingStatus.COMPLIANT || f.informational);
    io.out(shown.length > 0 ? toTable(shown) : read.length > 0 ? 'No findings.\n' : '');
  }
  const blocking = sorted.filter((f) => (f.status === FindingStatus.NON_COMPLIANT || f.status === FindingStatus.UNKNOWN)
    && (f.level === FindingLevel.ERROR || (failOn === FindingLevel.WARNING && f.level === FindingLevel.WARNING)));
  const summary = summarize(sorted, functions, blocking.length, failOn, read.length);
  if (format === 'table') {
    io.out(summary);
  } else {
    io.err(summary);
  }
  for (const p of problems) {
    io.err(`error: ${p}\n`);
  }
  if (problems.length > 0) {
    io.err(`${problems.length} input(s) could not be read${read.length > 0 ? `; the findings above cover the ${read.length} template(s) that were` : ''}.\n`);
    return 2;
  }
  return blocking.length > 0 ? 1 : 0;
}

const FORMATS = ['table', 'json', 'csv', 'sarif'];

/** `3 Python function(s): 1 non-compliant, 1 unknown, 0 suppressed, 1 compliant; 2 blocking (ERROR or above)`: counts functions, by their worst finding. */
function summarize(findings: EngineFinding[], functions: { stackName: string; logicalId: string }[], blocking: number,
  failOn: FindingLevel, templates: number): string {
  const worst = new Map<string, FindingStatus>();
  const rank = [FindingStatus.NON_COMPLIANT, FindingStatus.UNKNOWN, FindingStatus.SUPPRESSED, FindingStatus.COMPLIANT];
  for (const fn of functions) {
    worst.set(`${fn.stackName}/${fn.logicalId}`, FindingStatus.COMPLIANT);
  }
  let outside = 0;
  for (const f of findings) {
    if (f.functionLogicalId === '') {
      outside += f.status === FindingStatus.COMPLIANT ? 0 : 1;
      continue;
    }
    const key = `${f.stackName}/${f.functionLogicalId}`;
    const cur = worst.get(key) ?? FindingStatus.COMPLIANT;
    if (rank.indexOf(f.status) < rank.indexOf(cur)) {
      worst.set(key, f.status);
    }
  }
  const count = (s: FindingStatus) => [...worst.values()].filter((x) => x === s).length;
  const extra = outside > 0 ? `; ${outside} finding(s) on resources acting on functions outside the templates` : '';
  return `${templates} template(s), ${worst.size} Python function(s): ${count(FindingStatus.NON_COMPLIANT)} non-compliant, ${count(FindingStatus.UNKNOWN)} unknown, ${count(FindingStatus.SUPPRESSED)} suppressed, ${count(FindingStatus.COMPLIANT)} compliant${extra}; ${blocking} blocking finding(s) (${failOn} or above)\n`;
}

/** The version of this package (package.json next to lib/). */
export function version(): string {
  for (const rel of ['../../package.json', '../package.json']) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const pkg = require(path.join(__dirname, rel));
      if (pkg?.name === 'cdk-python-coldstart' && typeof pkg.version === 'string') {
        return pkg.version;
      }
    } catch {
      // try the next location
    }
  }
  return 'unknown';
}

class UsageError extends Error {}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  }, (e) => {
    process.stderr.write(`cdk-python-coldstart: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 2;
  });
}
