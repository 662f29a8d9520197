import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildWheels, hermeticPipEnv, listFiles, PY312, REPO, tmpdir, writeEntry } from './helpers';
import { elfHeader, localPackage } from './supply-helpers';
import { PythonDependenciesLayer, PythonDependenciesLayerProps, PythonHandlerCode } from '../../lib/bundling';
import { dependencySteps, resolveBundling } from '../../lib/bundling/bundler';
import { detectDependencySpec } from '../../lib/bundling/spec';
import { scanRequirements } from '../../lib/bundling/supply-chain';
import { OptimizedPythonFunction } from '../../lib/function';

const SUPPLY_CHAIN = path.join(REPO, 'assets', 'bundling', 'supply_chain.py');
const WHEELS = buildWheels();
{
  const r = spawnSync(PY312, [path.join(REPO, 'test', 'fixtures', 'bundling', 'make_supply_fixtures.py'), WHEELS], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}
const ENV = hermeticPipEnv(WHEELS);

function synthLayer(props: Partial<PythonDependenciesLayerProps> & { entry: string }, opts: { bundle?: boolean; outdir?: string } = {}) {
  const app = new App({ outdir: opts.outdir ?? tmpdir('cpc-out-'), context: opts.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {} });
  const stack = new Stack(app, 'S');
  const layer = new PythonDependenciesLayer(stack, 'Deps', { pythonExecutable: PY312, environment: ENV, ...props });
  return { app, stack, layer };
}
const staged = (app: App, layer: PythonDependenciesLayer) => path.join(app.outdir, `asset.${layer.assetHash}`);

describe('native files must match the target', () => {
  test.each([
    ['arm64', lambda.Architecture.ARM_64, 'aarch64'],
    ['x86_64', lambda.Architecture.X86_64, 'x86_64'],
  ])('the %s wheel of natpkg passes the %s verification (its .so is checked)', (_, architecture, machine) => {
    const { app, layer } = synthLayer({ entry: writeEntry(tmpdir(), { 'requirements.txt': 'natpkg==1.0.0\n' }), architecture });
    expect(listFiles(staged(app, layer))).toContain(`python/natpkg/_core.cpython-312-${machine}-linux-gnu.so`);
  });

  test('a wheel tagged aarch64 whose .so is x86-64 fails the arm64 layer, naming the package and the file', () => {
    const entry = writeEntry(tmpdir(), { 'requirements.txt': 'purepkg==1.0.0\nliarpkg==1.0.0\n' });
    expect(() => synthLayer({ entry })).toThrow(/liarpkg 1\.0\.0: liarpkg\/_core\.cpython-312-aarch64-linux-gnu\.so is an ELF object for machine x86-64, but the layer is for arm64/);
  });

  test('a pure-Python (py3-none-any) wheel that ships an x86-64 .so fails, with the AWS documentation link', () => {
    const entry = writeEntry(tmpdir(), { 'requirements.txt': 'purelie==1.0.0\n' });
    expect(() => synthLayer({ entry })).toThrow(/purelie 1\.0\.0: purelie\/_speedups\.so[\s\S]*docs\.aws\.amazon\.com\/lambda\/latest\/dg\/python-package\.html/);
  });

  test('your own local package that builds an x86-64 .so for an arm64 layer fails, and says it was built locally', () => {
    const root = tmpdir();
    localPackage(path.join(root, 'common'), 'common', elfHeader(62));
    const entry = writeEntry(path.join(root, 'svc'), { 'requirements.txt': '../common\npurepkg==1.0.0\n' });
    expect(() => synthLayer({ entry })).toThrow(/common 0\.1 \(built from your local source on this machine\): common\/_native\.so is an ELF object for machine x86-64/);
  });

  test('your own pure local packages are built, installed and announced once at synth', () => {
    const root = tmpdir();
    localPackage(path.join(root, 'common'), 'common');
    localPackage(path.join(root, 'svc', 'pkg'), 'svcpkg');
    const entry = writeEntry(path.join(root, 'svc'), { 'requirements.txt': '../common\n-e ./pkg\npurepkg==1.0.0\n' });
    const { app, stack, layer } = synthLayer({ entry });
    const files = listFiles(staged(app, layer));
    expect(files).toEqual(expect.arrayContaining(['python/common/__init__.py', 'python/purepkg/__init__.py']));
    const infos = Annotations.fromStack(stack).findInfo('/S/Deps', Match.stringLikeRegexp('Built from source at synth'));
    expect(infos).toHaveLength(1);
    expect(infos[0].entry.data).toMatch(/your own local packages.*: common \(\.\.\/common\), svcpkg \(pkg\)\./);
    // nothing is announced for wheels only
    const plain = synthLayer({ entry: writeEntry(tmpdir(), { 'requirements.txt': 'purepkg==1.0.0\n' }) }, { bundle: false });
    expect(Annotations.fromStack(plain.stack).findInfo('/S/Deps', Match.stringLikeRegexp('Built from source'))).toHaveLength(0);
  });

  test('the verifier reads wheel tags (Python, ABI, platform) and ELF class, not only the machine', () => {
    const verify = (tag: string, so: Buffer | undefined, machine = 'aarch64') => {
      const target = tmpdir();
      writeEntry(target, { 'x-1.0.dist-info/METADATA': 'Name: x\nVersion: 1.0\n', 'x-1.0.dist-info/WHEEL': `Wheel-Version: 1.0\nTag: ${tag}\n`, 'x-1.0.dist-info/RECORD': 'x/_m.so,,\n' });
      if (so) writeEntry(target, { 'x/_m.so': '' }) && fs.writeFileSync(path.join(target, 'x/_m.so'), so);
      return spawnSync(PY312, [SUPPLY_CHAIN, 'verify', '--target', target, '--machine', machine, '--python-version', '3.12'], { encoding: 'utf8' });
    };
    expect(verify('cp312-cp312-manylinux_2_17_aarch64.manylinux2014_aarch64', elfHeader(183)).status).toBe(0);
    expect(verify('cp38-abi3-manylinux_2_28_aarch64', elfHeader(183)).status).toBe(0);
    expect(verify('py3-none-any', undefined).status).toBe(0);
    const cp311 = verify('cp311-cp311-manylinux_2_28_aarch64', elfHeader(183));
    expect(cp311.status).toBe(1);
    expect(cp311.stderr).toMatch(/x 1\.0: wheel tag cp311-cp311-manylinux_2_28_aarch64 does not fit CPython 3\.12 on Linux aarch64/);
    expect(verify('cp312-cp312-manylinux_2_34_aarch64', elfHeader(183)).stderr).toMatch(/up to glibc 2\.28/);
    expect(verify('cp312-cp312-macosx_11_0_arm64', elfHeader(183)).status).toBe(1);
    expect(verify('cp312-cp312-manylinux_2_28_x86_64', elfHeader(62)).stderr).toMatch(/does not fit/);
    const elf32 = verify('cp312-cp312-manylinux_2_28_aarch64', elfHeader(183, 1));
    expect(elf32.stderr).toMatch(/x 1\.0: x\/_m\.so is an ELF object for 32-bit \(ELFCLASS32\)/);
    expect(verify('cp312-cp312-manylinux_2_28_x86_64', elfHeader(62), 'x86_64').status).toBe(0);
  });

  test('an editable install that links to the build machine\'s folder fails', () => {
    const target = writeEntry(tmpdir(), { '__editable__.svc-0.1.pth': '/home/dev/svc/src\n', 'ok.pth': 'relative/dir\n' });
    const r = spawnSync(PY312, [SUPPLY_CHAIN, 'verify', '--target', target, '--machine', 'aarch64', '--python-version', '3.12'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/__editable__\.svc-0\.1\.pth: an editable install \(-e\) links to \/home\/dev\/svc\/src on this machine/);
    expect(r.stderr).not.toMatch(/ok\.pth/);
  });
});

describe('third-party packages come only as wheels', () => {
  test('a requirement with only an sdist fails with a clear message, and its setup.py never runs', () => {
    const marker = path.join(tmpdir(), 'ran');
    const entry = writeEntry(tmpdir(), { 'requirements.txt': 'sdonly==1.0.0\n' });
    expect(() => synthLayer({ entry, environment: { ...ENV, SDONLY_MARKER: marker } }))
      .toThrow(/No matching distribution found for sdonly[\s\S]*pip installs binary wheels only \(--only-binary=:all:\)/);
    expect(fs.existsSync(marker)).toBe(false);
  });

  test('--find-links to a folder of sdists is allowed, and pip still takes only wheels from it', () => {
    const marker = path.join(tmpdir(), 'ran');
    const entry = writeEntry(tmpdir(), { 'requirements.txt': '-f ./sdists\nsdonly==1.0.0\n' });
    fs.mkdirSync(path.join(entry, 'sdists'));
    fs.copyFileSync(path.join(WHEELS, 'sdonly-1.0.0.tar.gz'), path.join(entry, 'sdists', 'sdonly-1.0.0.tar.gz'));
    expect(scanRequirements(entry, 'requirements.txt').problems).toEqual([]);
    expect(() => synthLayer({ entry, environment: { ...ENV, SDONLY_MARKER: marker } })).toThrow(/No matching distribution found for sdonly/);
    expect(fs.existsSync(marker)).toBe(false);
  });

  test('--no-binary in an included file is refused at synth, naming the file and line, before pip runs', () => {
    const marker = path.join(tmpdir(), 'ran');
    const entry = writeEntry(tmpdir(), { 'requirements.txt': '-r base.txt\npurepkg==1.0.0\n', 'base.txt': '# base\n--no-binary=sdonly\nsdonly==1.0.0\n' });
    expect(() => synthLayer({ entry, environment: { ...ENV, SDONLY_MARKER: marker } }))
      .toThrow(/S: Deps: requirements\.txt: a line asks pip to build third-party code from source:\n {2}base\.txt:2: --no-binary=sdonly: --no-binary makes pip build/);
    expect(fs.existsSync(marker)).toBe(false);
  });

  test.each<[string, RegExp | null]>([
    ['--no-binary :all:\n', /requirements\.txt:1: --no-binary :all:/],
    ['--no-bin=x\n', /requirements\.txt:1: --no-bin=x: --no-binary/], // optparse accepts prefixes
    ['purepkg\n--only-binary=:none:\n', /requirements\.txt:2: --only-binary=:none:: --only-binary :none:/],
    ['--only-binary purepkg\n', /--only-binary purepkg would let pip/],
    ['--pre \\\n  --no-binary x\n', /requirements\.txt:1: --pre +--no-binary x/], // continuation line
    ['git+https://github.com/org/repo.git#egg=repo\n', /a VCS URL is built from source/],
    ['repo @ git+https://tok:SECRET@github.com/org/repo.git\n', /repo @ git\+https:\/\/\*\*\*@github\.com/],
    ['-e git+https://github.com/org/repo.git#egg=repo\n', /an editable requirement that is not a local folder \(a VCS checkout\)/],
    ['pkg @ https://example.com/pkg-1.0.tar.gz\n', /a source archive is built from source/],
    ['./vendor/pkg-1.0.tar.gz\n', /requirements\.txt:1: \.\/vendor\/pkg-1\.0\.tar\.gz: a source archive/],
    ['-r https://example.com/reqs.txt\n', /fetched from a URL cannot be checked/],
    ['--only-binary=:all:\n--prefer-binary\n--index-url https://u:p@example.com/simple\n-f ./wheels\npurepkg==1.0.0 # comment --no-binary\n', null],
    ['pkg @ https://example.com/pkg-1.0-py3-none-any.whl\npurepkg\n', null],
  ])('requirements %j', (text, expected) => {
    const entry = writeEntry(tmpdir(), { 'requirements.txt': text });
    const scan = scanRequirements(entry, 'requirements.txt');
    if (expected === null) {
      expect(scan.problems).toEqual([]);
    } else {
      expect(scan.problems.join('\n')).toMatch(expected);
      expect(scan.problems.join('\n')).not.toContain('SECRET');
    }
  });

  test('a bare name is a project even when a folder of that name exists in the entry', () => {
    const entry = writeEntry(tmpdir(), { 'requirements.txt': 'purepkg\n', 'purepkg/__init__.py': '' });
    expect(scanRequirements(entry, 'requirements.txt').localPackages).toEqual([]);
  });
});

describe('exported locks are split before install', () => {
  test('hashed third-party lines, your local folders (poetry, uv and pipenv spellings) and index options', () => {
    const root = tmpdir();
    localPackage(path.join(root, 'common'), 'common');
    const entry = writeEntry(path.join(root, 'svc'), { 'pkg/pyproject.toml': '[project]\nname = "pkg"\n' });
    const exported = path.join(root, 'exported.txt');
    fs.writeFileSync(exported, [
      '--extra-index-url https://token:SECRET@example.com/simple',
      `common @ file://${path.join(root, 'common')} ; python_version >= "3.11"`,
      '-e ./pkg',
      'purepkg==1.0.0 ; python_version >= "3.11" \\',
      `    --hash=sha256:${'a'.repeat(64)}`,
      '',
    ].join('\n'));
    const third = path.join(root, 'third.txt');
    const local = path.join(root, 'local.txt');
    const r = spawnSync(PY312, [SUPPLY_CHAIN, 'split', '--requirements', exported, '--third-party', third, '--local', local], { cwd: entry, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.readFileSync(third, 'utf8')).toBe(`--extra-index-url https://token:SECRET@example.com/simple\npurepkg==1.0.0 ; python_version >= "3.11"     --hash=sha256:${'a'.repeat(64)}\n`);
    expect(fs.readFileSync(local, 'utf8')).toBe(`--extra-index-url https://token:SECRET@example.com/simple\ncommon @ file://${path.join(root, 'common')} ; python_version >= "3.11"\n./pkg\n`);
  });

  test.each([
    ['pkg @ git+https://tok:SECRET@github.com/org/pkg.git@abc', /line 1: pkg @ git\+https:\/\/\*\*\*@github\.com\/org\/pkg\.git@abc: a VCS URL is built from source/],
    ['--no-binary :all:', /line 1: --no-binary :all:: --no-binary makes pip build/],
    ['purepkg\n--only-binary=purepkg', /line 2: --only-binary=purepkg/],
    ['sdonly @ https://example.com/sdonly-1.0.0.tar.gz --hash=sha256:00', /a direct URL or path to a source archive/],
  ])('refuses %j before pip runs', (line, expected) => {
    const dir = tmpdir();
    fs.writeFileSync(path.join(dir, 'r.txt'), line + '\n');
    const r = spawnSync(PY312, [SUPPLY_CHAIN, 'split', '--requirements', 'r.txt', '--third-party', 't.txt', '--local', 'l.txt'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(expected);
    expect(r.stderr).not.toContain('SECRET');
    expect(fs.existsSync(path.join(dir, 't.txt'))).toBe(false);
  });
});

describe('hashes', () => {
  const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(path.join(WHEELS, f))).digest('hex');

  test('a requirements file with --hash installs with --require-hashes; one without does not', () => {
    const r = resolveBundling('t', {});
    const hashed = writeEntry(tmpdir(), { 'requirements.txt': '-r base.txt\n', 'base.txt': `purepkg==1.0.0 --hash=sha256:${'0'.repeat(64)}\n` });
    const plain = writeEntry(tmpdir(), { 'requirements.txt': 'purepkg==1.0.0\n' });
    const pip = (entry: string) => dependencySteps(detectDependencySpec(entry), r, { requireHashes: scanRequirements(entry, 'requirements.txt').hashes })
      .find((s) => s.description === 'pip install')!.argv;
    expect(pip(hashed)).toContain('--require-hashes');
    expect(pip(plain)).not.toContain('--require-hashes');
  });

  test('the right hash installs, a wrong one fails the synth', () => {
    const good = writeEntry(tmpdir(), { 'requirements.txt': `purepkg==1.0.0 --hash=sha256:${sha('purepkg-1.0.0-py3-none-any.whl')}\n` });
    const { app, layer } = synthLayer({ entry: good });
    expect(listFiles(staged(app, layer))).toContain('python/purepkg/__init__.py');
    const bad = writeEntry(tmpdir(), { 'requirements.txt': `purepkg==1.0.0 --hash=sha256:${'0'.repeat(64)}\n` });
    expect(() => synthLayer({ entry: bad })).toThrow(/THESE PACKAGES DO NOT MATCH THE HASHES/);
  });
});

describe('nothing secret leaves the build machine', () => {
  const SPEC = [
    '--index-url https://SECRETUSER:SECRET@127.0.0.1:1/simple',
    '--extra-index-url https://token:SECRET@127.0.0.1:1/extra/simple',
    '-r base.txt',
    '-c constraints.txt',
    'purepkg==1.0.0',
    '',
  ].join('\n');

  function captured<T>(fn: () => T): { out: string; result?: T; error?: Error } {
    const chunks: string[] = [];
    const spies = [jest.spyOn(process.stderr, 'write'), jest.spyOn(process.stdout, 'write')];
    for (const s of spies) s.mockImplementation(((c: string | Uint8Array) => { chunks.push(String(c)); return true; }) as never);
    const logSpies = (['log', 'warn', 'error', 'info'] as const).map((k) => jest.spyOn(console, k).mockImplementation((...a: unknown[]) => { chunks.push(a.join(' ')); }));
    try {
      return { out: chunks.join(''), result: fn() };
    } catch (e) {
      return { out: chunks.join(''), error: e as Error };
    } finally {
      [...spies, ...logSpies].forEach((s) => s.mockRestore());
    }
  }

  function grepTree(dir: string, needle: string): string[] {
    return listFiles(dir).filter((f) => fs.readFileSync(path.join(dir, f)).includes(needle));
  }

  test('a custom dependencyFile and everything it includes stay out of the handler code and the layer; cdk.out has no credential', () => {
    const entry = writeEntry(tmpdir(), {
      'app.py': 'def handler(e, c):\n    return 1\n',
      'deps/prod.txt': SPEC,
      'deps/base.txt': 'platpkg==2.0.0\n',
      'deps/constraints.txt': 'purepkg<2\n',
      'pip.conf': '[global]\nindex-url = https://SECRETUSER:SECRET@127.0.0.1:1/simple\n',
    });
    const outdir = tmpdir('cpc-out-');
    const { out, error, result } = captured(() => {
      const app = new App({ outdir });
      const stack = new Stack(app, 'S');
      const environment = { ...ENV, PIP_EXTRA_INDEX_URL: 'https://SECRETUSER:SECRET@127.0.0.1:1/env/simple' };
      const layer = new PythonDependenciesLayer(stack, 'Deps', { entry, dependencyFile: 'deps/prod.txt', pythonExecutable: PY312, environment });
      const code = PythonHandlerCode.fromEntry(entry, { dependencyFile: 'deps/prod.txt', pythonExecutable: PY312, environment });
      new lambda.Function(stack, 'F', { runtime: lambda.Runtime.PYTHON_3_12, architecture: lambda.Architecture.ARM_64, handler: 'app.handler', code, layers: [layer] });
      app.synth();
      return { layer, code };
    });
    expect(error).toBeUndefined();
    const handlerDir = PythonHandlerCode.stagedPathOf(result!.code)!;
    expect(listFiles(handlerDir).filter((f) => !f.includes('__pycache__'))).toEqual(['app.py']);
    // the layer has the packages of the spec and its includes, and none of the spec files
    const all = listFiles(outdir);
    expect(all.some((f) => f.endsWith('python/platpkg/__init__.py'))).toBe(true);
    expect(all.filter((f) => /(prod|base|constraints)\.txt$|pip\.conf$/.test(f))).toEqual([]);
    expect(grepTree(outdir, 'SECRET')).toEqual([]);
    expect(out).not.toContain('SECRET');
  });

  test('OptimizedPythonFunction leaves its dependencyFile and the files the default requirements.txt includes out of the handler code', () => {
    const files = { 'index.py': 'def handler(e, c):\n    return 1\n', 'deps/prod.txt': SPEC, 'deps/base.txt': '', 'deps/constraints.txt': '' };
    const custom = writeEntry(tmpdir(), files);
    const detected = writeEntry(tmpdir(), { 'index.py': files['index.py'], 'requirements.txt': SPEC, 'base.txt': '', 'constraints.txt': '' });
    const app = new App({ outdir: tmpdir('cpc-out-') });
    const stack = new Stack(app, 'S');
    const bundling = { pythonExecutable: PY312, environment: ENV };
    const a = new OptimizedPythonFunction(stack, 'A', { entry: custom, dependencyFile: 'deps/prod.txt', bundling });
    const b = new OptimizedPythonFunction(stack, 'B', { entry: detected, bundling });
    for (const fn of [a, b]) {
      const code = (fn.function.node.defaultChild as lambda.CfnFunction).code as { s3Key?: string };
      const dir = path.join(app.outdir, `asset.${String(code.s3Key).replace(/\.zip$/, '')}`);
      expect(listFiles(dir).filter((f) => !f.startsWith('cdk_python_coldstart_runtime/') && !f.includes('__pycache__'))).toEqual(['index.py']);
    }
    app.synth();
    expect(grepTree(app.outdir, 'SECRET')).toEqual([]);
  });

  test('credentials are not hash input: rotating a token keeps the layer hash, another index changes it', () => {
    const hash = (req: string, env: Record<string, string> = {}) =>
      synthLayer({ entry: writeEntry(tmpdir(), { 'requirements.txt': req }), environment: { ...ENV, ...env } }, { bundle: false }).layer.assetHash;
    const base = hash('--index-url https://u:TOKEN1@pypi.example.com/simple\npurepkg\n');
    expect(hash('--index-url https://u:TOKEN2@pypi.example.com/simple\npurepkg\n')).toBe(base);
    expect(hash('--index-url https://u:TOKEN1@other.example.com/simple\npurepkg\n')).not.toBe(base);
    const env = hash('purepkg\n', { PIP_EXTRA_INDEX_URL: 'https://u:TOKEN1@pypi.example.com/simple' });
    expect(hash('purepkg\n', { PIP_EXTRA_INDEX_URL: 'https://u:TOKEN2@pypi.example.com/simple' })).toBe(env);
    expect(hash('purepkg\n', { PIP_EXTRA_INDEX_URL: 'https://u:TOKEN1@other.example.com/simple' })).not.toBe(env);
  });

  test('a failing install names the index without its credentials (pip masks only the password)', () => {
    const entry = writeEntry(tmpdir(), { 'requirements.txt': SPEC + 'platpkg @ https://SECRETUSER:SECRET@127.0.0.1:1/f/platpkg-2.0.0-cp312-cp312-manylinux_2_28_aarch64.whl\n', 'base.txt': '', 'constraints.txt': '' });
    const outdir = tmpdir('cpc-out-');
    const environment = { PIP_CONFIG_FILE: '/dev/null', PIP_RETRIES: '0', PIP_TIMEOUT: '1' };
    const { out, error } = captured(() => synthLayer({ entry, environment }, { outdir }));
    expect(error?.message).toMatch(/pip install failed/);
    // pip echoes a direct URL in full (it masks the password of index URLs only)
    expect(error?.message).toMatch(/https:\/\/\*\*\*@127\.0\.0\.1:1\/f\/platpkg/);
    expect(error?.message).not.toContain('SECRET');
    expect(out).not.toContain('SECRET');
    expect(grepTree(outdir, 'SECRET')).toEqual([]);
  });
});
