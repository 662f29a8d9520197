/*
 * What `npm publish` would ship. Two views: the .npmignore rules applied to a synthetic tree holding every
 * kind of file this repository produces (hermetic: sources, synth output, test output next to the compiled
 * files), and the real package packed from this checkout with its file modes (needs a compiled tree: it runs
 * after `npx projen compile`, which `npm run build` and CI do first).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

function npm(args: string[], cwd: string): string {
  const r = spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, npm_config_loglevel: 'error', npm_config_update_notifier: 'false', npm_config_fund: 'false' },
  });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed: ${r.error ?? ''}${r.stderr}`);
  return r.stdout;
}

/** The JSON of `npm pack --json`, which may be preceded by lifecycle output. */
function packJson(stdout: string): { files: { path: string; mode: number }[]; entryCount: number; filename: string } {
  return JSON.parse(stdout.slice(stdout.indexOf('[')))[0];
}

describe('npm package contents (the .npmignore rules)', () => {
  let dir: string;
  let files: string[];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-rules-'));
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: pkg.name, version: '0.0.0', bin: pkg.bin, files: pkg.files }));
    fs.copyFileSync(path.join(ROOT, '.npmignore'), path.join(dir, '.npmignore'));
    const tree = [
      'lib/index.ts', 'lib/index.js', 'lib/index.d.ts', 'lib/bundling/options.ts', 'lib/bundling/options.js',
      'lib/bundling/options.d.ts', 'lib/cli/main.ts', 'lib/cli/main.js', 'lib/cli/main.d.ts', 'lib/index.js.map',
      '.jsii', '.jsii.tabl.json', 'README.md', 'LICENSE', 'API.md', 'docs/bundling.md', 'CONTRIBUTING.md',
      'assets/runtime/cdk_python_coldstart_runtime/lazy.py', 'assets/runtime/cdk_python_coldstart_runtime/__pycache__/lazy.cpython-312.pyc',
      'policy/coldstart.guard', 'policy/run-guard.js', 'policy/test/cases.yaml', 'rosetta/default.ts-fixture',
      'cdk.out/manifest.json', 'cdk.out/asset.abc/index.py', 'cdk.out.python/manifest.json',
      'test/package/npm-package.test.ts', 'coverage/lcov.info', 'test-reports/junit.xml', 'junit.xml',
      'examples/app.ts', 'examples/python/app.py', 'integ/integ.function.ts', 'scripts/bindings-python.js',
      'dist-bindings/python/venv/bin/python', 'dist/js/cdk-python-coldstart-0.0.0.tgz', 'bench/deps/run.ts',
      '.projenrc.ts', 'tsconfig.json', 'tsconfig.tsbuildinfo', '.eslintrc.json', '.projen/tasks.json', '.gitattributes',
    ];
    for (const f of tree) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), f.endsWith('.json') || f === '.jsii' || f === '.jsii.tabl.json' ? '{}' : '#!/usr/bin/env node\n');
    }
    files = packJson(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], dir)).files.map((f) => f.path).sort();
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('ships the compiled library, its type declarations, the jsii assembly and its rosetta tablet', () => {
    expect(files).toEqual(expect.arrayContaining([
      'lib/index.js', 'lib/index.d.ts', 'lib/bundling/options.js', 'lib/bundling/options.d.ts', 'lib/cli/main.js',
      '.jsii', '.jsii.tabl.json', 'README.md', 'LICENSE', 'docs/bundling.md',
      'assets/runtime/cdk_python_coldstart_runtime/lazy.py', 'policy/coldstart.guard', 'policy/run-guard.js',
      'rosetta/default.ts-fixture', 'package.json',
    ]));
  });

  test('never ships TypeScript sources: ts-node --prefer-ts-exts would load them instead of the .js', () => {
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  test('never ships synth output, test output, bindings, bytecode or build configuration', () => {
    const unwanted = files.filter((f) => /^(cdk\.out|coverage|test-reports|test|examples|integ|scripts|dist-bindings|dist|bench|policy\/test|\.projen)(\/|$|\.)/.test(f)
      || /__pycache__|\.pyc$|\.map$|tsbuildinfo|junit\.xml|^tsconfig\.json$|^\.eslintrc\.json$|^\.gitattributes$|^\.projenrc|^CONTRIBUTING\.md$/.test(f));
    expect(unwanted).toEqual([]);
  });
});

const compiled = fs.existsSync(path.join(ROOT, 'lib', 'index.js')) && fs.existsSync(path.join(ROOT, '.jsii'));
const describeCompiled = compiled || process.env.CI ? describe : describe.skip;
if (!compiled && !process.env.CI) {
  // eslint-disable-next-line no-console
  console.warn('test/package: the real-tarball checks are skipped: no compiled tree (run npx projen compile first)');
}

describeCompiled('the packed tarball of this checkout', () => {
  let dir: string;
  let entries: { mode: string; path: string }[];
  let count: number;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-real-'));
    const info = packJson(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT));
    count = info.entryCount;
    const tgz = path.join(dir, info.filename);
    const r = spawnSync('tar', ['-tvzf', tgz], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    expect(r.status).toBe(0);
    entries = r.stdout.trim().split('\n').map((l) => {
      const cols = l.trim().split(/\s+/);
      return { mode: cols[0], path: cols[cols.length - 1].replace(/^package\//, '') };
    });
  }, 180_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('lib/cli/main.js is executable and starts with a shebang (jsii runs it directly)', () => {
    const main = entries.find((e) => e.path === 'lib/cli/main.js');
    expect(main?.mode).toMatch(/^-rwxr-xr-x/);
    expect(fs.readFileSync(path.join(ROOT, 'lib', 'cli', 'main.js'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(entries.find((e) => e.path === 'policy/run-guard.js')?.mode).toMatch(/^-rwxr-xr-x/);
  });

  test('every bin of package.json is in the tarball and executable', () => {
    const bins: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).bin;
    for (const target of Object.values(bins)) {
      expect(entries.find((e) => e.path === target.replace(/^\.\//, ''))?.mode).toMatch(/^-rwx/);
    }
  });

  test('contains the compiled library with its declarations, the assembly, the tablet and the runtime assets', () => {
    const paths = entries.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining([
      'lib/index.js', 'lib/index.d.ts', '.jsii', '.jsii.tabl.json', 'README.md', 'LICENSE', 'package.json',
      'assets/runtime/cdk_python_coldstart_runtime/lazy.py', 'assets/bundling/optimize.py', 'policy/coldstart.guard',
    ]));
    // Every compiled module has its declarations, and no source came along.
    const js = paths.filter((p) => p.startsWith('lib/') && p.endsWith('.js'));
    expect(js.length).toBeGreaterThan(10);
    expect(js.filter((p) => !paths.includes(p.replace(/\.js$/, '.d.ts')))).toEqual([]);
    expect(paths.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([]);
    expect(paths.filter((p) => /^(cdk\.out|test|coverage|dist-bindings|examples|integ)\/|__pycache__|\.pyc$/.test(p))).toEqual([]);
  });

  test('the rosetta tablet holds Python translations of the README examples', () => {
    const tablet = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii.tabl.json'), 'utf8'));
    const snippets = Object.values<any>(tablet.snippets ?? {});
    expect(snippets.length).toBeGreaterThan(5);
    expect(snippets.some((s) => /OptimizedPythonFunction\(self, /.test(s.translations?.python?.source ?? ''))).toBe(true);
  });

  test('stays small: hundreds of files, not thousands', () => {
    expect(count).toBeLessThan(600);
  });
});
