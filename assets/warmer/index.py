"""Fan-out warmer deployed by cdk-python-coldstart (StackWarmer: one per stack; AliasWarmer: one per alias).

Invokes Lambda aliases (qualified ARNs, never $LATEST) N times at once each, synchronously, with a
warm-up payload that makes each invocation linger, so the N invocations overlap and Lambda has to
serve them from N execution environments
(https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html). Reports how many distinct
environments answered and how many of them were cold.

Where the targets come from:
  * StackWarmer: the event itself (the schedule rule's input, or the custom resource's properties):
      {"cdk-python-coldstart-warmer": "targets",
       "targets": [{"arn": <alias ARN>, "n": <concurrency>, "l": <linger_ms>, "p": {extra fields}}, ...]}
    Targets travel in the rule input (at most 8192 characters per rule target, several targets per
    rule), not in the environment (4 KB in all), so one warmer serves a whole stack.
  * AliasWarmer: environment variables
      CDK_PYTHON_COLDSTART_WARMUP_TARGET       alias ARN to invoke (qualified)
      CDK_PYTHON_COLDSTART_WARMUP_CONCURRENCY  number of concurrent invocations
      CDK_PYTHON_COLDSTART_WARMUP_PAYLOAD      JSON object sent to the target (the warm-up event)

Invoked by the schedule (EventBridge), by hand, or as a CloudFormation custom resource (prewarm
after each deployment). The custom resource path answers CloudFormation on every path (create,
update, delete, a throttled or broken target, a bad configuration), retries the response PUT until
shortly before its own timeout, and never fails the deployment: a prewarm is best effort. On
update it warms only the targets whose alias version or warm-up settings changed.

The Lambda client is created lazily by ``make_client`` and cached; tests replace it with
``set_client`` (and the CloudFormation response sender with ``set_http_put``).
"""

import json
import os
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

TARGET_ENV = "CDK_PYTHON_COLDSTART_WARMUP_TARGET"
CONCURRENCY_ENV = "CDK_PYTHON_COLDSTART_WARMUP_CONCURRENCY"
PAYLOAD_ENV = "CDK_PYTHON_COLDSTART_WARMUP_PAYLOAD"
MAX_CONCURRENCY = 50
# Marker of an event that carries its targets (StackWarmer).
TARGETS_KEY = "cdk-python-coldstart-warmer"
TARGETS_VALUE = "targets"
WARMUP_KEY = "cdk-python-coldstart"
WARMUP_VALUE = "warmup"
# At most this many warm-up invocations in flight at once; targets are warmed in waves below it.
MAX_PARALLEL = 100
# Leave this much of the warmer's own timeout for answering CloudFormation and logging.
SAFETY_MARGIN_MS = 3000
# A custom resource keeps this much of the remaining time for the response PUT and its retries.
RESPONSE_RESERVE_MS = 8000
# Stop retrying the PUT this long before the function would time out.
RESPONSE_FINAL_MARGIN_MS = 500

_client = None
_http_put = None


def make_client(concurrency):
    """boto3 from the managed runtime; one connection per concurrent invocation (botocore's pool
    defaults to 10, which would serialise a larger fan-out)."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "lambda",
        config=Config(
            max_pool_connections=max(10, concurrency),
            connect_timeout=5,
            read_timeout=25,
            retries={"max_attempts": 1, "mode": "standard"},
        ),
    )


def set_client(client):
    """Replace the Lambda client (tests)."""
    global _client
    _client = client


def get_client(concurrency):
    global _client
    if _client is None:
        _client = make_client(concurrency)
    return _client


def set_http_put(fn):
    """Replace the function that PUTs the CloudFormation response: fn(url, body_bytes)."""
    global _http_put
    _http_put = fn


def _default_http_put(url, body, timeout=5.0):
    req = urllib.request.Request(
        url, data=body, method="PUT", headers={"Content-Type": "", "Content-Length": str(len(body))}
    )
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # nosec B310: presigned https URL from CloudFormation
        resp.read()
        if resp.status >= 300:
            raise OSError("ResponseURL answered HTTP %d" % resp.status)


def _check_alias_arn(target, where):
    if not isinstance(target, str) or not target:
        raise ValueError("%s is not set: the warmer does not know which alias to warm" % where)
    if target.endswith(":$LATEST") or target.count(":") < 7:
        # arn:aws:lambda:region:account:function:name:alias has 7 colons; warm the alias, never
        # $LATEST (aws-facts: Warmers).
        raise ValueError("%s=%r is not an alias ARN (qualified, not $LATEST)" % (where, target))
    return target


def load_config(environ=None):
    environ = os.environ if environ is None else environ
    target = _check_alias_arn(environ.get(TARGET_ENV, ""), TARGET_ENV)
    try:
        concurrency = int(environ.get(CONCURRENCY_ENV, "1"))
    except ValueError:
        raise ValueError("%s must be an integer, got %r" % (CONCURRENCY_ENV, environ.get(CONCURRENCY_ENV)))
    if concurrency < 1 or concurrency > MAX_CONCURRENCY:
        raise ValueError("%s must be between 1 and %d, got %d" % (CONCURRENCY_ENV, MAX_CONCURRENCY, concurrency))
    payload = json.loads(environ.get(PAYLOAD_ENV) or "{}")
    if not isinstance(payload, dict):
        raise ValueError("%s must be a JSON object" % PAYLOAD_ENV)
    return target, concurrency, payload


def _read_payload(response):
    body = response.get("Payload")
    if body is None:
        return None
    raw = body.read() if hasattr(body, "read") else body
    if isinstance(raw, (bytes, bytearray)):
        raw = raw.decode("utf-8", "replace")
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw


def _invoke_one(client, target, event, barrier):
    try:
        barrier.wait(timeout=5)  # start all invocations together so they overlap
    except threading.BrokenBarrierError:
        pass
    started = time.monotonic()
    try:
        response = client.invoke(
            FunctionName=target,
            InvocationType="RequestResponse",
            Payload=json.dumps(event).encode("utf-8"),
        )
    except Exception as err:  # throttling, permissions, timeouts: reported, not raised
        code = getattr(err, "response", {}).get("Error", {}).get("Code") if hasattr(err, "response") else None
        return {"ok": False, "error": code or type(err).__name__, "detail": str(err)[:300]}
    elapsed_ms = int((time.monotonic() - started) * 1000)
    payload = _read_payload(response)
    if response.get("FunctionError"):
        return {"ok": False, "error": "FunctionError:" + str(response.get("FunctionError")), "ms": elapsed_ms}
    if isinstance(payload, dict) and payload.get("warmup") is True:
        return {
            "ok": True,
            "environment": payload.get("environment"),
            "cold": bool(payload.get("cold")),
            "ms": elapsed_ms,
        }
    # The target ran the warm-up event through user code: it is not warm-up aware.
    return {"ok": True, "aware": False, "ms": elapsed_ms}


def warm(client, target, concurrency, payload, deadline_s=None):
    """Invoke ``target`` ``concurrency`` times concurrently; return a JSON-serialisable report."""
    barrier = threading.Barrier(concurrency)
    results = []
    pool = ThreadPoolExecutor(max_workers=concurrency)
    try:
        futures = []
        for i in range(concurrency):
            event = dict(payload)
            event["invocation"] = i
            event["concurrency"] = concurrency
            futures.append(pool.submit(_invoke_one, client, target, event, barrier))
        for f in futures:
            timeout = None if deadline_s is None else max(0.0, deadline_s - time.monotonic())
            try:
                results.append(f.result(timeout=timeout))
            except Exception as err:  # includes the deadline passing
                results.append({"ok": False, "error": type(err).__name__ or "Timeout"})
    finally:
        pool.shutdown(wait=False)
    environments = sorted({r["environment"] for r in results if r.get("environment")})
    errors = {}
    for r in results:
        if not r.get("ok"):
            errors[r["error"]] = errors.get(r["error"], 0) + 1
    report = {
        "target": target,
        "requested": concurrency,
        "succeeded": sum(1 for r in results if r.get("ok")),
        "environments": len(environments),
        "cold": sum(1 for r in results if r.get("cold")),
        "not_warmup_aware": sum(1 for r in results if r.get("aware") is False),
        "errors": errors,
    }
    hints = []
    if report["not_warmup_aware"]:
        hints.append(
            "the target ran warm-up events through its own code: use the handler "
            "cdk_python_coldstart_runtime.wrapper.handler or the @warmup_aware decorator"
        )
    if report["succeeded"] and not report["not_warmup_aware"] and report["environments"] < concurrency:
        hints.append(
            "fewer environments than invocations answered: the invocations did not overlap; "
            "raise lingerMs"
        )
    if errors:
        hints.append("some invocations failed: see errors (throttling means reserved concurrency is too low)")
    report["hints"] = hints
    return report


def _deadline(context, reserve_ms=SAFETY_MARGIN_MS):
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if remaining is None:
        return None
    return time.monotonic() + max(0, remaining() - reserve_ms) / 1000.0


def _int(value, name, low, high):
    try:
        n = int(value)  # CloudFormation passes custom resource numbers as strings
    except (TypeError, ValueError):
        raise ValueError("%s must be an integer, got %r" % (name, value))
    if n < low or n > high:
        raise ValueError("%s must be between %d and %d, got %d" % (name, low, high, n))
    return n


def parse_targets(entries):
    """[{"arn", "n", "l", "p"}] -> [(arn, concurrency, event)]; raises ValueError naming the entry."""
    if not isinstance(entries, list):
        raise ValueError("targets must be a list")
    parsed = []
    for i, entry in enumerate(entries):
        where = "targets[%d]" % i
        if not isinstance(entry, dict):
            raise ValueError("%s must be an object" % where)
        arn = _check_alias_arn(entry.get("arn"), where + ".arn")
        n = _int(entry.get("n", 1), where + ".n", 1, MAX_CONCURRENCY)
        linger = _int(entry.get("l", 0), where + ".l", 0, 1000)
        extra = entry.get("p") or {}
        if isinstance(extra, str):
            extra = json.loads(extra)
        if not isinstance(extra, dict):
            raise ValueError("%s.p must be a JSON object" % where)
        event = {WARMUP_KEY: WARMUP_VALUE, "linger_ms": linger}
        event.update(extra)
        parsed.append((arn, n, event))
    return parsed


def _waves(targets):
    """Groups targets so that at most MAX_PARALLEL invocations are in flight at once."""
    wave, size = [], 0
    for t in targets:
        if wave and size + t[1] > MAX_PARALLEL:
            yield wave
            wave, size = [], 0
        wave.append(t)
        size += t[1]
    if wave:
        yield wave


def warm_targets(client, targets, deadline_s=None):
    """Warm every (arn, concurrency, event); each target's invocations overlap, targets run in waves."""
    reports = []
    for wave in _waves(targets):
        slots = [None] * len(wave)

        def run(i, t):
            try:
                slots[i] = warm(client, t[0], t[1], t[2], deadline_s)
            except Exception as err:  # a broken target never stops the others
                slots[i] = {"target": t[0], "requested": t[1], "succeeded": 0, "environments": 0, "cold": 0,
                            "not_warmup_aware": 0, "errors": {type(err).__name__: t[1]}, "hints": []}

        threads = [threading.Thread(target=run, args=(i, t), daemon=True) for i, t in enumerate(wave)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(None if deadline_s is None else max(0.0, deadline_s - time.monotonic()) + 0.5)
        for i, t in enumerate(wave):
            reports.append(slots[i] or {"target": t[0], "requested": t[1], "succeeded": 0, "environments": 0,
                                        "cold": 0, "not_warmup_aware": 0, "errors": {"Timeout": t[1]}, "hints": []})
        if deadline_s is not None and time.monotonic() >= deadline_s:
            break
    for t in targets[len(reports):]:
        reports.append({"target": t[0], "requested": t[1], "succeeded": 0, "environments": 0, "cold": 0,
                        "not_warmup_aware": 0, "errors": {"NotStarted(deadline)": t[1]}, "hints": []})
    return {
        "targets": len(targets),
        "requested": sum(r["requested"] for r in reports),
        "succeeded": sum(r["succeeded"] for r in reports),
        "environments": sum(r["environments"] for r in reports),
        "cold": sum(r["cold"] for r in reports),
        "reports": reports,
    }


def respond_to_cloudformation(event, status, reason, data, deadline_s=None, put=None):
    """PUT the response to the presigned ResponseURL, retrying with backoff until ``deadline_s``.

    Returns True once CloudFormation has the answer; never raises (a failure is logged)."""
    body = json.dumps(
        {
            "Status": status,
            "Reason": (reason or status)[:1000],
            "PhysicalResourceId": event.get("PhysicalResourceId")
            or "cdk-python-coldstart-prewarm:" + str(event.get("LogicalResourceId", "prewarm")),
            "StackId": event.get("StackId"),
            "RequestId": event.get("RequestId"),
            "LogicalResourceId": event.get("LogicalResourceId"),
            "NoEcho": False,
            "Data": data or {},
        }
    ).encode("utf-8")
    put = put or _http_put
    url = event.get("ResponseURL")
    attempt, delay, last = 0, 0.2, None
    while True:
        attempt += 1
        remaining = None if deadline_s is None else deadline_s - time.monotonic()
        if remaining is not None and remaining <= 0.05:
            break
        try:
            timeout = 5.0 if remaining is None else max(0.05, min(5.0, remaining))
            if put is None:
                _default_http_put(url, body, timeout)
            else:
                put(url, body)
            print(json.dumps({"cloudformation_response": status, "attempts": attempt}))
            return True
        except Exception as err:  # unreachable URL, 5xx, timeout: retry while there is time
            last = err
        if deadline_s is None and attempt >= 5:
            break
        pause = delay if deadline_s is None else min(delay, max(0.0, deadline_s - time.monotonic() - 0.05))
        if pause > 0:
            time.sleep(pause)
        delay = min(delay * 2, 2.0)
    # The URL is presigned: log only its host, never its signature.
    host = urllib.parse.urlsplit(url or "").hostname if url else None
    print(json.dumps({"cloudformation_response_failed": str(last)[:300], "attempts": attempt, "host": host}))
    return False


def _changed_targets(event):
    """Create: every target. Update: those whose entry (alias version, concurrency, linger, payload) changed."""
    props = event.get("ResourceProperties") or {}
    new = props.get("Targets")
    if new is None:
        return None  # AliasWarmer's prewarm: the environment names the target
    if event.get("RequestType") != "Update":
        return new
    old = (event.get("OldResourceProperties") or {}).get("Targets") or []
    seen = {json.dumps(o, sort_keys=True) for o in old if isinstance(o, dict)}
    return [t for t in new if json.dumps(t, sort_keys=True) not in seen]


def _handle_custom_resource(event, context):
    # Prewarm is best effort: always SUCCESS, so a cold or throttled target never rolls back a
    # deployment. Delete does nothing. Everything, the response included, runs inside a try.
    data = {}
    reason = "prewarm skipped on delete"
    warm_deadline = _deadline(context, RESPONSE_RESERVE_MS)
    try:
        if event.get("RequestType") in ("Create", "Update"):
            entries = _changed_targets(event)
            if entries is None:
                target, concurrency, payload = load_config()
                report = warm(get_client(concurrency), target, concurrency, payload, warm_deadline)
                data = {k: report[k] for k in ("requested", "succeeded", "environments", "cold")}
                reason = "prewarmed %d of %d environments" % (report["environments"], concurrency)
            else:
                targets = parse_targets(entries)
                report = warm_targets(get_client(MAX_PARALLEL), targets, warm_deadline)
                data = {k: report[k] for k in ("targets", "requested", "succeeded", "environments", "cold")}
                reason = "prewarmed %d of %d environments of %d changed alias(es)" % (
                    report["environments"], report["requested"], report["targets"])
            print(json.dumps({"prewarm": report}))
    except Exception as err:  # never leave CloudFormation waiting
        reason = "prewarm failed (ignored): %s" % err
        data = {}
        print(reason)
    try:
        respond_to_cloudformation(event, "SUCCESS", reason, data, _deadline(context, RESPONSE_FINAL_MARGIN_MS))
    except Exception as err:  # pragma: no cover - respond_to_cloudformation does not raise
        print("cloudformation response failed: %s" % err)
    return data


def handler(event, context):
    if isinstance(event, dict) and "RequestType" in event and "ResponseURL" in event:
        return _handle_custom_resource(event, context)
    if isinstance(event, dict) and event.get(TARGETS_KEY) == TARGETS_VALUE:
        targets = parse_targets(event.get("targets"))
        report = warm_targets(get_client(MAX_PARALLEL), targets, _deadline(context))
        print(json.dumps({"warmup": report}))
        return report
    target, concurrency, payload = load_config()
    report = warm(get_client(concurrency), target, concurrency, payload, _deadline(context))
    print(json.dumps({"warmup": report}))
    return report
