#!/usr/bin/env python3
"""Bytecode optimizer of cdk-python-coldstart.

One script, run with the Lambda runtime's own Python (same minor version) both by local bundling
and inside the Docker fallback. It turns a ``pip install --target`` tree (or a copy of the user's
handler code) into a tree that imports as fast as a warm cache on a read-only Lambda filesystem.

Why (see https://docs.aws.amazon.com/lambda/latest/dg/python-package.html):
- Lambda extracts the package read-only, so Python cannot write ``__pycache__`` at runtime, and the
  CDK CLI zips assets with every mtime set to 1980-01-01: the timestamp-based ``.pyc`` pip writes no
  longer match their sources and are ignored. Only hash-based bytecode survives; we write
  ``unchecked-hash`` bytecode, which is never validated against the source.
- Bytecode must come from the runtime's own minor version (the magic number differs).
- ``*.dist-info`` is kept (``importlib.metadata`` needs it); ``strip`` never touches auditwheel's
  ``*.libs/`` folders (stripping numpy.libs breaks numpy); ``botocore.docs``/``boto3.docs`` are
  imported at runtime, so "docs" packages are never removed.

Output is deterministic: sorted walks, ``PYTHONHASHSEED=0`` (frozenset constants are marshalled in
hash order), ``dfile`` set to the path the module will have in Lambda (no build-host temp path
embedded in ``co_filename``), fixed file mtimes.

The last line printed on stdout is ``CDK_PYTHON_COLDSTART_SUMMARY <json>``.
"""

import argparse
import fnmatch
import importlib.util
import json
import os
import py_compile
import re
import shutil
import subprocess
import sys

# Bump when the optimizer's output changes for the same input; the asset hash also covers this
# file's full contents.
OPTIMIZER_VERSION = "1"

# 1980-01-01T00:00:00Z, the mtime the CDK CLI writes into asset zips anyway.
FIXED_MTIME = 315532800

SUMMARY_PREFIX = "CDK_PYTHON_COLDSTART_SUMMARY "

# Test suites that are safe to delete: test folders *inside* an installed package (numpy/*/tests,
# pandas/tests, ...). A package's importable test helpers (numpy.testing, ...) never match.
TEST_DIR_NAMES = ("tests",)


def _relaunch_with_fixed_hash_seed():
    """Re-run under PYTHONHASHSEED=0 so set/frozenset constants marshal in a stable order."""
    if os.environ.get("PYTHONHASHSEED") == "0":
        return
    env = dict(os.environ, PYTHONHASHSEED="0")
    result = subprocess.run([sys.executable] + sys.argv, env=env, check=False)
    sys.exit(result.returncode)


def normalize_project_name(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _sorted_walk(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        filenames.sort()
        yield dirpath, dirnames, filenames


def _rel(root, path):
    return os.path.relpath(path, root).replace(os.sep, "/")


def _matches(rel_path, patterns):
    """gitignore-like: a pattern without '/' matches any path component, one with '/' the whole path."""
    parts = rel_path.split("/")
    for pattern in patterns:
        pat = pattern.strip("/")
        if not pat:
            continue
        if "/" in pat:
            if fnmatch.fnmatchcase(rel_path, pat) or fnmatch.fnmatchcase(rel_path, pat + "/*"):
                return True
        elif any(fnmatch.fnmatchcase(part, pat) for part in parts):
            return True
    return False


def copy_tree(src, dest, excludes, exclude_files=()):
    """Copy src into dest, excluded paths skipped (``exclude_files`` are exact paths relative to src),
    folder symlinks not entered.

    Used for the library's own runtime kit; the user's handler code is copied with copy_paths from the
    explicit selection the TypeScript side hashed (symlinks followed there, like Code.fromAsset).
    """
    exact = {f.strip("/") for f in exclude_files}
    copied = 0
    for dirpath, dirnames, filenames in _sorted_walk(src):
        rel_dir = _rel(src, dirpath)
        keep = []
        for d in dirnames:
            rel = d if rel_dir == "." else rel_dir + "/" + d
            if not _matches(rel, excludes):
                keep.append(d)
        dirnames[:] = keep
        target_dir = dest if rel_dir == "." else os.path.join(dest, *rel_dir.split("/"))
        os.makedirs(target_dir, exist_ok=True)
        for f in filenames:
            rel = f if rel_dir == "." else rel_dir + "/" + f
            if rel in exact or _matches(rel, excludes):
                continue
            shutil.copyfile(os.path.join(dirpath, f), os.path.join(target_dir, f))
            copied += 1
    return copied


def copy_paths(src, dest, rels):
    """Copy exactly the given paths (relative to src) into dest, following symlinks.

    The selection (which files make the bundle) is made once by the TypeScript side with CDK's own
    glob matcher, which also computes the asset hash from it; nothing is matched here.
    """
    copied = 0
    root = os.path.abspath(src)
    for rel in rels:
        parts = rel.split("/")
        if not rel or rel.startswith("/") or ".." in parts:
            raise SystemExit(f"--copy-path {rel!r} is not a path inside {src}")
        source = os.path.join(root, *parts)
        target = os.path.join(dest, *parts)
        if os.path.isdir(source):
            shutil.copytree(source, target, symlinks=False, dirs_exist_ok=True, copy_function=shutil.copyfile)
            copied += sum(len(fs) for _, _, fs in os.walk(target))
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(source, target)
            copied += 1
    return copied


def remove_stale_bytecode(root):
    """Delete __pycache__ folders and pip's timestamp .pyc (they are ignored after the CDK zip)."""
    removed = 0
    for dirpath, dirnames, filenames in _sorted_walk(root):
        if "__pycache__" in dirnames:
            cache = os.path.join(dirpath, "__pycache__")
            removed += sum(len(fs) for _, _, fs in os.walk(cache))
            shutil.rmtree(cache)
            dirnames.remove("__pycache__")
        for f in filenames:
            if f.endswith((".pyc", ".pyo")):
                source = os.path.join(dirpath, f[:-1])
                # A .pyc without its .py is a sourceless module shipped on purpose: keep it.
                if os.path.exists(source):
                    os.remove(os.path.join(dirpath, f))
                    removed += 1
    return removed


def _dist_infos(root):
    return sorted(d for d in os.listdir(root) if d.endswith(".dist-info") and os.path.isdir(os.path.join(root, d)))


def _dist_name(dist_info_dir):
    return normalize_project_name(dist_info_dir[: -len(".dist-info")].split("-")[0])


def exclude_packages(root, names):
    """Remove distributions (by project or import name), using RECORD to find every installed file."""
    wanted = {normalize_project_name(n) for n in names}
    excluded = []
    for dist in _dist_infos(root):
        if _dist_name(dist) not in wanted:
            continue
        record = os.path.join(root, dist, "RECORD")
        if os.path.exists(record):
            with open(record, encoding="utf-8") as fh:
                for line in fh:
                    rel = line.rsplit(",", 2)[0].strip().strip('"')
                    path = os.path.normpath(os.path.join(root, rel))
                    if rel and path.startswith(os.path.abspath(root) + os.sep) and os.path.isfile(path):
                        os.remove(path)
        shutil.rmtree(os.path.join(root, dist), ignore_errors=True)
        excluded.append(_dist_name(dist))
    # Import names without dist-info (or left-over folders once RECORD files are removed).
    for name in sorted(names):
        for candidate in (name, name.replace("-", "_")):
            p = os.path.join(root, candidate)
            if os.path.isdir(p):
                shutil.rmtree(p)
                excluded.append(normalize_project_name(name))
            elif os.path.isfile(p + ".py"):
                os.remove(p + ".py")
                excluded.append(normalize_project_name(name))
    _remove_empty_dirs(root)
    return sorted(set(excluded))


def _remove_empty_dirs(root):
    for dirpath, dirnames, filenames in sorted(os.walk(root, topdown=False), key=lambda t: t[0], reverse=True):
        if dirpath != root and not os.listdir(dirpath):
            os.rmdir(dirpath)


def remove_test_suites(root):
    """Remove `tests` folders nested inside an installed package (never top-level, never *.dist-info)."""
    removed = []
    for dirpath, dirnames, _ in _sorted_walk(root):
        rel_dir = _rel(root, dirpath)
        if rel_dir != "." and rel_dir.split("/")[0].endswith((".dist-info", ".data")):
            dirnames[:] = []
            continue
        for d in list(dirnames):
            if d in TEST_DIR_NAMES and rel_dir != ".":
                shutil.rmtree(os.path.join(dirpath, d))
                dirnames.remove(d)
                removed.append((rel_dir + "/" + d))
    return removed


def drop_scripts(root):
    """pip --target puts console scripts in bin/: not on Lambda's PATH, and their shebang embeds the
    build host's interpreter path (non-deterministic)."""
    b = os.path.join(root, "bin")
    if os.path.isdir(b):
        shutil.rmtree(b)
        return True
    return False


def _is_elf(path):
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"\x7fELF"
    except OSError:
        return False


def strip_shared_objects(root, strip_tool):
    """strip --strip-debug on extension modules, never inside auditwheel's *.libs/ folders
    (stripping numpy.libs makes numpy fail to import)."""
    stripped, skipped, failed = 0, 0, []
    tool = shutil.which(strip_tool)
    for dirpath, dirnames, filenames in _sorted_walk(root):
        rel_dir = _rel(root, dirpath)
        if rel_dir != "." and any(part.endswith(".libs") for part in rel_dir.split("/")):
            skipped += len(filenames)
            continue
        for f in filenames:
            if not (f.endswith(".so") or ".so." in f):
                continue
            path = os.path.join(dirpath, f)
            if not _is_elf(path):
                continue
            if tool is None:
                failed.append(_rel(root, path))
                continue
            r = subprocess.run([tool, "--strip-debug", path], capture_output=True, check=False)
            if r.returncode == 0:
                stripped += 1
            else:
                failed.append(_rel(root, path))
    return stripped, skipped, failed, tool is not None


def compile_tree(root, ddir, sourceless, strict):
    """Compile every .py to unchecked-hash bytecode for the running interpreter."""
    compiled, errors = 0, []
    mode = py_compile.PycInvalidationMode.UNCHECKED_HASH
    for dirpath, dirnames, filenames in _sorted_walk(root):
        rel_dir = _rel(root, dirpath)
        if rel_dir != "." and rel_dir.split("/")[0].endswith((".dist-info", ".data")):
            dirnames[:] = []
            continue
        for f in filenames:
            if not f.endswith(".py"):
                continue
            src = os.path.join(dirpath, f)
            rel = _rel(root, src)
            dfile = ddir.rstrip("/") + "/" + rel if ddir else rel
            if sourceless:
                cfile = src + "c"
            else:
                cfile = importlib.util.cache_from_source(src, optimization="")
            try:
                py_compile.compile(src, cfile=cfile, dfile=dfile, doraise=True, optimize=0, invalidation_mode=mode)
            except py_compile.PyCompileError as e:
                # Some wheels ship templates or Python 2 files with a .py suffix; Python would fail
                # on them at import too, so leaving them uncompiled changes nothing.
                msg = str(e.exc_value) if getattr(e, "exc_value", None) else str(e)
                errors.append({"file": rel, "error": msg.replace(os.path.abspath(root), "")})
                if strict:
                    raise SystemExit(f"cannot compile {rel}: {msg}")
                continue
            compiled += 1
            if sourceless:
                os.remove(src)
    return compiled, errors


def fix_mtimes(root):
    for dirpath, dirnames, filenames in _sorted_walk(root):
        for f in filenames:
            p = os.path.join(dirpath, f)
            if not os.path.islink(p):
                os.utime(p, (FIXED_MTIME, FIXED_MTIME))


def measure(root):
    files, total = 0, 0
    for dirpath, _, filenames in _sorted_walk(root):
        for f in filenames:
            p = os.path.join(dirpath, f)
            if not os.path.islink(p):
                files += 1
                total += os.path.getsize(p)
    return files, total


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--target", required=True, help="folder to optimize in place")
    parser.add_argument("--python-version", help="fail unless the running interpreter is this X.Y")
    parser.add_argument("--copy-from", help="copy this folder into --target first (handler code)")
    parser.add_argument("--exclude", action="append", default=[], help="glob excluded from --copy-from (when no --copy-path)")
    parser.add_argument("--exclude-file", action="append", default=[],
                        help="exact path (relative to --copy-from) left out (when no --copy-path)")
    parser.add_argument("--copy-path", action="append", default=None, help="copy only this path of --copy-from (repeatable)")
    parser.add_argument("--copy-package", action="append", default=[], help="copy a package folder into --target")
    parser.add_argument("--ddir", default="", help="path the tree will have at runtime (for co_filename)")
    parser.add_argument("--exclude-package", action="append", default=[], help="distribution to remove")
    parser.add_argument("--remove-tests", action="store_true", help="remove tests/ folders nested in packages")
    parser.add_argument("--strip", action="store_true", help="strip debug symbols of extension modules")
    parser.add_argument("--strip-tool", default="strip")
    parser.add_argument("--sourceless", action="store_true", help="ship .pyc only (drops .py sources)")
    parser.add_argument("--drop-scripts", action="store_true", help="remove pip's bin/ folder")
    parser.add_argument("--strict", action="store_true", help="fail on a module that does not compile")
    args = parser.parse_args(argv)

    running = "%d.%d" % sys.version_info[:2]
    if args.python_version and args.python_version != running:
        raise SystemExit(
            f"optimize.py must run with Python {args.python_version} (the Lambda runtime's version): "
            f"bytecode from Python {running} has a different magic number and would be ignored"
        )
    _relaunch_with_fixed_hash_seed()

    target = os.path.abspath(args.target)
    os.makedirs(target, exist_ok=True)
    summary = {"optimizerVersion": OPTIMIZER_VERSION, "python": running}
    if args.copy_from and args.copy_path is not None:
        summary["copied"] = copy_paths(args.copy_from, target, args.copy_path)
    elif args.copy_from:
        summary["copied"] = copy_tree(os.path.abspath(args.copy_from), target, args.exclude, args.exclude_file)
    for pkg in args.copy_package:
        pkg = os.path.abspath(pkg)
        dest = os.path.join(target, os.path.basename(pkg))
        if os.path.exists(dest):
            raise SystemExit(f"cannot copy {os.path.basename(pkg)}: the handler code already has {dest}")
        copy_tree(pkg, dest, ["__pycache__", "*.pyc"])
    summary["removedBytecode"] = remove_stale_bytecode(target)
    if args.drop_scripts:
        summary["droppedScripts"] = drop_scripts(target)
    if args.exclude_package:
        summary["excludedPackages"] = exclude_packages(target, args.exclude_package)
    if args.remove_tests:
        summary["removedTestSuites"] = len(remove_test_suites(target))
    if args.strip:
        stripped, skipped, failed, found = strip_shared_objects(target, args.strip_tool)
        summary["stripped"] = stripped
        summary["stripSkippedInLibs"] = skipped
        if failed:
            summary["stripFailed"] = failed
        if not found:
            summary["stripToolMissing"] = args.strip_tool
    compiled, errors = compile_tree(target, args.ddir, args.sourceless, args.strict)
    summary["compiled"] = compiled
    if errors:
        summary["compileErrors"] = errors
    fix_mtimes(target)
    summary["files"], summary["bytes"] = measure(target)
    print(SUMMARY_PREFIX + json.dumps(summary, sort_keys=True))


if __name__ == "__main__":
    main()
