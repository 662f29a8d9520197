import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { IgnoreMode, IgnoreStrategy } from 'aws-cdk-lib';
import { bundlingError } from './messages';

/**
 * Which files of `entry` make the handler code: decided once, here, with CDK's own glob matcher
 * (`IgnoreStrategy` in GLOB mode, the one `Code.fromAsset` uses), and used for both the asset hash
 * and the copy. The copy is handed the explicit result; nothing is matched again in Python. Internal.
 *
 * - A pattern without `/` matches a name at any depth, one with `/` a path relative to the entry
 *   (minimatch `matchBase`), braces work (`*.{json,yaml}`), `**` spans folders, `!pattern` re-includes
 *   what an earlier pattern excluded. An excluded folder is not entered (as in CDK and git), so
 *   `!keep.txt` cannot re-include a file below an excluded folder.
 * - Symlinks are followed (file and folder links alike, as `Code.fromAsset` does): the bundle holds
 *   the target's content. A link that points outside the entry is followed too (its content is hashed
 *   and copied locally), but the Docker fallback mounts only the entry and cannot see it: bundling in
 *   Docker fails with the list of such links. A link that loops back to a folder above it, or a broken
 *   link, fails the synth with its path (unless it is excluded).
 */
export interface FileSelection {
  /** Every selected file: path relative to the entry (forward slashes) and its real path. */
  readonly files: Array<{ readonly rel: string; readonly real: string }>;
  /**
   * The shortest list of relative paths to copy: a folder when nothing below it is excluded, the
   * files themselves otherwise. Sorted.
   */
  readonly copyPaths: string[];
  /** Links whose target is outside the entry: [relative link path, target]. */
  readonly externalLinks: Array<[string, string]>;
}

/**
 * Selects the files of `root` that `excludes` (CDK glob patterns) and `excludeFiles` (exact paths
 * relative to `root`, e.g. the dependency spec and its includes) leave in.
 */
export function selectFiles(label: string, root: string, excludes: string[], excludeFiles: string[] = []): FileSelection {
  const exact = new Set(excludeFiles.map((f) => f.split(path.sep).join('/').replace(/^\/+|\/+$/g, '')));
  const absRoot = path.resolve(root);
  const realRoot = fs.realpathSync(absRoot);
  const ignore = cachedGlobIgnore(excludes, absRoot);
  const files: Array<{ rel: string; real: string }> = [];
  const externalLinks: Array<[string, string]> = [];
  const inside = (real: string) => real === realRoot || real.startsWith(realRoot + path.sep);

  /** The copy paths below a folder, and whether nothing below it is excluded (copy it whole). */
  const walk = (absDir: string, relDir: string, ancestors: Set<string>): { paths: string[]; whole: boolean } => {
    const paths: string[] = [];
    let whole = true;
    for (const name of fs.readdirSync(absDir).sort()) {
      const abs = path.join(absDir, name);
      const rel = relDir ? `${relDir}/${name}` : name;
      if (exact.has(rel) || ignore.ignores(abs)) {
        whole = false;
        continue;
      }
      let real: string;
      try {
        real = fs.realpathSync(abs);
      } catch {
        throw bundlingError(label, 'entry', `'${rel}' is a broken symlink (it points to '${fs.readlinkSync(abs)}', which does not exist)`,
          'the handler code would miss what it points to, and a deployed import would fail',
          `fix or remove the link, or add '${rel}' to 'exclude'`);
      }
      if (fs.lstatSync(abs).isSymbolicLink() && !inside(real)) externalLinks.push([rel, real]);
      const stat = fs.statSync(abs);
      if (stat.isDirectory()) {
        if (ancestors.has(real)) {
          throw bundlingError(label, 'entry', `'${rel}' is a symlink to a folder that contains it ('${real}'), a loop`,
            'following it would copy the code into itself without end',
            `remove the link, or add '${rel}' to 'exclude'`);
        }
        const sub = walk(abs, rel, new Set([...ancestors, real]));
        if (sub.whole) paths.push(rel); else paths.push(...sub.paths);
        whole = whole && sub.whole;
      } else if (stat.isFile()) {
        files.push({ rel, real });
        paths.push(rel);
      }
    }
    return { paths, whole };
  };
  const top = walk(absRoot, '', new Set([realRoot]));
  return { files, copyPaths: top.paths.sort(), externalLinks };
}

/**
 * Answers per pattern list and relative path, computed once per process: CDK's glob strategy compiles
 * every pattern again for every file it is asked about, and a fleet of handler folders asks about the
 * same names ('index.py', 'requirements.txt') with the same patterns dozens of times. The answer
 * depends on nothing else (CDK matches the path relative to the root against the patterns).
 */
const GLOB_ANSWERS = new Map<string, Map<string, boolean>>();

/** CDK's GLOB `IgnoreStrategy` for `excludes` under `absRoot`, with its answers cached. */
function cachedGlobIgnore(excludes: string[], absRoot: string): { ignores(abs: string): boolean } {
  const strategy = IgnoreStrategy.fromCopyOptions({ exclude: excludes, ignoreMode: IgnoreMode.GLOB }, absRoot);
  const key = JSON.stringify(excludes);
  let answers = GLOB_ANSWERS.get(key);
  if (answers === undefined) {
    answers = new Map();
    GLOB_ANSWERS.set(key, answers);
  }
  const cache = answers;
  return {
    ignores(abs: string): boolean {
      const rel = path.relative(absRoot, abs);
      let answer = cache.get(rel);
      if (answer === undefined) {
        answer = strategy.ignores(abs);
        cache.set(rel, answer);
      }
      return answer;
    },
  };
}

/** Content fingerprint of a selection: relative paths and file contents (never absolute paths). */
export function selectionFingerprint(selection: FileSelection): string {
  const hash = crypto.createHash('sha256');
  for (const f of selection.files) {
    hash.update(`${f.rel}\0${crypto.createHash('sha256').update(fs.readFileSync(f.real)).digest('hex')}\n`);
  }
  return hash.digest('hex');
}
