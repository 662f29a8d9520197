"""Fan-out warmer deployed by cdk-python-coldstart's AliasWarmer.

Invokes one Lambda alias (a qualified ARN, never $LATEST) N times at once, synchronously, with a
warm-up payload that makes each invocation linger, so the N invocations overlap and Lambda has to
serve them from N execution environments (aws-facts: Warmers). Reports how many distinct
environments answered and how many of them were cold.

Configuration (environment variables set by AliasWarmer):
  CDK_PYTHON_COLDSTART_WARMUP_TARGET       alias ARN to invoke (qualified)
  CDK_PYTHON_COLDSTART_WARMUP_CONCURRENCY  number of concurrent invocations
  CDK_PYTHON_COLDSTART_WARMUP_PAYLOAD      JSON object sent to the target (the warm-up event)

Invoked by the schedule (EventBridge), by hand, or as a CloudFormation custom resource (prewarm
after each deployment); the custom resource path always answers CloudFormation, before its own
timeout, and never fails the deployment: a prewarm is best effort.

The Lambda client is created lazily by ``make_client`` and cached; tests replace it with
``set_client`` (and the CloudFormation response sender with ``set_http_put``).
"""

import json
import os
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

TARGET_ENV = "CDK_PYTHON_COLDSTART_WARMUP_TARGET"
CONCURRENCY_ENV = "CDK_PYTHON_COLDSTART_WARMUP_CONCURRENCY"
PAYLOAD_ENV = "CDK_PYTHON_COLDSTART_WARMUP_PAYLOAD"
MAX_CONCURRENCY = 50
# Leave this much of the warmer's own timeout for answering CloudFormation and logging.
SAFETY_MARGIN_MS = 3000

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


def _default_http_put(url, body):
    req = urllib.request.Request(
        url, data=body, method="PUT", headers={"Content-Type": "", "Content-Length": str(len(body))}
    )
    with urllib.request.urlopen(req, timeout=10) as resp:  # nosec B310: presigned https URL from CloudFormation
        resp.read()


def load_config(environ=None):
    environ = os.environ if environ is None else environ
    target = environ.get(TARGET_ENV, "")
    if not target:
        raise ValueError("%s is not set: the warmer does not know which alias to warm" % TARGET_ENV)
    if target.endswith(":$LATEST") or target.count(":") < 7:
        # arn:aws:lambda:region:account:function:name:alias has 7 colons; warm the alias, never
        # $LATEST (aws-facts: Warmers).
        raise ValueError("%s=%r is not an alias ARN (qualified, not $LATEST)" % (TARGET_ENV, target))
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


def _deadline(context):
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if remaining is None:
        return None
    return time.monotonic() + max(0, remaining() - SAFETY_MARGIN_MS) / 1000.0


def _respond_to_cloudformation(event, status, reason, data):
    body = json.dumps(
        {
            "Status": status,
            "Reason": reason[:1000],
            "PhysicalResourceId": event.get("PhysicalResourceId")
            or "cdk-python-coldstart-prewarm:" + str(event.get("LogicalResourceId", "prewarm")),
            "StackId": event.get("StackId"),
            "RequestId": event.get("RequestId"),
            "LogicalResourceId": event.get("LogicalResourceId"),
            "NoEcho": False,
            "Data": data,
        }
    ).encode("utf-8")
    (_http_put or _default_http_put)(event["ResponseURL"], body)


def _handle_custom_resource(event, context):
    # Prewarm is best effort: always SUCCESS, so a cold or throttled target never rolls back a
    # deployment. Delete does nothing.
    data = {}
    reason = "prewarm skipped on delete"
    try:
        if event.get("RequestType") in ("Create", "Update"):
            target, concurrency, payload = load_config()
            report = warm(get_client(concurrency), target, concurrency, payload, _deadline(context))
            data = {k: report[k] for k in ("requested", "succeeded", "environments", "cold")}
            reason = "prewarmed %d of %d environments" % (report["environments"], concurrency)
            print(json.dumps({"prewarm": report}))
    except Exception as err:  # never leave CloudFormation waiting
        reason = "prewarm failed (ignored): %s" % err
        print(reason)
    _respond_to_cloudformation(event, "SUCCESS", reason, data)
    return data


def handler(event, context):
    if isinstance(event, dict) and "RequestType" in event and "ResponseURL" in event:
        return _handle_custom_resource(event, context)
    target, concurrency, payload = load_config()
    report = warm(get_client(concurrency), target, concurrency, payload, _deadline(context))
    print(json.dumps({"warmup": report}))
    return report
