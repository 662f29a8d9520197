import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { requirePython } from '../helpers/python';

export const PY312 = requirePython('3.12');
export const REPO = path.resolve(__dirname, '..', '..');
export const OPTIMIZER = path.join(REPO, 'assets', 'bundling', 'optimize.py');

export function tmpdir(prefix = 'cpc-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Builds the fixture wheels with a stdlib zipfile writer and returns the find-links folder. */
export function buildWheels(): string {
  const dir = tmpdir('cpc-wheels-');
  const r = spawnSync(PY312, [path.join(REPO, 'test', 'fixtures', 'bundling', 'make_wheels.py'), dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return dir;
}

/** Hermetic pip through the construct's `environment` prop (also proves PIP_* variables are honoured). */
export function hermeticPipEnv(wheels: string): Record<string, string> {
  return { PIP_CONFIG_FILE: '/dev/null', PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheels };
}

export function writeEntry(dir: string, files: Record<string, string>): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Every file below dir (relative, sorted). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of fs.readdirSync(d).sort()) {
      const p = path.join(d, n);
      if (fs.statSync(p).isDirectory()) walk(p); else out.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

/**
 * Checks every .pyc below dir with CPython 3.12 itself: magic number == importlib.util.MAGIC_NUMBER
 * and flags & 0b11 == 0b01 (hash-based, unchecked). Returns the number of .pyc files checked.
 */
export function checkPycs(dir: string): { count: number; bad: string[] } {
  const script = [
    'import importlib.util, os, sys',
    'bad, count = [], 0',
    'for d, _, fs in os.walk(sys.argv[1]):',
    '    for f in fs:',
    '        if f.endswith(".pyc"):',
    '            count += 1',
    '            data = open(os.path.join(d, f), "rb").read(16)',
    '            flags = int.from_bytes(data[4:8], "little")',
    '            if data[:4] != importlib.util.MAGIC_NUMBER or flags & 0b11 != 0b01:',
    '                bad.append(f)',
    'print(count); print("\\n".join(bad))',
  ].join('\n');
  const r = spawnSync(PY312, ['-I', '-c', script, dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const [count, ...bad] = r.stdout.trim().split('\n');
  return { count: Number(count), bad: bad.filter((b) => b) };
}

/** Runs code in a fresh, isolated python3.12 with sys.path = [dir] (like Lambda's /opt/python). */
export function runIsolated(dir: string, code: string): { status: number | null; stdout: string; stderr: string } {
  const prog = `import sys; sys.path[:0] = [${JSON.stringify(dir)}]\n${code}`;
  const r = spawnSync(PY312, ['-I', '-B', '-c', prog], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', PYTHONDONTWRITEBYTECODE: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
