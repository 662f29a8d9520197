// Issue 13, "The init profile cannot be hijacked and leaves nothing running": real processes, real files.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { copyFixture } from './util';
import { runProfileCommand } from '../../lib/profile/cli';
import { PROFILER_SCRIPT, profileEnvironment, runInitProfile } from '../../lib/profile/profiler';
import { requirePython } from '../helpers/python';

const python = requirePython('3.12');
const runtime = lambda.Runtime.PYTHON_3_12;

/** Processes whose command line is exactly `sleep <seconds>` (the unique duration tags a test's children). */
function sleepers(seconds: string): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) {
      continue;
    }
    try {
      const argv = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter((a) => a);
      const state = fs.readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.[0];
      if (argv[argv.length - 2]?.endsWith('sleep') && argv[argv.length - 1] === seconds && state !== 'Z') {
        found.push(Number(name));
      }
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

function uniqueSeconds(): string {
  return `${60 + Math.floor(Math.random() * 30)}.${process.pid}${Date.now() % 100000}`;
}

afterAll(() => {
  // Never leave a test's sleeper behind, even when an assertion failed (only ours: tagged durations).
  for (const name of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const argv = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (argv.some((a) => a.includes(`.${process.pid}`)) && argv.some((a) => a.endsWith('sleep'))) {
        process.kill(Number(name), 'SIGKILL');
      }
    } catch {
      // gone
    }
  }
});

const hasSetsid = spawnSync('setsid', ['--version']).status === 0;
const linuxOnly = process.platform === 'linux' && hasSetsid ? test : test.skip;

describe('processes the profiled handler starts', () => {
  linuxOnly('are killed at the end of a successful run, also those in a new session (setsid)', () => {
    const dir = copyFixture('escape');
    const seconds = uniqueSeconds();
    const started = Date.now();
    const outcome = runInitProfile({
      codeDir: path.join(dir, 'code'),
      handler: 'index.handler',
      runtime,
      pythonExecutable: python,
      runs: 2,
      environment: { ESCAPE_SLEEP_S: seconds },
    });
    expect(outcome.failure).toBeUndefined();
    expect(outcome.result!.runs).toBe(2);
    expect(sleepers(seconds)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  linuxOnly('are killed on timeout, and the timeout is the timeout (not timeout + 15 s backstop)', () => {
    const dir = copyFixture('escape');
    const seconds = uniqueSeconds();
    const started = Date.now();
    const outcome = runInitProfile({
      codeDir: path.join(dir, 'code'),
      handler: 'index.handler',
      runtime,
      pythonExecutable: python,
      runs: 1,
      environment: { ESCAPE_SLEEP_S: seconds, ESCAPE_HANG: '1' },
      timeout: Duration.seconds(3),
    });
    const elapsed = Date.now() - started;
    expect(outcome.failure?.kind).toBe('timeout');
    expect(outcome.failure?.message).toMatch(/init did not finish within 3s/);
    expect(elapsed).toBeGreaterThanOrEqual(3_000);
    expect(elapsed).toBeLessThan(9_000);
    expect(sleepers(seconds)).toEqual([]);
  });
});

describe('AWS shared config and credentials files', () => {
  test('point at the null device, never at a path another user could create first', () => {
    const env = profileEnvironment({ codeDir: '/x', handler: 'index.handler', runtime }, 'python3.12', '/x');
    expect(env.AWS_CONFIG_FILE).toBe(os.devNull);
    expect(env.AWS_SHARED_CREDENTIALS_FILE).toBe(os.devNull);
    expect(env.AWS_EC2_METADATA_DISABLED).toBe('true');
  });

  test('a credential_process planted at the old predictable path is never executed', () => {
    const planted = path.join(os.tmpdir(), 'cdk-python-coldstart-profile-no-aws-config');
    const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'profile-marker-')), 'credential-process-ran');
    const preexisting = fs.existsSync(planted);
    if (!preexisting) {
      fs.writeFileSync(planted, `[default]\ncredential_process = touch ${marker}\n`);
    }
    try {
      const dir = copyFixture('credentials');
      const outcome = runInitProfile({ codeDir: path.join(dir, 'code'), handler: 'index.handler', runtime, pythonExecutable: python, runs: 1 });
      expect(outcome.failure).toBeUndefined();
      expect(fs.existsSync(marker)).toBe(false);
    } finally {
      if (!preexisting) {
        fs.rmSync(planted, { force: true });
      }
    }
  });
});

describe('--timeout-s', () => {
  async function cli(argv: string[]) {
    let output = '';
    const status = await runProfileCommand(argv, (t) => { output += t; });
    return { status, output };
  }

  test.each([
    ['1e300', /--timeout-s must be a whole number above 0 and at most 3600, got '1e300'/],
    ['2.5', /--timeout-s must be a whole number.*got '2\.5'/],
    ['99999', /at most 3600, got '99999'/],
    ['0', /above 0/],
    ['-3', /got '-3'/],
    ['Infinity', /got 'Infinity'/],
    ['0x10', /got '0x10'/],
  ])('the CLI rejects %s with one line, no stack trace', async (value, message) => {
    const { status, output } = await cli(['cdk.out', '--timeout-s', value]);
    expect(status).toBe(2);
    expect(output).toMatch(message);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).not.toMatch(/OverflowError|Traceback|\n\s+at /);
  });

  test.each(['1e300', 'nan', 'inf', '-1', '0', '7200', 'abc'])('the profiler script rejects %s with one line and status 2', (value) => {
    const r = spawnSync(python, ['-I', '-B', PROFILER_SCRIPT, '--handler', 'index.handler', '--code-dir', os.tmpdir(), '--timeout-s', value], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/profile_init\.py: error: argument --timeout-s: must be/);
    expect(r.stderr).not.toMatch(/OverflowError|Traceback/);
  });
});
