import * as fs from 'fs';
import * as path from 'path';
import { App, AssetHashType, BundlingFileAccess, DockerImage, DockerRunOptions, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildWheels, hermeticPipEnv, PY312, tmpdir, writeEntry } from './helpers';
import { PythonDependenciesLayer, PythonDependenciesLayerProps, PythonHandlerCode, PythonHandlerCodeOptions, PythonInstaller } from '../../lib/bundling';
import { dependencySteps, resolveBundling } from '../../lib/bundling/bundler';
import { dockerRunExtras, tokenizeCommand, uvInstallArgv } from '../../lib/bundling/parity';
import { detectDependencySpec } from '../../lib/bundling/spec';

/** A `docker` that answers `docker version` (there is no Docker engine here). */
function fakeDocker(): string {
  const file = path.join(tmpdir(), 'docker');
  fs.writeFileSync(file, '#!/bin/sh\necho 27.0.0\n', { mode: 0o755 });
  return file;
}

function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  }
}

/** Synthesizes with DockerImage.run spied: returns what Docker would run (one call). */
function dockerRun(make: (stack: Stack) => void): { image: string; opts: DockerRunOptions } {
  const calls: Array<{ image: string; opts: DockerRunOptions }> = [];
  const spy = jest.spyOn(DockerImage.prototype, 'run').mockImplementation(function (this: DockerImage, opts: DockerRunOptions = {}) {
    calls.push({ image: this.image, opts });
    const out = opts.volumes!.find((v) => v.containerPath === '/asset-output')!.hostPath;
    fs.mkdirSync(path.join(out, 'python'), { recursive: true });
    fs.writeFileSync(path.join(out, 'index.py'), '');
  });
  try {
    withEnv({ CDK_DOCKER: process.env.CDK_DOCKER ?? fakeDocker() }, () => make(new Stack(new App({ outdir: tmpdir('cpc-out-') }), 'S')));
  } finally {
    spy.mockRestore();
  }
  expect(calls).toHaveLength(1);
  return calls[0];
}

function handlerFunction(stack: Stack, entry: string, options: PythonHandlerCodeOptions): lambda.Function {
  return new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.PYTHON_3_12,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: PythonHandlerCode.fromEntry(entry, options),
  });
}

/** The asset hash of handler code with bundling skipped (no Python, no Docker: the hash is computed anyway). */
function handlerHash(entry: string, options: PythonHandlerCodeOptions): string {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S');
  handlerFunction(stack, entry, options);
  const params = JSON.stringify(stack.resolve((stack.node.findChild('Fn').node.defaultChild as lambda.CfnFunction).code));
  return /([0-9a-f]{64})\.zip/.exec(params)![1];
}

function layerHash(props: PythonDependenciesLayerProps): string {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S');
  return new PythonDependenciesLayer(stack, 'Deps', props).assetHash;
}

const HOOKS_ENTRY_FILES = { 'index.py': 'def handler(e, c):\n    return 1\n', 'extra.cfg': 'x=1\n', 'secret.txt': 'no\n' };

describe('commandHooks: argv, never a shell', () => {
  test('tokenizer: quotes and escapes like a shell, no expansion', () => {
    expect(tokenizeCommand('t', 'cp "{{input}}/my file.cfg" \'{{output}}/a b\'')).toEqual(['cp', '{{input}}/my file.cfg', '{{output}}/a b']);
    expect(tokenizeCommand('t', 'python -c "print(1 > 0)"')).toEqual(['python', '-c', 'print(1 > 0)']);
    expect(tokenizeCommand('t', "echo '$HOME' a\\ b")).toEqual(['echo', '$HOME', 'a b']);
  });

  test.each([
    ['cd src && make', /the shell operator &&/],
    ['pytest; rm -rf /', /the shell operator ;/],
    ['cat a | grep b', /the shell operator \|/],
    ['echo x > out', /the shell operator >/],
    ['echo $HOME', /shell expansion \(\$\)/],
    ['echo "$(id)"', /shell expansion \(\$\)/],
    ['echo `id`', /shell expansion \(`\)/],
    ['cp *.cfg out', /a glob \(\*\)/],
    ['echo "open', /unterminated double quote/],
    ['   ', /no command at all/],
  ])('%j is rejected with the fix', (cmd, why) => {
    expect(() => tokenizeCommand('Fn', cmd)).toThrow(why);
    expect(() => tokenizeCommand('Fn', cmd)).toThrow(/run without a shell \(argv\).*one command per string.*bash -c/);
  });

  test('locally: before runs before the copy, after runs after it, in the entry folder; paths with spaces are one argument', () => {
    const entry = writeEntry(path.join(tmpdir(), 'my entry; $(id)'), HOOKS_ENTRY_FILES);
    const seen: string[][] = [];
    const stack = new Stack(new App({ outdir: tmpdir('cpc-out-') }), 'S');
    const fn = handlerFunction(stack, entry, {
      pythonExecutable: PY312,
      commandHooks: {
        beforeBundling(inputDir: string, outputDir: string): string[] {
          seen.push([inputDir, outputDir]);
          return [`cp ${JSON.stringify(inputDir + '/extra.cfg')} ${JSON.stringify(outputDir + '/before.cfg')}`];
        },
        afterBundling(inputDir: string, outputDir: string): string[] {
          return [`cp extra.cfg "${outputDir}/after.cfg"`, `rm "${outputDir}/secret.txt"`, `test -f "${inputDir}/index.py"`];
        },
      },
    });
    void fn;
    const staged = stagedDir(stack);
    expect(seen).toEqual([['{{input}}', '{{output}}']]);
    const files = fs.readdirSync(staged).sort();
    expect(files).toEqual(expect.arrayContaining(['after.cfg', 'before.cfg', 'extra.cfg', 'index.py']));
    expect(files).not.toContain('secret.txt');
  });

  test('a failing hook fails synthesis naming the hook and its argv', () => {
    const entry = writeEntry(tmpdir(), HOOKS_ENTRY_FILES);
    const stack = new Stack(new App({ outdir: tmpdir('cpc-out-') }), 'S');
    expect(() => handlerFunction(stack, entry, {
      pythonExecutable: PY312,
      commandHooks: { beforeBundling: () => ['false'], afterBundling: () => [] },
    })).toThrow(/commandHooks.beforeBundling #1 \(false\) failed \(exit code 1\)/);
  });

  test('in Docker: the same argv, rendered to /asset-input and /asset-output, each argument quoted', () => {
    const entry = writeEntry(tmpdir(), HOOKS_ENTRY_FILES);
    const { opts } = dockerRun((s) => handlerFunction(s, entry, {
      forceDockerBundling: true,
      commandHooks: {
        beforeBundling: (i: string) => [`python -m pytest ${i}/tests`],
        afterBundling: (i: string, o: string) => [`cp ${i}/extra.cfg ${o}/extra.cfg`],
      },
    }));
    const script = opts.command![2];
    const before = "'python' '-m' 'pytest' '/asset-input/tests'";
    const after = "'cp' '/asset-input/extra.cfg' '/asset-output/extra.cfg'";
    const optimize = "'/cdk-python-coldstart-assets/bundling/optimize.py'";
    expect(script.indexOf(before)).toBeGreaterThan(0);
    expect(script.indexOf(before)).toBeLessThan(script.indexOf(optimize));
    expect(script.indexOf(after)).toBeGreaterThan(script.indexOf(optimize));
  });

  test('the asset hash covers the commands (not the machine\'s paths)', () => {
    const entry = writeEntry(tmpdir(), HOOKS_ENTRY_FILES);
    const hooks = (cmd: string) => ({ beforeBundling: () => [], afterBundling: (_: string, o: string) => [`${cmd} ${o}/x`] });
    const base = handlerHash(entry, {});
    const a = handlerHash(entry, { commandHooks: hooks('touch') });
    expect(a).not.toBe(base);
    expect(handlerHash(entry, { commandHooks: hooks('touch') })).toBe(a);
    expect(handlerHash(entry, { commandHooks: hooks('mkdir') })).not.toBe(a);
  });
});

describe('assetExcludes, assetHash, assetHashType, outputPathSuffix', () => {
  test('assetExcludes leaves files out like exclude (and changes the hash like it)', () => {
    const entry = writeEntry(tmpdir(), HOOKS_ENTRY_FILES);
    const { opts } = dockerRun((s) => handlerFunction(s, entry, { forceDockerBundling: true, assetExcludes: ['secret.txt'] }));
    // One file selection decides the copy (explicit --copy-path list) and the hash.
    expect(opts.command![2]).not.toContain('secret.txt');
    expect(opts.command![2]).toContain('index.py');
    expect(handlerHash(entry, { assetExcludes: ['secret.txt'] })).toBe(handlerHash(entry, { exclude: ['secret.txt'] }));
    expect(handlerHash(entry, { assetExcludes: ['secret.txt'] })).not.toBe(handlerHash(entry, {}));
  });

  test('assetHash: the user decides (same assetHash, same hash, whatever the sources)', () => {
    const a = writeEntry(tmpdir(), { 'index.py': 'A = 1\n' });
    const b = writeEntry(tmpdir(), { 'index.py': 'B = 2\n' });
    expect(handlerHash(a, { assetHash: 'commit-1' })).toBe(handlerHash(b, { assetHash: 'commit-1' }));
    expect(handlerHash(a, { assetHash: 'commit-1', assetHashType: AssetHashType.CUSTOM })).toBe(handlerHash(a, { assetHash: 'commit-1' }));
    expect(handlerHash(a, { assetHash: 'commit-2' })).not.toBe(handlerHash(a, { assetHash: 'commit-1' }));
    expect(handlerHash(a, { assetHashType: AssetHashType.SOURCE })).toBe(handlerHash(a, {}));
  });

  test('assetHashType OUTPUT is passed to CDK (hash of the bundle), CUSTOM needs assetHash', () => {
    const entry = writeEntry(tmpdir(), HOOKS_ENTRY_FILES);
    expect((PythonHandlerCode.fromEntry(entry, { assetHashType: AssetHashType.OUTPUT }) as any).options.assetHashType).toBe(AssetHashType.OUTPUT);
    expect((PythonHandlerCode.fromEntry(entry, {}) as any).options.assetHashType).toBe(AssetHashType.CUSTOM);
    expect(() => PythonHandlerCode.fromEntry(entry, { assetHashType: AssetHashType.CUSTOM })).toThrow(/assetHashType is CUSTOM but assetHash is not set/);
    expect(() => PythonHandlerCode.fromEntry(entry, { assetHashType: AssetHashType.OUTPUT, assetHash: 'x' })).toThrow(/assetHash is set with assetHashType output/);
    expect(() => PythonHandlerCode.fromEntry(entry, { assetHash: ' ' })).toThrow(/assetHash is empty/);
  });

  test('outputPathSuffix: accepted where it matches the layout Lambda imports, an error elsewhere', () => {
    const entry = writeEntry(tmpdir(), { ...HOOKS_ENTRY_FILES, 'requirements.txt': 'a\n' });
    expect(() => PythonHandlerCode.fromEntry(entry, { outputPathSuffix: '' })).not.toThrow();
    expect(() => PythonHandlerCode.fromEntry(entry, { outputPathSuffix: '.' })).not.toThrow();
    expect(() => PythonHandlerCode.fromEntry(entry, { outputPathSuffix: 'src' })).toThrow(/outputPathSuffix 'src' would move the handler code away from where Lambda imports it/);
    expect(() => layerHash({ entry, outputPathSuffix: 'python' })).not.toThrow();
    expect(() => layerHash({ entry, outputPathSuffix: 'lib' })).toThrow(/outputPathSuffix 'lib' would move the layer away.*\/opt\/python/);
  });
});

describe('Docker options: image, buildArgs, volumes, network, user, securityOpt, bundlingFileAccess', () => {
  const entry = writeEntry(tmpdir(), { 'requirements.txt': 'requests\n' });

  test('image is dockerImage; both naming different images is an error', () => {
    const { image } = dockerRun((s) => new PythonDependenciesLayer(s, 'Deps', { entry, forceDockerBundling: true, image: DockerImage.fromRegistry('my.registry/py:3.12') }));
    expect(image).toBe('my.registry/py:3.12');
    expect(() => layerHash({ entry, image: DockerImage.fromRegistry('a'), dockerImage: DockerImage.fromRegistry('b') })).toThrow(/image \(a\) and dockerImage \(b\) name different Docker images/);
    expect(layerHash({ entry, image: DockerImage.fromRegistry('a') })).toBe(layerHash({ entry, dockerImage: DockerImage.fromRegistry('a') }));
  });

  test('buildArgs reach pip as environment variables, and hash like environment', () => {
    const { opts } = dockerRun((s) => new PythonDependenciesLayer(s, 'Deps', { entry, forceDockerBundling: true, buildArgs: { PIP_INDEX_URL: 'https://mirror.example.com/simple' } }));
    expect(opts.environment).toMatchObject({ PIP_INDEX_URL: 'https://mirror.example.com/simple' });
    expect(layerHash({ entry, buildArgs: { PIP_INDEX_URL: 'https://m/simple' } })).toBe(layerHash({ entry, environment: { PIP_INDEX_URL: 'https://m/simple' } }));
    expect(() => layerHash({ entry, buildArgs: { A: '1' }, environment: { A: '2' } })).toThrow(/buildArgs.A and environment.A differ/);
  });

  test('volumes, volumesFrom, network, user, securityOpt and bundlingFileAccess go to docker run', () => {
    const host = tmpdir();
    const { opts } = dockerRun((s) => new PythonDependenciesLayer(s, 'Deps', {
      entry,
      forceDockerBundling: true,
      volumes: [{ hostPath: host, containerPath: '/wheels' }],
      volumesFrom: ['cache'],
      network: 'host',
      user: '1000:1000',
      securityOpt: 'no-new-privileges',
    }));
    expect(opts.volumes).toEqual(expect.arrayContaining([expect.objectContaining({ hostPath: host, containerPath: '/wheels' })]));
    expect(opts.volumes!.find((v) => v.containerPath === '/cdk-python-coldstart-assets')).toBeDefined();
    expect(opts.volumesFrom).toEqual(['cache']);
    expect(opts.network).toBe('host');
    expect(opts.user).toBe('1000:1000');
    expect(opts.securityOpt).toBe('no-new-privileges');
    // VOLUME_COPY makes CDK copy files with docker cp instead of bind mounts (not spied here): the option is passed through.
    expect(dockerRunExtras({ bundlingFileAccess: BundlingFileAccess.VOLUME_COPY }).bundlingFileAccess).toBe(BundlingFileAccess.VOLUME_COPY);
    expect(dockerRunExtras({})).toEqual({});
  });

  test('a volume\'s host path (machine-specific) does not change the hash; its container path does', () => {
    const v = (hostPath: string, containerPath = '/wheels') => layerHash({ entry, volumes: [{ hostPath, containerPath }] });
    expect(v('/home/alice/wheels')).toBe(v('/home/bob/wheels'));
    expect(v('/home/alice/wheels', '/other')).not.toBe(v('/home/alice/wheels'));
  });
});

describe('poetry export flags', () => {
  const entry = writeEntry(tmpdir(), { 'poetry.lock': '# lock\n', 'pyproject.toml': '[tool.poetry]\n' });
  const exportArgv = (o: object) => dependencySteps(detectDependencySpec(entry), resolveBundling('t', o)).find((s) => s.localTool === 'poetry')!.argv;

  test('default: hashes kept (the lock is enforced with --require-hashes), URLs kept', () => {
    expect(exportArgv({})).toEqual(['poetry', 'export', '-f', 'requirements.txt', '--output', '{{tmp}}/requirements.txt']);
  });

  test('poetryIncludeHashes is accepted and changes nothing (hashes are always kept); poetryWithoutUrls adds --without-urls and changes the hash', () => {
    expect(exportArgv({ poetryIncludeHashes: true })).toEqual(exportArgv({}));
    expect(exportArgv({ poetryIncludeHashes: false })).toEqual(exportArgv({}));
    expect(exportArgv({ poetryWithoutUrls: true })).toEqual(['poetry', 'export', '-f', 'requirements.txt', '--without-urls', '--output', '{{tmp}}/requirements.txt']);
    const base = layerHash({ entry });
    expect(layerHash({ entry, poetryIncludeHashes: true })).toBe(base);
    expect(layerHash({ entry, poetryWithoutUrls: true })).not.toBe(base);
  });

  test('poetryIncludeHashes: false warns that it changes nothing (a migrating user expects no hashes); true and unset do not', () => {
    const warnings = (o: Partial<PythonDependenciesLayerProps>) => {
      const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S');
      const layer = new PythonDependenciesLayer(stack, 'Deps', { entry, ...o });
      return Annotations.fromStack(stack).findWarning(`/${layer.node.path}`, Match.stringLikeRegexp('poetryIncludeHashes'));
    };
    const [w] = warnings({ poetryIncludeHashes: false });
    expect(w.entry.data).toMatch(/poetryIncludeHashes: false changes nothing here: every lock file \(this poetry.lock too\) is exported with its hashes and installed with --require-hashes.*Remove the option\. See https:\/\/github\.com\/.*docs\/migration\.md/);
    expect(warnings({ poetryIncludeHashes: true })).toEqual([]);
    expect(warnings({})).toEqual([]);
  });
});

describe('installer: uv pip (opt-in)', () => {
  const wheels = buildWheels();
  const entry = writeEntry(tmpdir(), { 'requirements.txt': 'purepkg==1.0.0\n' });

  test('the asset hash does not depend on the installer', () => {
    expect(layerHash({ entry, installer: PythonInstaller.UV })).toBe(layerHash({ entry }));
    expect(layerHash({ entry, installer: PythonInstaller.PIP })).toBe(layerHash({ entry }));
  });

  test('uv argv: same requirements, target and platform, in uv\'s flags', () => {
    const pip = dependencySteps(detectDependencySpec(entry), resolveBundling('t', {})).find((s) => s.description === 'pip install')!;
    expect(pip.localAlternative).toBeUndefined();
    const withUv = dependencySteps(detectDependencySpec(entry), resolveBundling('t', { installer: PythonInstaller.UV })).find((s) => s.description === 'pip install')!;
    expect(withUv.argv).toEqual(pip.argv); // Docker and machines without uv: pip
    expect(withUv.localAlternative).toEqual({
      tool: 'uv',
      argv: ['uv', 'pip', 'install', '--python', '{{python}}', '--python-platform', 'aarch64-manylinux_2_28',
        '--requirement', '{{input}}/requirements.txt', '--target', '{{output}}/python', '--only-binary', ':all:', '--python-version', '3.12'],
    });
    expect(uvInstallArgv(pip.argv, lambda.Architecture.X86_64)).toContain('x86_64-manylinux_2_28');
    expect(uvInstallArgv(['pip', 'install'], lambda.Architecture.ARM_64)).toBeUndefined();
  });

  test('locally with uv on PATH, uv installs (pip does not run); without uv, pip does', () => {
    const bin = tmpdir('fake-uv-');
    const record = path.join(bin, 'argv.json');
    // A fake uv: answers --version, records its argv, and installs a marker module into --target.
    fs.writeFileSync(path.join(bin, 'uv'), `#!${PY312}
import json, os, sys
if sys.argv[1:] == ['--version']:
    print('uv 0.0.0'); sys.exit(0)
json.dump(sys.argv[1:], open(${JSON.stringify(record)}, 'w'))
target = sys.argv[sys.argv.index('--target') + 1]
os.makedirs(os.path.join(target, 'installed_by_uv'), exist_ok=True)
open(os.path.join(target, 'installed_by_uv', '__init__.py'), 'w').write('')
`, { mode: 0o755 });
    const synth = () => {
      const stack = new Stack(new App({ outdir: tmpdir('cpc-out-') }), 'S');
      const layer = new PythonDependenciesLayer(stack, 'Deps', { entry, pythonExecutable: PY312, installer: PythonInstaller.UV, environment: hermeticPipEnv(wheels) });
      return layer.sizeReport!.largestPackages.map((p) => p.name);
    };
    const withUv = withEnv({ PATH: `${bin}${path.delimiter}${process.env.PATH}` }, synth);
    expect(withUv).toContain('installed_by_uv');
    const argv: string[] = JSON.parse(fs.readFileSync(record, 'utf8'));
    expect(argv.slice(0, 6)).toEqual(['pip', 'install', '--python', PY312, '--python-platform', 'aarch64-manylinux_2_28']);
    expect(argv).toContain(path.join(entry, 'requirements.txt'));
    expect(argv).not.toContain('--platform');
    const withoutUv = withEnv({ PATH: process.env.PATH }, synth);
    expect(withoutUv).not.toContain('installed_by_uv');
  });
});

/** The staged folder of the only Function asset in the stack's outdir. */
function stagedDir(stack: Stack): string {
  const outdir = (stack.node.root as App).outdir;
  const dirs = fs.readdirSync(outdir).filter((d) => d.startsWith('asset.')).map((d) => path.join(outdir, d));
  expect(dirs).toHaveLength(1);
  return dirs[0];
}
