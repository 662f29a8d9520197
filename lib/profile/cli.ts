import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describeProfile, isOverBudget } from './at-synth';
import { DEFAULT_PROFILE_RUNS, InitProfileOutcome, MAX_PROFILE_RUNS, MAX_PROFILE_TIMEOUT_S, runInitProfile, UNRESOLVED_ENV_PLACEHOLDER } from './profiler';

const USAGE = `Usage: cdk-python-coldstart profile <cdk.out> [--budget-ms N] [--margin-ms N] [--runs N]
                                             [--timeout-s N] [--python PATH] [--top N] [--format table|json]

Imports every Python Lambda handler of a synthesized cloud assembly in a local Python of the
function's runtime version (staged code and layers on sys.path, no bytecode written, no AWS
credentials, a timeout; processes the handler starts are killed with each run) and prints its
init time (imports + module-level code) and heaviest imports.
THIS RUNS THE HANDLER MODULES' IMPORT-TIME CODE ON THIS MACHINE.

  --runs N        imports per function, each in a fresh interpreter (default ${DEFAULT_PROFILE_RUNS}, at most ${MAX_PROFILE_RUNS});
                  the median is reported and compared; with 3 runs or more the first is shown apart
  --budget-ms N   over budget when the median exceeds N + the margin
  --margin-ms N   noise margin on top of the budget (default 10% of the budget)
  --timeout-s N   whole seconds one import may take (default 30, at most ${MAX_PROFILE_TIMEOUT_S})
  --format json   one JSON document on stdout, for CI

Synthesize with asset metadata (the CDK CLI's default) and bundling for the stacks to profile.
Exit status: 0 all profiled within budget; 1 a budget was exceeded or a profile failed; 2 usage error.`;

/** A Python function found in a cloud assembly. Internal. */
export interface AssemblyFunction {
  /** Construct path, or stack/logicalId. */
  readonly displayName: string;
  readonly stackName: string;
  readonly logicalId: string;
  readonly runtime: string;
  readonly handler: string;
  readonly architecture: string;
  /** Staged code directory, or undefined with `skipReason`. */
  readonly codeDir?: string;
  readonly layerDirs: string[];
  readonly environment: { [key: string]: string };
  readonly memorySize?: number;
  /** Why it cannot be profiled (no asset metadata, inline code, external layer, ...). */
  readonly skipReason?: string;
}

interface Args {
  readonly assemblyDir: string;
  readonly budgetMs?: number;
  readonly marginMs?: number;
  readonly runs?: number;
  readonly format: string;
  readonly timeoutS?: number;
  readonly python?: string;
  readonly top?: number;
}

/**
 * `cdk-python-coldstart profile <cdk.out>`: profiles every Python function of a cloud assembly.
 * Returns the process exit status. `write` receives the output (defaults to stdout).
 */
export async function runProfileCommand(argv: string[], write: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  let args: Args;
  try {
    const parsed = parseArgs(argv);
    if (parsed === 'help') {
      write(`${USAGE}\n`);
      return 0;
    }
    args = parsed;
  } catch (e: any) {
    // One line: what is wrong and where to read more (no usage block, never a stack trace).
    write(`error: ${e.message} (see cdk-python-coldstart profile --help)\n`);
    return 2;
  }

  let functions: AssemblyFunction[];
  try {
    functions = findPythonFunctions(args.assemblyDir);
  } catch (e: any) {
    write(`error: ${e.message}\n`);
    return 2;
  }
  const json = args.format === 'json';
  if (functions.length === 0) {
    write(json ? `${JSON.stringify({ functions: [] }, undefined, 2)}\n` : `No Python Lambda functions found in ${args.assemblyDir}.\n`);
    return 0;
  }
  const marginMs = args.budgetMs === undefined ? undefined : args.marginMs ?? Math.round(args.budgetMs * 0.1 * 10) / 10;

  const rows: string[][] = [];
  const details: string[] = [];
  const reports: any[] = [];
  let failed = false;
  for (const fn of functions) {
    const base = { function: fn.displayName, stack: fn.stackName, logicalId: fn.logicalId, runtime: fn.runtime, architecture: fn.architecture };
    if (fn.skipReason) {
      failed = true;
      rows.push([fn.displayName, fn.runtime, '-', '-', '-', '-', `NOT PROFILED: ${fn.skipReason}`]);
      reports.push({ ...base, status: 'not-profiled', reason: fn.skipReason });
      continue;
    }
    const outcome: InitProfileOutcome = runInitProfile({
      codeDir: fn.codeDir!,
      layerDirs: fn.layerDirs,
      handler: fn.handler,
      runtime: new lambda.Runtime(fn.runtime, lambda.RuntimeFamily.PYTHON),
      environment: fn.environment,
      functionName: fn.logicalId,
      memorySize: fn.memorySize,
      timeout: args.timeoutS !== undefined ? Duration.seconds(args.timeoutS) : undefined,
      topImports: args.top,
      runs: args.runs,
      pythonExecutable: args.python,
    });
    if (outcome.failure) {
      failed = true;
      rows.push([fn.displayName, fn.runtime, '-', '-', '-', '-', `FAILED (${outcome.failure.kind})`]);
      details.push(`${fn.displayName}: ${outcome.failure.message}`
        + (outcome.failure.traceback ? `\n${indent(outcome.failure.traceback.trim())}` : ''));
      reports.push({ ...base, status: 'failed', failure: { kind: outcome.failure.kind, message: outcome.failure.message } });
      continue;
    }
    const r = outcome.result!;
    const over = args.budgetMs !== undefined && isOverBudget(r.totalMs, args.budgetMs, marginMs!);
    const status = !r.handlerFound ? 'HANDLER NOT FOUND' : over ? `OVER BUDGET (${args.budgetMs} + ${marginMs} ms)` : 'ok';
    if (over || !r.handlerFound) {
      failed = true;
    }
    const heaviest = r.topImports[0];
    rows.push([fn.displayName, fn.runtime, r.totalMs.toFixed(1), r.spreadMs.toFixed(1), r.importMs.toFixed(1),
      heaviest ? `${heaviest.moduleName} (${heaviest.cumulativeMs.toFixed(1)})` : '-', status]);
    const lines = r.topImports.map((t) => `    ${t.cumulativeMs.toFixed(1).padStart(9)} ms  ${t.selfMs.toFixed(1).padStart(9)} ms  ${t.moduleName}`);
    details.push(`${fn.displayName} (${fn.architecture} in Lambda): ${describeProfile(r, args.budgetMs, marginMs)}`
      + (lines.length ? `\n    ${'cumulative'.padStart(12)}  ${'self'.padStart(12)}  module\n${lines.join('\n')}` : ''));
    reports.push({
      ...base,
      status: !r.handlerFound ? 'handler-not-found' : over ? 'over-budget' : 'ok',
      medianMs: r.totalMs,
      importMs: r.importMs,
      moduleCodeMs: r.handlerSelfMs,
      runs: r.runs,
      runTotalsMs: r.runTotalsMs,
      minMs: r.minMs,
      maxMs: r.maxMs,
      spreadMs: r.spreadMs,
      ...(r.firstRunMs !== undefined ? { firstRunMs: r.firstRunMs } : {}),
      ...(args.budgetMs !== undefined ? { budgetMs: args.budgetMs, marginMs } : {}),
      topImports: r.topImports.map((t) => ({ module: t.moduleName, cumulativeMs: t.cumulativeMs, selfMs: t.selfMs })),
      handlerFound: r.handlerFound,
      modulesImported: r.modulesImported,
      modulesCompiledFromSource: r.modulesCompiledFromSource,
      pythonVersion: r.pythonVersion,
      hostArchitecture: r.hostArchitecture,
    });
  }

  if (json) {
    write(`${JSON.stringify({ functions: reports }, undefined, 2)}\n`);
    return failed ? 1 : 0;
  }
  write(`${table(['Function', 'Runtime', 'Init ms (median)', 'Spread ms', 'Imports ms', 'Heaviest import (ms)', 'Status'], rows)}\n`);
  if (details.length) {
    write(`\n${details.join('\n\n')}\n`);
  }
  return failed ? 1 : 0;
}

function parseArgs(argv: string[]): Args | 'help' {
  const positional: string[] = [];
  const opts: { [k: string]: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      return 'help';
    }
    if (a.startsWith('--')) {
      const [k, inline] = a.split('=', 2);
      if (!['--budget-ms', '--margin-ms', '--runs', '--timeout-s', '--python', '--top', '--format'].includes(k)) {
        throw new Error(`unknown option ${k}`);
      }
      const v = inline ?? argv[++i];
      if (v === undefined) {
        throw new Error(`${k} needs a value`);
      }
      opts[k] = v;
    } else {
      positional.push(a);
    }
  }
  if (positional.length !== 1) {
    throw new Error('expected exactly one cloud assembly directory (e.g. cdk.out)');
  }
  const num = (k: string, integer: boolean, max: number, min = 0) => {
    if (opts[k] === undefined) {
      return undefined;
    }
    const text = opts[k].trim();
    // Plain decimal notation only: no exponents, hex or "Infinity" (a huge value is a typo, not a wish).
    const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
    if (!Number.isFinite(n) || n <= min || n > max || (integer && !Number.isInteger(n))) {
      throw new Error(`${k} must be ${integer ? 'a whole number' : 'a number'} ${min === 0 ? 'above 0' : `from ${min + 1}`} and at most ${max}, got '${opts[k]}'`);
    }
    return n;
  };
  const format = opts['--format'] ?? 'table';
  if (format !== 'table' && format !== 'json') {
    throw new Error(`--format must be table or json, got '${format}'`);
  }
  return {
    assemblyDir: path.resolve(positional[0]),
    budgetMs: num('--budget-ms', false, 3_600_000),
    marginMs: opts['--margin-ms'] === '0' ? 0 : num('--margin-ms', false, 3_600_000),
    runs: num('--runs', true, MAX_PROFILE_RUNS),
    timeoutS: num('--timeout-s', true, MAX_PROFILE_TIMEOUT_S),
    top: num('--top', true, 1000),
    python: opts['--python'],
    format,
  };
}

/**
 * Reads a cloud assembly (manifest.json, nested assemblies of stages included) and returns its Python
 * functions with their staged code and layer directories (from `aws:asset:path` metadata). Internal.
 */
export function findPythonFunctions(assemblyDir: string): AssemblyFunction[] {
  const manifestPath = path.join(assemblyDir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    throw new Error(`${assemblyDir} is not a cloud assembly: manifest.json not found (run cdk synth first)`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  const out: AssemblyFunction[] = [];
  for (const [artifactId, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      out.push(...findPythonFunctions(path.join(assemblyDir, artifact.properties.directoryName)));
    } else if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
      const template = JSON.parse(fs.readFileSync(path.join(assemblyDir, artifact.properties.templateFile), 'utf8'));
      out.push(...functionsOfTemplate(artifact.displayName ?? artifactId, template, assemblyDir));
    }
  }
  return out;
}

function functionsOfTemplate(stackName: string, template: any, assemblyDir: string): AssemblyFunction[] {
  const resources: { [id: string]: any } = template.Resources ?? {};
  const out: AssemblyFunction[] = [];
  for (const [logicalId, res] of Object.entries(resources)) {
    if (res.Type !== 'AWS::Lambda::Function') {
      continue;
    }
    const p = res.Properties ?? {};
    if (typeof p.Runtime !== 'string' || !/^python3\.\d+$/.test(p.Runtime)) {
      continue;
    }
    const displayName = res.Metadata?.['aws:cdk:path'] ?? `${stackName}/${logicalId}`;
    const environment: { [key: string]: string } = {};
    for (const [k, v] of Object.entries<any>(p.Environment?.Variables ?? {})) {
      environment[k] = typeof v === 'string' ? v : UNRESOLVED_ENV_PLACEHOLDER;
    }
    const base = {
      displayName,
      stackName,
      logicalId,
      runtime: p.Runtime,
      handler: typeof p.Handler === 'string' ? p.Handler : '',
      architecture: Array.isArray(p.Architectures) && typeof p.Architectures[0] === 'string' ? p.Architectures[0] : 'x86_64',
      environment,
      memorySize: typeof p.MemorySize === 'number' ? p.MemorySize : undefined,
    };
    const skip = (skipReason: string): AssemblyFunction => ({ ...base, layerDirs: [], skipReason });
    if (!base.handler) {
      out.push(skip('the handler is not a literal string'));
      continue;
    }
    let codeDir: string | undefined;
    if (typeof p.Code?.ZipFile === 'string') {
      // Inline code: Lambda writes it to index.py (Python runtimes).
      codeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-python-coldstart-inline-'));
      fs.writeFileSync(path.join(codeDir, 'index.py'), p.Code.ZipFile);
    } else {
      codeDir = stagedAssetDir(res, assemblyDir);
      if (!codeDir) {
        out.push(skip('no staged code directory (synthesize with asset metadata, the CDK CLI default, and with bundling for this stack)'));
        continue;
      }
    }
    const layerDirs: string[] = [];
    let layerProblem: string | undefined;
    for (const layerRef of Array.isArray(p.Layers) ? p.Layers : []) {
      const ref = layerRef?.Ref;
      const layer = typeof ref === 'string' ? resources[ref] : undefined;
      const dir = layer?.Type === 'AWS::Lambda::LayerVersion' ? stagedAssetDir(layer, assemblyDir) : undefined;
      if (!dir) {
        layerProblem = `layer ${typeof ref === 'string' ? ref : JSON.stringify(layerRef)} is not a staged asset of this stack `
          + '(external or imported layers cannot be profiled: their modules would be missing)';
        break;
      }
      layerDirs.push(dir);
    }
    if (layerProblem) {
      out.push(skip(layerProblem));
      continue;
    }
    out.push({ ...base, codeDir, layerDirs });
  }
  return out;
}

function stagedAssetDir(resource: any, assemblyDir: string): string | undefined {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath !== 'string') {
    return undefined;
  }
  for (const candidate of [path.resolve(assemblyDir, assetPath)]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isDirectory()) {
      return candidate;
    }
  }
  return undefined;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function indent(text: string): string {
  return text.split('\n').map((l) => `    ${l}`).join('\n');
}
