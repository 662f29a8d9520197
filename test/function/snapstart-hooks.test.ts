import * as path from 'path';
import { runPythonUnittests } from '../helpers/unittest';

test('example handler re-creates IDs and clients after a SnapStart restore (Python 3.12)', () => {
  const out = runPythonUnittests(path.join(__dirname, '..', 'python', 'function'));
  expect(out).toMatch(/test_hooks_registered_at_import_and_state_recreated_after_restore .* ok/);
});
