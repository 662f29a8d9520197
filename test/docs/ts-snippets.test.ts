/*
 * The TypeScript examples of docs/*.md (the pages listed in CHECKED) compile, like the README's (which jsii-rosetta extract --strict compiles):
 * each ```ts block goes into rosetta/default.ts-fixture in place of `/// here` (its `import` and `declare`
 * lines hoisted to the top, as rosetta does) and the lot is type-checked against lib/ with the TypeScript
 * compiler.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

/**
 * The pages whose examples are complete programs in the rosetta fixture. Add a page here once its examples
 * compile (pages with sketches that use undeclared names, e.g. `stack`, `table`, need `declare const` lines).
 */
const CHECKED = ['strategies.md', 'layers.md', 'init.md', 'policy.md', 'benchmarks.md', 'aws-rules.md'];

interface TsSnippet { file: string; line: number; code: string }

function tsSnippets(): TsSnippet[] {
  const out: TsSnippet[] = [];
  const docs = path.join(ROOT, 'docs');
  for (const f of fs.readdirSync(docs).filter((n) => CHECKED.includes(n)).sort()) {
    const lines = fs.readFileSync(path.join(docs, f), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^\s*```(ts|typescript)\s*$/.test(lines[i])) continue;
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]); j++) body.push(lines[j]);
      out.push({ file: `docs/${f}`, line: i + 2, code: body.join('\n') });
      i = j;
    }
  }
  return out;
}

/** The fixture with the snippet in place of `/// here`, imports and declarations hoisted. */
function complete(fixture: string, code: string): string {
  const lines = code.split('\n');
  const hoisted = lines.filter((l) => /^(import |declare )/.test(l));
  const body = lines.map((l) => (/^(import |declare )/.test(l) ? '' : l));
  // Keep line numbers stable: hoisted lines replaced by blanks in place.
  return fixture.replace('/// here', body.join('\n')) + '\n' + hoisted.join('\n') + '\n';
}

describe('TypeScript examples in docs/*.md', () => {
  test('compile against the library (rosetta fixture, strict); a broken one is caught', () => {
    const snippets = tsSnippets();
    // A deliberately broken snippet in the same program: the check must report it (it cannot pass vacuously).
    const broken: TsSnippet = { file: '(broken)', line: 1, code: "new coldstart.OptimizedPythonFunction(this, 'X', { entryy: 'x' });" };
    const all = [...snippets, broken];
    const fixture = fs.readFileSync(path.join(ROOT, 'rosetta', 'default.ts-fixture'), 'utf8');
    // Inside the repository, so aws-cdk-lib and constructs resolve from its node_modules.
    const dir = fs.mkdtempSync(path.join(ROOT, 'test', 'docs', '.ts-snippets-'));
    try {
      const files = all.map((s, k) => {
        const f = path.join(dir, `snippet${k}.ts`);
        // A module of its own (export {}), so names of one snippet do not clash with another's.
        fs.writeFileSync(f, `${complete(fixture, s.code)}export {};\n`);
        return f;
      });
      const program = ts.createProgram(files, {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        esModuleInterop: true,
        skipLibCheck: true,
        types: [],
        lib: ['lib.es2022.d.ts'],
        baseUrl: ROOT,
        paths: { 'cdk-python-coldstart': ['lib/index.ts'] },
      });
      const fixtureLines = fixture.slice(0, fixture.indexOf('/// here')).split('\n').length - 1;
      const problems = ts.getPreEmitDiagnostics(program)
        .filter((d) => d.file && files.includes(path.resolve(d.file.fileName)))
        .map((d) => {
          const s = all[files.indexOf(path.resolve(d.file!.fileName))];
          const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
          return `${s.file}:${s.line + line - fixtureLines}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
        });
      expect(problems.filter((p) => p.startsWith('(broken)')).join('\n')).toMatch(/entryy/);
      expect(problems.filter((p) => !p.startsWith('(broken)'))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
