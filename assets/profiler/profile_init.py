"""Init profiler for Python Lambda handlers (cdk-python-coldstart).

Imports a handler module the way the Lambda Python runtime does, in a fresh interpreter, and
prints ONE JSON object on stdout:

    {"ok": true, "totalMs": ..., "importMs": ..., "handlerSelfMs": ...,
     "top": [{"module", "cumulativeMs", "selfMs"}, ...], "handlerFound": true, ...}

or, when it cannot profile or the handler fails at init:

    {"ok": false, "error": {"kind": ..., "message": ..., ...}}

Usage (run with the interpreter of the runtime's minor version, e.g. python3.12):

    python3.12 -I -B profile_init.py --handler index.handler --code-dir DIR \
        [--layer-dir DIR ...] [--timeout-s 30] [--top 10] [--runs 5]

Each run imports the handler in a fresh interpreter; "runs" lists every run, the top-level figures are
the first run's. Processes the handler starts are killed with each run (process group, and on Linux
every orphaned descendant: the profiler is their subreaper).

Exit status: 0 profiled; 1 the handler failed at init (exception, missing handler is still 0
with handlerFound false); 2 cannot profile here (bad arguments, foreign native code); 3 timeout.

How it mirrors Lambda:
- A child interpreter runs with -I -S (no user site, no host site-packages, no PYTHON* variables),
  -B (never writes bytecode: Lambda's code directory is read-only,
  https://docs.aws.amazon.com/lambda/latest/dg/python-package.html), and
  -X importtime. Its sys.path is the code directory, then every layer's
  python/lib/python3.N/site-packages, then every layer's python/ (Lambda: /var/task,
  /opt/python/lib/python3.N/site-packages, /opt/python), followed by the standard library.
  Later layers are searched first: Lambda extracts layers into /opt in order, later ones overwrite.
- The CDK CLI zips assets with every mtime at 1980-01-01, so timestamp-based .pyc files in the
  code or layers never match in Lambda and are ignored. The child treats
  them the same way; hash-based .pyc (unchecked-hash / checked-hash) are used as Lambda uses them.
- The handler string is resolved like the runtime's bootstrap: "pkg/mod.fn" -> module "pkg.mod",
  attribute "fn"; the module is imported with importlib.import_module, cwd is the code directory.
The environment is whatever the caller passes (the TypeScript side scrubs it).
"""

import json
import os
import sys
import time

BEGIN = b"\n--cdk-python-coldstart:begin--\n"
END = b"\n--cdk-python-coldstart:end--\n"
IMPORTTIME_PREFIX = "import time:"

# ELF e_machine values of the architectures Lambda runs (and hosts commonly are).
ELF_MACHINES = {0x3E: "x86_64", 0xB7: "aarch64", 0x03: "i386", 0x28: "arm"}


def _lambda_path(code_dir, layer_dirs, minor_version):
    site = os.path.join("python", "lib", "python" + minor_version, "site-packages")
    layers = list(reversed(layer_dirs))  # later layers win, as when Lambda extracts them into /opt
    return [code_dir] + [os.path.join(d, site) for d in layers] + [os.path.join(d, "python") for d in layers]


# --------------------------------------------------------------------------------------------
# Child: runs inside `python -I -S -B -X importtime profile_init.py --child SPEC RESULT`
# --------------------------------------------------------------------------------------------

def _child(spec_path, result_path):
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    asset_dirs = [os.path.realpath(d) for d in [spec["codeDir"]] + spec["layerDirs"]]
    sys.dont_write_bytecode = True
    compiled = []

    import _frozen_importlib_external as bx  # the import system's own module (importlib._bootstrap_external)

    def _under_assets(path):
        if not path or not os.path.isabs(path):
            return False  # "<frozen importlib._bootstrap>", "<string>"
        real = os.path.realpath(path)
        return any(real == d or real.startswith(d + os.sep) for d in asset_dirs)

    original_validate = bx._validate_timestamp_pyc

    def _validate_timestamp_pyc(data, source_mtime, source_size, name, exc_details):
        # In Lambda the source mtime is 1980-01-01 (CDK asset zip), never what the .pyc recorded.
        if _under_assets(exc_details.get("path") or ""):
            raise ImportError("timestamp-based .pyc is stale in Lambda", **exc_details)
        return original_validate(data, source_mtime, source_size, name, exc_details)

    bx._validate_timestamp_pyc = _validate_timestamp_pyc
    original_source_to_code = bx.SourceLoader.source_to_code

    def source_to_code(self, data, path, *args, **kwargs):
        if isinstance(path, str) and _under_assets(path):
            compiled.append(path)
        return original_source_to_code(self, data, path, *args, **kwargs)

    bx.SourceLoader.source_to_code = source_to_code

    sys.path[:0] = _lambda_path(spec["codeDir"], spec["layerDirs"], "%d.%d" % sys.version_info[:2])
    os.chdir(spec["codeDir"])
    handler = spec["handler"]
    modname, _, fname = handler.rpartition(".")
    modname = modname.replace("/", ".")
    result = {"handlerModule": modname, "handlerFunction": fname}

    import importlib

    os.write(2, BEGIN)
    start = time.perf_counter_ns()
    try:
        module = importlib.import_module(modname)
    except BaseException as e:  # noqa: BLE001 - anything at init fails the Lambda init phase
        elapsed = time.perf_counter_ns() - start
        os.write(2, END)
        import traceback

        frames = traceback.extract_tb(e.__traceback__)
        failing = None
        for fr in reversed(frames):
            if _under_assets(fr.filename):
                failing = {"file": fr.filename, "line": fr.lineno, "module": _module_name(fr.filename, asset_dirs)}
                break
        tb = e.__traceback__
        while tb is not None and not _under_assets(tb.tb_frame.f_code.co_filename):
            tb = tb.tb_next  # drop the harness and importlib frames: start at the user's code
        tb_lines = traceback.format_exception(type(e), e, tb or e.__traceback__)
        result.update({
            "error": {
                "exceptionType": type(e).__name__,
                "exceptionMessage": str(e),
                "failing": failing,
                "tracebackTail": "".join(tb_lines)[-3000:],
            },
            "elapsedNs": elapsed,
        })
    else:
        elapsed = time.perf_counter_ns() - start
        os.write(2, END)
        fn = getattr(module, fname, None) if fname else None
        result.update({"elapsedNs": elapsed, "handlerFound": callable(fn), "handlerAttributeExists": fn is not None})
    result["compiledFromSource"] = len(compiled)
    with open(result_path, "w", encoding="utf-8") as f:
        json.dump(result, f)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # skip atexit handlers and interpreter teardown of user code


def _module_name(filename, asset_dirs):
    real = os.path.realpath(filename)
    roots = []
    for d in asset_dirs:
        roots.append(d)
        roots.append(os.path.join(d, "python"))
        roots.append(os.path.join(d, "python", "lib", "python%d.%d" % sys.version_info[:2], "site-packages"))
    best = None
    for r in roots:
        if real.startswith(r + os.sep):
            rel = os.path.relpath(real, r)
            if best is None or len(rel) < len(best):
                best = rel
    if best is None:
        return os.path.basename(filename)
    mod = best[:-3] if best.endswith(".py") else best
    parts = mod.split(os.sep)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


# --------------------------------------------------------------------------------------------
# Parent
# --------------------------------------------------------------------------------------------

def parse_importtime(text):
    """Parses `-X importtime` lines into [{module, selfUs, cumulativeUs, level}] in output order."""
    entries = []
    for line in text.splitlines():
        if not line.startswith(IMPORTTIME_PREFIX):
            continue
        body = line[len(IMPORTTIME_PREFIX):]
        parts = body.split("|", 2)
        if len(parts) != 3:
            continue
        self_us, cum_us, name = parts
        try:
            self_us = int(self_us.strip())
            cum_us = int(cum_us.strip())
        except ValueError:
            continue  # the header line "self [us] | cumulative | imported package"
        stripped = name.lstrip(" ")
        indent = len(name) - len(stripped)
        entries.append({"module": stripped.strip(), "selfUs": self_us, "cumulativeUs": cum_us,
                        "level": max(0, (indent - 1) // 2)})
    return entries


def _window(stderr_bytes):
    """Returns (importtime text between the markers, other stderr lines)."""
    text = stderr_bytes.decode("utf-8", "replace")
    begin = text.find(BEGIN.decode())
    end = text.find(END.decode(), begin + 1 if begin >= 0 else 0)
    inside = text[begin + len(BEGIN):end if end >= 0 else len(text)] if begin >= 0 else ""
    other = [ln for ln in text.splitlines()
             if ln and not ln.startswith(IMPORTTIME_PREFIX) and "--cdk-python-coldstart:" not in ln]
    return inside, other


def _ms(us):
    return round(us / 1000.0, 1)


def scan_native_code(dirs, host_machine):
    """Finds native extension/shared libraries built for another CPU than this host (ELF e_machine)."""
    host = {"amd64": "x86_64", "arm64": "aarch64"}.get(host_machine.lower(), host_machine.lower())
    foreign = []
    for root_dir in dirs:
        for root, _dirs, files in os.walk(root_dir):
            for fn in files:
                if not (fn.endswith(".so") or ".so." in fn):
                    continue
                path = os.path.join(root, fn)
                try:
                    with open(path, "rb") as f:
                        head = f.read(20)
                except OSError:
                    continue
                if len(head) < 20 or head[:4] != b"\x7fELF":
                    continue
                order = "little" if head[5] == 1 else "big"
                machine = ELF_MACHINES.get(int.from_bytes(head[18:20], order), "e_machine 0x%x" % int.from_bytes(head[18:20], order))
                if machine != host:
                    foreign.append({"path": os.path.relpath(path, root_dir), "dir": root_dir, "machine": machine})
    return host, foreign


def _wheel_tags(dirs):
    tags = set()
    for root_dir in dirs:
        for root, _dirs, files in os.walk(root_dir):
            if os.path.basename(root).endswith(".dist-info") and "WHEEL" in files:
                try:
                    with open(os.path.join(root, "WHEEL"), encoding="utf-8", errors="replace") as f:
                        for line in f:
                            if line.startswith("Tag:"):
                                tag = line.split(":", 1)[1].strip()
                                if not tag.endswith("-any"):
                                    tags.add("%s (%s)" % (tag, os.path.basename(root)))
                except OSError:
                    pass
    return sorted(tags)


def _emit(obj, status):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()
    return status


def _fail(kind, message, status, **extra):
    err = {"kind": kind, "message": message}
    err.update(extra)
    return _emit({"ok": False, "error": err}, status)


def _tail(lines, n=20):
    return "\n".join(lines[-n:])


def main(argv):
    import platform

    ap = _OneLineArgumentParser(prog="profile_init.py")
    ap.add_argument("--handler", required=True)
    ap.add_argument("--code-dir", required=True)
    ap.add_argument("--layer-dir", action="append", default=[])
    ap.add_argument("--timeout-s", type=_timeout_seconds, default=30.0)
    ap.add_argument("--top", type=_bounded_int("--top", 1, 1000), default=10)
    ap.add_argument("--runs", type=_bounded_int("--runs", 1, MAX_RUNS), default=1)
    args = ap.parse_args(argv)

    code_dir = os.path.abspath(args.code_dir)
    layer_dirs = [os.path.abspath(d) for d in args.layer_dir]
    for d in [code_dir] + layer_dirs:
        if not os.path.isdir(d):
            return _fail("missing-directory", "directory not found: %s (was the asset bundled in this synthesis?)" % d, 2)
    modname, _, fname = args.handler.rpartition(".")
    if not modname or not fname:
        return _fail("bad-handler", "handler %r is not of the form 'module.function' (e.g. 'index.handler')" % args.handler, 2)

    host, foreign = scan_native_code([code_dir] + layer_dirs, platform.machine())
    if foreign:
        machines = sorted({f["machine"] for f in foreign})
        examples = ", ".join(f["path"] for f in foreign[:3])
        tags = _wheel_tags([code_dir] + layer_dirs)
        return _fail(
            "architecture",
            "cannot import the handler on this %s host: the bundle contains native code built for %s (%s%s)%s. "
            "Profile on an %s machine, or build for %s to profile, or use the CLI "
            "(npx cdk-python-coldstart profile cdk.out) on an %s CI runner."
            % (host, "/".join(machines), examples, " and %d more" % (len(foreign) - 3) if len(foreign) > 3 else "",
               "; wheel tags: " + ", ".join(tags[:3]) if tags else "",
               "arm64" if "aarch64" in machines else "/".join(machines), host,
               "arm64" if "aarch64" in machines else "/".join(machines)),
            2, host=host, foreign=foreign[:10])

    _become_subreaper()
    runs = []
    for index in range(args.runs):
        outcome = _run_once(args, code_dir, layer_dirs, modname, fname)
        if not outcome.get("ok"):
            if runs:
                outcome["error"]["message"] += " (run %d of %d; the earlier runs succeeded)" % (index + 1, args.runs)
            return _emit(outcome, outcome.pop("status"))
        runs.append(outcome)
    first = runs[0]
    return _emit({
        "ok": True,
        # The first run's figures stay at the top level (older callers read them); every run is in "runs".
        "totalMs": first["totalMs"],
        "importMs": first["importMs"],
        "handlerSelfMs": first["handlerSelfMs"],
        "top": first["top"],
        "handlerFound": first["handlerFound"],
        "handlerModule": modname,
        "handlerFunction": fname,
        "modulesImported": first["modulesImported"],
        "compiledFromSource": first["compiledFromSource"],
        "pythonVersion": "%d.%d.%d" % sys.version_info[:3],
        "host": host,
        "runs": [{k: r[k] for k in ("totalMs", "importMs", "handlerSelfMs", "top", "processMs", "modulesImported")} for r in runs],
        "stdoutTail": first["stdoutTail"],
    }, 0)


def _run_once(args, code_dir, layer_dirs, modname, fname):
    """One import of the handler in a fresh interpreter. Returns a result dict, or {"ok": False, ...} with status."""
    import subprocess
    import tempfile

    work = tempfile.mkdtemp(prefix="cdk-python-coldstart-profile-")  # 0700, random name
    spec_path = os.path.join(work, "spec.json")
    result_path = os.path.join(work, "result.json")
    with open(spec_path, "w", encoding="utf-8") as f:
        json.dump({"codeDir": code_dir, "layerDirs": layer_dirs, "handler": args.handler}, f)
    cmd = [sys.executable, "-I", "-S", "-B", "-X", "importtime", os.path.abspath(__file__), "--child", spec_path, result_path]
    env = dict(os.environ)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    # Output goes to files, not pipes: a process the handler starts (even in a new session) inherits them,
    # and reading a pipe would wait for that process to exit instead of for the import to finish.
    out_f = open(os.path.join(work, "stdout"), "w+b")
    err_f = open(os.path.join(work, "stderr"), "w+b")
    start = time.perf_counter_ns()
    timed_out = False
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out_f, stderr=err_f,
                                cwd=code_dir, env=env, start_new_session=True)
        try:
            proc.wait(timeout=args.timeout_s)
        except subprocess.TimeoutExpired:
            timed_out = True
        wall_ns = time.perf_counter_ns() - start
        _kill_tree(proc)
        out_f.seek(0)
        err_f.seek(0)
        out = out_f.read()
        err = err_f.read()
    finally:
        out_f.close()
        err_f.close()
    if timed_out:
        inside, other = _window(err)
        entries = parse_importtime(inside)
        last = entries[-1]["module"] if entries else None
        _cleanup(work)
        return _failure("timeout",
                        "init did not finish within %gs: importing %r was still running%s"
                        % (args.timeout_s, modname, " (last module that finished importing: %s)" % last if last else ""),
                        3, timeoutS=args.timeout_s, stdoutTail=_tail(out.decode("utf-8", "replace").splitlines()),
                        stderrTail=_tail(other))
    inside, other = _window(err)
    stdout_lines = out.decode("utf-8", "replace").splitlines()
    try:
        with open(result_path, encoding="utf-8") as f:
            result = json.load(f)
    except (OSError, ValueError):
        _cleanup(work)
        return _failure("crashed", "the Python process importing %r exited with status %s before reporting "
                        "(a native extension crash or os._exit at import?)" % (modname, proc.returncode), 1,
                        stdoutTail=_tail(stdout_lines), stderrTail=_tail(other))
    _cleanup(work)

    if "error" in result:
        e = result["error"]
        failing = e.get("failing")
        where = ""
        if failing and failing.get("module") != modname:
            where = " (raised in module %r, %s line %s)" % (failing["module"], failing["file"], failing["line"])
        elif failing:
            where = " (%s line %s)" % (failing["file"], failing["line"])
        hint = ""
        if e["exceptionType"] == "ModuleNotFoundError":
            missing = e["exceptionMessage"]
            hint = (" Is it bundled in the function code or a layer? The profile sees only the code directory and layers"
                    " (the Lambda runtime's own boto3 is not on the path; AWS recommends bundling your own).")
            if "boto" not in missing:
                hint = " Is it bundled in the function code or a layer? The profile sees only the code directory and layers."
        return _failure(
            "init-error",
            "importing handler module %r failed: %s: %s%s.%s" % (modname, e["exceptionType"], e["exceptionMessage"], where, hint),
            1, module=modname, failingModule=(failing or {}).get("module"), exceptionType=e["exceptionType"],
            exceptionMessage=e["exceptionMessage"], traceback=e["tracebackTail"], stdoutTail=_tail(stdout_lines),
            stderrTail=_tail(other))

    entries = parse_importtime(inside)
    total_us = result["elapsedNs"] / 1000.0
    # importlib.import_module (what the runtime's bootstrap calls) is not itself timed by -X importtime:
    # the level-0 entries are the import statements the handler module ran; the rest is its own code.
    import_us = sum(ent["cumulativeUs"] for ent in entries if ent["level"] == 0)
    handler_self_us = max(0.0, total_us - import_us)
    own = {modname}
    parts = modname.split(".")
    own.update(".".join(parts[:i]) for i in range(1, len(parts)))
    candidates = [ent for ent in entries if ent["module"] not in own]
    # A module imported twice cannot appear in importtime; still, keep the first (heaviest) per name.
    seen = set()
    top = []
    for ent in sorted(candidates, key=lambda x: -x["cumulativeUs"]):
        if ent["module"] in seen:
            continue
        seen.add(ent["module"])
        top.append({"module": ent["module"], "cumulativeMs": _ms(ent["cumulativeUs"]), "selfMs": _ms(ent["selfUs"])})
        if len(top) >= args.top:
            break
    return {
        "ok": True,
        "totalMs": _ms(total_us),
        "importMs": _ms(min(import_us, total_us)),
        "handlerSelfMs": _ms(handler_self_us),
        "top": top,
        "handlerFound": bool(result.get("handlerFound")),
        "modulesImported": len(entries),
        "compiledFromSource": result.get("compiledFromSource", 0),
        "processMs": round(wall_ns / 1e6, 1),
        "stdoutTail": _tail(stdout_lines, 10),
    }


def _failure(kind, message, status, **extra):
    err = {"kind": kind, "message": message}
    err.update(extra)
    return {"ok": False, "error": err, "status": status}


MAX_RUNS = 50
MAX_TIMEOUT_S = 3600


class _OneLineArgumentParser(__import__("argparse").ArgumentParser):
    """Bad arguments give one line on stderr and status 2: no usage block, no traceback."""

    def error(self, message):
        sys.stderr.write("profile_init.py: error: %s\n" % message)
        sys.exit(2)


def _timeout_seconds(text):
    import argparse
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a number of seconds, got %r" % text)
    if not math.isfinite(value) or value <= 0 or value > MAX_TIMEOUT_S:
        raise argparse.ArgumentTypeError("must be more than 0 and at most %d seconds, got %r" % (MAX_TIMEOUT_S, text))
    return value


def _bounded_int(name, low, high):
    import argparse

    def parse(text):
        try:
            value = int(text, 10)
        except ValueError:
            raise argparse.ArgumentTypeError("must be a whole number, got %r" % text)
        if value < low or value > high:
            raise argparse.ArgumentTypeError("must be from %d to %d, got %r" % (low, high, text))
        return value

    return parse


def _become_subreaper():
    """Linux: processes the handler starts and orphans (setsid, double fork) are re-parented to this
    process instead of init, so _kill_tree can find and kill them. Elsewhere only the process group is killed."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_CHILD_SUBREAPER = 36
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _children_of(pid):
    """Direct children of pid, from /proc (Linux)."""
    kids = []
    try:
        names = os.listdir("/proc")
    except OSError:
        return kids
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name, "rb") as f:
                stat = f.read().decode("ascii", "replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1 and fields[1] == str(pid):
            kids.append(int(name))
    return kids


def _kill_tree(proc):
    """Kills the import's process group, then every process left that descends from this one (the
    subreaper makes orphans our children), until none is left. Reaps them all."""
    import signal

    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        proc.kill()
    except OSError:
        pass
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        kids = _children_of(os.getpid())
        if not kids:
            break
        for pid in kids:
            for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
                try:
                    target()
                except OSError:
                    pass
        for pid in kids:
            try:
                os.waitpid(pid, 0)
            except OSError:
                pass


def _cleanup(work):
    import shutil

    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
    sys.exit(main(sys.argv[1:]))
