import { spawnSync } from 'child_process';
import * as path from 'path';
import { requirePython } from '../helpers/python';

// The runtime kit's warmup/wrapper modules and the fan-out warmer run on python3.12 in Lambda:
// their unittest suites (test/python/warmup) run here on a real Python 3.12.
const ROOT = path.join(__dirname, '..', '..');

test('Python 3.12 unittest suite for warmup.py, wrapper.py and the fan-out warmer passes', () => {
  const python = requirePython('3.12');
  const dir = path.join(ROOT, 'test', 'python', 'warmup');
  const r = spawnSync(python, ['-m', 'unittest', 'discover', '-s', dir, '-t', dir, '-p', 'test_*.py', '-v'], {
    cwd: ROOT,
    encoding: 'utf8',
    // No __pycache__ in assets/: it would change the warmer's asset hash.
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    timeout: 120_000,
  });
  const output = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0) {
    throw new Error(`Python unittest failed (exit ${r.status}):\n${output}`);
  }
  // Guard against a discovery that silently finds nothing.
  const ran = /Ran (\d+) tests?/.exec(output);
  expect(ran).not.toBeNull();
  expect(Number(ran![1])).toBeGreaterThanOrEqual(20);
  expect(output).toMatch(/\nOK/);
});

test('the TypeScript side and the Python side agree on the warm-up contract', () => {
  // Imported lazily so this file stays a pure Python-runner when lib/ does not compile yet.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { AliasWarmer, WarmupHandler } = require('../../lib/warmup');
  const python = requirePython('3.12');
  const script = [
    'import json, sys',
    `sys.path[:0] = [${JSON.stringify(path.join(ROOT, 'assets', 'runtime'))}, ${JSON.stringify(path.join(ROOT, 'assets', 'warmer'))}]`,
    'import os; os.environ["CDK_PYTHON_COLDSTART_HANDLER"] = "json.dumps"',
    'from cdk_python_coldstart_runtime import warmup, wrapper',
    'import index',
    'print(json.dumps({"key": warmup.WARMUP_KEY, "value": warmup.WARMUP_VALUE, "maxLinger": warmup.MAX_LINGER_MS,',
    '  "target": index.TARGET_ENV, "concurrency": index.CONCURRENCY_ENV, "payload": index.PAYLOAD_ENV,',
    '  "maxConcurrency": index.MAX_CONCURRENCY, "handlerEnv": wrapper.HANDLER_ENV}))',
  ].join('\n');
  const r = spawnSync(python, ['-c', script], { encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual({
    key: AliasWarmer.WARMUP_MARKER_KEY,
    value: AliasWarmer.WARMUP_MARKER_VALUE,
    maxLinger: AliasWarmer.MAX_LINGER_MS,
    target: AliasWarmer.TARGET_ENV_VAR,
    concurrency: AliasWarmer.CONCURRENCY_ENV_VAR,
    payload: AliasWarmer.PAYLOAD_ENV_VAR,
    maxConcurrency: AliasWarmer.MAX_CONCURRENCY,
    handlerEnv: WarmupHandler.HANDLER_ENV_VAR,
  });
});
