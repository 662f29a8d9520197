#!/usr/bin/env node
/**
 * cdk-python-coldstart command line.
 *
 *   cdk-python-coldstart check <template file | cdk.out dir>... [--format table|json|csv]
 *                              [--disable PCS3,PCS8] [--memory-threshold-mb N] [--size-budget-mb N]
 *                              [--fail-on error|warning]
 *   cdk-python-coldstart profile ...   (delegates to lib/profile/cli when present)
 */
import * as fs from 'fs';
import { runCostCommand } from './cost';
import { analyzeTemplate } from '../compliance/engine/analyze';
import { loadTemplateSource, templatesFor } from '../compliance/engine/cloud-assembly';
import { EngineFinding, evaluateFunctions, sortFindings } from '../compliance/engine/evaluate';
import { toCsv, toJson, toTable } from '../compliance/engine/report';
import { ALL_RULES } from '../compliance/rules';
import { FindingLevel, FindingStatus, RuleSettings } from '../compliance/types';

const USAGE = `Usage:
  cdk-python-coldstart check <template file | cdk.out dir>... [options]
      Runs the cold-start rules over CloudFormation/SAM templates (JSON or YAML).
      --format table|json|csv     output format (default table)
      --disable PCS3,PCS8         rules to skip
      --memory-threshold-mb N     PCS8 threshold (default 512)
      --size-budget-mb N          PCS9 budget (default 100)
      --fail-on error|warning     lowest level that makes the exit code 1 (default error)
  cdk-python-coldstart profile ...
      Measures a handler's init imports (see "profile --help").
  cdk-python-coldstart cost --requests-per-month N --duration-ms N ...
      Monthly cost of each cold-start strategy for a traffic profile (see "cost --help").
Exit codes: 0 no blocking finding, 1 blocking findings, 2 usage or input error.`;

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
        if (!['table', 'json', 'csv'].includes(format)) {
          throw new UsageError(`--format must be table, json or csv, not "${format}"`);
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
        const v = value();
        if (v !== 'error' && v !== 'warning') {
          throw new UsageError('--fail-on must be error or warning');
        }
        failOn = v === 'error' ? FindingLevel.ERROR : FindingLevel.WARNING;
      } else if (a === '--help' || a === '-h') {
        io.out(USAGE + '\n');
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
    io.err(`check needs a template file or a cdk.out directory\n${USAGE}\n`);
    return 2;
  }

  const findings: EngineFinding[] = [];
  const byStack = new Map<string, EngineFinding[]>();
  for (const target of targets) {
    if (!fs.existsSync(target)) {
      io.err(`${target}: no such file or directory\n`);
      return 2;
    }
    let files: string[];
    try {
      files = templatesFor(target);
    } catch (e) {
      io.err(`${target}: ${(e as Error).message}\n`);
      return 2;
    }
    for (const file of files) {
      let analyzed;
      try {
        analyzed = analyzeTemplate(loadTemplateSource(file));
      } catch (e) {
        io.err(`${file}: cannot read template: ${(e as Error).message}\n`);
        return 2;
      }
      const f = evaluateFunctions(analyzed.functions, { rules }, (ruleId, ids) => {
        for (const id of ids) {
          const s = analyzed.suppressionsOf(id).find((x) => x.id === ruleId);
          if (s) {
            return s.reason;
          }
        }
        return undefined;
      });
      findings.push(...f);
      for (const x of f) {
        byStack.set(x.stackName, [...(byStack.get(x.stackName) ?? []), x]);
      }
    }
  }
  const sorted = sortFindings(findings);
  if (format === 'json') {
    // One JSON document: { stacks: [<the per-stack report format>, ...] }
    const stacks = [...byStack.keys()].sort().map((s) => JSON.parse(toJson(s, sortFindings(byStack.get(s)!))));
    io.out(JSON.stringify({ stacks }, undefined, 2) + '\n');
  } else if (format === 'csv') {
    io.out(toCsv(sorted));
  } else {
    const shown = sorted.filter((f) => f.status !== FindingStatus.COMPLIANT || f.informational);
    io.out(shown.length > 0 ? toTable(shown) : 'No findings.\n');
  }
  const blocking = sorted.filter((f) => (f.status === FindingStatus.NON_COMPLIANT || f.status === FindingStatus.UNKNOWN)
    && (f.level === FindingLevel.ERROR || (failOn === FindingLevel.WARNING && f.level === FindingLevel.WARNING)));
  const functions = new Set(sorted.map((f) => `${f.stackName}/${f.functionLogicalId}`)).size;
  const count = (s: FindingStatus) => sorted.filter((f) => f.status === s).length;
  const summary = `${functions} Python function(s): ${count(FindingStatus.NON_COMPLIANT)} non-compliant, ${count(FindingStatus.UNKNOWN)} unknown, ${count(FindingStatus.SUPPRESSED)} suppressed; ${blocking.length} blocking (${failOn} or above)\n`;
  if (format === 'table') {
    io.out(summary);
  } else {
    io.err(summary);
  }
  return blocking.length > 0 ? 1 : 0;
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
