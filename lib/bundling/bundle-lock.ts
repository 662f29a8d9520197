import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bundlingError } from './messages';

/**
 * Atomic, concurrent-safe bundling in a shared `cdk.out`. Internal.
 *
 * CDK bundles into `asset.<hash>-building` (a fixed name: a second synth deletes it while the first is
 * still writing into it) and renames it to `asset.<hash>`, which later synths trust without looking.
 * Two parallel synths (CI jobs, a watch process) could thus publish a tree missing files. Here:
 * - one lock per bundle (`.cpc-lock-<hash>`, an atomically created folder naming its owner) is held
 *   while CDK stages the asset: a second synth waits, then finds the finished `asset.<hash>` and skips
 *   bundling; a lock whose owner died (`kill -9`) is taken over and the bundle rebuilt from scratch;
 * - each local bundling run builds into a private folder and renames it into place when complete, so
 *   `-building` (and therefore `asset.<hash>`) only ever holds a complete bundle.
 */

const LOCK_PREFIX = '.cpc-lock-';
const OWNER_FILE = 'owner.json';
const BUILD_MARK = '.cpc-build-';

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: number;
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Whether a process of this host is alive (EPERM: alive, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(lockDir: string): LockOwner | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(lockDir, OWNER_FILE), 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

/** Removes a lock folder: its owner file, then the folder (a recursive rm only if something else is in it). */
function removeLockDir(lockDir: string): void {
  try {
    fs.unlinkSync(path.join(lockDir, OWNER_FILE));
    fs.rmdirSync(lockDir);
  } catch {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

/** A lock is abandoned when its owner process (on this host) is gone, or it outlived `maxAgeMs`. */
function abandoned(lockDir: string, maxAgeMs: number): boolean {
  const owner = readOwner(lockDir);
  if (owner === undefined) {
    // Between mkdir and writing the owner file, or left by a crash right there.
    try {
      return Date.now() - fs.statSync(lockDir).mtimeMs > 30_000;
    } catch {
      return false;
    }
  }
  if (owner.host === os.hostname() && !processAlive(owner.pid)) return true;
  return Date.now() - owner.since > maxAgeMs;
}

/** Releases a lock taken with `acquireBundleLock`. */
export type ReleaseLock = () => void;

/**
 * Takes the lock of one bundle in `outdir`, waiting (up to `maxWaitMs`) while another live process holds
 * it. Returns the release function.
 */
export function acquireBundleLock(label: string, outdir: string, key: string, maxWaitMs: number): ReleaseLock {
  fs.mkdirSync(outdir, { recursive: true });
  const lockDir = path.join(outdir, `${LOCK_PREFIX}${key}`);
  const started = Date.now();
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      const owner: LockOwner = { pid: process.pid, host: os.hostname(), since: Date.now() };
      fs.writeFileSync(path.join(lockDir, OWNER_FILE), JSON.stringify(owner));
      return () => {
        const current = readOwner(lockDir);
        if (current?.pid === process.pid && current.host === owner.host) removeLockDir(lockDir);
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (abandoned(lockDir, maxWaitMs)) {
      // Take it over atomically: only one of several waiters wins the rename.
      const grave = `${lockDir}.abandoned-${process.pid}-${Date.now()}`;
      try {
        fs.renameSync(lockDir, grave);
        fs.rmSync(grave, { recursive: true, force: true });
      } catch {
        // another waiter took it over first
      }
      continue;
    }
    const waited = Date.now() - started;
    if (waited > maxWaitMs) {
      const owner = readOwner(lockDir);
      throw bundlingError(label, 'bundlingTimeout', `another synth (pid ${owner?.pid ?? 'unknown'} on ${owner?.host ?? 'unknown host'}) has been bundling this asset into ${outdir} for ${Math.round(waited / 1000)} seconds`,
        'two synths must not write one bundle at the same time, so this one waits for the other',
        `wait for the other synth (or stop it), or remove ${lockDir} if no synth is running; raise 'bundlingTimeout' if bundling takes longer`);
    }
    if (!announced) {
      process.stderr.write(`${label}: another synth is bundling the same asset into ${outdir}; waiting for it.\n`);
      announced = true;
    }
    sleepMs(200);
  }
}

/** A fresh private folder next to `outputDir` (same filesystem, so the final rename is atomic). */
export function privateBuildDir(outputDir: string): string {
  const parent = path.dirname(outputDir);
  fs.mkdirSync(parent, { recursive: true });
  return fs.mkdtempSync(path.join(parent, `${BUILD_MARK}${process.pid}-${path.basename(outputDir)}-`));
}

/**
 * Moves the complete private build into `outputDir` with one rename. `outputDir` (created empty by CDK)
 * is replaced; when a concurrent run already put a complete bundle there, that one is kept.
 */
export function publishBuildDir(work: string, outputDir: string): void {
  try {
    fs.renameSync(work, outputDir);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM' && code !== 'EISDIR') throw e;
  }
  if (fs.existsSync(outputDir) && fs.readdirSync(outputDir).length > 0) return; // a complete bundle is there
  fs.rmSync(outputDir, { recursive: true, force: true }); // platforms that cannot rename onto an empty folder
  fs.renameSync(work, outputDir);
}

/** Removes private build folders left in `outputDir`'s folder by processes that no longer run. */
export function removeAbandonedBuildDirs(outputDir: string): void {
  const parent = path.dirname(outputDir);
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const m = new RegExp(`^${BUILD_MARK.replace(/\./g, '\\.')}(\\d+)-`).exec(name);
    if (m && Number(m[1]) !== process.pid && !processAlive(Number(m[1]))) {
      fs.rmSync(path.join(parent, name), { recursive: true, force: true });
    }
  }
}
