/**
 * The handler check reads the module without running it: every name real Python binds at module level
 * (CPython 3.12's own ast, top level and inside top-level if/try/with blocks) must be found, so a valid
 * handler is never rejected.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { moduleNames } from '../../lib/function/handler-names';
import { PY312 } from '../bundling/helpers';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'function', 'handlers', 'index.py');

function pythonModuleNames(file: string): string[] {
  const script = [
    'import ast, json, sys',
    'names = set()',
    'def visit(body):',
    '    for node in body:',
    '        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):',
    '            names.add(node.name)',
    '            continue',
    '        if isinstance(node, (ast.Assign, ast.AnnAssign)):',
    '            for t in (node.targets if isinstance(node, ast.Assign) else [node.target]):',
    '                names.update(n.id for n in ast.walk(t) if isinstance(n, ast.Name))',
    '        if isinstance(node, (ast.Import, ast.ImportFrom)):',
    '            names.update(a.asname or a.name.split(".")[0] for a in node.names)',
    '        for field in ("body", "orelse", "finalbody"):',
    '            if isinstance(getattr(node, field, None), list):',
    '                visit(getattr(node, field))',
    '        for h in getattr(node, "handlers", None) or []:',
    '            visit(h.body)',
    'visit(ast.parse(open(sys.argv[1]).read()).body)',
    'print(json.dumps(sorted(names)))',
  ].join('\n');
  const r = spawnSync(PY312, ['-I', '-c', script, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

test('every module-level name CPython binds in the fixture is found', () => {
  const expected = pythonModuleNames(FIXTURE);
  expect(expected).toEqual(expect.arrayContaining(['handler', 'async_handler', 'Handler', 'instance_handler', 'typed_handler', 'first', 'second', 'parse', 'dumps', 'conditional_handler', 'fast_json']));
  const found = moduleNames(fs.readFileSync(FIXTURE, 'utf8')).names;
  expect(expected.filter((n) => !found.has(n))).toEqual([]);
});

test('top-level functions are listed for "did you mean", private and nested ones are not top-level', () => {
  const { functions } = moduleNames('def a(e, c):\n    def inner():\n        pass\n\nasync def b(e, c):\n    pass\n\nclass K:\n    def method(self):\n        pass\n');
  expect(functions).toEqual(['a', 'b']);
});

test('comparisons and keyword arguments are not assignments', () => {
  const { names } = moduleNames('if handler == 1:\n    pass\nprint(handler=2)\n');
  expect(names.has('handler')).toBe(false);
});

test('a star import makes every name possible', () => {
  expect(moduleNames('from app import *\n').starImport).toBe(true);
});
