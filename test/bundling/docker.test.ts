import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, DockerImage, DockerRunOptions, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { REPO, tmpdir, writeEntry } from './helpers';
import { PythonDependenciesLayer, PythonDependenciesLayerProps, PythonHandlerCode } from '../../lib/bundling';
import { dependencySteps, resolveBundling, shellQuote } from '../../lib/bundling/bundler';
import { detectDependencySpec } from '../../lib/bundling/spec';

const PLATFORM_ARM = ['--platform', 'manylinux_2_28_aarch64', '--platform', 'manylinux2014_aarch64', '--only-binary=:all:', '--python-version', '3.12', '--implementation', 'cp', '--abi', 'cp312'];
const PLATFORM_X86 = ['--platform', 'manylinux_2_28_x86_64', '--platform', 'manylinux2014_x86_64', '--only-binary=:all:', '--python-version', '3.12', '--implementation', 'cp', '--abi', 'cp312'];

/** A `docker` that answers `docker version` (there is no Docker engine here). */
function fakeDocker(): string {
  const file = path.join(tmpdir(), 'docker');
  fs.writeFileSync(file, '#!/bin/sh\necho 27.0.0\n', { mode: 0o755 });
  return file;
}

/** Runs synthesis with DockerImage.run spied (no Docker engine here): returns what Docker would run. */
function dockerRun(props: Partial<PythonDependenciesLayerProps> & { entry: string }): { image: string; opts: DockerRunOptions } {
  const calls: Array<{ image: string; opts: DockerRunOptions }> = [];
  const spy = jest.spyOn(DockerImage.prototype, 'run').mockImplementation(function (this: DockerImage, opts: DockerRunOptions = {}) {
    calls.push({ image: this.image, opts });
    const out = opts.volumes!.find((v) => v.containerPath === '/asset-output')!.hostPath;
    fs.mkdirSync(path.join(out, 'python'), { recursive: true });
    fs.writeFileSync(path.join(out, 'python', 'marker.py'), '');
  });
  const savedDocker = process.env.CDK_DOCKER;
  process.env.CDK_DOCKER = savedDocker ?? fakeDocker();
  try {
    const app = new App({ outdir: tmpdir('cpc-out-') });
    new PythonDependenciesLayer(new Stack(app, 'S'), 'Deps', props);
  } finally {
    spy.mockRestore();
    if (savedDocker === undefined) delete process.env.CDK_DOCKER; else process.env.CDK_DOCKER = savedDocker;
  }
  expect(calls).toHaveLength(1);
  return calls[0];
}

/** Splits a bash command line into the argv bash would run, using bash itself. */
function bashArgv(line: string): string[] {
  const r = spawnSync('bash', ['-c', `set -- ${line}; printf '%s\\0' "$@"`], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return r.stdout.split('\0').slice(0, -1);
}

describe('Docker fallback for requirements.txt (forceDockerBundling)', () => {
  const entry = writeEntry(tmpdir(), { 'requirements.txt': 'requests\n' });
  const { image, opts } = dockerRun({ entry, forceDockerBundling: true, environment: { PIP_INDEX_URL: 'https://pypi.example.com/simple' } });

  test('uses the AWS SAM build image for the runtime and architecture', () => {
    expect(image).toBe('public.ecr.aws/sam/build-python3.12:latest-arm64');
    expect(opts.platform).toBe('linux/arm64');
  });

  test('mounts the entry, the output and the library assets', () => {
    expect(opts.volumes).toEqual([
      { hostPath: entry, containerPath: '/asset-input' },
      { hostPath: expect.stringContaining('asset.'), containerPath: '/asset-output' },
      expect.objectContaining({ hostPath: path.join(REPO, 'assets'), containerPath: '/cdk-python-coldstart-assets' }),
    ]);
    expect(opts.environment).toMatchObject({ PIP_INDEX_URL: 'https://pypi.example.com/simple', PYTHONHASHSEED: '0', HOME: '/tmp' });
  });

  test('runs the same pip argv and the same optimizer script, every argument quoted', () => {
    expect(opts.command).toEqual(['bash', '-c', expect.any(String)]);
    const script = opts.command![2];
    expect(script.startsWith('set -euo pipefail; ')).toBe(true);
    const [mkdir, pip, verify, optimizer] = script.slice('set -euo pipefail; '.length).split(' && ');
    expect(bashArgv(mkdir)).toEqual(['mkdir', '-p', '/tmp/cdk-python-coldstart']);
    expect(bashArgv(pip)).toEqual(['python3.12', '-m', 'pip', 'install', '--requirement', '/asset-input/requirements.txt', '--target', '/asset-output/python',
      '--no-compile', '--disable-pip-version-check', ...PLATFORM_ARM, '--report', '/tmp/cdk-python-coldstart/pip-report.json']);
    expect(bashArgv(verify).slice(0, 3)).toEqual(['python3.12', '/cdk-python-coldstart-assets/bundling/supply_chain.py', 'verify']);
    expect(bashArgv(optimizer)).toEqual(['python3.12', '/cdk-python-coldstart-assets/bundling/optimize.py', '--target', '/asset-output/python',
      '--python-version', '3.12', '--ddir', '/opt/python', '--drop-scripts']);
    expect(opts.workingDirectory).toBe('/asset-input');
  });
});

test('x86_64, another runtime and options: image tag, platform flags and optimizer flags follow', () => {
  const entry = writeEntry(tmpdir(), { 'requirements.txt': 'requests\n' });
  const { image, opts } = dockerRun({
    entry,
    forceDockerBundling: true,
    architecture: lambda.Architecture.X86_64,
    runtime: lambda.Runtime.PYTHON_3_13,
    optimization: { sourceless: true, stripDebugSymbols: true, removeTestSuites: true, excludePackages: ['boto3', 'botocore'] },
  });
  expect(image).toBe('public.ecr.aws/sam/build-python3.13:latest-x86_64');
  expect(opts.platform).toBe('linux/amd64');
  const script = opts.command![2];
  expect(script).toContain(PLATFORM_X86.map((a) => shellQuote(a.replace('3.12', '3.13').replace('cp312', 'cp313'))).join(' '));
  expect(script).toContain("'python3.13' '/cdk-python-coldstart-assets/bundling/optimize.py' '--target' '/asset-output/python' '--python-version' '3.13' '--ddir' '/opt/python' '--strip' '--sourceless' '--remove-tests' '--exclude-package' 'boto3' '--exclude-package' 'botocore' '--drop-scripts'");
});

test('a custom dockerImage is used', () => {
  const entry = writeEntry(tmpdir(), { 'requirements.txt': 'requests\n' });
  const { image } = dockerRun({ entry, forceDockerBundling: true, dockerImage: DockerImage.fromRegistry('my.registry/python-build:3.12') });
  expect(image).toBe('my.registry/python-build:3.12');
});

test.each([
  ['uv.lock', { 'uv.lock': 'version = 1\n', 'pyproject.toml': '[project]\nname = "a"\n' },
    "env 'PYTHONPATH=/tmp/cdk-python-coldstart/tools' 'python3.12' '-m' 'uv' 'export' '--format' 'requirements-txt' '--frozen' '--no-dev' '--no-emit-project' '--output-file' '/tmp/cdk-python-coldstart/requirements.txt'"],
  ['poetry.lock', { 'poetry.lock': '# lock\n', 'pyproject.toml': '[tool.poetry]\n' },
    "'python3.12' '-m' 'poetry' 'export' '-f' 'requirements.txt' '--output' '/tmp/cdk-python-coldstart/requirements.txt'"],
  ['Pipfile.lock', { 'Pipfile.lock': '{}\n', 'Pipfile': '[packages]\n' },
    "'python3.12' '-m' 'pipenv' 'requirements' '--hash' > '/tmp/cdk-python-coldstart/requirements.txt'"],
])('%s is exported with its tool (with hashes) in Docker, then installed with the same pip argv', (_, files, exportLine) => {
  const entry = writeEntry(tmpdir(), files);
  const script = dockerRun({ entry, forceDockerBundling: true }).opts.command![2];
  expect(script).toContain(exportLine);
  expect(script).not.toMatch(/no-hashes|without-hashes/);
  // third-party requirements with --require-hashes; the user's local folders after them, with --no-deps
  expect(script).toContain("'--requirement' '/tmp/cdk-python-coldstart/requirements-third-party.txt' '--target' '/asset-output/python'");
  expect(script).toMatch(/requirements-third-party\.txt' [^&]*'--only-binary=:all:'[^&]*'--require-hashes'/);
  expect(script).toMatch(/requirements-local\.txt' [^&]*'--only-binary=:all:'[^&]*'--no-deps'/);
  expect(script.indexOf(exportLine)).toBeLessThan(script.indexOf("'split'"));
  expect(script.indexOf("'split'")).toBeLessThan(script.indexOf("'--requirement'"));
  expect(script.indexOf("'verify'")).toBeGreaterThan(script.lastIndexOf("'--requirement'"));
});

test('local steps for a lock file use the tool from PATH, with the same pip argv as Docker', () => {
  const entry = writeEntry(tmpdir(), { 'uv.lock': 'version = 1\n', 'pyproject.toml': '[project]\nname = "a"\n' });
  const steps = dependencySteps(detectDependencySpec(entry), resolveBundling('t', {}));
  const local = steps.filter((s) => !s.dockerOnly);
  expect(local.map((s) => s.argv[0])).toEqual(['uv', '{{python}}', '{{python}}', '{{python}}', '{{python}}', '{{python}}']);
  expect(local[0].argv).toEqual(['uv', 'export', '--format', 'requirements-txt', '--frozen', '--no-dev', '--no-emit-project', '--output-file', '{{tmp}}/requirements.txt']);
  // split, pip, verification and the optimizer are single steps shared by both modes
  expect(steps.filter((s) => s.description === 'pip install')).toHaveLength(1);
  expect(steps.filter((s) => s.description.startsWith('verify native code'))).toHaveLength(1);
  expect(steps.filter((s) => s.description === 'optimize bytecode')).toHaveLength(1);
});

test('no local Python but a Docker engine: says why and falls back to Docker', () => {
  const entry = writeEntry(tmpdir(), { 'requirements.txt': 'requests\n' });
  const docker = fakeDocker();
  const saved = {
    PATH: process.env.PATH, CDK_DOCKER: process.env.CDK_DOCKER, PY: process.env.CDK_PYTHON_COLDSTART_PYTHON, PYENV_ROOT: process.env.PYENV_ROOT,
  };
  process.env.PATH = path.dirname(docker);
  // Discovery also looks in pyenv's versions folder, which has a 3.12 on this machine: point it at an empty one.
  const emptyPyenv = tmpdir();
  process.env.PYENV_ROOT = emptyPyenv;
  process.env.CDK_DOCKER = docker;
  delete process.env.CDK_PYTHON_COLDSTART_PYTHON;
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const { image } = dockerRun({ entry });
    expect(image).toBe('public.ecr.aws/sam/build-python3.12:latest-arm64');
    const printed = stderr.mock.calls.map((c) => String(c[0])).join('');
    expect(printed).toContain(`cannot bundle locally (python3.12 is not on PATH; no 3.12.x in pyenv's ${path.join(emptyPyenv, 'versions')}).\nFalling back`);
    expect(printed).toMatch(/\.\nFalling back to Docker with public.ecr.aws\/sam\/build-python3.12:latest-arm64/);
  } finally {
    stderr.mockRestore();
    process.env.PATH = saved.PATH;
    if (saved.PYENV_ROOT === undefined) delete process.env.PYENV_ROOT; else process.env.PYENV_ROOT = saved.PYENV_ROOT;
    if (saved.CDK_DOCKER === undefined) delete process.env.CDK_DOCKER; else process.env.CDK_DOCKER = saved.CDK_DOCKER;
    if (saved.PY !== undefined) process.env.CDK_PYTHON_COLDSTART_PYTHON = saved.PY;
  }
});

test('handler code in Docker: same optimizer, copy with excludes, runtime kit from the mounted assets', () => {
  const entry = writeEntry(tmpdir(), { 'app.py': 'def handler(e, c):\n    return 1\n' });
  const calls: DockerRunOptions[] = [];
  const spy = jest.spyOn(DockerImage.prototype, 'run').mockImplementation((opts: DockerRunOptions = {}) => {
    calls.push(opts);
    fs.writeFileSync(path.join(opts.volumes!.find((v) => v.containerPath === '/asset-output')!.hostPath, 'app.py'), '');
  });
  process.env.CDK_DOCKER = fakeDocker();
  try {
    const stack = new Stack(new App({ outdir: tmpdir('cpc-out-') }), 'S');
    new lambda.Function(stack, 'F', {
      runtime: lambda.Runtime.PYTHON_3_12,
      handler: 'app.handler',
      code: PythonHandlerCode.fromEntry(entry, { forceDockerBundling: true, includeRuntimeKit: true, exclude: ['fixtures'] }),
    });
  } finally {
    spy.mockRestore();
    delete process.env.CDK_DOCKER;
  }
  const script = calls[0].command![2];
  expect(script).toContain("'python3.12' '/cdk-python-coldstart-assets/bundling/optimize.py' '--target' '/asset-output' '--python-version' '3.12' '--ddir' '/var/task' '--strict' '--copy-from' '/asset-input' '--exclude=requirements*.txt'");
  expect(script).toContain("'--exclude=fixtures' '--copy-package' '/cdk-python-coldstart-assets/runtime/cdk_python_coldstart_runtime'");
});

test('shellQuote round-trips hostile strings through bash', () => {
  const nasty = ['a b', '$(touch pwned)', '`touch pwned`', '\'q"', 'x;y&&z', '*', '', '\\n$HOME'];
  expect(bashArgv(nasty.map(shellQuote).join(' '))).toEqual(nasty);
});

test('forceDockerBundling without a Docker engine: clear error', () => {
  const entry = writeEntry(tmpdir(), { 'requirements.txt': 'requests\n' });
  process.env.CDK_DOCKER = '/nonexistent/docker';
  try {
    expect(() => new PythonDependenciesLayer(new Stack(new App({ outdir: tmpdir('cpc-out-') }), 'S'), 'Deps', { entry, forceDockerBundling: true }))
      .toThrow(/forceDockerBundling is set, but no Docker engine is available.*Start Docker, or unset forceDockerBundling/);
  } finally {
    delete process.env.CDK_DOCKER;
  }
});
