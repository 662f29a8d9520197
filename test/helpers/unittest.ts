import { spawnSync } from 'child_process';
import { requirePython } from './python';

/**
 * Runs a folder of Python unittest files with a real CPython and fails with the Python output when any
 * test fails (or none ran).
 */
export function runPythonUnittests(dir: string, version = '3.12', pattern = 'test_*.py'): string {
  const py = requirePython(version);
  const r = spawnSync(py, ['-B', '-m', 'unittest', 'discover', '-s', dir, '-p', pattern, '-v'], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    timeout: 120_000,
  });
  const out = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0 || !/\nOK/.test(out) || /Ran 0 tests/.test(out)) {
    throw new Error(`Python unittest in ${dir} failed (exit ${r.status}):\n${out}`);
  }
  return out;
}
