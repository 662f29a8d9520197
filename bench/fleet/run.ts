/**
 * `npm run bench:fleet` (issue 15). Benchmark, not a test: an app of 60 OptimizedPythonFunctions in one
 * stack, each in its own folder with the same requirements.txt.
 *
 * Checks and reports:
 *   - it synthesizes (inside CloudFormation's 500 resources);
 *   - pip runs once (a shim in front of Python 3.12 counts `-m pip install` runs of the first synth);
 *   - the template has one LayerVersion;
 *   - a second synth with nothing changed takes at most 1.5x the synth time of the same app with
 *     inline-code lambda.Functions. Both run side by side in one run, alternating the order per round,
 *     each through the real CLI (`cdk synth -q`, the app run as `node -r ts-node/register/transpile-only
 *     app.ts`, importing the compiled library when it is built): the checked ratio is the wall clock of
 *     that command, what a user waits for. Also reported, not checked: the time inside the app after its
 *     modules are loaded (construct + app.synth(), wall and CPU), where the fixed costs of starting node,
 *     the CLI and aws-cdk-lib are left out. Reported: every round and the median ratios.
 *
 *   ts-node --transpile-only bench/fleet/run.ts [--functions 60] [--rounds 5]
 *
 * Exits 1 when a check fails (after printing every number).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findPython } from '../../test/helpers/python';

function num(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const FUNCTIONS = num('functions', 60);
const ROUNDS = num('rounds', 5);
const REPO = path.resolve(__dirname, '..', '..');

const python = findPython('3.12');
if (!python) {
  process.stderr.write('Python 3.12 not found: set CDK_PYTHON_COLDSTART_PYTHON or put python3.12 on PATH\n');
  process.exit(2);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cpc-bench-fleet-'));
const wheels = path.join(work, 'wheels');
fs.mkdirSync(wheels);
const mk = spawnSync(python, [path.join(REPO, 'test', 'fixtures', 'bundling', 'make_wheels.py'), wheels], { encoding: 'utf8' });
if (mk.status !== 0) {
  throw new Error(mk.stderr);
}
for (let i = 0; i < FUNCTIONS; i++) {
  const dir = path.join(work, `fn${i}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'index.py'), `import purepkg\n\n\ndef handler(event, context):\n    return {"route": ${i}}\n`);
  fs.writeFileSync(path.join(dir, 'requirements.txt'), 'purepkg==1.0.0\n');
}
// Counts pip installs: every bundling step runs through this interpreter.
const pipLog = path.join(work, 'pip-runs.log');
const shim = path.join(work, 'python3.12');
fs.writeFileSync(shim, `#!/bin/sh\ncase " $* " in *" -m pip install "*) echo run >> '${pipLog}';; esac\nexec '${python}' "$@"\n`, { mode: 0o755 });

interface Result { mode: string; ms: number; cpuMs: number; resources: number; layerVersions: number; dashboards: number }

const CDK_CLI = require.resolve('aws-cdk/bin/cdk');

/** One `cdk synth -q` of the fleet app; its wall clock (ms) and what the app measured inside. */
type Mode = 'optimized' | 'inline' | 'asset';

function synth(mode: Mode, outdir: string): Result & { cliMs: number } {
  const result = path.join(work, `result-${mode}.json`);
  fs.rmSync(result, { force: true });
  // The CLI splits --app into words itself: every part is ours (a temp dir and this repo), and plain.
  const q = (a: string) => {
    if (!/^[\w./:=+-]+$/.test(a)) throw new Error(`bench:fleet needs paths without spaces or shell characters: ${a}`);
    return a;
  };
  const appCommand = [process.execPath, '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'app.ts'),
    '--mode', mode, '--functions', String(FUNCTIONS), '--outdir', outdir, '--work', work, '--python', shim, '--result', result].map(q).join(' ');
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CDK_CLI, 'synth', '--app', appCommand, '--output', outdir, '-q', '--no-notices', '--no-version-reporting'], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_PROJECT: path.join(REPO, 'bench', 'tsconfig.json'), PYTHONDONTWRITEBYTECODE: '1', AWS_REGION: process.env.AWS_REGION ?? 'us-east-1' },
    timeout: 30 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const cliMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0 || !fs.existsSync(result)) {
    throw new Error(`${mode} synth failed (exit ${r.status}):\n${r.stderr.slice(-4000)}`);
  }
  return { ...JSON.parse(fs.readFileSync(result, 'utf8')), cliMs };
}

const pipRuns = () => (fs.existsSync(pipLog) ? fs.readFileSync(pipLog, 'utf8').split('\n').filter((l) => l).length : 0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const outOptimized = path.join(work, 'cdk.out.optimized');
const outInline = path.join(work, 'cdk.out.inline');
console.log(`fleet bench: ${FUNCTIONS} functions in one stack, each in its own folder with the same requirements.txt (work dir ${work})`);

const first = synth('optimized', outOptimized);
const firstPipRuns = pipRuns();
console.log(`first synth (bundling): ${fmt(first.cliMs)}, ${first.resources} resources, ${first.layerVersions} LayerVersion(s), ` +
  `${first.dashboards} dashboard(s), pip ran ${firstPipRuns} time(s)`);
const outAsset = path.join(work, 'cdk.out.asset');
const outdirOf: Record<Mode, string> = { optimized: outOptimized, inline: outInline, asset: outAsset };
synth('inline', outInline); // warm the other sides' disk caches too
synth('asset', outAsset);

const rounds: { ratio: number; inAppRatio: number; cpuRatio: number; vsAsset: number; vsAssetInApp: number }[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const order: Mode[] = i % 2 === 0 ? ['optimized', 'inline', 'asset'] : ['asset', 'inline', 'optimized'];
  const times: Record<string, Result & { cliMs: number }> = {};
  for (const mode of order) {
    times[mode] = synth(mode, outdirOf[mode]);
  }
  const o = times.optimized;
  const n = times.inline;
  const a = times.asset;
  rounds.push({
    ratio: o.cliMs / n.cliMs, inAppRatio: o.ms / n.ms, cpuRatio: o.cpuMs / n.cpuMs, vsAsset: o.cliMs / a.cliMs, vsAssetInApp: o.ms / a.ms,
  });
  console.log(`round ${i + 1} (${order.join(' then ')}): cdk synth ${fmt(o.cliMs)} vs inline lambda.Function ${fmt(n.cliMs)}: ` +
    `${(o.cliMs / n.cliMs).toFixed(2)}x; inside the app ${fmt(o.ms)} vs ${fmt(n.ms)}: ${(o.ms / n.ms).toFixed(2)}x wall, ` +
    `${(o.cpuMs / n.cpuMs).toFixed(2)}x cpu (${o.resources} vs ${n.resources} resources); plain CDK asset + version + alias ` +
    `${fmt(a.cliMs)} (inside ${fmt(a.ms)}, ${a.resources} resources)`);
}
const secondPipRuns = pipRuns() - firstPipRuns;
const ratio = median(rounds.map((r) => r.ratio));
const inAppRatio = median(rounds.map((r) => r.inAppRatio));
const cpuRatio = median(rounds.map((r) => r.cpuRatio));

const checks: [string, boolean][] = [
  [`synthesizes inside 500 resources (${first.resources})`, first.resources <= 500],
  [`pip runs once (${firstPipRuns})`, firstPipRuns === 1],
  [`one LayerVersion (${first.layerVersions})`, first.layerVersions === 1],
  [`no pip run on a second synth with nothing changed (${secondPipRuns})`, secondPipRuns === 0],
  [`second cdk synth at most 1.5x inline lambda.Function (median ${ratio.toFixed(2)}x over ${ROUNDS} rounds)`, ratio <= 1.5],
];
console.log(`\ninside the app, after module load (not checked): median ${inAppRatio.toFixed(2)}x wall, ${cpuRatio.toFixed(2)}x cpu`);
console.log('against plain CDK functions with asset code, a version and an alias (not checked): median ' +
  `${median(rounds.map((r) => r.vsAsset)).toFixed(2)}x cdk synth, ${median(rounds.map((r) => r.vsAssetInApp)).toFixed(2)}x inside the app`);
console.log('\nchecks:');
for (const [name, ok] of checks) {
  console.log(`  ${ok ? 'PASS' : 'FAIL'} ${name}`);
}
fs.rmSync(work, { recursive: true, force: true });
process.exit(checks.every(([, ok]) => ok) ? 0 : 1);
