/**
 * The handler file selection caches CDK's glob answers per pattern list and relative path (a fleet of
 * handler folders asks the same questions dozens of times, issue 15). The cache must give exactly what
 * CDK's own IgnoreStrategy gives, whatever the order in which entries and pattern lists come.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IgnoreMode, IgnoreStrategy } from 'aws-cdk-lib';
import { selectFiles } from '../../lib/bundling/file-selection';

const FILES = ['index.py', 'requirements.txt', 'lib/util.py', 'lib/data.json', 'tests/test_index.py', 'docs/readme.md', 'keep.json'];

function entry(files = FILES): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpc-select-'));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), f);
  }
  return dir;
}

/** What CDK's glob strategy keeps of `files` (an excluded folder is not entered). */
function cdkKeeps(root: string, excludes: string[], files = FILES): string[] {
  const ignore = IgnoreStrategy.fromCopyOptions({ exclude: excludes, ignoreMode: IgnoreMode.GLOB }, root);
  return files.filter((f) => {
    const parts = f.split('/');
    for (let i = 1; i <= parts.length; i++) {
      if (ignore.ignores(path.join(root, ...parts.slice(0, i)))) return false;
    }
    return true;
  }).sort();
}

const PATTERN_LISTS: string[][] = [
  [],
  ['*.json'],
  ['*.json', '!keep.json'],
  ['lib'],
  ['tests', 'docs/**'],
  ['**/*.py', '!index.py'],
  ['*.{md,txt}'],
];

describe('selectFiles with cached glob answers', () => {
  test.each(PATTERN_LISTS.map((p) => [JSON.stringify(p), p]))('%s: the files CDK keeps', (_name, excludes) => {
    const root = entry();
    expect(selectFiles('t', root, excludes).files.map((f) => f.rel).sort()).toEqual(cdkKeeps(root, excludes));
  });

  test('the same names under other roots and other pattern lists, interleaved: each answer is its own', () => {
    const roots = [entry(), entry(), entry()];
    for (let round = 0; round < 2; round++) {
      for (const excludes of [...PATTERN_LISTS].reverse()) {
        for (const root of roots) {
          expect(selectFiles('t', root, excludes).files.map((f) => f.rel).sort()).toEqual(cdkKeeps(root, excludes));
        }
      }
    }
  });

  test('a file named like an excluded one elsewhere in the tree is judged by its own relative path', () => {
    const files = ['index.py', 'lib/index.py', 'pkg/lib/x.py'];
    const root = entry(files);
    // 'lib/*.py' has a slash: relative to the entry, so pkg/lib/x.py stays
    const excludes = ['lib/*.py'];
    expect(selectFiles('t', root, excludes).files.map((f) => f.rel).sort()).toEqual(['index.py', 'pkg/lib/x.py']);
    expect(cdkKeeps(root, excludes, files)).toEqual(['index.py', 'pkg/lib/x.py']);
  });
});
