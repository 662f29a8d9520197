"""Cold-import benchmark for the dependencies layer (a benchmark, not a test).

Builds one realistic pure-Python dependency set three ways, zips each exactly as the CDK CLI does
(every mtime 1980-01-01), extracts it, and times a handler's cold import in fresh Python 3.12
processes (-I -B, PYTHONDONTWRITEBYTECODE=1, read-only tree: -I ignores PYTHON* variables and root ignores
file modes, so -B is what guarantees no __pycache__ is written), interleaved, median of N rounds:

- default: ``pip install -t`` (pip's timestamp-based .pyc; ignored after the CDK zip)
- slim:    serverless-python-requirements ``slim`` style (.pyc, __pycache__, dist-info, tests removed)
- layer:   this library's optimizer (unchecked-hash .pyc from the runtime's Python, dist-info kept)
- warm:    the default tree after one import that wrote __pycache__ normally (the warm-cache limit)

Run with Python 3.12: ``python3.12 bench/deps/run.py [--rounds 21]``. Wheels are downloaded once
through your normal pip configuration (PyPI online, a local mirror offline) into .bench/deps/wheels.
"""

import argparse
import json
import os
import shutil
import stat
import statistics
import subprocess
import sys
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OPTIMIZER = os.path.join(REPO, "assets", "bundling", "optimize.py")
WORK = os.path.join(REPO, ".bench", "deps")
CDK_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
MB = 1024 * 1024


def run(argv, **kw):
    r = subprocess.run(argv, **kw)
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(argv)}")
    return r


def make_writable(path):
    for d, dirs, files in os.walk(path):
        os.chmod(d, 0o755)
        for f in files:
            p = os.path.join(d, f)
            if not os.path.islink(p):
                os.chmod(p, 0o644)


def make_read_only(path):
    for d, dirs, files in os.walk(path, topdown=False):
        for f in files:
            p = os.path.join(d, f)
            if not os.path.islink(p):
                os.chmod(p, os.stat(p).st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        os.chmod(d, os.stat(d).st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def rmtree(path):
    if os.path.exists(path):
        make_writable(path)
        shutil.rmtree(path)


def download_wheels(requirements):
    wheels = os.path.join(WORK, "wheels")
    marker = os.path.join(wheels, ".complete")
    if os.path.exists(marker):
        with open(marker) as fh:
            if fh.read() == open(requirements).read():
                return wheels
    rmtree(wheels)
    print("downloading wheels through your pip configuration (once)...", flush=True)
    run([sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--only-binary=:all:",
         "-r", requirements, "-d", wheels])
    with open(marker, "w") as fh:
        fh.write(open(requirements).read())
    return wheels


def pip_install(wheels, requirements, target, compile_):
    argv = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-index",
            "--find-links", wheels, "-r", requirements, "--target", target]
    if not compile_:
        argv.append("--no-compile")
    env = dict(os.environ, PIP_CONFIG_FILE=os.devnull)
    run(argv, env=env)


def slim(tree):
    """serverless-python-requirements `slim: true` default patterns, plus test suites."""
    for d, dirs, files in os.walk(tree, topdown=True):
        for name in list(dirs):
            if name == "__pycache__" or name.endswith(".dist-info") or name == "tests":
                shutil.rmtree(os.path.join(d, name))
                dirs.remove(name)
        for f in files:
            if f.endswith((".pyc", ".pyo")):
                os.remove(os.path.join(d, f))


def cdk_zip(src, dest):
    """Like the CDK CLI: every entry dated 1980-01-01, deflated."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for d, dirs, files in os.walk(src):
            dirs.sort()
            for f in sorted(files):
                p = os.path.join(d, f)
                info = zipfile.ZipInfo(os.path.relpath(p, src), date_time=CDK_ZIP_DATE)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                with open(p, "rb") as fh:
                    zf.writestr(info, fh.read())


def extract(zip_path, dest):
    """Extract like Lambda: file mtimes come from the zip (1980-01-01)."""
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(dest)
        for info in zf.infolist():
            t = time.mktime(info.date_time + (0, 0, -1))
            os.utime(os.path.join(dest, info.filename), (t, t))


def measure(tree):
    files, size = 0, 0
    for d, _, fs in os.walk(tree):
        for f in fs:
            files += 1
            size += os.path.getsize(os.path.join(d, f))
    return files, size


IMPORT_PROG = (
    "import sys, time\n"
    "sys.path[:0] = [sys.argv[1], sys.argv[2]]\n"
    "t = time.perf_counter()\n"
    "import handler\n"
    "print((time.perf_counter() - t) * 1000)\n"
)


def cold_import_ms(tree, handler_dir):
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONDONTWRITEBYTECODE": "1"}
    r = run([sys.executable, "-I", "-B", "-c", IMPORT_PROG, tree, handler_dir], env=env, capture_output=True, text=True)
    return float(r.stdout.strip())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args()
    if sys.version_info[:2] != (3, 12):
        sys.exit("run the benchmark with Python 3.12 (the runtime it models)")
    if args.rounds < 15:
        sys.exit("--rounds must be at least 15")

    requirements = os.path.join(HERE, "requirements.txt")
    os.makedirs(WORK, exist_ok=True)
    wheels = download_wheels(requirements)

    build = os.path.join(WORK, "build")
    rmtree(build)
    trees = {name: os.path.join(build, name, "python") for name in ("default", "slim", "layer")}
    print("building the three bundles...", flush=True)
    pip_install(wheels, requirements, trees["default"], compile_=True)
    pip_install(wheels, requirements, trees["slim"], compile_=True)
    slim(trees["slim"])
    # What PythonDependenciesLayer runs: pip install --no-compile, then the optimizer (--ddir /opt/python,
    # where Lambda extracts layers).
    pip_install(wheels, requirements, trees["layer"], compile_=False)
    run([sys.executable, OPTIMIZER, "--target", trees["layer"], "--python-version", "3.12", "--ddir", "/opt/python",
         "--drop-scripts"], stdout=subprocess.DEVNULL)

    ext = os.path.join(WORK, "extracted")
    rmtree(ext)
    results = {}
    for name, tree in trees.items():
        z = os.path.join(build, f"{name}.zip")
        cdk_zip(os.path.dirname(tree), z)
        dest = os.path.join(ext, name)
        extract(z, dest)
        files, size = measure(dest)
        results[name] = {"zippedBytes": os.path.getsize(z), "unzippedBytes": size, "files": files}
        if name == "layer":
            # The bytecode names /opt/python/... as its source path; extracted elsewhere, CPython would
            # rewrite co_filename of every code object at import, a cost that does not exist on Lambda.
            # Recompile the extracted tree for where it lies (same files, same kind of bytecode).
            run([sys.executable, OPTIMIZER, "--target", os.path.join(dest, "python"), "--python-version", "3.12",
                 "--ddir", os.path.join(dest, "python")], stdout=subprocess.DEVNULL)
    # Warm-cache limit: the default bundle after one normal import wrote (valid) __pycache__ entries.
    warm = os.path.join(ext, "warm")
    extract(os.path.join(build, "default.zip"), warm)
    run([sys.executable, "-I", "-c", "import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]; import handler",
         os.path.join(warm, "python"), HERE], env={"PATH": os.environ.get("PATH", "")})
    files, size = measure(warm)
    results["warm"] = {"zippedBytes": None, "unzippedBytes": size, "files": files}

    handler_dir = os.path.join(WORK, "handler")
    rmtree(handler_dir)
    os.makedirs(handler_dir)
    shutil.copy(os.path.join(HERE, "handler.py"), handler_dir)
    for d in (ext, handler_dir):
        make_read_only(d)

    names = list(results)
    samples = {n: [] for n in names}
    print(f"timing cold imports: {args.rounds} interleaved rounds of {len(names)} fresh processes...", flush=True)
    for i in range(args.rounds):
        order = names[i % len(names):] + names[: i % len(names)]
        for n in order:
            samples[n].append(cold_import_ms(os.path.join(ext, n, "python"), handler_dir))
    for n in names:
        results[n]["medianMs"] = statistics.median(samples[n])
        results[n]["samplesMs"] = samples[n]
    d, w = results["default"]["medianMs"], results["warm"]["medianMs"]
    print()
    reqs = [line for line in open(requirements).read().splitlines() if line.strip() and not line.startswith("#")]
    print(f"Python {sys.version.split()[0]}, {len(reqs)} requirements, median of {args.rounds} rounds")
    header = f"{'bundle':<8} {'zipped MB':>9} {'unzipped MB':>11} {'files':>6} {'median ms':>9} {'x default':>9} {'x warm':>7}"
    print(header)
    print("-" * len(header))
    for n in names:
        r = results[n]
        zipped = f"{r['zippedBytes'] / MB:9.2f}" if r["zippedBytes"] else f"{'-':>9}"
        print(f"{n:<8} {zipped} {r['unzippedBytes'] / MB:11.2f} {r['files']:6d} {r['medianMs']:9.1f} {r['medianMs'] / d:9.2f} {r['medianMs'] / w:7.2f}")
    layer = results["layer"]
    goals = [
        ("cold import <= 0.55x default", layer["medianMs"] / d <= 0.55),
        ("cold import <= 1.05x warm cache", layer["medianMs"] / w <= 1.05),
        ("zipped size <= default", layer["zippedBytes"] <= results["default"]["zippedBytes"]),
    ]
    print()
    for text, ok in goals:
        print(f"{'PASS' if ok else 'FAIL'}  layer {text}")
    with open(os.path.join(WORK, "results.json"), "w") as fh:
        json.dump(results, fh, indent=2)
    print(f"\nraw samples: {os.path.relpath(os.path.join(WORK, 'results.json'), REPO)}")
    sys.exit(0 if all(ok for _, ok in goals) else 1)


if __name__ == "__main__":
    main()
