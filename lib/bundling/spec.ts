import * as fs from 'fs';
import * as path from 'path';

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
