"""Recognise warm-up invocations and answer them before user code runs.

Two payloads are recognised:

* ours, sent by cdk-python-coldstart's ``AliasWarmer``::

      {"cdk-python-coldstart": "warmup", "linger_ms": 100, ...extra fields}

* serverless-plugin-warmup's default payload ``{"source": "serverless-plugin-warmup"}``
  (or the same marker in the client context's ``custom`` field), so functions migrated from
  the Serverless Framework keep short-circuiting their warm-up calls.

A warm-up invocation lingers ``linger_ms`` (bounded by :data:`MAX_LINGER_MS`) before returning:
a warmer keeps N execution environments warm only if its N concurrent invocations overlap, and
they overlap only if each one lingers long enough
(see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html).

Only the standard library is imported here: this module is imported at init by the wrapper
handler and by decorated handlers, so it must cost next to nothing.
"""

import functools
import time
import uuid

__all__ = [
    "WARMUP_KEY",
    "WARMUP_VALUE",
    "MAX_LINGER_MS",
    "SERVERLESS_PLUGIN_WARMUP_SOURCE",
    "is_warmup_event",
    "handle_warmup",
    "warmup_aware",
    "environment_id",
]

#: The distinctive key of our warm-up payload; its value is :data:`WARMUP_VALUE`.
WARMUP_KEY = "cdk-python-coldstart"
#: The value of :data:`WARMUP_KEY` in a warm-up payload.
WARMUP_VALUE = "warmup"
#: Upper bound for ``linger_ms``: a warm-up call must never hold an environment for long.
MAX_LINGER_MS = 1000
#: serverless-plugin-warmup's default ``source`` marker.
SERVERLESS_PLUGIN_WARMUP_SOURCE = "serverless-plugin-warmup"
#: serverless-plugin-warmup asks handlers to wait briefly when it warms concurrently; its payload
#: carries no linger time, so plugin warm-ups linger this long unless ``linger_ms`` is given.
SERVERLESS_PLUGIN_DEFAULT_LINGER_MS = 25

# Per execution environment state. Created lazily on the first invocation, not at import:
# with SnapStart, everything made during init is shared by every environment restored from the
# snapshot (aws-facts: SnapStart (Python), unique IDs), so an id minted at import would be the
# same in all of them. The after-restore hook below also resets it, for code that invokes the
# handler during init (priming) before the snapshot is taken.
_environment_id = None
_invocations = 0
_restored = False


def _reset_after_restore():
    global _environment_id, _invocations, _restored
    _environment_id = None
    _invocations = 0
    _restored = True


try:  # pragma: no cover - only present in the managed python3.12+ runtime
    from snapshot_restore_py import register_after_restore as _register_after_restore
except ImportError:  # outside Lambda, or a runtime without SnapStart support
    _register_after_restore = None
if _register_after_restore is not None:  # pragma: no cover
    _register_after_restore(_reset_after_restore)


def environment_id():
    """A random id, stable for the life of this execution environment (unique after restore)."""
    global _environment_id
    if _environment_id is None:
        _environment_id = uuid.uuid4().hex
    return _environment_id


def _client_context_custom(context):
    client_context = getattr(context, "client_context", None) if context is not None else None
    custom = getattr(client_context, "custom", None) if client_context is not None else None
    return custom if isinstance(custom, dict) else None


def is_warmup_event(event, context=None):
    """True for our warm-up payload and for serverless-plugin-warmup's.

    ``event`` may be anything Lambda passes (dict, list, str, None): only dicts can match.
    ``context`` is optional; when given, serverless-plugin-warmup's client-context marker
    (``context.client_context.custom["source"]``) is recognised too.
    """
    if isinstance(event, dict):
        if event.get(WARMUP_KEY) == WARMUP_VALUE:
            return True
        if event.get("source") == SERVERLESS_PLUGIN_WARMUP_SOURCE:
            return True
    custom = _client_context_custom(context)
    return bool(custom) and custom.get("source") == SERVERLESS_PLUGIN_WARMUP_SOURCE


def _linger_ms(event):
    default = 0
    if isinstance(event, dict) and event.get(WARMUP_KEY) != WARMUP_VALUE:
        default = SERVERLESS_PLUGIN_DEFAULT_LINGER_MS
    raw = event.get("linger_ms", default) if isinstance(event, dict) else default
    # bool is an int subclass: reject it explicitly; anything unusable means "do not linger".
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or raw != raw:
        return 0
    return int(min(max(raw, 0), MAX_LINGER_MS))


def handle_warmup(event, context=None):
    """Answer a warm-up invocation: linger, then return a small report.

    Returns ``{"warmup": True, "environment": <id of this execution environment>,
    "cold": <True on this environment's first invocation>, "restored": <True if this environment
    was restored from a SnapStart snapshot>, "lingered_ms": <ms actually waited>}``. The fan-out
    warmer counts distinct ``environment`` values to report how many environments it kept warm.
    """
    global _invocations
    cold = _invocations == 0
    _invocations += 1
    env = environment_id()
    linger = _linger_ms(event)
    started = time.monotonic()
    if linger > 0:
        time.sleep(linger / 1000.0)
    return {
        "warmup": True,
        "environment": env,
        "cold": cold,
        "restored": _restored,
        "lingered_ms": int(round((time.monotonic() - started) * 1000)),
    }


def note_invocation():
    """Count a non-warm-up invocation, so a later warm-up call reports ``cold`` correctly."""
    global _invocations
    _invocations += 1
    environment_id()


def warmup_aware(handler=None):
    """Decorator: warm-up events return early, before the decorated handler runs.

    Use as ``@warmup_aware`` or ``@warmup_aware()``::

        from cdk_python_coldstart_runtime.warmup import warmup_aware

        @warmup_aware
        def handler(event, context):
            ...
    """

    def decorate(fn):
        @functools.wraps(fn)
        def wrapped(event, context=None):
            if is_warmup_event(event, context):
                return handle_warmup(event, context)
            note_invocation()
            return fn(event, context)

        wrapped.__cdk_python_coldstart_warmup_aware__ = True
        return wrapped

    if handler is None:
        return decorate
    if not callable(handler):
        raise TypeError(
            "warmup_aware decorates a Lambda handler function: use @warmup_aware or @warmup_aware(), "
            "got %r" % (handler,)
        )
    return decorate(handler)
