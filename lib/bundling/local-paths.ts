import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { redactUrls } from '../shared/redact';

/**
 * What a requirements file installs from the local disk (`../common`, `./pkg`, `-e ./pkg`,
 * `file:` URLs, `name @ file:///...`, `.whl`/sdist paths, `--find-links ./wheels`) is part of the
 * dependency set: its *content* goes into the layer's asset hash, so an edit in `../common` publishes
 * a new layer. Paths are keyed relative to the entry folder and files relative to their package, so
 * the same project checked out elsewhere hashes the same. Internal.
 */

/** Folders and files a build leaves in a local project (not part of what it installs). */
const LOCAL_PROJECT_IGNORES = new Set(['.git', '.hg', '.svn', '__pycache__', '.venv', 'venv', '.tox', '.nox', 'build', '.pytest_cache', '.mypy_cache', '.ruff_cache', 'node_modules', 'cdk.out', '.DS_Store']);

function ignoredInLocalProject(name: string): boolean {
  return LOCAL_PROJECT_IGNORES.has(name) || name.endsWith('.egg-info') || name.endsWith('.pyc') || name.endsWith('.pyo');
}

/**
 * sha256 of a text file with CRLF/CR line endings read as LF (pip reads both the same way) and the
 * userinfo of URLs redacted (`--index-url https://user:TOKEN@host/...`: a rotated token installs the same).
 */
export function textSha256(file: string): string {
  const text = redactUrls(fs.readFileSync(file).toString('utf8').replace(/\r\n?/g, '\n'));
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** Logical lines of a requirements file: comments removed, `\` continuations joined, CRLF read as LF. */
export function requirementLines(file: string): string[] {
  const raw = fs.readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');
  const joined = raw.replace(/\\\n/g, ' ');
  return joined.split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter((l) => l.length > 0);
}

function isUrl(s: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(s) || /^[a-zA-Z][a-zA-Z0-9+.-]*\+/.test(s);
}

/** A `file:` URL (absolute `file:///x`, `file://localhost/x` or relative `file:../x`) as a path. */
function fileUrlPath(url: string, cwd: string): string | undefined {
  if (!/^file:/i.test(url)) return undefined;
  const bare = url.replace(/[#?].*$/, '');
  if (/^file:\/\//i.test(bare)) {
    try {
      return fileURLToPath(bare);
    } catch {
      return undefined;
    }
  }
  return path.resolve(cwd, decodeURIComponent(bare.slice('file:'.length)));
}

/** pip's own test (`_looks_like_path`): a separator in it, or it starts with a dot. */
function looksLikePath(s: string): boolean {
  return s.includes('/') || s.includes('\\') || s.startsWith('.') || /\.(whl|zip|tar\.gz|tgz|tar\.bz2|tar)$/i.test(s);
}

/** Removes extras (`pkg[extra]`) and environment markers (`; python_version < "4"`). */
function stripExtrasAndMarkers(s: string): string {
  return s.replace(/\s*;.*$/, '').replace(/\[[^\]]*\]$/, '').trim();
}

/**
 * The local path a requirement line refers to, if any. `cwd` is where pip runs (the entry folder):
 * pip resolves relative paths of requirement lines against its working directory, not against the
 * requirements file.
 */
export function localPathOfRequirement(line: string, cwd: string): string | undefined {
  let m = /^(?:-e|--editable)(?:\s*=\s*|\s+)(\S+)/.exec(line);
  if (m) {
    const target = stripExtrasAndMarkers(m[1]);
    return fileUrlPath(target, cwd) ?? (isUrl(target) ? undefined : path.resolve(cwd, target));
  }
  m = /^(?:-f|--find-links)(?:\s*=\s*|\s+)(\S+)/.exec(line);
  if (m) {
    return fileUrlPath(m[1], cwd) ?? (isUrl(m[1]) ? undefined : path.resolve(cwd, m[1]));
  }
  if (line.startsWith('-')) return undefined; // other options (-r/-c are followed as includes)
  // PEP 508 direct reference: name @ url
  m = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?\s*@\s*(\S+)/.exec(line);
  if (m) {
    return fileUrlPath(stripExtrasAndMarkers(m[1]), cwd);
  }
  const target = stripExtrasAndMarkers(line.split(/\s+/)[0]);
  const fromUrl = fileUrlPath(target, cwd);
  if (fromUrl !== undefined) return fromUrl;
  if (isUrl(target) || !looksLikePath(target)) return undefined;
  return path.resolve(cwd, target);
}

/**
 * Content fingerprint of a file or a folder (relative names and file contents, symlinks followed,
 * build leftovers such as `build/`, `*.egg-info` and `__pycache__` ignored).
 */
export function contentFingerprint(p: string): string {
  const hash = crypto.createHash('sha256');
  const seen = new Set<string>();
  const walk = (abs: string, rel: string) => {
    const stat = fs.statSync(abs);
    if (stat.isDirectory()) {
      const real = fs.realpathSync(abs);
      if (seen.has(real)) return; // a link back to a folder already hashed
      seen.add(real);
      hash.update(`dir:${rel}\n`);
      for (const name of fs.readdirSync(abs).sort()) {
        if (ignoredInLocalProject(name)) continue;
        walk(path.join(abs, name), rel ? `${rel}/${name}` : name);
      }
    } else if (stat.isFile()) {
      hash.update(`file:${rel}:${crypto.createHash('sha256').update(fs.readFileSync(abs)).digest('hex')}\n`);
    }
  };
  walk(p, '');
  return hash.digest('hex');
}

/** One local path the dependency set installs from, as hashed: path relative to the entry and content. */
export interface LocalRequirement {
  /** Path relative to the entry folder, forward slashes (never absolute). */
  readonly path: string;
  /** Content fingerprint, or 'missing' (pip will fail on it). */
  readonly content: string;
}

/**
 * Every local path that the requirements files install from (each file of `files` is a requirements
 * file; includes are already expanded by `includedRequirementFiles`).
 */
export function localRequirements(entry: string, files: string[]): LocalRequirement[] {
  const found = new Map<string, LocalRequirement>();
  for (const file of files) {
    for (const line of requirementLines(file)) {
      let p = localPathOfRequirement(line, entry);
      const findLinks = /^(?:-f|--find-links)(?:\s*=\s*|\s+)(\S+)/.exec(line);
      if (findLinks && !isUrl(findLinks[1])) {
        // pip reads a relative --find-links against the requirements file's folder when it exists there.
        const besideFile = path.resolve(path.dirname(file), findLinks[1]);
        if (fs.existsSync(besideFile)) p = besideFile;
      }
      if (p === undefined) continue;
      const rel = path.relative(entry, p).split(path.sep).join('/') || '.';
      if (found.has(rel)) continue;
      if (path.resolve(p) === path.resolve(entry)) {
        // `-e .` or `.`: the entry itself (the spec files are hashed already; its code is the project's).
        found.set(rel, { path: rel, content: contentFingerprint(p) });
        continue;
      }
      found.set(rel, { path: rel, content: fs.existsSync(p) ? contentFingerprint(p) : 'missing' });
    }
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Local path dependencies recorded in a lock file (the lock stores the path, not the content):
 * uv.lock `source = { editable|directory|path = "../common" }`, poetry.lock `[package.source]` of type
 * `directory`/`file` and Pipfile.lock `"path": "../common"`, relative to the lock file's folder.
 */
export function lockFileLocalRequirements(entry: string, lockFile: string): LocalRequirement[] {
  const text = fs.readFileSync(lockFile, 'utf8').replace(/\r\n?/g, '\n');
  const base = path.dirname(lockFile);
  const paths: string[] = [];
  const name = path.basename(lockFile);
  if (name === 'uv.lock') {
    for (const m of text.matchAll(/source\s*=\s*\{[^}]*\b(?:editable|directory|path)\s*=\s*"([^"]+)"/g)) paths.push(m[1]);
  } else if (name === 'poetry.lock') {
    for (const m of text.matchAll(/\[package\.source\]\s*\ntype\s*=\s*"(?:directory|file)"\s*\nurl\s*=\s*"([^"]+)"/g)) paths.push(m[1]);
  } else if (name === 'Pipfile.lock') {
    for (const m of text.matchAll(/"path"\s*:\s*"([^"]+)"/g)) paths.push(m[1]);
  }
  const found = new Map<string, LocalRequirement>();
  for (const p of paths) {
    const abs = path.resolve(base, p);
    if (abs === path.resolve(entry)) continue; // the project itself (--no-emit-project: not installed)
    const rel = path.relative(entry, abs).split(path.sep).join('/') || '.';
    found.set(rel, { path: rel, content: fs.existsSync(abs) ? contentFingerprint(abs) : 'missing' });
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path));
}
