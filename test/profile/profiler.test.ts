import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { copyFixture, fakeElf, FIXTURES, pycacheDirs } from './util';
import { InitProfiler } from '../../lib/profile';
import { findProfilerPython, PROFILE_FAKE_REGION, PROFILER_SCRIPT, runInitProfile } from '../../lib/profile/profiler';
import { requirePython } from '../helpers/python';

const python = requirePython('3.12');
const runtime = lambda.Runtime.PYTHON_3_12;

describe('profiling a handler with a heavy import in a layer', () => {
  const dir = copyFixture('basic');
  const result = InitProfiler.profile({
    codeDir: path.join(dir, 'code'),
    layerDirs: [path.join(dir, 'layer')],
    handler: 'index.handler',
    runtime,
    pythonExecutable: python,
  });

  test('total and import times are plausible for a ~150 ms busy-wait', () => {
    expect(result.totalMs).toBeGreaterThanOrEqual(145);
    expect(result.totalMs).toBeLessThan(5000);
    expect(result.importMs).toBeGreaterThanOrEqual(145);
    expect(result.importMs).toBeLessThanOrEqual(result.totalMs);
    expect(result.handlerFound).toBe(true);
    expect(result.pythonVersion).toMatch(/^3\.12\./);
  });

  test('names the heaviest import first, with its cumulative and self time', () => {
    expect(result.topImports[0].moduleName).toBe('heavy');
    expect(result.topImports[0].cumulativeMs).toBeGreaterThanOrEqual(145);
    expect(result.topImports[0].selfMs).toBeGreaterThanOrEqual(145);
    expect(result.topImports.map((t) => t.moduleName)).toContain('light');
    // the handler module itself is the total, not an import
    expect(result.topImports.map((t) => t.moduleName)).not.toContain('index');
  });

  test('writes no bytecode into the code or the layer (Lambda extracts them read-only)', () => {
    expect(pycacheDirs(dir)).toEqual([]);
  });

  test('modules without usable bytecode are counted as compiled at every cold start', () => {
    expect(result.modulesCompiledFromSource).toBe(3); // index, light, heavy
  });
});

test('timestamp .pyc count as stale (as after CDK zips the asset), unchecked-hash .pyc are used', () => {
  const dir = copyFixture('basic');
  const props = { codeDir: path.join(dir, 'code'), layerDirs: [path.join(dir, 'layer')], handler: 'index.handler', runtime, pythonExecutable: python };
  const compile = (mode: string) => {
    const r = spawnSync(python, ['-m', 'compileall', '-q', '-f', '--invalidation-mode', mode, dir], { encoding: 'utf8' });
    expect(r.status).toBe(0);
  };
  compile('timestamp');
  expect(InitProfiler.profile(props).modulesCompiledFromSource).toBe(3);
  compile('unchecked-hash');
  expect(InitProfiler.profile(props).modulesCompiledFromSource).toBe(0);
});

test('later layers are searched first, as when Lambda extracts them into /opt in order', () => {
  const dir = copyFixture('basic');
  const second = path.join(dir, 'layer2', 'python');
  fs.mkdirSync(second, { recursive: true });
  fs.writeFileSync(path.join(second, 'heavy.py'), 'READY = True\n');
  const r = InitProfiler.profile({
    codeDir: path.join(dir, 'code'), layerDirs: [path.join(dir, 'layer'), path.join(dir, 'layer2')], handler: 'index.handler', runtime, pythonExecutable: python,
  });
  expect(r.totalMs).toBeLessThan(100);
});

test('a handler that raises at import gives an error naming the module and the exception', () => {
  const dir = copyFixture('broken');
  const outcome = runInitProfile({ codeDir: path.join(dir, 'code'), handler: 'index.handler', runtime, pythonExecutable: python });
  expect(outcome.result).toBeUndefined();
  expect(outcome.failure?.kind).toBe('init-error');
  expect(outcome.failure?.environmental).toBe(false);
  expect(outcome.failure?.failingModule).toBe('config');
  expect(outcome.failure?.message).toContain("importing handler module 'index' failed: RuntimeError: TABLE_NAME is not configured");
  expect(outcome.failure?.message).toContain("raised in module 'config'");
  expect(outcome.failure?.traceback).toContain('config.py", line 3');
  expect(() => InitProfiler.profile({ codeDir: path.join(dir, 'code'), handler: 'index.handler', runtime, pythonExecutable: python }))
    .toThrow(/TABLE_NAME is not configured/);
});

test('a missing handler function is reported, not hidden', () => {
  const dir = copyFixture('nohandler');
  const r = InitProfiler.profile({ codeDir: path.join(dir, 'code'), handler: 'index.handler', runtime, pythonExecutable: python });
  expect(r.handlerFound).toBe(false);
  expect(InitProfiler.profile({ codeDir: path.join(dir, 'code'), handler: 'index.main', runtime, pythonExecutable: python }).handlerFound).toBe(true);
});

test('the timeout stops an init that does not finish', () => {
  const dir = copyFixture('slow');
  const started = Date.now();
  const outcome = runInitProfile({ codeDir: path.join(dir, 'code'), handler: 'index.handler', runtime, pythonExecutable: python, timeout: Duration.seconds(2) });
  expect(Date.now() - started).toBeLessThan(15_000);
  expect(outcome.failure?.kind).toBe('timeout');
  expect(outcome.failure?.message).toContain('init did not finish within 2s');
});

test('the profiled code sees no credentials, a fake region and the Lambda variables', () => {
  const dir = copyFixture('envdump');
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_SECRET_ACCESS_KEY: 'secret-from-host', AWS_ACCESS_KEY_ID: 'AKIAHOST', AWS_SESSION_TOKEN: 'tok', AWS_PROFILE: 'prod', AWS_REGION: 'eu-west-1',
  });
  let outcome;
  try {
    outcome = runInitProfile({
      codeDir: path.join(dir, 'code'),
      handler: 'index.handler',
      runtime,
      pythonExecutable: python,
      environment: { TABLE_NAME: 'orders', AWS_SECRET_ACCESS_KEY: 'from-function-env' },
      functionName: 'Orders',
    });
  } finally {
    process.env = saved;
  }
  const message = outcome.failure?.message ?? '';
  const seen = JSON.parse(/ENV(\{.*?\})/.exec(message)![1]);
  expect(seen).toMatchObject({
    AWS_SECRET_ACCESS_KEY: null,
    AWS_ACCESS_KEY_ID: null,
    AWS_SESSION_TOKEN: null,
    AWS_PROFILE: null,
    HOME: null,
    AWS_REGION: PROFILE_FAKE_REGION,
    AWS_DEFAULT_REGION: PROFILE_FAKE_REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_LAMBDA_FUNCTION_NAME: 'Orders',
    AWS_EXECUTION_ENV: 'AWS_Lambda_python3.12',
    TABLE_NAME: 'orders',
    LAMBDA_TASK_ROOT: path.join(dir, 'code'),
  });
  expect(seen.PATH).toBe(process.env.PATH);
});

describe('when it cannot run', () => {
  test('native code for another architecture: says how to profile instead', () => {
    const dir = copyFixture('basic');
    const hostIsArm = os.arch() === 'arm64';
    const pkg = path.join(dir, 'layer', 'python', 'fastlib');
    fs.mkdirSync(pkg, { recursive: true });
    const soName = hostIsArm ? '_speedups.cpython-312-x86_64-linux-gnu.so' : '_speedups.cpython-312-aarch64-linux-gnu.so';
    fs.writeFileSync(path.join(pkg, soName), fakeElf(hostIsArm ? 0x3e : 0xb7));
    const outcome = runInitProfile({ codeDir: path.join(dir, 'code'), layerDirs: [path.join(dir, 'layer')], handler: 'index.handler', runtime, pythonExecutable: python });
    expect(outcome.failure?.kind).toBe('architecture');
    expect(outcome.failure?.environmental).toBe(true);
    expect(outcome.failure?.message).toContain(soName);
    if (!hostIsArm) {
      expect(outcome.failure?.message).toContain('built for aarch64');
      expect(outcome.failure?.message).toContain('Profile on an arm64 machine, or build for x86_64 to profile, or use the CLI');
    }
  });

  test('an interpreter of the wrong version is refused with how to provide one', () => {
    const r = findProfilerPython('3.11', python);
    expect(r.path).toBeUndefined();
    expect(r.error).toContain('it is Python 3.12');
    expect(r.error).toContain('CDK_PYTHON_COLDSTART_PYTHON');
    expect(r.error).toContain('python3.11 on PATH');
  });

  test('no interpreter of the runtime version at all', () => {
    const dir = copyFixture('basic');
    const outcome = runInitProfile({
      codeDir: path.join(dir, 'code'), handler: 'index.handler', runtime: new lambda.Runtime('python3.99', lambda.RuntimeFamily.PYTHON),
    });
    expect(outcome.failure?.kind).toBe('no-python');
    expect(outcome.failure?.message).toMatch(/no Python 3\.99 interpreter found.*CDK_PYTHON_COLDSTART_PYTHON.*python3\.99 on PATH/);
  });

  test('CDK_PYTHON_COLDSTART_PYTHON is used when it has the right version', () => {
    const saved = process.env.CDK_PYTHON_COLDSTART_PYTHON;
    process.env.CDK_PYTHON_COLDSTART_PYTHON = python;
    try {
      expect(findProfilerPython('3.12').path).toBe(python);
    } finally {
      if (saved === undefined) delete process.env.CDK_PYTHON_COLDSTART_PYTHON; else process.env.CDK_PYTHON_COLDSTART_PYTHON = saved;
    }
  });

  test('a missing code directory (asset not bundled) is explained', () => {
    const outcome = runInitProfile({ codeDir: path.join(os.tmpdir(), 'does-not-exist-profile'), handler: 'index.handler', runtime, pythonExecutable: python });
    expect(outcome.failure?.kind).toBe('missing-directory');
    expect(outcome.failure?.message).toContain('directory not found');
  });

  test('non-Python runtimes are refused', () => {
    expect(runInitProfile({ codeDir: '.', handler: 'index.handler', runtime: lambda.Runtime.NODEJS_20_X }).failure?.message)
      .toContain('not a Python runtime');
  });
});

test('profile_init.py itself: one JSON object on stdout, non-zero exit when the handler fails at init', () => {
  const dir = copyFixture('broken');
  const r = spawnSync(python, ['-I', '-B', PROFILER_SCRIPT, '--handler', 'index.handler', '--code-dir', path.join(dir, 'code')], { encoding: 'utf8' });
  expect(r.status).toBe(1);
  const out = JSON.parse(r.stdout);
  expect(out).toMatchObject({ ok: false, error: { kind: 'init-error', module: 'index', failingModule: 'config', exceptionType: 'RuntimeError' } });
  expect(out.error.traceback).toMatch(/config\.py", line 3, in <module>\n\s+raise RuntimeError/);
  expect(out.error.traceback).not.toContain('profile_init.py'); // starts at the user's code

  const ok = spawnSync(python, ['-I', '-B', PROFILER_SCRIPT, '--handler', 'index.handler', '--code-dir', path.join(copyFixture('basic'), 'code'),
    '--layer-dir', path.join(FIXTURES, 'basic', 'layer'), '--top', '1'], { encoding: 'utf8' });
  expect(ok.status).toBe(0);
  const parsed = JSON.parse(ok.stdout);
  expect(Object.keys(parsed)).toEqual(expect.arrayContaining(['totalMs', 'importMs', 'top', 'handlerFound']));
  expect(parsed.top).toEqual([{ module: 'heavy', cumulativeMs: expect.any(Number), selfMs: expect.any(Number) }]);
});
