import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Environment variable naming a Python interpreter for local bundling. */
export const PYTHON_ENV_VAR = 'CDK_PYTHON_COLDSTART_PYTHON';

/** Result of looking for a local interpreter. */
export interface LocalPython {
  readonly python?: string;
  /** Why no interpreter was found (for the fallback message): one entry per place looked in. */
  readonly reason?: string;
}

/** How running a candidate went. */
interface Probe {
  /** `3.12`, when it ran and printed its version. */
  readonly version?: string;
  /** Why it did not, in a few words (first line of its stderr, or the spawn error). */
  readonly failure?: string;
}

const PROBE_TIMEOUT_MS = 30_000;

function probe(exe: string, env: NodeJS.ProcessEnv): Probe {
  const r = spawnSync(exe, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS, env });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    return { failure: code === 'ENOENT' ? 'not found' : code === 'ETIMEDOUT' ? `did not answer within ${PROBE_TIMEOUT_MS / 1000} s` : String(r.error.message) };
  }
  if (r.status !== 0) {
    const first = `${r.stderr ?? ''}\n${r.stdout ?? ''}`.split('\n').map((l) => l.trim()).find((l) => l.length > 0);
    return { failure: `exits with code ${r.status ?? r.signal}${first ? `: "${first.slice(0, 200)}"` : ''}` };
  }
  return { version: r.stdout.trim() };
}

/** The first executable file named `name` in PATH, like `command -v`. */
export function whichOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** pyenv's root: `$PYENV_ROOT`, else what `pyenv root` prints, else pyenv's default `~/.pyenv`. */
function pyenvRoot(env: NodeJS.ProcessEnv): string | undefined {
  if (env.PYENV_ROOT) return env.PYENV_ROOT;
  const pyenv = whichOnPath('pyenv', env);
  if (pyenv) {
    const r = spawnSync(pyenv, ['root'], { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS, env });
    const out = r.status === 0 ? r.stdout.trim() : '';
    if (out) return out;
  }
  const home = env.HOME ?? os.homedir();
  return home ? path.join(home, '.pyenv') : undefined;
}

/** `<root>/versions/3.N.P/bin/python3.N`, newest patch first (free-threaded and dev builds are skipped). */
function pyenvCandidates(root: string, version: string): string[] {
  const versionsDir = path.join(root, 'versions');
  let names: string[];
  try {
    names = fs.readdirSync(versionsDir);
  } catch {
    return [];
  }
  const re = new RegExp(`^${version.replace('.', '\\.')}\\.(\\d+)$`);
  return names
    .map((n) => ({ n, m: re.exec(n) }))
    .filter((x): x is { n: string; m: RegExpExecArray } => x.m !== null)
    .sort((a, b) => Number(b.m[1]) - Number(a.m[1]))
    .map((x) => path.join(versionsDir, x.n, 'bin', `python${version}`))
    .filter((p) => fs.existsSync(p));
}

/** What `uv python find 3.N` prints (uv's own managed or discovered interpreters), when uv is on PATH. */
function uvCandidate(version: string, env: NodeJS.ProcessEnv): { python?: string; failure?: string } | undefined {
  const uv = whichOnPath('uv', env);
  if (!uv) return undefined;
  const r = spawnSync(uv, ['python', 'find', version], { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS, env });
  const out = r.status === 0 ? (r.stdout ?? '').trim().split('\n')[0] : '';
  if (out) return { python: out };
  const first = `${r.stderr ?? ''}`.split('\n').map((l) => l.trim()).find((l) => l.length > 0);
  return { failure: `\`uv python find ${version}\` found none${first ? ` ("${first.slice(0, 200)}")` : ''}` };
}

/**
 * Finds a Python of the runtime's minor version, as users have it installed:
 *
 * 1. the `pythonExecutable` property (an error if it is wrong: explicit configuration never silently falls back);
 * 2. `$CDK_PYTHON_COLDSTART_PYTHON`, if it has the right version;
 * 3. `python3.N` on PATH (a pyenv shim that exists but fails is reported as failing, not as missing);
 * 4. pyenv's versions folder (`$PYENV_ROOT`, `pyenv root` or `~/.pyenv`): `versions/3.N.*\/bin/python3.N`, newest first;
 * 5. `uv python find 3.N`, when uv is on PATH.
 *
 * Every candidate is verified by running it.
 */
export function discoverPython(construct: string, version: string, explicit?: string, env: NodeJS.ProcessEnv = process.env): LocalPython {
  if (explicit !== undefined) {
    const p = probe(explicit, env);
    if (p.version === undefined) {
      throw new Error(`${construct}: pythonExecutable '${explicit}' cannot be run (${p.failure}). Set 'pythonExecutable' to a Python ${version} interpreter, or leave it unset to use python${version} from PATH, pyenv or uv (or Docker).`);
    }
    if (p.version !== version) {
      throw new Error(`${construct}: pythonExecutable '${explicit}' is Python ${p.version}, but the runtime needs Python ${version}: bytecode from another minor version has a different magic number and Lambda would ignore it. Point 'pythonExecutable' at a Python ${version} interpreter.`);
    }
    return { python: explicit };
  }
  const reasons: string[] = [];
  const describe = (label: string, p: Probe) => `${label} ${p.version !== undefined ? `is Python ${p.version}` : p.failure === 'not found' ? 'does not exist' : p.failure}`;

  const fromEnv = env[PYTHON_ENV_VAR];
  if (fromEnv) {
    const p = probe(fromEnv, env);
    if (p.version === version) return { python: fromEnv };
    reasons.push(describe(`$${PYTHON_ENV_VAR}=${fromEnv}`, p));
  }

  const name = `python${version}`;
  const onPath = whichOnPath(name, env);
  if (onPath === undefined) {
    reasons.push(`${name} is not on PATH`);
  } else {
    const p = probe(onPath, env);
    if (p.version === version) return { python: onPath };
    reasons.push(`${name} on PATH (${onPath}) exists but ${p.version !== undefined ? `is Python ${p.version}` : `fails: it ${p.failure}`}`);
  }

  const root = pyenvRoot(env);
  if (root !== undefined) {
    const candidates = pyenvCandidates(root, version);
    for (const c of candidates) {
      const p = probe(c, env);
      if (p.version === version) return { python: c };
      reasons.push(describe(c, p));
    }
    if (candidates.length === 0) reasons.push(`no ${version}.x in pyenv's ${path.join(root, 'versions')}`);
  }

  const uv = uvCandidate(version, env);
  if (uv?.python !== undefined) {
    const p = probe(uv.python, env);
    if (p.version === version) return { python: uv.python };
    reasons.push(describe(`uv's ${uv.python}`, p));
  } else if (uv?.failure) {
    reasons.push(uv.failure);
  }
  return { reason: reasons.join('; ') };
}
