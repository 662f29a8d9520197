/**
 * Reads staged asset directories: unzipped size, bytecode usability, native x86_64 code.
 * Each directory is walked once per process (5,000 functions often share a few assets). Internal.
 */
import * as fs from 'fs';
import * as path from 'path';

interface FileEntry {
  readonly rel: string;
  readonly size: number;
}

const walkCache = new Map<string, FileEntry[]>();

export function listFiles(dir: string): FileEntry[] {
  const cached = walkCache.get(dir);
  if (cached) {
    return cached;
  }
  const out: FileEntry[] = [];
  const visit = (abs: string, rel: string) => {
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      const childAbs = path.join(abs, e.name);
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        visit(childAbs, childRel);
      } else if (e.isFile() || e.isSymbolicLink()) {
        out.push({ rel: childRel, size: fs.lstatSync(childAbs).size });
      }
    }
  };
  visit(dir, '');
  out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  walkCache.set(dir, out);
  return out;
}

export function isDirectory(p: string | undefined): boolean {
  if (!p) {
    return false;
  }
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Total size in bytes of the files in a directory (what Lambda counts as unzipped size). */
export function dirSizeBytes(dir: string): number {
  return listFiles(dir).reduce((n, f) => n + f.size, 0);
}

export interface BytecodeScan {
  readonly modules: number;
  /** Modules with no `.pyc` for the runtime's minor version. */
  readonly missing: string[];
  /** Modules whose `.pyc` is timestamp-based (flags word 0): ignored after the CDK zips with 1980 mtimes. */
  readonly timestampBased: string[];
}

const bytecodeCache = new Map<string, BytecodeScan>();

/**
 * Lambda's code directory is read-only, so a module without a usable `.pyc`
 * is compiled on every cold start; the CDK CLI zips with 1980-01-01 mtimes, so timestamp-based
 * `.pyc` no longer match their source and are ignored; only (un)checked-hash `.pyc` survive.
 * PEP 552: bytes 4..8 of a `.pyc` are the flags word; 0 = timestamp-based, bit 0 = hash-based.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/python-package.html
 */
export function scanBytecode(dir: string, pythonMinor: number): BytecodeScan {
  const key = `${dir}\0${pythonMinor}`;
  const cached = bytecodeCache.get(key);
  if (cached) {
    return cached;
  }
  const files = listFiles(dir);
  const present = new Set(files.map((f) => f.rel));
  const tag = `cpython-3${pythonMinor}`;
  let modules = 0;
  const missing: string[] = [];
  const timestampBased: string[] = [];
  for (const f of files) {
    if (!f.rel.endsWith('.py') || f.rel.includes('.dist-info/') || f.rel.includes('/__pycache__/')) {
      continue;
    }
    modules++;
    const slash = f.rel.lastIndexOf('/');
    const parent = slash >= 0 ? f.rel.slice(0, slash + 1) : '';
    const stem = f.rel.slice(slash + 1, -3);
    const pyc = `${parent}__pycache__/${stem}.${tag}.pyc`;
    if (!present.has(pyc)) {
      missing.push(f.rel);
      continue;
    }
    if (readFlags(path.join(dir, pyc)) === 0) {
      timestampBased.push(f.rel);
    }
  }
  const result = { modules, missing, timestampBased };
  bytecodeCache.set(key, result);
  return result;
}

function readFlags(file: string): number | undefined {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(8);
    const n = fs.readSync(fd, buf, 0, 8, 0);
    return n === 8 ? buf.readUInt32LE(4) : undefined;
  } finally {
    fs.closeSync(fd);
  }
}

const ELF_MACHINE_X86_64 = 0x3e;

/**
 * Native code that only runs on x86_64: `*x86_64*.so` names, ELF headers with e_machine x86_64,
 * and `Tag:` lines of `*.dist-info/WHEEL` files naming an x86_64 platform.
 */
export function findX86Native(dir: string): string[] {
  const found: string[] = [];
  for (const f of listFiles(dir)) {
    const base = f.rel.slice(f.rel.lastIndexOf('/') + 1);
    if (/\.so(\.\d+)*$/.test(base)) {
      if (base.includes('x86_64') || elfMachine(path.join(dir, f.rel)) === ELF_MACHINE_X86_64) {
        found.push(f.rel);
      }
    } else if (base === 'WHEEL' && f.rel.includes('.dist-info/')) {
      const text = fs.readFileSync(path.join(dir, f.rel), 'utf8');
      if (/^Tag:.*x86_64/m.test(text)) {
        found.push(f.rel);
      }
    }
  }
  return found;
}

/** Compiled extension modules built for another CPython minor version than `minor`. */
export function findForeignAbiExtensions(dir: string, minor: number): string[] {
  return listFiles(dir)
    .map((f) => f.rel)
    .filter((rel) => {
      const m = /\.cpython-3(\d+)[^/]*\.so$/.exec(rel);
      return m !== null && Number(m[1]) !== minor;
    });
}

function elfMachine(file: string): number | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(20);
    if (fs.readSync(fd, buf, 0, 20, 0) < 20 || buf.readUInt32BE(0) !== 0x7f454c46) {
      return undefined;
    }
    return buf[5] === 2 ? buf.readUInt16BE(18) : buf.readUInt16LE(18);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) {
      fs.closeSync(fd);
    }
  }
}
