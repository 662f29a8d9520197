import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { DependencySpec, includedRequirementFiles, SPEC_DETECTION_ORDER } from './spec';
import { AWS_RULES, ruleText } from '../shared/aws-rules';
import { ColdStartConfigError } from '../shared/errors';
import { redactUrls } from '../shared/redact';

/**
 * What the supply-chain checks found in a dependency spec before anything is installed. Internal.
 */
export interface SupplyChainScan {
  /** Lines that would let pip build third-party code from source: `file:line: text: why` (URLs redacted). */
  readonly problems: string[];
  /** The user's own local packages (folders), built from source at synth: `name (path)`. */
  readonly localPackages: string[];
  /** A requirements file (or a file it includes) pins hashes: install with `--require-hashes`. */
  readonly hashes: boolean;
}

const VCS = /^(git|hg|svn|bzr)\+/i;
const OPTION_WITH_VALUE = /^(-[rcefi]|--(requirement|constraint|editable|find-links|index-url|extra-index-url|trusted-host|hash|global-option|config-settings|use-feature))$/;

/** pip's logical lines of a requirements file: continuations joined, comments removed. */
export function requirementLines(text: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  let buf = '';
  let start = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    if (buf === '') start = i + 1;
    if (raw.endsWith('\\')) {
      buf += raw.slice(0, -1);
      return;
    }
    buf += raw;
    const t = buf.replace(/(^|\s+)#.*$/, '').trim();
    if (t) out.push({ line: start, text: t });
    buf = '';
  });
  const t = buf.replace(/(^|\s+)#.*$/, '').trim();
  if (t) out.push({ line: start, text: t });
  return out;
}

/** optparse accepts any unambiguous prefix of a long option (`--no-bin` is `--no-binary`). */
function isOption(name: string, full: string, minLength: number): boolean {
  return name.length >= minLength && full.startsWith(name);
}

function localDir(spec: string, cwd: string): string | undefined {
  let s = spec.split('#')[0];
  if (/^file:/i.test(s)) s = decodeURIComponent(s.replace(/^file:(\/\/(localhost)?)?/i, ''));
  if (!s) return undefined;
  const p = path.resolve(cwd, s);
  return fs.existsSync(p) && fs.statSync(p).isDirectory() ? p : undefined;
}

function packageName(dir: string): string {
  for (const f of ['pyproject.toml', 'setup.cfg']) {
    const file = path.join(dir, f);
    if (fs.existsSync(file)) {
      const m = /^\s*name\s*=\s*["']?([A-Za-z0-9][A-Za-z0-9._-]*)/m.exec(fs.readFileSync(file, 'utf8'));
      if (m) return m[1];
    }
  }
  return path.basename(dir);
}

/**
 * Scans a requirements file and everything it includes (`-r`, `-c`) for what would undo
 * `--only-binary=:all:` (`--no-binary`, `--only-binary` other than `:all:`), for third-party code
 * that pip would build from source (VCS URLs, source archives by URL or path, includes fetched from
 * a URL that cannot be checked), for the user's own local folders (built, and reported) and for
 * `--hash` pins. pip resolves relative paths from its working directory, the entry.
 */
export function scanRequirements(entry: string, file: string): SupplyChainScan {
  const problems: string[] = [];
  const local = new Map<string, string>();
  let hashes = false;
  const seen = new Set<string>();
  const visit = (abs: string) => {
    if (seen.has(abs) || !fs.existsSync(abs)) return;
    seen.add(abs);
    const rel = path.relative(entry, abs).split(path.sep).join('/');
    const refuse = (n: number, text: string, why: string) => problems.push(`${rel}:${n}: ${redactUrls(text)}: ${why}`);
    const addLocal = (dir: string) => local.set(dir, `${packageName(dir)} (${path.relative(entry, dir).split(path.sep).join('/') || '.'})`);
    for (const { line, text } of requirementLines(fs.readFileSync(abs, 'utf8'))) {
      const tokens = text.split(/\s+/);
      if (tokens[0].startsWith('-')) {
        for (let i = 0; i < tokens.length; i++) {
          const t = tokens[i];
          const eq = t.indexOf('=');
          let name = eq >= 0 ? t.slice(0, eq) : t;
          let value = eq >= 0 ? t.slice(eq + 1) : undefined;
          // Short options may carry their value attached: -rbase.txt, -e./pkg.
          if (/^-[rcef]./.test(name) && !name.startsWith('--')) {
            value = name.slice(2);
            name = name.slice(0, 2);
          }
          if (!name.startsWith('-')) continue;
          const takeValue = () => {
            if (value === undefined && OPTION_WITH_VALUE.test(name) && i + 1 < tokens.length) value = tokens[++i];
            return value ?? '';
          };
          const long = name.startsWith('--') ? name.slice(2) : '';
          if (isOption(long, 'no-binary', 4)) {
            refuse(line, text, '--no-binary makes pip build packages from source at synth (their setup.py runs on this machine, and compiled code is built for this machine, not for Lambda); remove it: the layer installs third-party packages only as wheels for the target');
          } else if (isOption(long, 'only-binary', 1)) {
            if (value === undefined && i + 1 < tokens.length) value = tokens[++i];
            if (value !== ':all:') {
              refuse(line, text, `--only-binary ${value ?? ''} would let pip build other packages from source; remove it (the layer always installs with --only-binary=:all:)`);
            }
          } else if (isOption(long, 'require-hashes', 5)) {
            hashes = true;
          } else if (name === '-r' || name === '-c' || isOption(long, 'requirement', 5) || isOption(long, 'constraint', 3)) {
            const inc = takeValue();
            if (/^[a-z][a-z0-9+.-]*:\/\//i.test(inc)) {
              refuse(line, text, 'an included file fetched from a URL cannot be checked before pip runs; copy it into the entry folder');
            } else {
              visit(path.resolve(path.dirname(abs), inc));
            }
          } else if (name === '-e' || isOption(long, 'editable', 3)) {
            const target = takeValue();
            const dir = localDir(target, entry);
            if (dir) addLocal(dir);
            else refuse(line, text, `an editable requirement that is not a local folder (${VCS.test(target) ? 'a VCS checkout' : 'a URL'}) is built from source; depend on a released wheel instead`);
          } else {
            takeValue();
          }
        }
        continue;
      }
      if (/(^|\s)--hash[=\s]/.test(text)) hashes = true;
      const spec = text.split(';')[0].split(/\s+--/)[0].trim();
      const direct = /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*@\s*(\S+)/.exec(spec);
      const url = direct ? direct[2] : spec.split(/\s+/)[0];
      if (VCS.test(url)) {
        refuse(line, text, 'a VCS URL is built from source at synth; depend on a released wheel (or a local folder of your own code) instead');
        continue;
      }
      // pip reads a bare name as a project name even when a folder of that name exists.
      const dir = /^(file:|\.|~)|[/\\]/i.test(url) ? localDir(url, entry) : undefined;
      if (dir) {
        addLocal(dir);
        continue;
      }
      const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
      const isPath = direct !== null || isUrl || /^[.~/\\]/.test(url) || /\.(tar\.gz|tgz|tar\.bz2|zip|whl)$/i.test(url);
      if (isPath && !/\.whl$/i.test(url.split(/[#?]/)[0])) {
        refuse(line, text, 'a source archive is built from source at synth; use a wheel for the target (or a local folder of your own code)');
      }
    }
  };
  visit(path.resolve(entry, file));
  return { problems, localPackages: [...local.values()].sort(), hashes };
}

/**
 * The user's own local packages that a lock-file project depends on by path (poetry
 * `{ path = "../common" }`, Pipfile `{ path = "../common" }`, uv `[tool.uv.sources]`), read from its
 * pyproject.toml / Pipfile: they are built from source at synth.
 */
export function lockLocalPackages(entry: string, spec: DependencySpec): string[] {
  const sidecars = SPEC_DETECTION_ORDER.find((s) => s.kind === spec.kind)?.sidecars ?? [];
  const out = new Set<string>();
  for (const f of sidecars) {
    const file = path.join(path.dirname(path.join(entry, spec.file)), f);
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
      const m = /^\s*["']?([A-Za-z0-9][A-Za-z0-9._-]*)["']?\s*=\s*\{[^}]*\bpath\s*=\s*["']([^"']+)["']/.exec(line);
      if (m) out.add(`${m[1]} (${m[2]})`);
    }
  }
  return [...out].sort();
}

/**
 * Every file of a dependency spec that must stay out of the handler code and the layer: the spec
 * itself, everything a requirements file includes (`-r`, `-c`, which may carry index credentials),
 * and a lock file's sidecars. Paths relative to the entry, with forward slashes.
 */
export function dependencySpecFiles(entry: string, spec: DependencySpec): string[] {
  const abs = path.resolve(entry);
  const files = spec.kind === 'requirements'
    ? includedRequirementFiles(path.join(abs, spec.file))
    : spec.hashFiles;
  return [...new Set(files.map((f) => path.relative(abs, f).split(path.sep).join('/')))]
    .filter((f) => !f.startsWith('..') && !path.isAbsolute(f))
    .sort();
}

/**
 * Scans the spec at synth, before anything runs: throws a ColdStartConfigError naming every file and
 * line that would build third-party code from source; returns the local packages and the hash mode.
 */
export function checkSupplyChain(scope: IConstruct, id: string, entry: string, spec: DependencySpec): SupplyChainScan {
  if (spec.kind !== 'requirements') {
    return { problems: [], localPackages: lockLocalPackages(entry, spec), hashes: true };
  }
  const scan = scanRequirements(entry, spec.file);
  if (scan.problems.length > 0) {
    throw new ColdStartConfigError(scope, `${id}: ${spec.file}`,
      `${scan.problems.length === 1 ? 'a line asks' : 'lines ask'} pip to build third-party code from source:\n  ${scan.problems.join('\n  ')}\n`,
      'The dependencies layer installs third-party packages only as wheels for the target (pip --only-binary=:all:): ' +
      'building them would run their setup code on this machine and compile for this machine, not for Lambda; ' +
      ruleText(AWS_RULES.NATIVE_CODE_TARGET),
      'remove these lines; depend on versions published as wheels for the target (or pure-Python wheels); your own code may be a local folder (./pkg, ../common, -e ./pkg), which is built');
  }
  return scan;
}

/** The one synth-time notice about local packages built from source. */
export function localPackagesNotice(localPackages: string[]): string {
  return `Built from source at synth (your own local packages, their build backends run on this machine): ${localPackages.join(', ')}. ` +
    'Third-party packages are installed only as wheels for the target; every native file of the layer is checked against the target architecture.';
}

/** The hint of a failing verification. */
export function verifyHint(architecture: string, pythonVersion: string): string {
  const rule = AWS_RULES.NATIVE_CODE_TARGET;
  return `${ruleText(rule)}: ${rule.why}. Fix: ${rule.fix} (here ${architecture}, CPython ${pythonVersion}).`;
}

/**
 * sha256 of a dependency spec file with the userinfo of its URLs redacted: credentials never enter
 * hash input, and rotating an index token does not rebuild the layer.
 */
export function specDigest(file: string): string {
  return crypto.createHash('sha256').update(redactUrls(fs.readFileSync(file, 'utf8'))).digest('hex');
}
