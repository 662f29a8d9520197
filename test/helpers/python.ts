import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * Finds a CPython interpreter of the given minor version for tests (never used by the library itself).
 * Order: $CDK_PYTHON_COLDSTART_PYTHON (if it has that version), `python3.N` on PATH, pyenv's versions folder.
 */
export function findPython(version = '3.12'): string | undefined {
  const candidates: string[] = [];
  if (process.env.CDK_PYTHON_COLDSTART_PYTHON) {
    candidates.push(process.env.CDK_PYTHON_COLDSTART_PYTHON);
  }
  candidates.push(`python${version}`);
  const pyenvRoot = process.env.PYENV_ROOT ?? path.join(process.env.HOME ?? '/root', '.pyenv');
  const versionsDir = path.join(pyenvRoot, 'versions');
  if (fs.existsSync(versionsDir)) {
    for (const v of fs.readdirSync(versionsDir).sort().reverse()) {
      if (v.startsWith(`${version}.`)) {
        candidates.push(path.join(versionsDir, v, 'bin', `python${version}`));
      }
    }
  }
  for (const c of candidates) {
    const r = spawnSync(c, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim() === version) {
      return c;
    }
  }
  return undefined;
}

/** Like findPython, but fails the test run with a clear message when the interpreter is missing. */
export function requirePython(version = '3.12'): string {
  const py = findPython(version);
  if (!py) {
    throw new Error(`Python ${version} not found: set CDK_PYTHON_COLDSTART_PYTHON or put python${version} on PATH`);
  }
  return py;
}
