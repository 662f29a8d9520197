import * as fs from 'fs';
import * as path from 'path';
import { localRequirements, LocalRequirement, lockFileLocalRequirements, textSha256 } from './local-paths';
import { bundlingError } from './messages';

/** How the dependency set is described. Internal. */
export type DependencySpecKind = 'requirements' | 'uv' | 'poetry' | 'pipenv';

/** A detected dependency specification. Internal. */
export interface DependencySpec {
  readonly kind: DependencySpecKind;
  /** Path of the spec file relative to the entry, with forward slashes. */
  readonly file: string;
  /** Absolute paths of every file whose contents change the dependency set (hashed). */
  readonly hashFiles: string[];
  /** The tool that exports the lock to requirements.txt, if any. */
  readonly exportTool?: string;
}

/** Detection order (documented in the README): requirements.txt, uv.lock, poetry.lock, Pipfile.lock. */
export const SPEC_DETECTION_ORDER: Array<{ file: string; kind: DependencySpecKind; sidecars: string[] }> = [
  { file: 'requirements.txt', kind: 'requirements', sidecars: [] },
  { file: 'uv.lock', kind: 'uv', sidecars: ['pyproject.toml'] },
  { file: 'poetry.lock', kind: 'poetry', sidecars: ['pyproject.toml'] },
  { file: 'Pipfile.lock', kind: 'pipenv', sidecars: ['Pipfile'] },
];

const EXPORT_TOOLS: Record<DependencySpecKind, string | undefined> = {
  requirements: undefined,
  uv: 'uv',
  poetry: 'poetry',
  pipenv: 'pipenv',
};

function kindOf(file: string): DependencySpecKind {
  const base = path.basename(file);
  const known = SPEC_DETECTION_ORDER.find((s) => s.file === base);
  return known ? known.kind : 'requirements';
}

/**
 * Finds the dependency spec in `entry`: the explicit `dependencyFile` if given (any other file name
 * is read as a requirements file), else the first of SPEC_DETECTION_ORDER that exists.
 */
export function detectDependencySpec(entry: string, dependencyFile?: string): DependencySpec {
  if (!fs.existsSync(entry) || !fs.statSync(entry).isDirectory()) {
    throw new Error(`PythonDependenciesLayer: entry '${entry}' is not a folder. Set 'entry' to the folder that holds requirements.txt, uv.lock, poetry.lock or Pipfile.lock.`);
  }
  let file: string | undefined;
  if (dependencyFile !== undefined) {
    checkDependencyFileValue(entry, dependencyFile);
    const abs = path.resolve(entry, dependencyFile);
    const rel = path.relative(entry, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new Error(`PythonDependenciesLayer: dependencyFile '${dependencyFile}' must be inside entry '${entry}' (it is mounted as the bundling input). Move it into the entry folder or point 'entry' at its folder.`);
    }
    if (!fs.existsSync(abs)) {
      const present = SPEC_DETECTION_ORDER.map((spec) => spec.file).filter((f) => fs.existsSync(path.join(entry, f)));
      throw new Error(`PythonDependenciesLayer: dependencyFile '${dependencyFile}' does not exist in '${entry}': pip has nothing to install. ` +
        (present.length ? `Set dependencyFile to one of ${present.join(', ')} (relative to entry), or remove it to detect the spec.` : 'Set dependencyFile to a path relative to entry, e.g. requirements.txt.'));
    }
    checkDependencyFileIsFile(entry, dependencyFile, abs);
    file = rel.split(path.sep).join('/');
  } else {
    file = SPEC_DETECTION_ORDER.map((s) => s.file).find((f) => fs.existsSync(path.join(entry, f)));
  }
  if (file === undefined) {
    throw new Error(`PythonDependenciesLayer: no dependency specification in '${entry}'. Looked for (in this order) ${SPEC_DETECTION_ORDER.map((s) => s.file).join(', ')}. Add one, or set 'dependencyFile' to a requirements file inside the entry folder.`);
  }
  const kind = kindOf(file);
  const sidecars = SPEC_DETECTION_ORDER.find((s) => s.kind === kind && kind !== 'requirements')?.sidecars ?? [];
  const dir = path.dirname(path.join(entry, file));
  const hashFiles = kind === 'requirements'
    ? includedRequirementFiles(path.join(entry, file))
    : [path.join(entry, file), ...sidecars.map((s) => path.join(dir, s)).filter((p) => fs.existsSync(p))];
  return { kind, file, hashFiles, exportTool: EXPORT_TOOLS[kind] };
}

/**
 * A requirements file plus every file it pulls in with `-r`/`--requirement`/`-c`/`--constraint`
 * (relative to the including file), so a change in any of them changes the asset hash.
 */
export function includedRequirementFiles(file: string, seen: Set<string> = new Set()): string[] {
  const abs = path.resolve(file);
  if (seen.has(abs) || !fs.existsSync(abs)) return [];
  seen.add(abs);
  const out = [abs];
  for (const line of fs.readFileSync(abs, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:-r|-c|--requirement|--constraint)(?:\s*=\s*|\s+)(\S+)/.exec(line);
    if (m && !/^[a-z]+:\/\//i.test(m[1])) {
      out.push(...includedRequirementFiles(path.resolve(path.dirname(abs), m[1]), seen));
    }
  }
  return out;
}

const LAYER_LABEL = 'PythonDependenciesLayer';

/** `dependencyFile: ''` (or only blanks) names no file: say so instead of reading the entry folder. */
function checkDependencyFileValue(entry: string, dependencyFile: string): void {
  if (dependencyFile.trim() === '') {
    const present = SPEC_DETECTION_ORDER.map((spec) => spec.file).filter((f) => fs.existsSync(path.join(entry, f)));
    throw bundlingError(LAYER_LABEL, 'dependencyFile', `'${dependencyFile}' is empty, so it names no dependency specification in '${entry}'`,
      'pip needs a requirements file (or a lock file to export) to install the layer',
      present.length ? `set dependencyFile to one of ${present.join(', ')} (relative to entry), or remove it to detect the spec` : 'set dependencyFile to a file relative to entry, e.g. requirements.txt, or remove it to detect the spec');
  }
}

/** A folder as `dependencyFile` (today's EISDIR): name the files it holds that would work. */
function checkDependencyFileIsFile(entry: string, dependencyFile: string, abs: string): void {
  if (!fs.statSync(abs).isFile()) {
    const inside = fs.statSync(abs).isDirectory()
      ? fs.readdirSync(abs).filter((f) => /(^requirements.*\.txt$|\.lock$|^Pipfile\.lock$)/.test(f)).sort().map((f) => path.posix.join(dependencyFile.replace(/[\\/]+$/, ''), f))
      : [];
    throw bundlingError(LAYER_LABEL, 'dependencyFile', `'${dependencyFile}' is a folder in '${entry}', not a file`,
      'pip reads one requirements file (or a lock file to export) per layer',
      inside.length ? `set dependencyFile to one of ${inside.join(', ')}` : `point dependencyFile at the requirements or lock file itself (relative to entry), or set entry to '${abs}' and remove dependencyFile`);
  }
}

/** What the dependency set is made of, as hashed: spec files (line endings normalised) and local paths. */
export interface DependencySetHashInputs {
  /** [path relative to the spec file's folder, sha256 of the text with LF line endings]. */
  readonly files: Array<[string, string]>;
  /** Content of every local path requirement (`../common`, `-e ./pkg`, `file:` URLs, wheels). */
  readonly localPaths: LocalRequirement[];
}

/**
 * The hash inputs of a dependency spec: never absolute paths, never line endings, always the content of
 * what pip installs from the local disk (through `-r`/`-c` includes too).
 */
export function dependencySetHashInputs(entry: string, spec: DependencySpec): DependencySetHashInputs {
  const base = path.dirname(spec.hashFiles[0] ?? path.join(entry, spec.file));
  return {
    files: spec.hashFiles.map((f): [string, string] => [path.relative(base, f).split(path.sep).join('/'), textSha256(f)]),
    localPaths: spec.kind === 'requirements' ? localRequirements(entry, spec.hashFiles) : lockFileLocalRequirements(entry, spec.hashFiles[0]),
  };
}
