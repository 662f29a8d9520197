#!/usr/bin/env node
/*
 * `npm run bindings:python`: a Python environment for this library's Python users and for CI.
 *
 * Builds dist-bindings/python/venv, a virtual environment in which
 *   python -c "import aws_cdk, cdk_python_coldstart"
 * works, from Python bindings generated here with `jsii-pacmak --code-only --target python`:
 *
 *   dist-bindings/python/gen/<package>/python/   one pacmak output per package (this library and its whole jsii
 *                                                dependency closure: aws-cdk-lib, constructs, and aws-cdk-lib's
 *                                                own jsii dependencies), each in its own --outdir (a shared one
 *                                                makes packages overwrite each other)
 *   dist-bindings/python/site/                   the generated `src` trees merged with symlinks (aws_cdk is split
 *                                                over several packages), on the venv's path through a .pth file
 *   dist-bindings/python/venv/                   the venv; pip installs only the jsii runtime and its dependencies
 *
 * A dependency's bindings are generated again only when its version (or jsii-pacmak's) changed; this library's
 * every time (a few seconds). aws-cdk-lib is most of the time (about 1-2 minutes and 2 GB of memory on 2 cores,
 * more on a loaded machine) and happens once.
 *
 * Environment:
 *   CDK_PYTHON_COLDSTART_BINDINGS_PYTHON   the Python that creates the venv (default: python3.12 as found by
 *                                          scripts/find-python.sh, else python3)
 *   CDK_PYTHON_COLDSTART_PYTHON_WHEELS     a folder of wheels for pip's --find-links, for machines whose index
 *                                          lacks the jsii runtime (default: ../shared/python-wheels next to the
 *                                          repository, when it exists). Everything else comes from pip's own
 *                                          configuration (index, mirrors, PIP_* variables).
 */
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'dist-bindings', 'python');
const genDir = path.join(out, 'gen');
const siteDir = path.join(out, 'site');
const venvDir = path.join(out, 'venv');
const MINUTE = 60_000;

function log(msg) {
  process.stdout.write(`[bindings:python] ${msg}\n`);
}

function fail(msg) {
  process.stderr.write(`[bindings:python] error: ${msg}\n`);
  process.exit(1);
}

/** Runs argv (never a shell string) with a timeout; fails the task with the command's output on error. */
function run(argv, { timeout = 10 * MINUTE, cwd = root, env = process.env, quiet = false } = {}) {
  const t0 = Date.now();
  const r = spawnSync(argv[0], argv.slice(1), { cwd, env, timeout, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.error || r.status !== 0) {
    const why = r.error?.code === 'ETIMEDOUT' ? `timed out after ${timeout / 1000}s` : r.error ? r.error.message : `exit ${r.status}`;
    fail(`${argv.join(' ')} failed (${why}):\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  }
  if (!quiet) log(`${path.basename(argv[0])} ${argv.slice(1, 3).join(' ')}... done in ${secs}s`);
  return r.stdout;
}

/** A jsii assembly, following the `jsii/file-redirect` (gzip) that large packages such as aws-cdk-lib use. */
function readAssembly(dir) {
  const file = path.join(dir, '.jsii');
  if (!fs.existsSync(file)) return undefined;
  const asm = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (asm.schema === 'jsii/file-redirect') {
    const target = fs.readFileSync(path.join(dir, asm.filename));
    return JSON.parse((asm.compression === 'gzip' ? zlib.gunzipSync(target) : target).toString('utf8'));
  }
  return asm;
}

/** The folder of an installed npm package, looked up like Node does from the repository root. */
function packageDir(name) {
  for (let dir = root; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', ...name.split('/'));
    if (fs.existsSync(path.join(candidate, 'package.json'))) return fs.realpathSync(candidate);
    if (path.dirname(dir) === dir) fail(`the npm package ${name} is not installed (run npm ci)`);
  }
}

function findPython() {
  if (process.env.CDK_PYTHON_COLDSTART_BINDINGS_PYTHON) return process.env.CDK_PYTHON_COLDSTART_BINDINGS_PYTHON;
  const r = spawnSync('bash', [path.join(root, 'scripts', 'find-python.sh'), '3.12'], { encoding: 'utf8', timeout: MINUTE });
  return r.stdout?.trim() || 'python3';
}

// --- 1. What to generate: this library and its jsii dependency closure --------------------------------------
const own = readAssembly(root);
if (!own) fail('no .jsii assembly in the repository root: compile first (npx projen compile, or npm run build)');
const newest = (dir) => fs.readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
  const p = path.join(dir, e.name);
  return Math.max(m, e.isDirectory() ? newest(p) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? fs.statSync(p).mtimeMs : 0);
}, 0);
if (newest(path.join(root, 'lib')) > fs.statSync(path.join(root, '.jsii')).mtimeMs) {
  log('warning: lib/ has sources newer than .jsii; the bindings reflect the last compile (npx projen compile)');
}
const pacmakVersion = require(path.join(packageDir('jsii-pacmak'), 'package.json')).version;
const closure = Object.keys(own.dependencyClosure ?? {}).sort().map((name) => {
  const dir = packageDir(name);
  const asm = readAssembly(dir);
  if (!asm) fail(`${name} (${dir}) has no jsii assembly`);
  return { name, dir, deps: Object.keys(asm.dependencies ?? {}), stamp: `${name}@${asm.version}` };
});
// Dependencies before their dependents, as pip installs them: where two packages ship the same file (aws-cdk-lib
// and @aws-cdk/cloud-assembly-schema both write aws_cdk/cloud_assembly_schema/__init__.py) the dependent's wins.
const packages = [];
const pending = [...closure];
while (pending.length) {
  const i = pending.findIndex((p) => p.deps.every((d) => packages.some((q) => q.name === d)));
  if (i < 0) fail(`cyclic jsii dependencies among ${pending.map((p) => p.name).join(', ')}`);
  packages.push(...pending.splice(i, 1));
}
// This library is generated every time (seconds): its bindings bundle the npm package of this checkout
// (lib/**/*.js, assets/), which changes without the .jsii assembly changing.
packages.push({ name: own.name, dir: root, stamp: undefined });

// --- 2. Generate each package's bindings into its own folder, unless they are current -----------------------
fs.mkdirSync(genDir, { recursive: true });
const pacmak = path.join(packageDir('jsii-pacmak'), 'bin', 'jsii-pacmak');
const srcDirs = [];
for (const pkg of packages) {
  const pkgOut = path.join(genDir, pkg.name.replace(/^@/, '').replace(/\//g, '__'));
  const stampFile = path.join(pkgOut, '.generated-from');
  const stamp = `${pkg.stamp} jsii-pacmak@${pacmakVersion}\n`;
  srcDirs.push(path.join(pkgOut, 'python', 'src'));
  if (pkg.stamp && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
    log(`${pkg.name}: bindings are current (${path.relative(root, pkgOut)})`);
    continue;
  }
  fs.rmSync(pkgOut, { recursive: true, force: true });
  log(`${pkg.name}: generating Python bindings${pkg.name === 'aws-cdk-lib' ? ' (the long one: a few minutes, ~2 GB of memory)' : ''}`);
  run([process.execPath, pacmak, pkg.dir, '--code-only', '--target', 'python', '--no-npmignore', '--outdir', pkgOut],
    { timeout: 30 * MINUTE, env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: process.env.JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION ?? '20' } });
  fs.writeFileSync(stampFile, stamp);
}

// --- 3. One site folder: the src trees merged (aws_cdk/ is shared by aws-cdk-lib and the @aws-cdk/* packages) --
fs.rmSync(siteDir, { recursive: true, force: true });
function merge(src, dest) {
  fs.mkdirSync(dest, { recursive: true });
  for (const e of fs.readdirSync(src, { withFileTypes: true })) {
    const from = path.join(src, e.name);
    const to = path.join(dest, e.name);
    const existing = fs.lstatSync(to, { throwIfNoEntry: false });
    if (!existing) {
      fs.symlinkSync(path.relative(dest, from), to);
    } else if (e.isDirectory() && existing.isSymbolicLink() && fs.statSync(to).isDirectory()) {
      // Two packages share this folder: replace the link by a real folder holding both packages' entries.
      const first = path.resolve(dest, fs.readlinkSync(to));
      fs.unlinkSync(to);
      merge(first, to);
      merge(from, to);
    } else if (e.isDirectory() && existing.isDirectory()) {
      merge(from, to);
    } else if (!e.isDirectory() && existing.isSymbolicLink()) {
      fs.unlinkSync(to); // the same file in two packages: the later (dependent) package's copy, as pip leaves it
      fs.symlinkSync(path.relative(dest, from), to);
    } else {
      fail(`${path.relative(root, from)} collides with ${path.relative(root, to)} (a file and a folder)`);
    }
  }
}
for (const dir of srcDirs) merge(dir, siteDir);

// --- 4. The venv: the jsii runtime from pip, the bindings through a .pth file ------------------------------
const python = findPython();
const venvPython = path.join(venvDir, process.platform === 'win32' ? 'Scripts' : 'bin', process.platform === 'win32' ? 'python.exe' : 'python');
if (!fs.existsSync(venvPython)) {
  run([python, '-m', 'venv', venvDir], { timeout: 5 * MINUTE });
}
// The runtime requirements of the generated packages, minus the generated packages themselves.
const generatedDists = new Set();
const requirements = new Set();
for (const dir of srcDirs) {
  const setup = fs.readFileSync(path.join(dir, '..', 'setup.py'), 'utf8');
  const kwargs = JSON.parse(/json\.loads\(\s*"""([\s\S]*?)"""\s*\)/.exec(setup)[1]);
  generatedDists.add(kwargs.name.toLowerCase());
  for (const r of kwargs.install_requires ?? []) requirements.add(r.replace(/\s+/g, ''));
}
const distName = (req) => req.split(/[<>=!~;[ ]/)[0].toLowerCase().replace(/_/g, '-');
const runtimeReqs = [...requirements].filter((r) => !generatedDists.has(distName(r))).sort();
const wheels = process.env.CDK_PYTHON_COLDSTART_PYTHON_WHEELS ?? path.resolve(root, '..', 'shared', 'python-wheels');
const findLinks = fs.existsSync(wheels) ? ['--find-links', wheels] : [];
if (process.env.CDK_PYTHON_COLDSTART_PYTHON_WHEELS && !findLinks.length) {
  fail(`CDK_PYTHON_COLDSTART_PYTHON_WHEELS=${wheels} does not exist`);
}
log(`pip install ${runtimeReqs.join(' ')}${findLinks.length ? ` (also from ${wheels})` : ''}`);
run([venvPython, '-m', 'pip', 'install', '--quiet', ...findLinks, ...runtimeReqs], { timeout: 10 * MINUTE });

const purelib = run([venvPython, '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], { quiet: true }).trim();
fs.writeFileSync(path.join(purelib, 'cdk-python-coldstart-bindings.pth'), `${path.relative(purelib, siteDir)}\n`);

// --- 5. Prove it (the first import also unpacks the bundled npm tarballs into jsii's cache) -------------------
const check = run([venvPython, '-c', 'import aws_cdk, cdk_python_coldstart; print(aws_cdk.__file__); print(cdk_python_coldstart.__file__)'],
  { timeout: 10 * MINUTE, env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' } });
log(`import aws_cdk, cdk_python_coldstart: ok\n${check.trim().split('\n').map((l) => `  ${path.relative(root, l)}`).join('\n')}`);
log(`ready: ${path.relative(root, venvPython)}`);
