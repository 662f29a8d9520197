#!/usr/bin/env python3
"""Supply-chain checks of cdk-python-coldstart's dependencies layer.

Run with the Lambda runtime's Python (local bundling and the Docker fallback alike), stdlib only.

``split``  An exported lock (uv / poetry / pipenv, with ``--hash`` on every third-party line) is split in
           two requirements files: third-party requirements (installed with ``--require-hashes`` and
           ``--only-binary=:all:``) and the user's own local directory packages (built from source with
           ``--no-deps``; pip cannot hash a directory). Lines that would build third-party code from
           source (VCS URLs, sdist URLs, ``--no-binary``, ``--only-binary`` other than ``:all:``) are refused
           before pip runs anything.

``verify`` After ``pip install --target``: every installed distribution's wheel tags (``*.dist-info/WHEEL``)
           must fit the target (platform, Python, ABI), every ELF object must be for the target machine
           and class (aarch64 / x86-64, 64-bit little-endian), and pip's ``--report`` must show no
           third-party distribution built from source. Any mismatch exits 1 naming package and file.

URLs are printed without their userinfo (``https://***@host``): credentials never enter a message.
"""

import argparse
import json
import os
import re
import sys

VERIFY_PREFIX = "CDK_PYTHON_COLDSTART_VERIFY "

# ELF e_machine values (System V ABI) and the Lambda architecture they belong to.
ELF_MACHINES = {3: "x86 (i386)", 8: "MIPS", 20: "PowerPC", 21: "PowerPC64", 22: "s390", 40: "ARM (32-bit)",
                62: "x86-64", 183: "aarch64", 243: "RISC-V"}
TARGET_MACHINE = {"aarch64": 183, "x86_64": 62}
LAMBDA_ARCH = {"aarch64": "arm64", "x86_64": "x86_64"}
MACHO_MAGICS = (b"\xfe\xed\xfa\xce", b"\xce\xfa\xed\xfe", b"\xfe\xed\xfa\xcf", b"\xcf\xfa\xed\xfe")

_USERINFO = re.compile(r"\b([a-zA-Z][a-zA-Z0-9+.-]*://)([^/\s@'\"]+)@")
VCS_PREFIXES = ("git+", "hg+", "svn+", "bzr+")


def redact(text):
    return _USERINFO.sub(r"\1***@", text)


class SupplyChainError(Exception):
    pass


# --- split --------------------------------------------------------------------------------------


def logical_lines(text):
    """pip's requirements-file lines: continuations joined, comments removed; (line number, text)."""
    out, buf, start = [], "", None
    for n, raw in enumerate(text.splitlines(), 1):
        if start is None:
            start = n
        if raw.endswith("\\"):
            buf += raw[:-1]
            continue
        buf += raw
        line = re.sub(r"(^|\s+)#.*$", "", buf).strip()
        if line:
            out.append((start, line))
        buf, start = "", None
    if buf.strip():
        out.append((start, re.sub(r"(^|\s+)#.*$", "", buf).strip()))
    return out


def _local_dir(spec, cwd):
    """The directory a requirement points at, if it is a local directory (path or file: URL)."""
    s = spec
    if s.startswith("file:"):
        s = re.sub(r"^file:(//(localhost)?)?", "", s)
    s = s.split("#", 1)[0]
    if not s:
        return None
    p = s if os.path.isabs(s) else os.path.join(cwd, s)
    return p if os.path.isdir(p) else None


def classify(line, cwd):
    """('option' | 'local' | 'third-party', problem or None) for one logical line."""
    tokens = line.split()
    first = tokens[0]
    if first in ("-e", "--editable") or first.startswith("--editable="):
        target = first.split("=", 1)[1] if "=" in first else (tokens[1] if len(tokens) > 1 else "")
        if target.startswith(VCS_PREFIXES):
            return "third-party", "an editable VCS checkout is built from source"
        return ("local", None) if _local_dir(target, cwd) else ("third-party", "an editable requirement that is not a local folder is built from source")
    if first.startswith("-"):
        for i, t in enumerate(tokens):
            name, _, value = t.partition("=")
            if not name.startswith("--"):
                continue
            opt = name[2:]
            if len(opt) >= 4 and "no-binary".startswith(opt):
                return "option", "--no-binary makes pip build packages from source"
            if opt and "only-binary".startswith(opt):
                value = value or (tokens[i + 1] if i + 1 < len(tokens) else "")
                if value != ":all:":
                    return "option", "--only-binary other than :all: lets pip build packages from source"
        return "option", None
    spec = line.split(";", 1)[0].strip()
    url = spec.split("@", 1)[1].strip().split()[0] if re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*@", spec) else first
    if url.startswith(VCS_PREFIXES):
        return "third-party", "a VCS URL is built from source"
    # pip reads a bare name as a project name even when a folder of that name exists.
    if re.match(r"^(file:|\.|~)", url, re.I) or "/" in url or "\\" in url:
        if _local_dir(url, cwd):
            return "local", None
    if re.match(r"^[a-z]+://", url, re.I) or url.startswith((".", "/")):
        if not url.split("#", 1)[0].split("?", 1)[0].endswith(".whl"):
            return "third-party", "a direct URL or path to a source archive is built from source"
    return "third-party", None


def split(requirements, third_party_out, local_out, cwd):
    with open(requirements, encoding="utf-8") as fh:
        text = fh.read()
    third, local, problems = [], [], []
    for n, line in logical_lines(text):
        kind, problem = classify(line, cwd)
        if problem:
            problems.append(f"line {n}: {redact(line)}: {problem}")
        elif kind == "option":
            third.append(line)
            local.append(line)
        elif kind == "local":
            # Installed as a copy, not editable: an editable install links to this machine's folder.
            local.append(re.sub(r"^(-e|--editable)(\s+|=)", "", line))
        else:
            third.append(line)
    if problems:
        raise SupplyChainError(
            "the exported lock asks pip to build third-party code from source, which the layer refuses "
            "(third-party packages are installed only as wheels for the target):\n  " + "\n  ".join(problems))
    for path, lines in ((third_party_out, third), (local_out, local)):
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("".join(line + "\n" for line in lines))
    return {"thirdParty": sum(1 for ln in third if not ln.startswith("-")), "local": sum(1 for ln in local if not ln.startswith("-"))}


# --- verify -------------------------------------------------------------------------------------


def elf_header(path):
    """(class, data, machine) of an ELF file, or None when the file is not ELF."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(20)
    except OSError:
        return None
    if len(head) < 20 or head[:4] != b"\x7fELF":
        return None
    ei_class, ei_data = head[4], head[5]
    machine = int.from_bytes(head[18:20], "big" if ei_data == 2 else "little")
    return ei_class, ei_data, machine


def _is_macho(path):
    try:
        with open(path, "rb") as fh:
            return fh.read(4) in MACHO_MAGICS
    except OSError:
        return False


def wheel_tags(wheel_file):
    tags = []
    with open(wheel_file, encoding="utf-8") as fh:
        for line in fh:
            if line.lower().startswith("tag:"):
                py, abi, plat = line.split(":", 1)[1].strip().split("-")
                for p in py.split("."):
                    for a in abi.split("."):
                        for pl in plat.split("."):
                            tags.append((p, a, pl))
    return tags


def platform_ok(plat, machine, max_glibc):
    if plat == "any":
        return True
    m = re.match(r"^(manylinux1|manylinux2010|manylinux2014|manylinux_(\d+)_(\d+)|linux)_(.+)$", plat)
    if not m or m.group(4) != machine:
        return False
    if m.group(2):
        return (int(m.group(2)), int(m.group(3))) <= max_glibc
    return m.group(1) != "manylinux1" or machine == "x86_64"


def python_abi_ok(py, abi, minor):
    m = re.match(r"^(py|cp)3(\d*)$", py)
    if not m:
        return False
    impl, ver = m.group(1), int(m.group(2)) if m.group(2) else 0
    if ver > minor:
        return False
    if abi == "none":
        return True
    if abi == "abi3":
        return impl == "cp"
    return impl == "cp" and ver == minor and abi == f"cp3{minor}"


def tag_ok(tag, machine, minor, max_glibc):
    py, abi, plat = tag
    return platform_ok(plat, machine, max_glibc) and python_abi_ok(py, abi, minor)


def _dists(target):
    """{dist-info dir: (name, version)} and {installed relative path: dist-info dir} from RECORD."""
    dists, owner = {}, {}
    for d in sorted(os.listdir(target)):
        full = os.path.join(target, d)
        if not (d.endswith(".dist-info") and os.path.isdir(full)):
            continue
        name, version = d[: -len(".dist-info")], ""
        meta = os.path.join(full, "METADATA")
        if os.path.exists(meta):
            with open(meta, encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    if line.startswith("Name:"):
                        name = line.split(":", 1)[1].strip()
                    elif line.startswith("Version:"):
                        version = line.split(":", 1)[1].strip()
                    elif not line.strip():
                        break
        dists[d] = (name, version)
        record = os.path.join(full, "RECORD")
        if os.path.exists(record):
            with open(record, encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    rel = line.rsplit(",", 2)[0].strip().strip('"')
                    if rel:
                        owner[os.path.normpath(rel).replace(os.sep, "/")] = d
    return dists, owner


def _report_items(reports):
    items = []
    for r in reports:
        if r and os.path.exists(r):
            with open(r, encoding="utf-8") as fh:
                items.extend(json.load(fh).get("install", []))
    return items


def _norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def verify(target, machine, python_version, max_glibc, reports):
    minor = int(python_version.split(".")[1])
    arch = LAMBDA_ARCH[machine]
    problems = []
    dists, owner = _dists(target)
    local = []
    for item in _report_items(reports):
        info = item.get("download_info", {})
        name = item.get("metadata", {}).get("name", "?")
        url = info.get("url", "")
        if "dir_info" in info:
            local.append(name)
        elif "vcs_info" in info:
            problems.append(f"{name}: built from a VCS checkout ({redact(url)}); third-party packages are installed only as wheels")
        elif not url.split("#", 1)[0].endswith(".whl"):
            problems.append(f"{name}: built from a source distribution ({redact(url)}); third-party packages are installed only as wheels")
    local_norm = {_norm(n) for n in local}
    for d, (name, version) in sorted(dists.items()):
        wheel = os.path.join(target, d, "WHEEL")
        if not os.path.exists(wheel):
            continue
        tags = wheel_tags(wheel)
        if tags and not any(tag_ok(t, machine, minor, max_glibc) for t in tags):
            how = " (built from your local source on this machine)" if _norm(name) in local_norm else ""
            shown = ", ".join(sorted({"-".join(t) for t in tags}))
            problems.append(f"{name} {version}{how}: wheel tag {shown} does not fit CPython 3.{minor} on Linux {machine} "
                            f"(manylinux up to glibc {max_glibc[0]}.{max_glibc[1]})")
    for f in sorted(os.listdir(target)):
        if not f.endswith(".pth") or not os.path.isfile(os.path.join(target, f)):
            continue
        with open(os.path.join(target, f), encoding="utf-8", errors="replace") as fh:
            for line in fh:
                line = line.strip()
                if os.path.isabs(line) or (line.startswith("import ") and "__editable__" in line):
                    problems.append(f"{f}: an editable install (-e) links to {line if os.path.isabs(line) else 'a folder'} on this "
                                    "machine, which does not exist in Lambda; list the folder without -e")
                    break
    checked = 0
    for dirpath, dirnames, filenames in os.walk(target):
        dirnames.sort()
        for f in sorted(filenames):
            path = os.path.join(dirpath, f)
            if os.path.islink(path):
                continue
            rel = os.path.relpath(path, target).replace(os.sep, "/")
            d = owner.get(rel)
            who = f"{dists[d][0]} {dists[d][1]}" if d in dists else "(no package's RECORD lists it)"
            if d in dists and _norm(dists[d][0]) in local_norm:
                who += " (built from your local source on this machine)"
            header = elf_header(path)
            if header is None:
                if (f.endswith(".so") or ".so." in f) and _is_macho(path):
                    problems.append(f"{who}: {rel} is a macOS (Mach-O) library, which Lambda's Linux cannot load")
                continue
            checked += 1
            ei_class, ei_data, mach = header
            bad = []
            if mach != TARGET_MACHINE[machine]:
                bad.append(f"machine {ELF_MACHINES.get(mach, 'e_machine=%d' % mach)}")
            if ei_class != 2:
                bad.append("32-bit (ELFCLASS32)" if ei_class == 1 else f"ELF class {ei_class}")
            if ei_data != 1:
                bad.append("big-endian")
            if bad:
                problems.append(f"{who}: {rel} is an ELF object for {', '.join(bad)}, but the layer is for "
                                f"{arch} ({ELF_MACHINES[TARGET_MACHINE[machine]]}, 64-bit little-endian)")
    summary = {"distributions": len(dists), "elfObjects": checked, "localPackages": sorted(local)}
    if problems:
        raise SupplyChainError(
            f"{len(problems)} file(s) or package(s) cannot run on Lambda {arch} / Python 3.{minor}:\n  " + "\n  ".join(problems))
    return summary


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("split", help="split an exported lock into third-party and local requirements")
    s.add_argument("--requirements", required=True)
    s.add_argument("--third-party", required=True)
    s.add_argument("--local", required=True)
    v = sub.add_parser("verify", help="check an installed --target tree against the target platform")
    v.add_argument("--target", required=True)
    v.add_argument("--machine", required=True, choices=sorted(TARGET_MACHINE))
    v.add_argument("--python-version", required=True)
    v.add_argument("--max-glibc", default="2.28")
    v.add_argument("--report", action="append", default=[])
    args = parser.parse_args(argv)
    try:
        if args.command == "split":
            result = split(args.requirements, args.third_party, args.local, os.getcwd())
        else:
            glibc = tuple(int(x) for x in args.max_glibc.split("."))
            result = verify(os.path.abspath(args.target), args.machine, args.python_version, glibc, args.report)
    except SupplyChainError as e:
        sys.stderr.write(f"{e}\n")
        return 1
    print(VERIFY_PREFIX + json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
