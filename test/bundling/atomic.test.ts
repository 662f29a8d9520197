import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildWheels, checkPycs, hermeticPipEnv, listFiles, PY312, REPO, tmpdir, writeEntry } from './helpers';
import { PythonDependenciesLayer, PythonHandlerCode } from '../../lib/bundling';
import { dockerCommand, LocalPythonBundler, resolveBundling, Step } from '../../lib/bundling/bundler';

const WHEELS = buildWheels();
const REQS = 'purepkg==1.0.0\nplatpkg==2.0.0\n';
const SYNTH = path.join(REPO, 'test', 'fixtures', 'bundling', 'synth-layer.ts');
const TS_NODE = path.join(REPO, 'node_modules', '.bin', 'ts-node-transpile-only');

/**
 * A python3.12 that lingers after `pip install` (the tree is installed but not yet optimized: no
 * .pyc at all), widening the window in which another synth or a kill -9 hits a half-built bundle.
 */
function slowPython(seconds: number): string {
  const file = path.join(tmpdir('cpc-slowpy-'), 'python3.12');
  fs.writeFileSync(file, `#!/bin/sh\ncase "$*" in\n  *"-m pip install"*) "${PY312}" "$@"; rc=$?; sleep ${seconds}; exit $rc;;\n  *) exec "${PY312}" "$@";;\nesac\n`, { mode: 0o755 });
  return file;
}

interface SynthResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function startSynth(outdir: string, entry: string, python: string): { child: ChildProcess; done: Promise<SynthResult> } {
  const child = spawn(TS_NODE, ['--project', path.join(REPO, 'test', 'tsconfig.json'), SYNTH, outdir, entry, WHEELS, python], {
    cwd: REPO,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const done = new Promise<SynthResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

/** The complete bundle, built alone in its own cloud assembly. */
function referenceBundle(entry: string): { hash: string; files: string[]; pycs: number } {
  const app = new App({ outdir: tmpdir('cpc-ref-') });
  const layer = new PythonDependenciesLayer(new Stack(app, 'S'), 'Deps', { entry, pythonExecutable: PY312, environment: hermeticPipEnv(WHEELS) });
  const dir = path.join(app.outdir, `asset.${layer.assetHash}`);
  return { hash: layer.assetHash, files: listFiles(dir), pycs: checkPycs(dir).count };
}

function leftovers(outdir: string): string[] {
  return fs.readdirSync(outdir).filter((n) => n.endsWith('-building') || n.startsWith('.cpc-'));
}

const entry = writeEntry(tmpdir(), { 'requirements.txt': REQS });
const reference = referenceBundle(entry);

test('three synths in parallel into one cdk.out: all succeed, one bundles, the others wait; the bundle is complete', async () => {
  const outdir = tmpdir('cpc-shared-out-');
  const python = slowPython(2);
  const runs = [0, 1, 2].map(() => startSynth(outdir, entry, python));
  const results = await Promise.all(runs.map((r) => r.done));
  for (const r of results) {
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toContain(`HASH ${reference.hash}`);
  }
  // Exactly one process ran CDK's bundling; the others found the finished bundle after waiting.
  expect(results.filter((r) => r.stderr.includes('Bundling asset S/Deps/Code/Stage')).length).toBe(1);
  expect(results.filter((r) => r.stderr.includes('another synth is bundling the same asset')).length).toBe(2);
  const staged = path.join(outdir, `asset.${reference.hash}`);
  expect(listFiles(staged)).toEqual(reference.files);
  expect(checkPycs(staged)).toEqual({ count: reference.pycs, bad: [] });
  expect(leftovers(outdir)).toEqual([]);
}, 180_000);

test('kill -9 mid-bundling: nothing appears at the final path; the next synth rebuilds a complete bundle', async () => {
  const outdir = tmpdir('cpc-killed-out-');
  const { child, done } = startSynth(outdir, entry, slowPython(30));
  // Wait until pip has installed the tree (not yet optimized), then kill the whole process group.
  const deadline = Date.now() + 60_000;
  // (wherever the build happens: CDK's `-building` folder or a private one)
  const installed = () => fs.readdirSync(outdir).some((n) => (n.startsWith('.cpc-build-') || n.endsWith('-building')) && fs.existsSync(path.join(outdir, n, 'python', 'purepkg', '__init__.py')));
  while (!fs.existsSync(outdir) || !installed()) {
    if (Date.now() > deadline) throw new Error('bundling did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  process.kill(-child.pid!, 'SIGKILL');
  await done;
  const final = path.join(outdir, `asset.${reference.hash}`);
  expect(fs.existsSync(final)).toBe(false);
  // The dead synth's lock is still there: the next synth must take it over, not wait for it.
  expect(fs.readdirSync(outdir).filter((n) => n.startsWith('.cpc-lock-'))).toHaveLength(1);

  // The next synth (in this process) takes over the dead synth's lock and rebuilds from scratch.
  const app = new App({ outdir });
  const layer = new PythonDependenciesLayer(new Stack(app, 'S'), 'Deps', { entry, pythonExecutable: PY312, environment: hermeticPipEnv(WHEELS) });
  expect(layer.assetHash).toBe(reference.hash);
  expect(listFiles(final)).toEqual(reference.files);
  expect(checkPycs(final)).toEqual({ count: reference.pycs, bad: [] });
  expect(leftovers(outdir)).toEqual([]);
}, 180_000);

test('a fleet: 30 functions on one handler entry in one stack are bundled once, the lock costs nothing visible', () => {
  const handlerEntry = writeEntry(tmpdir(), { 'app.py': 'def handler(e, c):\n    return 1\n' });
  const app = new App({ outdir: tmpdir('cpc-fleet-') });
  const stack = new Stack(app, 'S');
  const before = LocalPythonBundler.runs;
  const started = Date.now();
  for (let i = 0; i < 30; i++) {
    new lambda.Function(stack, `F${i}`, { runtime: lambda.Runtime.PYTHON_3_12, handler: 'app.handler', code: PythonHandlerCode.fromEntry(handlerEntry, { pythonExecutable: PY312 }) });
  }
  const elapsed = Date.now() - started;
  expect(LocalPythonBundler.runs - before).toBe(1);
  expect(fs.readdirSync(app.outdir).filter((n) => n.startsWith('asset.'))).toHaveLength(1);
  expect(leftovers(app.outdir)).toEqual([]);
  process.stdout.write(`fleet of 30 handler codes: ${elapsed} ms\n`);
});

describe('every external step is bounded', () => {
  test('a local step that hangs is stopped after bundlingTimeout, naming the step and how to raise it', () => {
    const hang = path.join(tmpdir('cpc-hangpy-'), 'python3.12');
    fs.writeFileSync(hang, `#!/bin/sh\ncase "$*" in\n  *"-m pip install"*) exec sleep 60;;\n  *) exec "${PY312}" "$@";;\nesac\n`, { mode: 0o755 });
    const e2 = writeEntry(tmpdir(), { 'requirements.txt': REQS });
    const started = Date.now();
    const outdir = tmpdir('cpc-out-');
    expect(() => new PythonDependenciesLayer(new Stack(new App({ outdir }), 'S'), 'Deps', {
      entry: e2, pythonExecutable: hang, environment: hermeticPipEnv(WHEELS), bundlingTimeout: Duration.seconds(2),
    })).toThrow(/bundlingTimeout: pip install did not finish within 2 seconds and was stopped[\s\S]*Fix: .*raise 'bundlingTimeout'/);
    expect(Date.now() - started).toBeLessThan(20_000);
    // A failed synth releases its lock and leaves no private build folder (CDK keeps its own `-building` for inspection).
    expect(fs.readdirSync(outdir).filter((n) => n.startsWith('.cpc-'))).toEqual([]);
  });

  test('the timeout is not part of the asset hash', () => {
    const e2 = writeEntry(tmpdir(), { 'requirements.txt': REQS });
    const hashOf = (t?: Duration) => new PythonDependenciesLayer(new Stack(new App({ outdir: tmpdir('cpc-out-'), context: { 'aws:cdk:bundling-stacks': [] } }), 'S'), 'Deps', {
      entry: e2, pythonExecutable: PY312, environment: hermeticPipEnv(WHEELS), bundlingTimeout: t,
    }).assetHash;
    expect(hashOf(Duration.minutes(30))).toBe(hashOf());
  });

  test('an absurd bundlingTimeout fails at synth', () => {
    expect(() => resolveBundling('L', { bundlingTimeout: Duration.millis(10) })).toThrow(/bundlingTimeout: 10 millis is shorter than a second/);
  });

  test('Docker: each step runs under coreutils timeout and the script names the step that timed out', () => {
    const r = resolveBundling('L', { bundlingTimeout: Duration.seconds(1) });
    const steps: Step[] = [
      { description: 'quick step', argv: ['true'] },
      { description: 'hanging step', argv: ['sleep', '30'] },
    ];
    const [bash, flag, script] = dockerCommand(steps, r);
    const started = Date.now();
    // Run the exact script with bash here (DOCKER_PATHS.tmp is created by the script).
    const res = spawnSync(bash, [flag, script.replace("mkdir -p '/tmp/cdk-python-coldstart'", 'true')], {
      encoding: 'utf8', env: { PATH: process.env.PATH ?? '', CDK_PYTHON_COLDSTART_STEP_TIMEOUT: '1' },
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(res.status).toBe(124);
    expect(res.stderr).toContain("bundling step 'hanging step' did not finish within 1 seconds and was stopped. Raise the 'bundlingTimeout' bundling option");
  });
});
