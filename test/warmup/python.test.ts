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
