import { spawnSync } from 'child_process';
import * as path from 'path';
import { requirePython } from '../helpers/python';

const ROOT = path.join(__dirname, '..', '..');

test('lazy-init runtime kit: Python unittest suite passes on Python 3.12', () => {
  const python = requirePython('3.12');
  const r = spawnSync(python, ['-B', '-m', 'unittest', 'discover', '-v', '-s', 'test/python/lazy', '-t', 'test/python/lazy'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', PYTHONPATH: path.join(ROOT, 'assets', 'runtime'), PYTHONDONTWRITEBYTECODE: '1' },
    timeout: 120_000,
  });
  const output = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0) {
    throw new Error(`Python unittest failed (status ${r.status}):\n${output}`);
  }
  // the suite really ran: the thread-safety and restore tests are in it
  expect(output).toMatch(/Ran (\d+) tests/);
  expect(Number(/Ran (\d+) tests/.exec(output)![1])).toBeGreaterThanOrEqual(15);
  expect(output).toMatch(/test_factory_runs_once_under_contention .* \.\.\. ok/);
  expect(output).toMatch(/test_restore_drops_marked_values_keeps_others_and_reseeds_random .* \.\.\. ok/);
});
