/**
 * Lock files keep their hashes, tested with the real tools: pipenv and poetry write the lock files
 * themselves (offline, against a PEP 503 index of the test's wheels served on 127.0.0.1), the layer
 * exports them with hashes and pip enforces them. A wheel that differs from the locked one fails.
 * uv is not installable here: its argv is asserted in docker.test.ts.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { buildWheels, hermeticPipEnv, listFiles, PY312, REPO, tmpdir, writeEntry } from './helpers';
import { localPackage } from './supply-helpers';
import { PythonDependenciesLayer } from '../../lib/bundling';

const FIXTURES = path.join(REPO, 'test', 'fixtures', 'bundling');
const WHEELS = buildWheels();

/** A find-links folder whose purepkg 1.0.0 wheel has the same name but other content than the locked one. */
function tamperedWheels(): string {
  const dir = tmpdir('cpc-tampered-');
  const code = `import sys; sys.path.insert(0, ${JSON.stringify(FIXTURES)}); from make_wheels import write_wheel; ` +
    `write_wheel(${JSON.stringify(dir)}, "purepkg", "1.0.0", "py3-none-any", {"purepkg/__init__.py": b"EVIL = True\\n"})`;
  const r = spawnSync(PY312, ['-c', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  for (const f of fs.readdirSync(WHEELS).filter((n) => !n.startsWith('purepkg'))) fs.copyFileSync(path.join(WHEELS, f), path.join(dir, f));
  return dir;
}

function which(tool: string, args: string[] = ['--version']): boolean {
  return spawnSync(tool, args, { encoding: 'utf8', timeout: 60_000 }).status === 0;
}

/** Hermetic environment for the lock tools: no user pip config, no machine-wide find-links, no Docker. */
const TOOL_ENV: Record<string, string | undefined> = {
  ...process.env,
  PIP_CONFIG_FILE: '/dev/null',
  PIP_FIND_LINKS: '',
  PIPENV_YES: '1',
  PIPENV_NOSPIN: '1',
  PIPENV_VENV_IN_PROJECT: '1',
  PIPENV_IGNORE_VIRTUALENVS: '1',
  POETRY_VIRTUALENVS_CREATE: 'false',
  POETRY_NO_INTERACTION: '1',
};

let server: ChildProcess | undefined;
let indexUrl = '';

beforeAll(async () => {
  server = spawn(PY312, [path.join(FIXTURES, 'simple_index.py'), WHEELS], { stdio: ['ignore', 'pipe', 'inherit'] });
  indexUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('simple index did not start')), 20_000);
    server!.stdout!.once('data', (d: Buffer) => {
      clearTimeout(timer);
      resolve(d.toString().trim().split('\n')[0]);
    });
  });
});

afterAll(() => {
  if (server?.pid !== undefined) process.kill(server.pid);
});

function synth(entry: string, wheels: string) {
  const app = new App({ outdir: tmpdir('cpc-out-') });
  const stack = new Stack(app, 'S');
  const saved = process.env.CDK_DOCKER;
  process.env.CDK_DOCKER = '/nonexistent/docker'; // no silent Docker fallback
  try {
    const layer = new PythonDependenciesLayer(stack, 'Deps', { entry, pythonExecutable: PY312, environment: hermeticPipEnv(wheels) });
    return listFiles(path.join(app.outdir, `asset.${layer.assetHash}`));
  } finally {
    if (saved === undefined) delete process.env.CDK_DOCKER; else process.env.CDK_DOCKER = saved;
  }
}

function synthWithInfos(entry: string, wheels: string) {
  const app = new App({ outdir: tmpdir('cpc-out-') });
  const stack = new Stack(app, 'S');
  const layer = new PythonDependenciesLayer(stack, 'Deps', { entry, pythonExecutable: PY312, environment: hermeticPipEnv(wheels) });
  const infos = Annotations.fromStack(stack).findInfo('/S/Deps', Match.stringLikeRegexp('Built from source')).map((m) => String(m.entry.data));
  return { files: listFiles(path.join(app.outdir, `asset.${layer.assetHash}`)), infos };
}

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** pipenv 2022 (Debian's) does not run on Python 3.12: lock with the system's Python 3.11 (pure wheels). */
const PY311 = ['/usr/bin/python3', 'python3.11', 'python3'].find((p) =>
  spawnSync(p, ['-c', 'import sys; assert sys.version_info[:2] == (3, 11)'], { encoding: 'utf8' }).status === 0);
const HAVE_PIPENV = which('pipenv') && PY311 !== undefined;
if (!HAVE_PIPENV) {
  // eslint-disable-next-line no-console
  console.warn('lock-tools.test.ts: pipenv (or a Python 3.11 for it) is not installed, pipenv tests are skipped. Install it: apt-get install -y pipenv');
}

(HAVE_PIPENV ? describe : describe.skip)('pipenv (real Pipfile.lock)', () => {
  let entry = '';
  beforeAll(() => {
    entry = writeEntry(tmpdir(), {
      Pipfile: `[[source]]\nurl = "${indexUrl}"\nverify_ssl = false\nname = "local"\n\n[packages]\npurepkg = "==1.0.0"\n\n[requires]\npython_version = "3.11"\n`,
    });
    const venv = spawnSync(PY311!, ['-m', 'venv', path.join(entry, '.venv')], { encoding: 'utf8', timeout: 120_000 });
    if (venv.status !== 0) throw new Error(venv.stderr);
    const lock = spawnSync('pipenv', ['lock'], { cwd: entry, env: TOOL_ENV, encoding: 'utf8', timeout: 300_000 });
    if (lock.status !== 0) throw new Error(`pipenv lock failed:\n${lock.stderr}`);
  }, 320_000);

  test('pipenv wrote a lock with the wheel\'s hash', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(entry, 'Pipfile.lock'), 'utf8'));
    expect(lock.default.purepkg.hashes).toEqual([`sha256:${sha256(path.join(WHEELS, 'purepkg-1.0.0-py3-none-any.whl'))}`]);
  });

  test('the layer installs the locked wheel', () => {
    expect(synth(entry, WHEELS)).toContain('python/purepkg/__init__.py');
  }, 120_000);

  test('a wheel that differs from the locked one fails the synth (the lock is enforced at download)', () => {
    expect(() => synth(entry, tamperedWheels())).toThrow(/THESE PACKAGES DO NOT MATCH THE HASHES[\s\S]*purepkg/);
  }, 120_000);

  test('your own local package in the lock is built from source (pip cannot hash a folder); third-party stays hashed', () => {
    // pipenv 2022 cannot lock an in-tree build backend offline (it wants setuptools): add the path entry
    // to the real lock as `pipenv install ../common` would.
    const root = tmpdir();
    localPackage(path.join(root, 'common'), 'common');
    const svc = path.join(root, 'svc');
    fs.cpSync(entry, svc, { recursive: true });
    fs.writeFileSync(path.join(svc, 'Pipfile'), fs.readFileSync(path.join(svc, 'Pipfile'), 'utf8').replace('[packages]\n', '[packages]\ncommon = {path = "../common"}\n'));
    const lock = JSON.parse(fs.readFileSync(path.join(svc, 'Pipfile.lock'), 'utf8'));
    lock.default.common = { path: '../common' };
    fs.writeFileSync(path.join(svc, 'Pipfile.lock'), JSON.stringify(lock, null, 4));
    const { files, infos } = synthWithInfos(svc, WHEELS);
    expect(files).toEqual(expect.arrayContaining(['python/common/__init__.py', 'python/purepkg/__init__.py']));
    expect(infos).toEqual([expect.stringMatching(/^Built from source at synth .*: common \(\.\.\/common\)\./)]);
    expect(() => synth(svc, tamperedWheels())).toThrow(/THESE PACKAGES DO NOT MATCH THE HASHES/);
  }, 240_000);
});

const HAVE_POETRY = which('poetry');
if (!HAVE_POETRY) {
  // eslint-disable-next-line no-console
  console.warn('lock-tools.test.ts: poetry is not installed, poetry tests are skipped. Install it: apt-get install -y python3-poetry');
}
const POETRY_EXPORT = HAVE_POETRY && which('poetry', ['export', '--help']);

(HAVE_POETRY ? describe : describe.skip)('poetry (real poetry.lock)', () => {
  let entry = '';
  beforeAll(() => {
    entry = writeEntry(tmpdir(), {
      'pyproject.toml': [
        '[tool.poetry]', 'name = "svc"', 'version = "0.1.0"', 'description = ""', 'authors = ["Dev <dev@example.com>"]', '',
        '[tool.poetry.dependencies]', 'python = "^3.11"', 'purepkg = "1.0.0"', 'platpkg = "2.0.0"', '',
        '[[tool.poetry.source]]', 'name = "local"', `url = "${indexUrl}"`, 'default = true', '',
      ].join('\n'),
    });
    const env = { ...TOOL_ENV, POETRY_CACHE_DIR: tmpdir('cpc-poetry-cache-') };
    const lock = spawnSync('poetry', ['lock', '--no-update'], { cwd: entry, env, encoding: 'utf8', timeout: 300_000 });
    if (lock.status !== 0) throw new Error(`poetry lock failed:\n${lock.stdout}\n${lock.stderr}`);
  }, 320_000);

  test('poetry wrote a lock with the hash of every wheel (both architectures)', () => {
    const lock = fs.readFileSync(path.join(entry, 'poetry.lock'), 'utf8');
    for (const f of fs.readdirSync(WHEELS).filter((n) => /^(purepkg|platpkg)-/.test(n))) {
      expect(lock).toContain(`{file = "${f}", hash = "sha256:${sha256(path.join(WHEELS, f))}"}`);
    }
  });

  if (POETRY_EXPORT) {
    test('the layer installs the locked wheels for arm64, and a tampered wheel fails', () => {
      expect(synth(entry, WHEELS)).toEqual(expect.arrayContaining(['python/purepkg/__init__.py', 'python/platpkg/_native_aarch64.txt']));
      expect(() => synth(entry, tamperedWheels())).toThrow(/THESE PACKAGES DO NOT MATCH THE HASHES/);
    }, 240_000);
  } else {
    test('poetry without its export command (poetry-plugin-export) is named, not run into a cryptic failure', () => {
      // Debian's python3-poetry has no `export`; poetry 2 needs the plugin.
      expect(() => synth(entry, WHEELS)).toThrow(/poetry \(with `export --help`\) is not on PATH \(needed to export the lock file to requirements; poetry 2 needs the poetry-plugin-export plugin\)/);
    }, 120_000);
  }
});
