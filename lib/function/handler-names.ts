/**
 * What a Python handler module binds at module level, read from its source without running it
 * (AWS_RULES.PYTHON_HANDLER: Lambda calls `<module>.<function>`). Internal.
 *
 * Deliberately lenient: a definition at any indentation counts (definitions inside a top-level `if`/`try`
 * are common), and a module with `from x import *` binds unknown names. It errs towards "defined" so a valid
 * handler is never rejected; it catches the typo and the renamed function.
 */
export interface ModuleNames {
  /** Names bound by def/async def/class/assignment/import. */
  readonly names: Set<string>;
  /** Top-level functions (column 0 def/async def), for "did you mean". */
  readonly functions: string[];
  /** The module has a star import: any name may exist. */
  readonly starImport: boolean;
}

/** Python keywords: never a valid handler name. */
export const PYTHON_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

export function moduleNames(source: string): ModuleNames {
  const names = new Set<string>();
  const functions: string[] = [];
  const text = source.replace(/\r\n?/g, '\n');
  for (const m of text.matchAll(/^([ \t]*)(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[ \t]*\(/gm)) {
    names.add(m[2]);
    if (m[1] === '') {
      functions.push(m[2]);
    }
  }
  for (const m of text.matchAll(/^[ \t]*class[ \t]+([A-Za-z_]\w*)/gm)) {
    names.add(m[1]);
  }
  // name = ..., name: T = ..., a, name = ...  (not ==)
  for (const m of text.matchAll(/^[ \t]*\(?([A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)*)[ \t]*,?[ \t]*\)?[ \t]*(?::[^=\n]*)?=(?!=)/gm)) {
    for (const n of m[1].split(',')) {
      names.add(n.trim());
    }
  }
  // from x import a, b as c / from x import (a,\n b)
  let starImport = false;
  for (const m of text.matchAll(/^[ \t]*from[ \t]+[\w.]+[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)/gm)) {
    const list = m[1].replace(/[()\\]/g, ' ').replace(/#[^\n]*/g, ' ');
    for (const item of list.split(',')) {
      const parts = item.trim().split(/\s+/);
      if (parts[0] === '*') {
        starImport = true;
      } else if (parts[0]) {
        names.add(parts.length >= 3 && parts[1] === 'as' ? parts[2] : parts[0]);
      }
    }
  }
  // import a.b as c / import a
  for (const m of text.matchAll(/^[ \t]*import[ \t]+([^\n]*)/gm)) {
    for (const item of m[1].replace(/#.*$/, '').split(',')) {
      const parts = item.trim().split(/\s+/);
      if (parts[0]) {
        names.add(parts.length >= 3 && parts[1] === 'as' ? parts[2] : parts[0].split('.')[0]);
      }
    }
  }
  return { names, functions, starImport };
}
