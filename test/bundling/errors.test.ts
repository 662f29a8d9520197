import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { PY312, tmpdir, writeEntry } from './helpers';
import { PythonDependenciesLayer, PythonHandlerCode } from '../../lib/bundling';

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

function layer(entry: string, dependencyFile: string) {
  return () => new PythonDependenciesLayer(new Stack(new App({ outdir: tmpdir('cpc-out-') }), 'S'), 'Deps', { entry, dependencyFile, pythonExecutable: PY312 });
}

test("dependencyFile: '' names the property, the problem and the files to choose from", () => {
  const entry = writeEntry(tmpdir(), { 'requirements.txt': 'x\n', 'uv.lock': 'version = 1\n' });
  const e = errorOf(layer(entry, ''));
  expect(e.name).toBe('ColdStartConfigError');
  expect(e.message).toMatch(/^PythonDependenciesLayer: dependencyFile: '' is empty, so it names no dependency specification in '.*'\. pip needs a requirements file .*\. Fix: set dependencyFile to one of requirements\.txt, uv\.lock \(relative to entry\), or remove it to detect the spec$/);
  expect(errorOf(layer(entry, '   ')).message).toMatch(/dependencyFile: '   ' is empty/);
});

test('dependencyFile naming a folder (today EISDIR) lists the spec files inside it', () => {
  const entry = writeEntry(tmpdir(), { 'deps/requirements-prod.txt': 'x\n', 'deps/notes.md': '', 'empty/.keep': '' });
  const e = errorOf(layer(entry, 'deps'));
  expect(e.name).toBe('ColdStartConfigError');
  expect(e.message).not.toMatch(/EISDIR/);
  expect(e.message).toMatch(/dependencyFile: 'deps' is a folder in '.*', not a file\. .*Fix: set dependencyFile to one of deps\/requirements-prod\.txt$/);
  expect(errorOf(layer(entry, 'empty/')).message).toMatch(/Fix: point dependencyFile at the requirements or lock file itself .* or set entry to '.*empty' and remove dependencyFile$/);
});

test("PythonHandlerCode.fromEntry('missing') (today ENOENT lstat) says which folder and how to point at it", () => {
  const parent = writeEntry(tmpdir(), { 'handler/app.py': '', 'other/x.py': '' });
  const missing = path.join(parent, 'hanlder');
  const e = errorOf(() => PythonHandlerCode.fromEntry(missing));
  expect(e.name).toBe('ColdStartConfigError');
  expect(e.message).not.toMatch(/ENOENT|lstat/);
  expect(e.message).toContain(`PythonHandlerCode.fromEntry('${missing}'): entry: '${missing}' does not exist.`);
  expect(e.message).toMatch(/Fix: point entry at the folder that holds the handler module, e\.g\. path\.join\(__dirname, 'handler'\) .*; folders in .*: handler, other$/);
  const relative = errorOf(() => PythonHandlerCode.fromEntry('missing'));
  expect(relative.message).toMatch(/entry: '.*\/missing' does not exist \(resolved from the working directory .*\)/);
});

test('PythonHandlerCode.fromEntry(a file) says to use its folder and the handler setting', () => {
  const dir = writeEntry(tmpdir(), { 'app.py': '' });
  expect(() => PythonHandlerCode.fromEntry(path.join(dir, 'app.py')))
    .toThrow(new RegExp(`entry: '.*app\\.py' is a file, not a folder\\. .*Fix: set entry to its folder '${dir}' and the function's handler to 'app\\.<function>'`));
});

test('excluding every file fails instead of producing an empty bundle', () => {
  const dir = writeEntry(tmpdir(), { 'app.py': '' });
  expect(() => PythonHandlerCode.fromEntry(dir, { exclude: ['*.py'] })).toThrow(/exclude: no file of '.*' is left after the exclude patterns/);
});
