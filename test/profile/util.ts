import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'profile');

/** Copies a fixture folder to a fresh temporary directory (tests must not depend on leftovers). */
export function copyFixture(name: string): string {
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), `profile-${name}-`));
  fs.cpSync(path.join(FIXTURES, name), dest, { recursive: true });
  return dest;
}

/** Every __pycache__ directory under dir. */
export function pycacheDirs(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (e.name === '__pycache__') {
          found.push(path.join(d, e.name));
        }
        walk(path.join(d, e.name));
      }
    }
  };
  walk(dir);
  return found;
}

/** A minimal ELF header (enough for the profiler's architecture check) for the given e_machine. */
export function fakeElf(machine: number): Buffer {
  const b = Buffer.alloc(64);
  b.write('\x7fELF', 0, 'latin1');
  b[4] = 2; // 64-bit
  b[5] = 1; // little endian
  b[6] = 1;
  b.writeUInt16LE(3, 16); // ET_DYN
  b.writeUInt16LE(machine, 18);
  return b;
}
