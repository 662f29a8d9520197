import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildWheels, checkPycs, hermeticPipEnv, listFiles, PY312, runIsolated, tmpdir, writeEntry } from './helpers';
import { PythonDependenciesLayer, PythonDependenciesLayerProps } from '../../lib/bundling';
import { LocalPythonBundler } from '../../lib/bundling/bundler';

const WHEELS = buildWheels();
const ENV = hermeticPipEnv(WHEELS);
const REQS = 'purepkg==1.0.0\nplatpkg==2.0.0\n';

function synthLayer(props: Partial<PythonDependenciesLayerProps> & { entry: string }, opts: { outdir?: string; bundle?: boolean } = {}) {
  const app = new App({
    outdir: opts.outdir ?? tmpdir('cpc-out-'),
    context: opts.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {},
  });
  const stack = new Stack(app, 'S');
  const layer = new PythonDependenciesLayer(stack, 'Deps', { pythonExecutable: PY312, environment: ENV, ...props });
  return { app, stack, layer };
}

function stagedDir(app: App, layer: PythonDependenciesLayer): string {
  return path.join(app.outdir, `asset.${layer.assetHash}`);
}

describe('arm64 layer (one shared synth)', () => {
  const entry = writeEntry(tmpdir(), { 'requirements.txt': REQS });
  const { app, stack, layer } = synthLayer({ entry });
  const staged = stagedDir(app, layer);

  test('is a LayerVersion for python3.12 on arm64', () => {
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::LayerVersion', {
      CompatibleRuntimes: ['python3.12'],
      CompatibleArchitectures: ['arm64'],
      Content: { S3Key: Match.stringLikeRegexp(`${layer.assetHash}\\.zip$`) },
    });
    expect(layer.runtime).toBe(lambda.Runtime.PYTHON_3_12);
    expect(layer.architecture).toBe(lambda.Architecture.ARM_64);
  });

  test('content is under python/ with the aarch64 wheel of the aarch64/x86_64 pair', () => {
    const files = listFiles(staged);
    expect(files.every((f) => f.startsWith('python/'))).toBe(true);
    expect(files).toContain('python/platpkg/_native_aarch64.txt');
    expect(files).not.toContain('python/platpkg/_native_x86_64.txt');
  });

  test('every .pyc has CPython 3.12 magic and the unchecked-hash flag', () => {
    const pycs = checkPycs(staged);
    expect(pycs.count).toBeGreaterThanOrEqual(4);
    expect(pycs.bad).toEqual([]);
  });

  test('importlib.metadata and imports work from the extracted layer', () => {
    const r = runIsolated(path.join(staged, 'python'), 'import importlib.metadata as m, platpkg, purepkg.docs; print(m.version("purepkg"), m.version("platpkg"), platpkg.ARCH)');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('1.0.0 2.0.0 aarch64');
  });

  test('size report is measured from the staged folder and printed as info', () => {
    expect(layer.sizeReport).toBeDefined();
    const report = layer.sizeReport!;
    expect(report.fileCount).toBe(listFiles(staged).length);
    expect(report.unzippedBytes).toBe(listFiles(staged).reduce((s, f) => s + fs.statSync(path.join(staged, f)).size, 0));
    expect(report.largestPackages.map((p) => p.name).sort()).toEqual(['platpkg', 'purepkg']);
    Annotations.fromStack(stack).hasInfo('/S/Deps', Match.stringLikeRegexp('Dependencies layer: .* MB unzipped, \\d+ files \\(python3.12, arm64\\). Largest: purepkg'));
  });
});

test('x86_64 gets the x86_64 wheel and another hash', () => {
  const entry = writeEntry(tmpdir(), { 'requirements.txt': REQS });
  const arm = synthLayer({ entry }, { bundle: false }).layer;
  const { app, stack, layer } = synthLayer({ entry, architecture: lambda.Architecture.X86_64 });
  expect(listFiles(stagedDir(app, layer))).toContain('python/platpkg/_native_x86_64.txt');
  expect(layer.assetHash).not.toBe(arm.assetHash);
  Template.fromStack(stack).hasResourceProperties('AWS::Lambda::LayerVersion', { CompatibleArchitectures: ['x86_64'] });
});

describe('asset hash', () => {
  const entry = writeEntry(tmpdir(), { 'requirements.txt': REQS });
  const hash = (props: Partial<PythonDependenciesLayerProps> = {}, e = entry) =>
    synthLayer({ entry: e, ...props }, { bundle: false }).layer.assetHash;
  const base = hash();

  test('a stack that is not bundled has no size report (nothing was measured)', () => {
    const { layer } = synthLayer({ entry }, { bundle: false });
    expect(layer.sizeReport).toBeUndefined();
    expect(layer.assetHash).toBe(base);
  });

  test('two synths give the same hash', () => {
    expect(hash()).toBe(base);
    // also from another folder with the same dependency set
    expect(hash({}, writeEntry(tmpdir(), { 'requirements.txt': REQS }))).toBe(base);
  });

  test.each<[string, Partial<PythonDependenciesLayerProps>]>([
    ['architecture', { architecture: lambda.Architecture.X86_64 }],
    ['runtime', { runtime: lambda.Runtime.PYTHON_3_13 }],
    ['sourceless', { optimization: { sourceless: true } }],
    ['stripDebugSymbols', { optimization: { stripDebugSymbols: true } }],
    ['removeTestSuites', { optimization: { removeTestSuites: true } }],
    ['excludePackages', { optimization: { excludePackages: ['boto3'] } }],
    ['environment', { environment: { ...ENV, PIP_PRE: '1' } }],
  ])('changing %s changes the hash', (_, props) => {
    expect(hash(props)).not.toBe(base);
  });

  test('changing the requirements or the lock file changes the hash', () => {
    expect(hash({}, writeEntry(tmpdir(), { 'requirements.txt': 'purepkg==1.0.0\n' }))).not.toBe(base);
    const uv1 = writeEntry(tmpdir(), { 'uv.lock': 'version = 1\n', 'pyproject.toml': '[project]\nname="a"\n' });
    const uv2 = writeEntry(tmpdir(), { 'uv.lock': 'version = 1\n# changed\n', 'pyproject.toml': '[project]\nname="a"\n' });
    expect(hash({}, uv1)).not.toBe(hash({}, uv2));
    // files included with -r / -c count too
    const inc = writeEntry(tmpdir(), { 'requirements.txt': '-r base.txt\n-c constraints/c.txt\n', 'base.txt': REQS, 'constraints/c.txt': '' });
    const h1 = hash({}, inc);
    fs.writeFileSync(path.join(inc, 'constraints/c.txt'), 'purepkg<2\n');
    const h2 = hash({}, inc);
    fs.writeFileSync(path.join(inc, 'base.txt'), 'purepkg==1.0.0\n');
    expect(new Set([h1, h2, hash({}, inc)]).size).toBe(3);
  });

  test('PIP_* variables of the synthesizing machine do not change the hash', () => {
    process.env.PIP_INDEX_URL = 'https://user:secret@pypi.example.com/simple';
    try {
      expect(hash()).toBe(base);
    } finally {
      delete process.env.PIP_INDEX_URL;
    }
  });
});

test('the same dependency set in one app is bundled once', () => {
  const entry = writeEntry(tmpdir(), { 'requirements.txt': REQS });
  const app = new App({ outdir: tmpdir('cpc-out-') });
  const before = LocalPythonBundler.runs;
  const layers = ['A', 'B', 'C'].map((s) => new PythonDependenciesLayer(new Stack(app, s), 'Deps', { entry, pythonExecutable: PY312, environment: ENV }));
  expect(LocalPythonBundler.runs - before).toBe(1);
  expect(new Set(layers.map((l) => l.assetHash)).size).toBe(1);
  expect(layers.every((l) => l.sizeReport?.fileCount === layers[0].sizeReport?.fileCount)).toBe(true);
});

test('paths with spaces and shell metacharacters are safe', () => {
  const base = tmpdir();
  const weird = path.join(base, 'my deps $(touch pwned) `touch pwned2` \'q" ;touch pwned3');
  const entry = writeEntry(weird, { 'requirements.txt': REQS });
  const outdir = path.join(base, 'out dir $(touch pwned4)');
  const cwdBefore = fs.readdirSync(process.cwd());
  const { app, layer } = synthLayer({ entry }, { outdir });
  expect(listFiles(stagedDir(app, layer))).toContain('python/platpkg/__init__.py');
  const stray = (d: string) => fs.readdirSync(d).filter((f) => f.startsWith('pwned'));
  expect([...stray(base), ...stray(weird), ...stray(outdir)]).toEqual([]);
  expect(fs.readdirSync(process.cwd())).toEqual(cwdBefore);
});

describe('errors for people', () => {
  test('no dependency spec', () => {
    expect(() => synthLayer({ entry: tmpdir() }, { bundle: false })).toThrow(/no dependency specification .*requirements.txt, uv.lock, poetry.lock, Pipfile.lock.*dependencyFile/);
  });

  test('explicit dependencyFile outside the entry or missing', () => {
    const entry = writeEntry(tmpdir(), { 'requirements.txt': REQS });
    expect(() => synthLayer({ entry, dependencyFile: '../x.txt' }, { bundle: false })).toThrow(/must be inside entry/);
    expect(() => synthLayer({ entry, dependencyFile: 'nope.txt' }, { bundle: false })).toThrow(/dependencyFile 'nope.txt' does not exist/);
  });

  test('explicit dependencyFile is used instead of detection', () => {
    const entry = writeEntry(tmpdir(), { 'requirements.txt': 'doesnotexist==1\n', 'deps/prod.txt': 'purepkg==1.0.0\n' });
    const { app, layer } = synthLayer({ entry, dependencyFile: 'deps/prod.txt' });
    expect(listFiles(stagedDir(app, layer))).toContain('python/purepkg/__init__.py');
  });

  test('non-Python runtime', () => {
    const entry = writeEntry(tmpdir(), { 'requirements.txt': REQS });
    expect(() => synthLayer({ entry, runtime: lambda.Runtime.NODEJS_20_X }, { bundle: false })).toThrow(/nodejs20.x is not a Python runtime.*'runtime'/);
  });

  test('a pythonExecutable that does not exist or has the wrong version', () => {
    const entry = writeEntry(tmpdir(), { 'requirements.txt': REQS });
    expect(() => synthLayer({ entry, pythonExecutable: '/nonexistent/python3.12' })).toThrow(/pythonExecutable '\/nonexistent\/python3.12' cannot be run/);
    expect(() => synthLayer({ entry, pythonExecutable: PY312, runtime: lambda.Runtime.PYTHON_3_11 })).toThrow(/is Python 3.12, but the runtime needs Python 3.11.*magic number/);
  });

  test('no local Python and no Docker: says what to install', () => {
    const entry = writeEntry(tmpdir(), { 'requirements.txt': REQS });
    // PYENV_ROOT: discovery also looks in pyenv's versions folder, which has a 3.12 on this machine.
    withEnv({ PATH: tmpdir(), CDK_DOCKER: '/nonexistent/docker', CDK_PYTHON_COLDSTART_PYTHON: undefined, PYENV_ROOT: tmpdir() }, () => {
      expect(() => synthLayer({ entry, pythonExecutable: undefined })).toThrow(/python3.12 is not on PATH.*no Docker engine.*Install Python 3.12 .*or install and start Docker/s);
    });
  });

  test('a lock file without its tool and no Docker names the tool', () => {
    const entry = writeEntry(tmpdir(), { 'uv.lock': 'version = 1\n', 'pyproject.toml': '[project]\nname = "a"\n' });
    withEnv({ PATH: tmpdir(), CDK_DOCKER: '/nonexistent/docker' }, () => {
      expect(() => synthLayer({ entry })).toThrow(/uv is not on PATH.*Install uv/s);
    });
  });

  test('a failing pip (unknown requirement)', () => {
    const entry = writeEntry(tmpdir(), { 'requirements.txt': 'doesnotexist==1.0\n' });
    expect(() => synthLayer({ entry })).toThrow(/pip install failed[\s\S]*No matching distribution found for doesnotexist==1.0[\s\S]*--only-binary=:all:/);
  });

  test('above the budget: warning; above 250 MB: error before deployment', () => {
    const entry = writeEntry(tmpdir(), { 'requirements.txt': REQS });
    const { stack } = synthLayer({ entry, sizeBudgetMb: 0.001 });
    Annotations.fromStack(stack).hasWarning('/S/Deps', Match.stringLikeRegexp('above the 0.001 MB budget \\(sizeBudgetMb\\)'));

    // A staged folder that already exists (previous synth) is measured too: make it 260 MB (sparse).
    const outdir = tmpdir('cpc-out-');
    const first = synthLayer({ entry }, { outdir });
    const big = path.join(stagedDir(first.app, first.layer), 'python', 'big.bin');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 260 * 1024 * 1024);
    const before = LocalPythonBundler.runs;
    expect(() => synthLayer({ entry }, { outdir })).toThrow(/2\d\d\.\d MB unzipped .*above Lambda's 250 MB limit.*excludePackages/);
    expect(LocalPythonBundler.runs).toBe(before);
  });

  test('excludePackages warns about version skew', () => {
    const entry = writeEntry(tmpdir(), { 'requirements.txt': REQS });
    const { stack } = synthLayer({ entry, optimization: { excludePackages: ['boto3', 'botocore'] } }, { bundle: false });
    Annotations.fromStack(stack).hasWarning('/S/Deps', Match.stringLikeRegexp('Excluded from the layer: boto3, botocore.*version skew'));
  });
});

function withEnv(vars: Record<string, string | undefined>, fn: () => void) {
  const saved: Record<string, string | undefined> = {};
  for (const k of Object.keys(vars)) {
    saved[k] = process.env[k];
    if (vars[k] === undefined) delete process.env[k]; else process.env[k] = vars[k];
  }
  try {
    fn();
  } finally {
    for (const k of Object.keys(saved)) {
      if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
    }
  }
}
