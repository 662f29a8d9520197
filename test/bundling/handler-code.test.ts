import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { checkPycs, listFiles, PY312, runIsolated, tmpdir, writeEntry } from './helpers';
import { PythonHandlerCode } from '../../lib/bundling';

const HANDLER_FILES = {
  'app.py': 'import cdk_python_coldstart_runtime\nfrom lib import helper\n\ndef handler(event, context):\n    return helper.VALUE\n',
  'lib/__init__.py': '',
  'lib/helper.py': 'VALUE = "ok"\n',
  'requirements.txt': 'requests\n',
  'pyproject.toml': '[project]\nname = "svc"\n',
  '.venv/lib/python3.12/site-packages/x.py': 'X = 1\n',
  'tests/test_app.py': 'def test(): pass\n',
  'fixtures/big.json': '{}',
  '__pycache__/app.cpython-312.pyc': 'stale',
};

function bind(entry: string, options: Parameters<typeof PythonHandlerCode.fromEntry>[1] = {}) {
  const stack = new Stack(new App({ outdir: tmpdir('cpc-out-') }), 'S');
  const code = PythonHandlerCode.fromEntry(entry, { pythonExecutable: PY312, ...options });
  new lambda.Function(stack, 'F', { runtime: lambda.Runtime.PYTHON_3_12, architecture: lambda.Architecture.ARM_64, handler: 'app.handler', code });
  return { stack, code, staged: PythonHandlerCode.stagedPathOf(code) };
}

describe('handler code with the runtime kit', () => {
  const entry = writeEntry(tmpdir(), HANDLER_FILES);
  const { stack, code, staged } = bind(entry, { includeRuntimeKit: true, exclude: ['fixtures'] });

  test('is staged and used as the function code', () => {
    expect(staged).toBeDefined();
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Handler: 'app.handler', Runtime: 'python3.12' });
  });

  test('excludes dependency specs, venvs, tests, caches and user excludes; adds the runtime kit', () => {
    const files = listFiles(staged!);
    expect(files.filter((f) => !f.includes('__pycache__'))).toEqual([
      'app.py', 'cdk_python_coldstart_runtime/__init__.py', 'lib/__init__.py', 'lib/helper.py',
    ].concat(listFiles(path.join(__dirname, '..', '..', 'assets', 'runtime', 'cdk_python_coldstart_runtime'))
      .filter((f) => f !== '__init__.py' && !f.includes('__pycache__') && !f.endsWith('.pyc'))
      .map((f) => `cdk_python_coldstart_runtime/${f}`)).sort());
  });

  test('every module has unchecked-hash 3.12 bytecode and imports from the read-only bundle', () => {
    const pycs = checkPycs(staged!);
    expect(pycs.count).toBe(listFiles(staged!).filter((f) => f.endsWith('.py')).length);
    expect(pycs.bad).toEqual([]);
    const r = runIsolated(staged!, 'import app; print(app.handler({}, None))');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('ok');
  });

  test('sizeOf measures the staged bundle', () => {
    const report = PythonHandlerCode.sizeOf(code)!;
    expect(report.fileCount).toBe(listFiles(staged!).length);
    expect(report.largestPackages.map((p) => p.name)).toEqual(expect.arrayContaining(['app', 'lib', 'cdk_python_coldstart_runtime']));
    expect(PythonHandlerCode.sizeOf(lambda.Code.fromInline('x'))).toBeUndefined();
  });
});

test('the runtime kit is not included by default, and the hash follows the source', () => {
  const entry = writeEntry(tmpdir(), { 'app.py': 'def handler(e, c):\n    return 1\n' });
  const a = bind(entry);
  expect(listFiles(a.staged!)).toEqual(['__pycache__/app.cpython-312.pyc', 'app.py']);
  const again = bind(entry);
  expect(path.basename(again.staged!)).toBe(path.basename(a.staged!));
  fs.writeFileSync(path.join(entry, 'app.py'), 'def handler(e, c):\n    return 2\n');
  expect(path.basename(bind(entry).staged!)).not.toBe(path.basename(a.staged!));
  // the architecture is part of the hash (bytecode is the same, but the bundle is built for it)
  const x86 = PythonHandlerCode.fromEntry(entry, { pythonExecutable: PY312, architecture: lambda.Architecture.X86_64 });
  const stack = new Stack(new App({ outdir: tmpdir('cpc-out-') }), 'S');
  new lambda.Function(stack, 'F', { runtime: lambda.Runtime.PYTHON_3_12, architecture: lambda.Architecture.X86_64, handler: 'app.handler', code: x86 });
  expect(path.basename(PythonHandlerCode.stagedPathOf(x86)!)).not.toBe(path.basename(bind(entry).staged!));
  // an excluded file does not change the hash
  const before = path.basename(bind(entry).staged!);
  fs.writeFileSync(path.join(entry, 'requirements.txt'), 'x\n');
  expect(path.basename(bind(entry).staged!)).toBe(before);
});

test('a syntax error in handler code fails synthesis with the file name', () => {
  const entry = writeEntry(tmpdir(), { 'app.py': 'def handler(event, context:\n    return 1\n' });
  expect(() => bind(entry)).toThrow(/copy and optimize handler code failed[\s\S]*cannot compile app.py/);
});
