import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildWheels, hermeticPipEnv, listFiles, PY312, REPO, runIsolated, tmpdir, writeEntry } from './helpers';
import { PythonDependenciesLayer, PythonDependenciesLayerProps, PythonHandlerCode, PythonHandlerCodeOptions } from '../../lib/bundling';

const WHEELS = buildWheels();
const ENV = hermeticPipEnv(WHEELS);

/** The layer's asset hash and S3 key, bundling skipped (the hash is the one a real synth gets). */
function layerHash(props: Partial<PythonDependenciesLayerProps> & { entry: string }): { hash: string; s3Key: string } {
  const app = new App({ outdir: tmpdir('cpc-out-'), context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'S');
  const layer = new PythonDependenciesLayer(stack, 'Deps', { pythonExecutable: PY312, environment: ENV, ...props });
  const res = Template.fromStack(stack).findResources('AWS::Lambda::LayerVersion');
  const [only] = Object.values(res);
  return { hash: layer.assetHash, s3Key: JSON.stringify(only.Properties.Content.S3Key) };
}

/** A wheel of `purepkg` 1.0.0 with the given VALUE, written by make_wheels.py's own writer. */
function writePurepkgWheel(dir: string, value: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const code = [
    'import sys; sys.path.insert(0, sys.argv[1]); import make_wheels',
    'make_wheels.write_wheel(sys.argv[2], "purepkg", "1.0.0", "py3-none-any", {"purepkg/__init__.py": ("VALUE = %r\\n" % sys.argv[3]).encode()})',
  ].join('\n');
  const r = spawnSync(PY312, ['-c', code, path.join(REPO, 'test', 'fixtures', 'bundling'), dir, value], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return path.join(dir, 'purepkg-1.0.0-py3-none-any.whl');
}

describe('local path requirements are hashed by content', () => {
  test('a wheel in ../common: editing it changes the hash, the S3 key and the installed code (real pip)', () => {
    const project = tmpdir('cpc-proj-');
    writePurepkgWheel(path.join(project, 'common'), 'first');
    const entry = writeEntry(path.join(project, 'service'), { 'requirements.txt': '../common/purepkg-1.0.0-py3-none-any.whl\n' });
    const synth = () => {
      const app = new App({ outdir: tmpdir('cpc-out-') });
      const layer = new PythonDependenciesLayer(new Stack(app, 'S'), 'Deps', { entry, pythonExecutable: PY312, environment: ENV });
      const r = runIsolated(path.join(app.outdir, `asset.${layer.assetHash}`, 'python'), 'import purepkg; print(purepkg.VALUE)');
      return { hash: layer.assetHash, value: r.stdout.trim() };
    };
    const first = synth();
    expect(first.value).toBe('first');
    expect(synth().hash).toBe(first.hash); // nothing changed: same hash
    writePurepkgWheel(path.join(project, 'common'), 'second');
    const second = synth();
    expect(second.hash).not.toBe(first.hash);
    expect(second.value).toBe('second');
  });

  test.each([
    ['../common', '../common'],
    ['./pkg', './pkg'],
    ['-e ./pkg', './pkg'],
    ['--editable=./pkg', './pkg'],
    ['./pkg ; python_version >= "3.8"', './pkg'],
    ['common @ file://{ABS}/common', '../common'],
    ['file://{ABS}/common', '../common'],
    ['file:../common', '../common'],
    ['-f ./wheels\npurepkg', './wheels'],
  ])('`%s`: an edit inside changes the hash, nothing else does', (line, dir) => {
    const project = tmpdir('cpc-proj-');
    const entry = path.join(project, 'service');
    const target = path.resolve(entry, dir);
    writeEntry(target, { 'pyproject.toml': '[project]\nname = "common"\n', 'common/__init__.py': 'X = 1\n', 'purepkg-1.0.0-py3-none-any.whl': 'wheel bytes' });
    writeEntry(entry, { 'requirements.txt': line.replace('{ABS}', project) + '\n' });
    const before = layerHash({ entry }).hash;
    expect(layerHash({ entry }).hash).toBe(before);
    // Build leftovers in the local project are not part of it.
    writeEntry(target, { 'build/lib/common/__init__.py': 'X = 1\n', 'common.egg-info/PKG-INFO': 'x', 'common/__pycache__/x.pyc': 'x' });
    expect(layerHash({ entry }).hash).toBe(before);
    fs.writeFileSync(path.join(target, 'common', '__init__.py'), 'X = 2\n');
    const after = layerHash({ entry });
    expect(after.hash).not.toBe(before);
    expect(after.s3Key).toContain(after.hash); // a new S3 key, so CloudFormation publishes a new LayerVersion
  });

  test('through -r and -c includes, relative to the including file', () => {
    const project = tmpdir('cpc-proj-');
    const entry = path.join(project, 'service');
    writeEntry(path.join(project, 'libs', 'shared'), { 'shared/__init__.py': 'V = 1\n' });
    writeEntry(path.join(project, 'reqs'), { 'base.txt': '-c constraints.txt\n../libs/shared\n', 'constraints.txt': 'purepkg==1.0.0\n' });
    writeEntry(entry, { 'requirements.txt': '-r ../reqs/base.txt\npurepkg\n' });
    const before = layerHash({ entry }).hash;
    fs.writeFileSync(path.join(project, 'libs', 'shared', 'shared', '__init__.py'), 'V = 2\n');
    const afterCode = layerHash({ entry }).hash;
    expect(afterCode).not.toBe(before);
    fs.writeFileSync(path.join(project, 'reqs', 'constraints.txt'), 'purepkg==1.0.1\n');
    expect(layerHash({ entry }).hash).not.toBe(afterCode);
  });

  test.each([
    ['uv.lock', 'version = 1\n\n[[package]]\nname = "common"\nversion = "0.1.0"\nsource = { editable = "../common" }\n', { 'pyproject.toml': '[project]\nname = "svc"\n' }],
    ['poetry.lock', '[[package]]\nname = "common"\nversion = "0.1.0"\n\n[package.source]\ntype = "directory"\nurl = "../common"\n', { 'pyproject.toml': '[tool.poetry]\n' }],
    ['Pipfile.lock', '{"default": {"common": {"editable": true, "path": "../common"}}}\n', { Pipfile: '[packages]\n' }],
  ])('a path dependency recorded in %s is hashed by content', (lock, content, sidecars) => {
    const project = tmpdir('cpc-proj-');
    writeEntry(path.join(project, 'common'), { 'common/__init__.py': 'X = 1\n' });
    const entry = writeEntry(path.join(project, 'service'), { [lock]: content, ...sidecars });
    const before = layerHash({ entry }).hash;
    expect(layerHash({ entry }).hash).toBe(before);
    fs.writeFileSync(path.join(project, 'common', 'common', '__init__.py'), 'X = 2\n');
    expect(layerHash({ entry }).hash).not.toBe(before);
  });

  test('the same project checked out at another absolute path has the same hash', () => {
    const project = tmpdir('cpc-proj-');
    writeEntry(path.join(project, 'common'), { 'common/__init__.py': 'X = 1\n', 'pyproject.toml': '[project]\nname = "common"\n' });
    const entry = writeEntry(path.join(project, 'service'), { 'requirements.txt': '../common\n-e ./local\npurepkg==1.0.0\n', 'local/setup.py': 'pass\n' });
    const copy = path.join(tmpdir('cpc-elsewhere-'), 'deeper', 'checkout');
    fs.cpSync(project, copy, { recursive: true });
    const a = layerHash({ entry });
    const b = layerHash({ entry: path.join(copy, 'service') });
    expect(b.hash).toBe(a.hash);
    expect(b.s3Key).toBe(a.s3Key);
  });
});

describe('values that do not change the bundle do not change the hash', () => {
  test('CRLF and LF requirements with the same content hash the same', () => {
    const lf = writeEntry(tmpdir(), { 'requirements.txt': 'purepkg==1.0.0\nplatpkg==2.0.0\n' });
    const crlf = writeEntry(tmpdir(), { 'requirements.txt': 'purepkg==1.0.0\r\nplatpkg==2.0.0\r\n' });
    expect(layerHash({ entry: crlf }).hash).toBe(layerHash({ entry: lf }).hash);
    const other = writeEntry(tmpdir(), { 'requirements.txt': 'purepkg==1.0.0\r\n' });
    expect(layerHash({ entry: other }).hash).not.toBe(layerHash({ entry: lf }).hash);
  });

  test('rotating a token in environment publishes nothing new; another index host does', () => {
    const entry = writeEntry(tmpdir(), { 'requirements.txt': 'purepkg==1.0.0\n' });
    const withToken = (token: string, host = 'pypi.example.com') => layerHash({
      entry, environment: { ...ENV, PIP_EXTRA_INDEX_URL: `https://ci:${token}@${host}/simple`, CODEARTIFACT_AUTH_TOKEN: token, UV_INDEX_PRIVATE_PASSWORD: token },
    });
    const a = withToken('TOKEN-ONE');
    expect(withToken('TOKEN-TWO')).toEqual(a);
    expect(withToken('TOKEN-ONE', 'other.example.com').hash).not.toBe(a.hash);
  });

  test('no credential reaches the cloud assembly', () => {
    const entry = writeEntry(tmpdir(), { 'requirements.txt': 'purepkg==1.0.0\n' });
    const app = new App({ outdir: tmpdir('cpc-out-'), context: { 'aws:cdk:bundling-stacks': [] } });
    new PythonDependenciesLayer(new Stack(app, 'S'), 'Deps', { pythonExecutable: PY312, entry, environment: { PIP_INDEX_URL: 'https://ci:SECRET-TOKEN@pypi.example.com/simple', NPM_TOKEN: 'SECRET-TOKEN' } });
    app.synth();
    for (const f of listFiles(app.outdir)) {
      expect(fs.readFileSync(path.join(app.outdir, f), 'utf8')).not.toContain('SECRET-TOKEN');
    }
  });

  test('a malformed index URL fails with the URL redacted (CDK\'s own check printed the token)', () => {
    const entry = writeEntry(tmpdir(), { 'requirements.txt': 'purepkg==1.0.0\n' });
    let message = '';
    try {
      layerHash({ entry, environment: { PIP_INDEX_URL: 'https://ci:SECRET-TOKEN@pypi.example.com:port/simple' } });
    } catch (e) {
      message = String((e as Error).message);
      expect((e as Error).name).toBe('ColdStartConfigError');
    }
    expect(message).toMatch(/environment\.PIP_INDEX_URL: 'https:\/\/\*\*\*@pypi\.example\.com:port\/simple' is not a valid http\(s\) URL/);
    expect(message).not.toContain('SECRET-TOKEN');
    expect(message).not.toContain('ci:');
  });

  test('tool output in a bundling error is redacted', () => {
    // A pip that fails the way pip does against a private index: the URL with its credentials on stderr.
    const failing = path.join(tmpdir('cpc-failpy-'), 'python3.12');
    fs.writeFileSync(failing, `#!/bin/sh\ncase "$*" in\n  *"-m pip install"*) echo "ERROR: HTTP error 403 while getting https://ci:SECRET-TOKEN@pypi.example.com/simple/purepkg/" >&2; exit 1;;\n  *) exec "${PY312}" "$@";;\nesac\n`, { mode: 0o755 });
    const entry = writeEntry(tmpdir(), { 'requirements.txt': 'purepkg==1.0.0\n' });
    let message = '';
    try {
      new PythonDependenciesLayer(new Stack(new App({ outdir: tmpdir('cpc-out-') }), 'S'), 'Deps', { entry, pythonExecutable: failing, environment: ENV });
    } catch (e) {
      message = String((e as Error).message);
    }
    expect(message).toMatch(/pip install failed \(exit code 1\)/);
    expect(message).toContain('HTTP error 403 while getting https://***@pypi.example.com/simple/purepkg/');
    expect(message).not.toContain('SECRET-TOKEN');
  });
});

function bindHandler(entry: string, options: PythonHandlerCodeOptions = {}, bundle = true) {
  const app = new App({ outdir: tmpdir('cpc-out-'), context: bundle ? {} : { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'S');
  const code = PythonHandlerCode.fromEntry(entry, { pythonExecutable: PY312, ...options });
  new lambda.Function(stack, 'F', { runtime: lambda.Runtime.PYTHON_3_12, architecture: lambda.Architecture.ARM_64, handler: 'app.handler', code });
  const staged = PythonHandlerCode.stagedPathOf(code);
  const key = JSON.stringify(Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0].Properties.Code.S3Key);
  return { staged, key, files: staged ? listFiles(staged).filter((f) => !f.includes('__pycache__')) : [] };
}

describe('one matcher decides the hash and the copy of handler code', () => {
  const FILES = {
    'app.py': 'def handler(e, c):\n    return 1\n',
    'conf.json': '{}',
    'conf.yaml': 'a: 1',
    'conf.toml': 'a = 1',
    'pkg/__init__.py': '',
    'pkg/data.json': '{}',
    'pkg/deep/more.json': '{}',
    'pkg/keep.txt': 'keep',
    'pkg/drop.txt': 'drop',
  };
  test.each([
    ['*.{json,yaml}', ['app.py', 'conf.toml', 'pkg/__init__.py', 'pkg/drop.txt', 'pkg/keep.txt'], 'conf.yaml', 'conf.toml'],
    ['**/*.json', ['app.py', 'conf.toml', 'conf.yaml', 'pkg/__init__.py', 'pkg/drop.txt', 'pkg/keep.txt'], 'pkg/deep/more.json', 'conf.yaml'],
    ['pkg/*.txt|!keep.txt', ['app.py', 'conf.json', 'conf.toml', 'conf.yaml', 'pkg/__init__.py', 'pkg/data.json', 'pkg/deep/more.json', 'pkg/keep.txt'], 'pkg/drop.txt', 'pkg/keep.txt'],
  ])('exclude %s: the bundle is exactly what is hashed', (patterns, bundled, excludedFile, includedFile) => {
    const entry = writeEntry(tmpdir(), FILES);
    const exclude = patterns.split('|');
    const first = bindHandler(entry, { exclude });
    expect(first.files).toEqual(bundled);
    // An edited excluded file changes neither the hash nor the bundle.
    fs.writeFileSync(path.join(entry, excludedFile), 'edited');
    const second = bindHandler(entry, { exclude });
    expect(second.key).toBe(first.key);
    expect(second.files).toEqual(bundled);
    // An edited included file changes both.
    fs.writeFileSync(path.join(entry, includedFile), 'edited = 1');
    const third = bindHandler(entry, { exclude });
    expect(third.key).not.toBe(first.key);
    expect(fs.readFileSync(path.join(third.staged!, includedFile), 'utf8')).toBe('edited = 1');
  });
});

describe('symlinks inside entry are followed like Code.fromAsset', () => {
  function project() {
    const root = tmpdir('cpc-links-');
    writeEntry(path.join(root, 'shared_src'), { '__init__.py': '', 'helper.py': 'VALUE = "outside"\n' });
    const entry = writeEntry(path.join(root, 'svc'), {
      'app.py': 'from shared import helper\nfrom inner import mod\n\ndef handler(e, c):\n    return helper.VALUE + "+" + mod.VALUE\n',
      'vendor/inner/__init__.py': '',
      'vendor/inner/mod.py': 'VALUE = "inside"\n',
    });
    fs.symlinkSync('../shared_src', path.join(entry, 'shared')); // points outside entry
    fs.symlinkSync('vendor/inner', path.join(entry, 'inner')); // points inside entry
    return { root, entry };
  }

  test('folder links inside and outside entry are bundled and import (today ImportModuleError)', () => {
    const { root, entry } = project();
    const a = bindHandler(entry);
    expect(a.files).toEqual(expect.arrayContaining(['shared/helper.py', 'inner/mod.py', 'vendor/inner/mod.py']));
    const r = runIsolated(a.staged!, 'import app; print(app.handler({}, None))');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('outside+inside');
    expect(fs.lstatSync(path.join(a.staged!, 'shared')).isSymbolicLink()).toBe(false);
    // The link targets' content is hashed.
    fs.writeFileSync(path.join(root, 'shared_src', 'helper.py'), 'VALUE = "edited"\n');
    expect(bindHandler(entry, {}, false).key).not.toBe(a.key);
  });

  test('the Docker fallback cannot see links that leave entry: it says so instead of dropping them', () => {
    const { entry } = project();
    expect(() => bindHandler(entry, { forceDockerBundling: true }))
      .toThrow(/entry: symlinks point outside the entry folder \(shared -> .*shared_src\)[\s\S]*the Docker fallback mounts only the entry folder/);
  });

  test('a broken link and a loop fail with their path; excluded, they are ignored', () => {
    const { entry } = project();
    fs.symlinkSync('missing-target', path.join(entry, 'dangling'));
    expect(() => bindHandler(entry, {}, false)).toThrow(/entry: 'dangling' is a broken symlink/);
    fs.unlinkSync(path.join(entry, 'dangling'));
    fs.symlinkSync('..', path.join(entry, 'vendor', 'up'));
    expect(() => bindHandler(entry, {}, false)).toThrow(/entry: 'vendor\/up' is a symlink to a folder that contains it/);
    expect(bindHandler(entry, { exclude: ['vendor/up'] }, false).key).toBeDefined();
  });
});
