import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { checkPycs, listFiles, OPTIMIZER, PY312, runIsolated, tmpdir, writeEntry } from './helpers';
import { findPython } from '../helpers/python';

const RECORD = (files: string[]) => files.map((f) => `${f},,`).join('\n') + '\n';

/** A tree shaped like `pip install --target` output, with the traps the optimizer must avoid. */
function makeTree(dir: string): string {
  writeEntry(dir, {
    'mypkg/__init__.py': 'from mypkg import docs\nVALUE = 42\nKINDS = {"a", "b", "c", "d", "e", "f"}\n',
    'mypkg/docs/__init__.py': 'DOC = "imported at runtime, like botocore.docs"\n',
    'mypkg/tests/test_it.py': 'def test(): pass\n',
    'mypkg/testing/__init__.py': 'HELPER = 1\n',
    'mypkg/__pycache__/__init__.cpython-312.pyc': 'stale timestamp bytecode',
    'mypkg/_ext.cpython-312-aarch64-linux-gnu.so': '\x7fELF fake extension',
    'mypkg.libs/libopenblas-abc.so.0': '\x7fELF fake auditwheel lib',
    'mypkg-1.0.dist-info/METADATA': 'Metadata-Version: 2.1\nName: mypkg\nVersion: 1.0\n',
    'mypkg-1.0.dist-info/RECORD': RECORD(['mypkg/__init__.py']),
    'boto3/__init__.py': 'VERSION = "1"\n',
    'boto3/session.py': 'X = 1\n',
    'boto3-1.0.dist-info/METADATA': 'Metadata-Version: 2.1\nName: boto3\nVersion: 1.0\n',
    'boto3-1.0.dist-info/RECORD': RECORD(['boto3/__init__.py', 'boto3/session.py', 'boto3-1.0.dist-info/METADATA']),
    'bin/somescript': '#!/tmp/build-host/python3.12\n',
    'six.py': 'SIX = 6\n',
  });
  return dir;
}

function optimize(target: string, args: string[] = [], python = PY312) {
  const r = spawnSync(python, [OPTIMIZER, '--target', target, '--python-version', '3.12', '--ddir', '/opt/python', ...args], { encoding: 'utf8' });
  const line = r.stdout.split('\n').find((l) => l.startsWith('CDK_PYTHON_COLDSTART_SUMMARY '));
  return { ...r, summary: line ? JSON.parse(line.slice('CDK_PYTHON_COLDSTART_SUMMARY '.length)) : undefined };
}

describe('default run', () => {
  const dir = makeTree(tmpdir());
  const res = optimize(dir, ['--drop-scripts']);

  test('succeeds and reports a summary', () => {
    expect(res.status).toBe(0);
    expect(res.summary).toMatchObject({ python: '3.12', compiled: 7, removedBytecode: 1, droppedScripts: true });
    expect(res.summary.files).toBe(listFiles(dir).length);
  });

  test('every module has unchecked-hash bytecode from CPython 3.12 in __pycache__', () => {
    const files = listFiles(dir);
    for (const mod of ['mypkg/__init__', 'mypkg/docs/__init__', 'mypkg/testing/__init__', 'boto3/session', 'six']) {
      const d = path.posix.dirname(mod);
      expect(files).toContain(`${d === '.' ? '' : d + '/'}__pycache__/${path.posix.basename(mod)}.cpython-312.pyc`);
    }
    const pycs = checkPycs(dir);
    expect(pycs.count).toBe(7);
    expect(pycs.bad).toEqual([]);
  });

  test('replaces pip timestamp bytecode, keeps dist-info, docs, tests and *.libs by default', () => {
    const files = listFiles(dir);
    expect(fs.readFileSync(path.join(dir, 'mypkg/__pycache__/__init__.cpython-312.pyc'), 'latin1')).not.toContain('stale');
    expect(files).toEqual(expect.arrayContaining(['mypkg-1.0.dist-info/METADATA', 'mypkg/docs/__init__.py', 'mypkg/tests/test_it.py', 'mypkg.libs/libopenblas-abc.so.0']));
    expect(files.filter((f) => f.startsWith('bin/'))).toEqual([]);
  });

  test('bytecode does not embed the build directory and is used read-only (no recompilation)', () => {
    const pyc = fs.readFileSync(path.join(dir, 'mypkg/__pycache__/__init__.cpython-312.pyc'));
    expect(pyc.includes(Buffer.from(dir))).toBe(false);
    expect(pyc.includes(Buffer.from('/opt/python/mypkg/__init__.py'))).toBe(true);
    // Change the source after compilation (new mtime, new content): unchecked-hash bytecode is used
    // without looking at the source, as on Lambda where the CDK zip resets every mtime to 1980.
    const copy = tmpdir();
    fs.cpSync(dir, copy, { recursive: true });
    fs.writeFileSync(path.join(copy, 'mypkg/__init__.py'), 'from mypkg import docs\nVALUE = 43\n');
    const r = runIsolated(copy, 'import mypkg; print(mypkg.VALUE, mypkg.docs.DOC[:8], mypkg.__spec__.cached.endswith(".cpython-312.pyc"))');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('42 imported True');
  });

  test('file mtimes are fixed to 1980-01-01', () => {
    expect(fs.statSync(path.join(dir, 'six.py')).mtimeMs).toBe(315532800 * 1000);
  });
});

test('output is deterministic: two runs on the same input give the same bytes', () => {
  const a = makeTree(tmpdir());
  const b = makeTree(tmpdir('cpc-other-prefix-'));
  // Different hash seeds in the calling environment must not matter.
  expect(spawnSync(PY312, [OPTIMIZER, '--target', a, '--python-version', '3.12', '--ddir', '/opt/python'], { env: { ...process.env, PYTHONHASHSEED: '1' } }).status).toBe(0);
  expect(spawnSync(PY312, [OPTIMIZER, '--target', b, '--python-version', '3.12', '--ddir', '/opt/python'], { env: { ...process.env, PYTHONHASHSEED: '2' } }).status).toBe(0);
  const fa = listFiles(a);
  expect(fa).toEqual(listFiles(b));
  for (const f of fa) {
    expect([f, fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f)))]).toEqual([f, true]);
  }
});

test('removeTestSuites removes nested tests/ folders only, keeps testing helpers and docs', () => {
  const dir = makeTree(tmpdir());
  writeEntry(dir, { 'tests/__init__.py': '' }); // a top-level package named tests is not a test suite of a package
  const res = optimize(dir, ['--remove-tests']);
  expect(res.status).toBe(0);
  const files = listFiles(dir);
  expect(files.some((f) => f.startsWith('mypkg/tests/'))).toBe(false);
  expect(files).toEqual(expect.arrayContaining(['mypkg/testing/__init__.py', 'mypkg/docs/__init__.py', 'tests/__init__.py']));
});

test('strip never touches auditwheel *.libs folders', () => {
  const dir = makeTree(tmpdir());
  const log = path.join(tmpdir(), 'strip.log');
  const fakeStrip = path.join(tmpdir(), 'fake-strip');
  fs.writeFileSync(fakeStrip, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\n`, { mode: 0o755 });
  const res = optimize(dir, ['--strip', '--strip-tool', fakeStrip]);
  expect(res.status).toBe(0);
  const calls = fs.readFileSync(log, 'utf8').trim().split('\n');
  expect(calls).toEqual([`--strip-debug ${path.join(dir, 'mypkg/_ext.cpython-312-aarch64-linux-gnu.so')}`]);
  expect(res.summary).toMatchObject({ stripped: 1, stripSkippedInLibs: 1 });
});

test('exclude-package removes the distribution through its RECORD', () => {
  const dir = makeTree(tmpdir());
  const res = optimize(dir, ['--exclude-package', 'boto3']);
  expect(res.status).toBe(0);
  expect(res.summary.excludedPackages).toEqual(['boto3']);
  expect(listFiles(dir).filter((f) => f.toLowerCase().includes('boto3'))).toEqual([]);
  expect(listFiles(dir)).toContain('mypkg/__init__.py');
});

test('sourceless: .pyc next to each module, sources removed, still importable', () => {
  const dir = makeTree(tmpdir());
  const res = optimize(dir, ['--sourceless']);
  expect(res.status).toBe(0);
  const files = listFiles(dir);
  expect(files.filter((f) => f.endsWith('.py'))).toEqual([]);
  expect(files).toEqual(expect.arrayContaining(['mypkg/__init__.pyc', 'six.pyc']));
  expect(checkPycs(dir).bad).toEqual([]);
  const r = runIsolated(dir, 'import mypkg, six; print(mypkg.VALUE, six.SIX)');
  expect(r.stdout.trim()).toBe('42 6');
});

test('handler mode: copies with excludes, adds a package, fails clearly on a syntax error', () => {
  const src = writeEntry(tmpdir(), { 'app.py': 'def handler(e, c):\n    return 1\n', 'requirements.txt': 'x\n', '.venv/lib/x.py': '', 'sub/tests/t.py': '' });
  const kit = writeEntry(tmpdir(), { 'kit/__init__.py': 'K = 1\n' });
  const out = tmpdir();
  const res = optimize(out, ['--strict', '--copy-from', src, '--exclude=requirements*.txt', '--exclude=.venv', '--exclude=tests', '--copy-package', path.join(kit, 'kit')]);
  expect(res.status).toBe(0);
  expect(listFiles(out)).toEqual(['__pycache__/app.cpython-312.pyc', 'app.py', 'kit/__init__.py', 'kit/__pycache__/__init__.cpython-312.pyc']);

  const bad = writeEntry(tmpdir(), { 'app.py': 'def handler(:\n' });
  const res2 = optimize(tmpdir(), ['--strict', '--copy-from', bad]);
  expect(res2.status).not.toBe(0);
  expect(res2.stderr).toContain('cannot compile app.py');
});

test('refuses to run with another Python minor version (wrong magic number)', () => {
  const other = findPython('3.11');
  if (!other) {
    // The check itself does not depend on the interpreter: ask for a version that is not running.
    const res = optimize(tmpdir(), ['--python-version', '3.99']);
    expect(res.stderr).toContain('must run with Python 3.99');
    return;
  }
  const res = optimize(tmpdir(), [], other);
  expect(res.status).not.toBe(0);
  expect(res.stderr).toContain('must run with Python 3.12');
});

describe('--copy-path copies exactly the selection it is given', () => {
  test('files and whole folders (symlinked folders followed); nothing else, no matching', () => {
    const src = writeEntry(tmpdir(), { 'app.py': 'X = 1\n', 'pkg/a.py': '', 'pkg/b.json': '{}', 'other.py': '', 'real/m.py': 'M = 1\n' });
    fs.symlinkSync('real', path.join(src, 'linked'));
    const out = tmpdir();
    const r = optimize(out, ['--copy-from', src, '--copy-path=app.py', '--copy-path=pkg/a.py', '--copy-path=linked']);
    expect(r.status).toBe(0);
    expect(listFiles(out).filter((f) => !f.includes('__pycache__'))).toEqual(['app.py', 'linked/m.py', 'pkg/a.py']);
    expect(fs.lstatSync(path.join(out, 'linked')).isSymbolicLink()).toBe(false);
    expect(r.summary.copied).toBe(3);
  });

  test.each(['../etc/passwd', '/etc/passwd', 'a/../../x', ''])('a path outside --copy-from (%s) is refused', (bad) => {
    const src = writeEntry(tmpdir(), { 'app.py': '' });
    const r = optimize(tmpdir(), ['--copy-from', src, `--copy-path=${bad}`]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('is not a path inside');
  });
});
