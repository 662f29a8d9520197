// `npm run bench`: finds Python 3.12 and runs the dependencies-layer cold-import benchmark
// (bench/deps/run.py). A benchmark, not a test: it prints ratios measured side by side in one run.
import { spawnSync } from 'child_process';
import * as path from 'path';
import { findPython } from '../../test/helpers/python';

const python = findPython('3.12');
if (!python) {
  process.stderr.write('Python 3.12 not found: set CDK_PYTHON_COLDSTART_PYTHON or put python3.12 on PATH\n');
  process.exit(2);
}
const r = spawnSync(python, [path.join(__dirname, 'run.py'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
