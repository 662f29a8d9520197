import { writeEntry } from './helpers';

/** A local package whose in-tree PEP 517 backend (no setuptools, offline) writes a wheel with `so` as a .so file. */
export function localPackage(dir: string, name: string, so?: Buffer): string {
  const soLine = so ? `        z.writestr("${name}/_native.so", bytes.fromhex("${so.toString('hex')}"))\n` : '';
  return writeEntry(dir, {
    'pyproject.toml': `[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n\n[project]\nname = "${name}"\nversion = "0.1"\n`,
    'backend.py': [
      'import os, zipfile',
      'def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):',
      `    name = "${name}-0.1-py3-none-any.whl"`,
      '    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as z:',
      `        z.writestr("${name}/__init__.py", "LOCAL = True\\n")`,
      soLine.trimEnd(),
      `        z.writestr("${name}-0.1.dist-info/METADATA", "Metadata-Version: 2.1\\nName: ${name}\\nVersion: 0.1\\n")`,
      `        z.writestr("${name}-0.1.dist-info/WHEEL", "Wheel-Version: 1.0\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")`,
      `        z.writestr("${name}-0.1.dist-info/RECORD", "")`,
      '    return name',
      'build_editable = build_wheel',
      '',
    ].filter((l) => l !== '').join('\n') + '\n',
  });
}

export function elfHeader(machine: number, elfClass = 2): Buffer {
  const b = Buffer.alloc(64);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, elfClass, 1, 1]).copy(b);
  b.writeUInt16LE(3, 16);
  b.writeUInt16LE(machine, 18);
  b.writeUInt32LE(1, 20);
  return b;
}

