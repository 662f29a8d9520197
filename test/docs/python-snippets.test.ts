/*
 * Every ```python block of README.md and docs/*.md runs (scripts/run-python-snippets.js). Handler ("runtime")
 * snippets run here with Python 3.12; CDK snippets need dist-bindings/python/venv (npm run bindings:python),
 * so they run here only when it exists, and always in CI, where .ci/run runs the script after building it.
 */
import * as fs from 'fs';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const snippets = require('../../scripts/run-python-snippets.js');

const ROOT = path.join(__dirname, '..', '..');
const VENV = path.join(ROOT, 'dist-bindings', 'python', 'venv', 'bin', 'python');

interface Snippet { line: number; code: string; kind: 'cdk' | 'runtime'; skip?: string }

const all: { file: string; s: Snippet }[] = [];
for (const file of snippets.documentationFiles() as string[]) {
  for (const s of snippets.extractPythonSnippets(fs.readFileSync(file, 'utf8')) as Snippet[]) {
    all.push({ file: path.relative(ROOT, file), s });
  }
}

describe('extracting Python snippets from markdown', () => {
  const md = [
    '# Title', '', '```python', 'import os', '```', '',
    '<!-- python-snippet: skip needs AWS credentials -->', '```python', 'boto3.client("s3").list_buckets()', '```',
    '', '- item', '  ```python', '  from cdk_python_coldstart import ColdStartChecks', '  ```',
    '<!-- python-snippet: runtime -->', '', '```py', 'self.x = 1', '```',
    '```ts', 'const x = 1;', '```',
  ].join('\n');
  const got: Snippet[] = snippets.extractPythonSnippets(md);

  test('finds python and py fences (also indented in lists), with the line of their first code line', () => {
    expect(got.map((s) => [s.line, s.code])).toEqual([
      [4, 'import os'],
      [9, 'boto3.client("s3").list_buckets()'],
      [14, 'from cdk_python_coldstart import ColdStartChecks'],
      [19, 'self.x = 1'],
    ]);
  });

  test('classifies CDK code by its imports, honours the python-snippet comment before the fence', () => {
    expect(got.map((s) => s.kind)).toEqual(['runtime', 'runtime', 'cdk', 'runtime']);
    expect(got.map((s) => s.skip)).toEqual([undefined, 'needs AWS credentials', undefined, undefined]);
  });

  test('a CDK snippet becomes the body of a stack constructor that is synthesized', () => {
    const program: string = snippets.cdkProgram('x = 1\nif x:\n    y = 2', '/tmp/out');
    expect(program).toContain('class Fixture(cdk.Stack):');
    expect(program).toContain('        x = 1\n        if x:\n            y = 2');
    expect(program).toContain('app.synth()');
  });
});

describe('the Python snippets of README.md and docs/*.md', () => {
  test('there are some, and the README has a CDK one', () => {
    expect(all.filter((x) => x.file === 'README.md' && x.s.kind === 'cdk').length).toBeGreaterThan(0);
  });

  test('struct parameters are keyword arguments (ColdStartStrategy.provisioned_concurrency(min_capacity=...))', () => {
    // jsii's Python methods take a struct parameter as keyword arguments: passing the struct object positionally
    // raises "takes 1 positional argument but 2 were given".
    const positional = all.filter(({ s }) => /provisioned_concurrency\(\s*[A-Z]\w*\(/.test(s.code)).map(({ file, s }) => `${file}:${s.line}`);
    expect(positional).toEqual([]);
  });

  test('every skip gives a reason', () => {
    expect(all.filter(({ s }) => s.skip === '').map(({ file, s }) => `${file}:${s.line}`)).toEqual([]);
  });

  const runtime = all.filter(({ s }) => s.kind === 'runtime' && s.skip === undefined);
  // jest rejects an empty table: a placeholder row keeps the suite valid when there is no snippet of a kind.
  const rows = (list: typeof all) => (list.length ? list.map(({ file, s }) => [`${file}:${s.line}`, s] as const)
    : [['(none)', { line: 0, code: 'pass', kind: 'runtime' } as Snippet] as const]);
  test.each(rows(runtime))('runtime snippet %s runs', (_where, s) => {
    const r = snippets.runSnippet(s);
    expect(r.ok ? '' : r.output).toBe('');
  });

  test('a failing snippet is reported as failing (the runner can fail)', () => {
    const r = snippets.runSnippet({ line: 1, code: 'raise SystemExit("boom")', kind: 'runtime' });
    expect(r.ok).toBe(false);
    expect(r.output).toContain('boom');
    const t = snippets.runSnippet({ line: 1, code: 'def test_x():\n    assert 1 == 2', kind: 'runtime' });
    expect(t.ok).toBe(false);
    expect(t.output).toContain('AssertionError');
  });

  const cdk = all.filter(({ s }) => s.kind === 'cdk' && s.skip === undefined);
  const haveVenv = fs.existsSync(VENV);
  if (!haveVenv) {
    // eslint-disable-next-line no-console
    console.warn(`test/docs: ${cdk.length} CDK Python snippet(s) not run here: no ${path.relative(ROOT, VENV)} (npm run bindings:python; CI runs them in .ci/run)`);
  }
  (haveVenv && cdk.length ? test.each : test.skip.each)(rows(cdk))('CDK snippet %s synthesizes', (_where, s) => {
    const r = snippets.runSnippet(s);
    expect(r.ok ? '' : r.output).toBe('');
  }, 300_000);

  (haveVenv ? test : test.skip)('a CDK snippet that passes a struct positionally fails (the runner can fail)', () => {
    const r = snippets.runSnippet({
      line: 1,
      kind: 'cdk',
      code: 'from cdk_python_coldstart import ColdStartStrategy, ProvisionedConcurrencyOptions\n'
        + 'ColdStartStrategy.provisioned_concurrency(ProvisionedConcurrencyOptions(min_capacity=2, max_capacity=20))',
    });
    expect(r.ok).toBe(false);
    expect(r.output).toContain('positional argument');
  }, 300_000);
});
