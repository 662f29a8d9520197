import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { discoverPython, PYTHON_ENV_VAR } from '../../lib/bundling/python-discovery';

/**
 * Fake interpreters are shell scripts: `fakePython('3.12')` answers the version probe like a real Python 3.12;
 * a shim that fails prints what a pyenv shim prints when the version is not installed and exits 127.
 */
let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'discovery-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function script(file: string, body: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}
function fakePython(file: string, version: string): string {
  return script(file, `echo ${version}`);
}
function failingShim(file: string): string {
  return script(file, 'echo "pyenv: python3.12: command not found" >&2\necho "The python3.12 command exists in these Python versions:" >&2\nexit 127');
}
/** A PATH with only these folders (plus /bin for sh itself is not needed: scripts are run by path). */
function env(extra: Record<string, string | undefined>, ...pathDirs: string[]): NodeJS.ProcessEnv {
  return { PATH: pathDirs.join(path.delimiter), HOME: path.join(tmp, 'home'), ...extra };
}

test('$CDK_PYTHON_COLDSTART_PYTHON wins when it has the version', () => {
  const exe = fakePython(path.join(tmp, 'custom', 'py'), '3.12');
  const onPath = fakePython(path.join(tmp, 'bin', 'python3.12'), '3.12');
  expect(discoverPython('T', '3.12', undefined, env({ [PYTHON_ENV_VAR]: exe }, path.dirname(onPath)))).toEqual({ python: exe });
});

test('python3.N on PATH is found by its full path', () => {
  const onPath = fakePython(path.join(tmp, 'bin', 'python3.12'), '3.12');
  expect(discoverPython('T', '3.12', undefined, env({}, path.join(tmp, 'empty'), path.dirname(onPath)))).toEqual({ python: onPath });
});

test('a pyenv shim that exists but fails is reported as failing, with its message, not as "not on PATH"', () => {
  const shim = failingShim(path.join(tmp, 'shims', 'python3.12'));
  const r = discoverPython('T', '3.12', undefined, env({ PYENV_ROOT: path.join(tmp, 'no-pyenv') }, path.dirname(shim)));
  expect(r.python).toBeUndefined();
  expect(r.reason).toContain(`python3.12 on PATH (${shim}) exists but fails: it exits with code 127: "pyenv: python3.12: command not found"`);
  expect(r.reason).not.toContain('not on PATH');
});

test('missing from PATH is reported as such', () => {
  const r = discoverPython('T', '3.12', undefined, env({ PYENV_ROOT: path.join(tmp, 'no-pyenv') }, path.join(tmp, 'empty')));
  expect(r.reason).toContain('python3.12 is not on PATH');
  expect(r.reason).toContain(`no 3.12.x in pyenv's ${path.join(tmp, 'no-pyenv', 'versions')}`);
});

test('pyenv versions folder under $PYENV_ROOT: newest patch of the minor version, behind a failing shim', () => {
  const root = path.join(tmp, 'pyenv');
  fakePython(path.join(root, 'versions', '3.12.1', 'bin', 'python3.12'), '3.12');
  const newest = fakePython(path.join(root, 'versions', '3.12.10', 'bin', 'python3.12'), '3.12');
  fakePython(path.join(root, 'versions', '3.11.9', 'bin', 'python3.11'), '3.11');
  fakePython(path.join(root, 'versions', '3.12.4t', 'bin', 'python3.12'), '3.12'); // free-threaded: skipped
  const shim = failingShim(path.join(root, 'shims', 'python3.12'));
  expect(discoverPython('T', '3.12', undefined, env({ PYENV_ROOT: root }, path.dirname(shim)))).toEqual({ python: newest });
});

test('pyenv root from `pyenv root` when $PYENV_ROOT is unset', () => {
  const root = path.join(tmp, 'elsewhere');
  const exe = fakePython(path.join(root, 'versions', '3.13.0', 'bin', 'python3.13'), '3.13');
  const bin = path.join(tmp, 'pyenv-bin');
  script(path.join(bin, 'pyenv'), `[ "$1" = root ] && echo ${root}`);
  expect(discoverPython('T', '3.13', undefined, env({}, bin))).toEqual({ python: exe });
});

test('`uv python find 3.N` when uv is on PATH and nothing else has the version', () => {
  const exe = fakePython(path.join(tmp, 'uv-managed', 'cpython-3.12', 'bin', 'python3.12'), '3.12');
  const bin = path.join(tmp, 'uv-bin');
  script(path.join(bin, 'uv'), `[ "$1 $2 $3" = "python find 3.12" ] && echo ${exe} && exit 0; exit 2`);
  expect(discoverPython('T', '3.12', undefined, env({ PYENV_ROOT: path.join(tmp, 'none') }, bin))).toEqual({ python: exe });
});

test('uv that finds nothing is named in the reason', () => {
  const bin = path.join(tmp, 'uv-bin');
  script(path.join(bin, 'uv'), 'echo "error: No interpreter found for Python 3.12" >&2; exit 2');
  const r = discoverPython('T', '3.12', undefined, env({ PYENV_ROOT: path.join(tmp, 'none') }, bin));
  expect(r.reason).toContain('`uv python find 3.12` found none ("error: No interpreter found for Python 3.12")');
});

test('wrong version in $CDK_PYTHON_COLDSTART_PYTHON is named, and discovery goes on', () => {
  const wrong = fakePython(path.join(tmp, 'wrong', 'py'), '3.11');
  const right = fakePython(path.join(tmp, 'bin', 'python3.12'), '3.12');
  expect(discoverPython('T', '3.12', undefined, env({ [PYTHON_ENV_VAR]: wrong }, path.dirname(right)))).toEqual({ python: right });
  const r = discoverPython('T', '3.12', undefined, env({ [PYTHON_ENV_VAR]: wrong, PYENV_ROOT: path.join(tmp, 'none') }, path.join(tmp, 'empty')));
  expect(r.reason).toContain(`$${PYTHON_ENV_VAR}=${wrong} is Python 3.11`);
});

test('an explicit pythonExecutable that fails is an error naming the failure', () => {
  const shim = failingShim(path.join(tmp, 'shims', 'python3.12'));
  expect(() => discoverPython('T', '3.12', shim, env({}))).toThrow(/pythonExecutable '.*' cannot be run \(exits with code 127: "pyenv: python3.12: command not found"\)/);
});

test('the real machine: finds a Python 3.12 without $CDK_PYTHON_COLDSTART_PYTHON (PATH, pyenv or uv)', () => {
  const { [PYTHON_ENV_VAR]: _unused, ...rest } = process.env;
  void _unused;
  const r = discoverPython('T', '3.12', undefined, rest);
  expect(r.reason).toBeUndefined();
  expect(r.python).toBeDefined();
});
