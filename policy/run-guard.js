#!/usr/bin/env node
/*
 * cdk-python-coldstart-guard: run the library's CloudFormation Guard rules (policy/coldstart.guard)
 * over CloudFormation templates: files, or folders such as cdk.out and integ snapshot folders.
 *
 *   node node_modules/cdk-python-coldstart/policy/run-guard.js cdk.out
 *   node policy/run-guard.js cdk.out integ/*.snapshot --exclude Legacy
 *
 * The cfn-guard binary comes from the npm package @cdklabs/cdk-validator-cfnguard (resolved from the
 * current directory first, then from this package), or from --guard / $CFN_GUARD_PATH.
 * Exit status: 0 every template passes, 1 a rule failed, 2 usage or tool error.
 * No shell is involved: cfn-guard runs through spawnSync with an argv array.
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const DEFAULT_RULES = path.join(__dirname, 'coldstart.guard');
const GUARD_PACKAGE = '@cdklabs/cdk-validator-cfnguard';
const TEMPLATE_SUFFIXES = ['.template.json', '.template.yaml', '.template.yml'];
// cfn-guard 3.x exit statuses: 0 all rules pass or skip, 19 at least one rule failed.
const GUARD_FAILURE_STATUS = 19;

class UsageError extends Error {}

const HELP = `Usage: run-guard.js [options] <template-file|folder>...

Runs cdk-python-coldstart's CloudFormation Guard rules on CloudFormation templates.
Folders (cdk.out, integ/*.snapshot) are searched recursively for *.template.json|yaml|yml
(asset.* folders and node_modules are skipped); files are taken as given.

Options:
  --rules <file|folder>  Guard rules to run (repeatable). Default: ${path.relative(process.cwd(), DEFAULT_RULES) || DEFAULT_RULES}
  --exclude <text>       skip templates whose path contains <text> (repeatable), e.g. a stack that
                         is non-compliant on purpose
  --guard <path>         cfn-guard binary. Default: $CFN_GUARD_PATH, else the binary shipped in
                         ${GUARD_PACKAGE} (resolved from the current directory)
  --json                 print a JSON report instead of text
  -h, --help             show this help

Exit status: 0 all templates pass, 1 a rule failed, 2 usage or tool error.
Suppress a finding on one resource with Metadata: {"guard": {"SuppressedRules": ["<RULE>"]}}.`;

function parseArgs(argv) {
  const opts = { rules: [], exclude: [], inputs: [], guard: undefined, json: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--') { opts.inputs.push(...argv.slice(i + 1)); break; }
    else if (a === '-h' || a === '--help') opts.help = true;
    else if (a === '--json') opts.json = true;
    else if (a === '--rules') opts.rules.push(value());
    else if (a === '--exclude') opts.exclude.push(value());
    else if (a === '--guard') opts.guard = value();
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else opts.inputs.push(a);
  }
  if (opts.rules.length === 0) opts.rules.push(DEFAULT_RULES);
  return opts;
}

/** The cfn-guard binary for this platform inside @cdklabs/cdk-validator-cfnguard. */
function findGuard(explicit) {
  const chosen = explicit || process.env.CFN_GUARD_PATH;
  if (chosen) {
    if (!fs.existsSync(chosen)) throw new UsageError(`cfn-guard not found at ${chosen}`);
    return chosen;
  }
  const platform = { linux: 'ubuntu', darwin: 'macos' }[os.platform()];
  const arch = { x64: 'x86_64', arm64: 'aarch64' }[os.arch()];
  if (!platform || !arch) {
    throw new UsageError(`${GUARD_PACKAGE} ships cfn-guard for linux and macOS on x64/arm64 only (this is ${os.platform()}/${os.arch()}); ` +
      'install cfn-guard 3.x yourself and pass --guard <path>');
  }
  let pkgJson;
  try {
    // The user's project first (they installed the package), then this library's own dependencies.
    pkgJson = require.resolve(`${GUARD_PACKAGE}/package.json`, { paths: [process.cwd(), __dirname] });
  } catch {
    throw new UsageError(`cannot find ${GUARD_PACKAGE}: npm install --save-dev ${GUARD_PACKAGE} (it ships the cfn-guard binary), or pass --guard <path>`);
  }
  const bin = path.join(path.dirname(pkgJson), 'bin', platform, arch, 'cfn-guard');
  if (!fs.existsSync(bin)) throw new UsageError(`${bin} does not exist: reinstall ${GUARD_PACKAGE} or pass --guard <path>`);
  return bin;
}

function isTemplateName(name) {
  return TEMPLATE_SUFFIXES.some(s => name.endsWith(s));
}

/** Template files from files and folders, sorted, without duplicates. */
function collectTemplates(inputs, exclude = []) {
  const found = new Set();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name.startsWith('asset.') || entry.name === 'node_modules' || entry.name === '.git') continue;
        walk(full);
      } else if (entry.isFile() && isTemplateName(entry.name)) {
        found.add(full);
      }
    }
  };
  for (const input of inputs) {
    let stat;
    try { stat = fs.statSync(input); } catch { throw new UsageError(`${input}: no such file or folder`); }
    if (stat.isDirectory()) walk(input);
    else found.add(input);
  }
  return [...found].filter(t => !exclude.some(x => t.includes(x))).sort();
}

/** Every custom message and resource path under a cfn-guard check tree. */
function collectFindings(rule, node, out) {
  if (Array.isArray(node)) { node.forEach(n => collectFindings(rule, n, out)); return; }
  if (!node || typeof node !== 'object') return;
  if (node.Disjunctions) {
    // `a or b`: cfn-guard attaches the << message >> to the last clause only; report one finding
    // with the first resource path and the first message of the group.
    const parts = [];
    collectFindings(rule, node.Disjunctions.checks, parts);
    if (parts.length > 0) {
      const located = parts.find(f => f.resource) || parts[0];
      const described = parts.find(f => f.message) || parts[0];
      out.push({ ...located, message: described.message, detail: located.detail });
    }
    return;
  }
  for (const kind of ['Binary', 'Unary']) {
    const clause = node[kind];
    if (clause && clause.messages) {
      const propertyPath = firstResourcePath(clause.check);
      const m = propertyPath && /^\/Resources\/([^/]+)/.exec(propertyPath);
      out.push({
        rule,
        resource: m ? m[1] : undefined,
        path: propertyPath,
        message: (clause.messages.custom_message || '').trim().split('\n').map(l => l.trim()).join('\n'),
        detail: clause.messages.error_message || undefined,
      });
      return;
    }
  }
  for (const value of Object.values(node)) collectFindings(rule, value, out);
}

function firstResourcePath(node) {
  if (Array.isArray(node)) {
    for (const n of node) { const p = firstResourcePath(n); if (p) return p; }
    return undefined;
  }
  if (!node || typeof node !== 'object') return undefined;
  if (typeof node.path === 'string' && node.path.startsWith('/Resources/')) return node.path;
  for (const value of Object.values(node)) { const p = firstResourcePath(value); if (p) return p; }
  return undefined;
}

function dedupe(findings) {
  const seen = new Set();
  return findings.filter(f => {
    const key = `${f.rule}\0${f.path}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Run cfn-guard once over all templates. Returns [{ template, status, findings, failedRules }].
 */
function runGuard({ guard, rules, templates }) {
  const argv = ['validate'];
  for (const r of rules) argv.push('--rules', r);
  for (const t of templates) argv.push('--data', t);
  argv.push('--output-format', 'json', '--structured', '--show-summary', 'none');
  const proc = spawnSync(guard, argv, { encoding: 'utf-8', maxBuffer: 512 * 1024 * 1024 });
  if (proc.error) throw new Error(`cannot run ${guard}: ${proc.error.message}`);
  if (proc.status !== 0 && proc.status !== GUARD_FAILURE_STATUS) {
    throw new Error(`cfn-guard exited with ${proc.status === null ? `signal ${proc.signal}` : `status ${proc.status}`}:\n${proc.stderr}${proc.stdout}`.trim());
  }
  let reports;
  try {
    reports = JSON.parse(proc.stdout);
  } catch {
    // cfn-guard reports some errors (bad options, unreadable data) on stdout with status 0.
    throw new Error(`cfn-guard did not produce a report:\n${proc.stderr}${proc.stdout}`.trim());
  }
  if (!Array.isArray(reports) || reports.length !== templates.length) {
    throw new Error(`cfn-guard returned ${Array.isArray(reports) ? reports.length : 'no'} reports for ${templates.length} templates:\n${proc.stderr}`.trim());
  }
  const byName = new Map(reports.map(r => [path.resolve(r.name), r]));
  return templates.map((template, i) => {
    const report = byName.get(path.resolve(template)) || reports[i];
    const findings = [];
    for (const nc of report.not_compliant || []) {
      const rule = nc.Rule ? nc.Rule.name : 'unknown';
      collectFindings(rule, nc.Rule ? nc.Rule.checks : nc, findings);
    }
    const failedRules = [...new Set((report.not_compliant || []).map(nc => (nc.Rule ? nc.Rule.name : 'unknown')))].sort();
    return { template, status: report.status, failedRules, findings: dedupe(findings) };
  });
}

function guardVersion(guard) {
  const proc = spawnSync(guard, ['--version'], { encoding: 'utf-8' });
  return (proc.stdout || '').trim() || 'cfn-guard (unknown version)';
}

function printText(results, { guard, rules }) {
  const out = [];
  out.push(`${guardVersion(guard)} | rules: ${rules.map(r => path.relative(process.cwd(), r) || r).join(', ')} | ${results.length} template(s)`);
  for (const r of results) {
    const shown = path.relative(process.cwd(), r.template) || r.template;
    out.push(`${r.status === 'FAIL' ? 'FAIL' : 'PASS'} ${shown}${r.status === 'SKIP' ? ' (no rule applies)' : ''}`);
    for (const f of r.findings) {
      out.push(`  ${f.rule}  ${f.resource ?? '(template)'}${f.path ? `  ${f.path}` : ''}`);
      for (const line of (f.message || f.detail || '').split('\n')) if (line) out.push(`    ${line}`);
    }
  }
  const failed = results.filter(r => r.status === 'FAIL');
  const findings = failed.reduce((n, r) => n + r.findings.length, 0);
  out.push(`cdk-python-coldstart guard: ${results.length - failed.length} passed, ${failed.length} failed` +
    (failed.length ? ` (${findings} finding(s); suppress one with Metadata.guard.SuppressedRules on the resource)` : ''));
  process.stdout.write(out.join('\n') + '\n');
}

function main(argv) {
  let opts;
  try {
    opts = parseArgs(argv);
    if (opts.help) { process.stdout.write(HELP + '\n'); return 0; }
    if (opts.inputs.length === 0) throw new UsageError('no templates given');
    const guard = findGuard(opts.guard);
    for (const r of opts.rules) if (!fs.existsSync(r)) throw new UsageError(`rules ${r}: no such file or folder`);
    const templates = collectTemplates(opts.inputs, opts.exclude);
    if (templates.length === 0) throw new UsageError(`no templates (*${TEMPLATE_SUFFIXES.join(', *')}) found in ${opts.inputs.join(', ')}`);
    const results = runGuard({ guard, rules: opts.rules, templates });
    if (opts.json) {
      process.stdout.write(JSON.stringify({ guard: guardVersion(guard), rules: opts.rules, templates: results }, null, 2) + '\n');
    } else {
      printText(results, { guard, rules: opts.rules });
    }
    return results.some(r => r.status === 'FAIL') ? 1 : 0;
  } catch (e) {
    process.stderr.write(`run-guard: ${e.message}\n`);
    if (e instanceof UsageError) process.stderr.write('run with --help for usage\n');
    return 2;
  }
}

module.exports = { parseArgs, findGuard, collectTemplates, runGuard, main, DEFAULT_RULES };

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
