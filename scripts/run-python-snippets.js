#!/usr/bin/env node
/*
 * Runs every ```python block of README.md and docs/*.md, as jsii-rosetta compiles the TypeScript ones: a snippet
 * that fails here would fail for the reader who copies it.
 *
 *   node scripts/run-python-snippets.js [--only cdk|runtime] [file.md ...]     (npx projen docs:python)
 *
 * Two kinds of snippets, told apart by what they import (or by a `<!-- python-snippet: cdk|runtime|skip reason -->`
 * comment on the line before the fence):
 *   cdk      CDK app code (imports aws_cdk or cdk_python_coldstart): run in the body of a Stack's __init__ (as
 *            rosetta's fixture does for TypeScript; `self` is the stack) and synthesized, with
 *            dist-bindings/python/venv (npm run bindings:python). `stack` is `self` and `app` its scope, as the
 *            docs call them. The working folder has the handler folders the docs name (lambda/api, lambda/worker,
 *            handlers/worker) and `service`, a handler folder with a requirements file that needs no package.
 *   runtime  Lambda handler code: run with Python 3.12, the runtime kit (assets/runtime) and the stand-ins of
 *            test/docs/fixtures/python-runtime (boto3, psycopg, snapshot_restore_py) on sys.path; the functions
 *            named test_* that it defines are called.
 * `skip` needs a reason and is reported.
 */
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const venvPython = path.join(root, 'dist-bindings', 'python', 'venv', 'bin', 'python');
const runtimeFixtures = path.join(root, 'test', 'docs', 'fixtures', 'python-runtime');
const TIMEOUT_MS = 5 * 60_000;

/** The ```python blocks of a markdown text: { line (1-based, of the first code line), code, kind?, skip? }. */
function extractPythonSnippets(markdown) {
  const lines = markdown.split(/\r?\n/);
  const snippets = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(python|py)\s*$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length && !new RegExp(`^\\s*${fence[0]}{${fence.length},}\\s*$`).test(lines[j]); j++) {
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
    }
    let prev = i - 1;
    while (prev >= 0 && lines[prev].trim() === '') prev--;
    const directive = prev >= 0 ? /^\s*<!--\s*python-snippet:\s*(cdk|runtime|skip)\b\s*(.*?)\s*-->\s*$/.exec(lines[prev]) : null;
    const code = body.join('\n');
    snippets.push({
      line: i + 2,
      code,
      kind: directive && directive[1] !== 'skip' ? directive[1] : classify(code),
      skip: directive && directive[1] === 'skip' ? (directive[2] || '') : undefined,
    });
    i = j;
  }
  return snippets;
}

/** cdk when the snippet uses the CDK or this library's constructs, else runtime (handler code). */
function classify(code) {
  return /^\s*(from|import)\s+(aws_cdk|constructs|cdk_python_coldstart)(\s|\.|$)/m.test(code) || /\bself\b/.test(code) ? 'cdk' : 'runtime';
}

function indent(code, prefix) {
  return code.split('\n').map((l) => (l.trim() ? prefix + l : l)).join('\n');
}

/** The program that runs a cdk snippet: the snippet is the body of a Stack's constructor, then the app synthesizes. */
function cdkProgram(code, outdir) {
  return [
    'import os',
    'import aws_cdk as cdk',
    'from aws_cdk import Duration, Size, Stack, App, Aspects, AspectPriority',
    'from aws_cdk import aws_lambda as lambda_, aws_logs as logs, aws_events as events',
    'from aws_cdk import aws_applicationautoscaling as appscaling',
    'from constructs import Construct',
    'import cdk_python_coldstart as coldstart',
    '',
    `app = cdk.App(outdir=${JSON.stringify(outdir)})`,
    '',
    'class Fixture(cdk.Stack):',
    '    def __init__(self, scope, id):',
    '        super().__init__(scope, id)',
    '        stack = self',
    '        app = scope',
    indent(code, '        '),
    '        pass',
    '',
    'Fixture(app, "Snippet")',
    'app.synth()',
    '',
  ].join('\n');
}

/** The program that runs a runtime snippet as a module, then its test_* functions. */
function runtimeProgram(file) {
  return [
    'import runpy, sys',
    `ns = runpy.run_path(${JSON.stringify(file)}, run_name="snippet")`,
    'for name, fn in list(ns.items()):',
    '    if name.startswith("test_") and callable(fn):',
    '        fn()',
    '',
  ].join('\n');
}

function findPython312() {
  const r = spawnSync('bash', [path.join(root, 'scripts', 'find-python.sh'), '3.12'], { encoding: 'utf8', timeout: 60_000 });
  return r.stdout?.trim() || undefined;
}

/** Runs one snippet; returns { ok, output }. */
function runSnippet(snippet, { python312 = findPython312() } = {}) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'py-snippet-'));
  try {
    for (const h of ['lambda/api', 'lambda/worker', 'handlers/worker', 'service']) {
      fs.mkdirSync(path.join(work, h), { recursive: true });
      fs.writeFileSync(path.join(work, h, 'index.py'), 'def handler(event, context):\n    return {"ok": True}\n');
    }
    // A dependency spec whose install needs no package index.
    fs.writeFileSync(path.join(work, 'service', 'requirements.txt'), '# the reader\'s requirements\n');
    let argv;
    const env = { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20', PYTHONDONTWRITEBYTECODE: '1' };
    if (snippet.kind === 'cdk') {
      if (!fs.existsSync(venvPython)) return { ok: false, output: `no ${path.relative(root, venvPython)}: run npm run bindings:python first` };
      fs.writeFileSync(path.join(work, 'snippet_app.py'), cdkProgram(snippet.code, path.join(work, 'cdk.out')));
      argv = [venvPython, 'snippet_app.py'];
      env.AWS_REGION = env.AWS_REGION ?? 'us-east-1';
    } else {
      if (!python312) return { ok: false, output: 'no Python 3.12 found (set CDK_PYTHON_COLDSTART_PYTHON)' };
      fs.writeFileSync(path.join(work, 'snippet.py'), `${snippet.code}\n`);
      fs.writeFileSync(path.join(work, 'run_snippet.py'), runtimeProgram(path.join(work, 'snippet.py')));
      argv = [python312, 'run_snippet.py'];
      env.PYTHONPATH = [runtimeFixtures, path.join(root, 'assets', 'runtime')].join(path.delimiter);
      env.TABLE_NAME = 'table'; env.BUCKET = 'bucket'; env.DB_URL = 'postgresql://localhost/db';
      fs.writeFileSync(path.join(work, 'catalog.json'), '{}');
    }
    const r = spawnSync(argv[0], argv.slice(1), { cwd: work, env, encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`;
    return { ok: r.status === 0, output };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** README.md and docs/*.md (sorted). */
function documentationFiles() {
  const docs = path.join(root, 'docs');
  const files = [path.join(root, 'README.md')];
  if (fs.existsSync(docs)) files.push(...fs.readdirSync(docs).filter((f) => f.endsWith('.md')).sort().map((f) => path.join(docs, f)));
  return files.filter((f) => fs.existsSync(f));
}

module.exports = { extractPythonSnippets, classify, cdkProgram, runSnippet, documentationFiles };

if (require.main === module) {
  const args = process.argv.slice(2);
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args.splice(onlyAt, 2)[1] : undefined;
  const files = args.length ? args.map((a) => path.resolve(a)) : documentationFiles();
  const python312 = findPython312();
  let failed = 0;
  let passed = 0;
  let skipped = 0;
  for (const file of files) {
    for (const s of extractPythonSnippets(fs.readFileSync(file, 'utf8'))) {
      const where = `${path.relative(root, file)}:${s.line}`;
      if (only && s.kind !== only) continue;
      if (s.skip !== undefined) {
        if (!s.skip) { failed++; process.stdout.write(`FAIL ${where}: python-snippet: skip needs a reason\n`); continue; }
        skipped++; process.stdout.write(`SKIP ${where} (${s.skip})\n`); continue;
      }
      const t0 = Date.now();
      const r = runSnippet(s, { python312 });
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      if (r.ok) {
        passed++;
        process.stdout.write(`PASS ${where} (${s.kind}, ${secs}s)\n`);
      } else {
        failed++;
        const numbered = s.code.split('\n').map((l, k) => `  ${String(s.line + k).padStart(5)} | ${l}`).join('\n');
        const tail = r.output.split('\n').filter((l) => !/^b?'?!!/.test(l.trim())).slice(-25).join('\n');
        process.stdout.write(`FAIL ${where} (${s.kind}, ${secs}s)\n${numbered}\n  --- output ---\n${indent(tail, '  ')}\n`);
      }
    }
  }
  process.stdout.write(`python snippets: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  process.exitCode = failed ? 1 : 0;
}
