import * as fs from 'fs';
import * as path from 'path';

/**
 * Users see messages, CLI output, finding messages, cfn-guard rule messages and JSDoc (API.md, the Python
 * docstrings); those cite the AWS documentation, never our internal notes ("aws-facts"). Code comments
 * (`//`, `#`) may keep naming a fact, so they are stripped before the scan; `/** *\/` blocks, docstrings
 * and string literals are kept.
 */

const ROOT = path.join(__dirname, '..', '..');
const DIRS = ['lib', 'assets', 'policy'];
const NEEDLE = /aws-facts/i;

/** Drops `//` line comments from TS/JS, keeping block comments and string/template literals. */
export function stripTsLineComments(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      out += src.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== c && !(c !== '`' && src[j] === '\n')) {
        j += src[j] === '\\' ? 2 : 1;
      }
      out += src.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Drops `#` comments from Python / cfn-guard, keeping strings, docstrings and guard `<< >>` messages. */
export function stripHashComments(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '<' && src[i + 1] === '<') {
      const end = src.indexOf('>>', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      out += src.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = src.slice(i, i + 3) === c.repeat(3);
      const close = triple ? c.repeat(3) : c;
      let j = i + close.length;
      while (j < src.length && src.slice(j, j + close.length) !== close && !(!triple && src[j] === '\n')) {
        j += src[j] === '\\' ? 2 : 1;
      }
      const stop = Math.min(src.length, j + close.length);
      out += src.slice(i, stop);
      i = stop;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === '__pycache__' ? [] : walk(p);
    return [p];
  });
}

function userVisible(file: string): string | undefined {
  const src = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.d.ts') || file.endsWith('.js')) return undefined; // compiled output of lib/*.ts
  if (file.endsWith('.ts')) return stripTsLineComments(src);
  if (file.endsWith('.py') || file.endsWith('.guard')) return stripHashComments(src);
  if (/\.(json|md|txt|ya?ml|sh|toml|cfg)$/.test(file)) return src;
  return undefined;
}

describe('no internal "aws-facts" references in what users see', () => {
  test('the strippers keep what users see and drop code comments', () => {
    expect(stripTsLineComments("x(); // aws-facts: X\nconst u = 'https://a/b'; // c")).toBe("x(); \nconst u = 'https://a/b'; ");
    expect(stripTsLineComments('/** @see aws-facts */')).toMatch(NEEDLE);
    expect(stripTsLineComments("throw new Error('see // aws-facts');")).toMatch(NEEDLE);
    expect(stripTsLineComments('const t = `a ${b} aws-facts`;')).toMatch(NEEDLE);
    expect(stripHashComments('x = 1  # aws-facts: Y\n')).not.toMatch(NEEDLE);
    expect(stripHashComments('"""Doc (aws-facts: Y)."""\n')).toMatch(NEEDLE);
    expect(stripHashComments("print('# aws-facts')\n")).toMatch(NEEDLE);
    expect(stripHashComments('rule r { x == 1 <<\n  see aws-facts # here\n>> }\n# aws-facts')).toBe('rule r { x == 1 <<\n  see aws-facts # here\n>> }\n');
  });

  test('lib/, assets/ and policy/ cite AWS documentation instead', () => {
    const files = DIRS.flatMap((d) => walk(path.join(ROOT, d)));
    expect(files.length).toBeGreaterThan(20);
    const offenders: string[] = [];
    for (const f of files) {
      const text = userVisible(f);
      if (text === undefined) continue;
      text.split('\n').forEach((line, n) => {
        if (NEEDLE.test(line)) offenders.push(`${path.relative(ROOT, f)}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});
