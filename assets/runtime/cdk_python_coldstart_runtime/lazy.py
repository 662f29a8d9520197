"""Thread-safe, SnapStart-aware lazy initialisation for Python Lambda handlers.

Most of a Python cold start is the handler module's own imports and module-level work (an SDK
import and a client built at import time easily cost hundreds of milliseconds). Deferring them
to first use moves that cost out of the init phase, and out of invocations that never need them.

    from cdk_python_coldstart_runtime.lazy import lazy, lazy_client

    s3 = lazy_client("s3")  # boto3 is imported and the client built on first use

    @lazy
    def table():
        import boto3
        return boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])

    def handler(event, context):
        s3.put_object(Bucket=..., Key=..., Body=b"...")   # attribute access creates it once
        table.get().put_item(Item={...})                   # or explicitly with .get()

SnapStart (https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html): everything created during init is in the snapshot and
is shared by every environment restored from it: unique IDs, random seeds, credentials and
network connections. When the ``snapshot_restore_py`` module of the Lambda runtime is importable,
importing this module registers hooks with it (hooks only run if the handler module imports the
module that registers them, so import this module from your handler module):

- before the snapshot: values declared with ``create_before_snapshot=True`` are created, so their
  imports and set-up land in the snapshot (then your ``@before_snapshot`` hooks run);
- after restore: values with ``recreate_after_restore=True`` (the default) are dropped and created
  again on first use, the ``random`` module (and numpy's legacy global generator, if loaded) is
  re-seeded, then your ``@after_restore`` hooks run. After-restore work must finish within 10 s;
  dropping is instant, re-creation happens on first use.

Outside Lambda (no ``snapshot_restore_py``) nothing is registered and everything still works, so
unit tests of handler code run unchanged; ``simulate_restore()`` runs the after-restore steps.

Lazy values are safe to use from several threads: the factory runs once (double-checked locking).
"""

import sys
import threading
import weakref

__all__ = [
    "Lazy",
    "lazy",
    "lazy_client",
    "lazy_resource",
    "before_snapshot",
    "after_restore",
    "reset_all",
    "simulate_restore",
    "snapstart_hooks_registered",
]

_UNSET = object()
_registry_lock = threading.Lock()
_registry = weakref.WeakSet()
_before_snapshot_hooks = []
_after_restore_hooks = []


class Lazy(object):
    """A value created by ``factory()`` on first use, once, even when threads race for it.

    ``get()`` returns the value; attribute access is forwarded to it (``s3.put_object(...)``).
    ``reset()`` drops it (calling ``dispose(value)`` if given); the next use creates it again.
    """

    def __init__(self, factory, name=None, recreate_after_restore=True, create_before_snapshot=False, dispose=None):
        if not callable(factory):
            raise TypeError("lazy() needs a callable factory, got %r" % (factory,))
        self._factory = factory
        self._name = name or getattr(factory, "__qualname__", None) or repr(factory)
        self._value = _UNSET
        self._lock = threading.RLock()
        self._creating = None  # thread ident while the factory runs (detects circular factories)
        self.recreate_after_restore = recreate_after_restore
        self.create_before_snapshot = create_before_snapshot
        self._dispose = dispose
        with _registry_lock:
            _registry.add(self)

    @property
    def name(self):
        """Name used in messages (the factory's name by default)."""
        return self._name

    @property
    def created(self):
        """True when the value exists (it has been used since creation or the last reset)."""
        return self._value is not _UNSET

    def get(self):
        """Returns the value, creating it on first use. A factory that raises is retried on the next use."""
        value = self._value
        if value is not _UNSET:  # fast path: no lock once created
            return value
        with self._lock:
            if self._value is _UNSET:
                if self._creating == threading.get_ident():
                    raise RuntimeError("lazy value %r was requested by its own factory (circular initialisation)" % self._name)
                self._creating = threading.get_ident()
                try:
                    self._value = self._factory()
                finally:
                    self._creating = None
            return self._value

    def reset(self):
        """Drops the value (calling ``dispose(value)`` if given); the next use creates it again."""
        with self._lock:
            old, self._value = self._value, _UNSET
        if old is not _UNSET and self._dispose is not None:
            try:
                self._dispose(old)
            except Exception as e:  # noqa: BLE001 - a failing close must not break the restore
                _log("dispose of lazy value %r failed: %r" % (self._name, e))

    def __getattr__(self, attr):
        # Only called for attributes Lazy itself does not have. Dunder/private names are not forwarded
        # so that copy, pickle, mock and friends see a plain object.
        if attr.startswith("_"):
            raise AttributeError(attr)
        return getattr(self.get(), attr)

    def __repr__(self):
        return "<Lazy %s %s>" % (self._name, "created" if self.created else "not created")


def lazy(factory=None, name=None, recreate_after_restore=True, create_before_snapshot=False, dispose=None):
    """Wraps a zero-argument factory in a :class:`Lazy`. Usable as ``lazy(f)``, ``@lazy`` or ``@lazy(...)``.

    ``recreate_after_restore`` (default True): drop the value after a SnapStart restore. Keep True for
    anything holding credentials, connections, unique IDs or random state; set False only for
    immutable data that is safe to share between restored environments (parsed config, models).
    ``create_before_snapshot``: create it in the SnapStart before-snapshot hook, so its imports and
    set-up are in the snapshot (with ``recreate_after_restore`` the instance is still re-created,
    but its modules are already imported). ``dispose(value)`` is called when the value is dropped.
    """
    def wrap(f):
        return Lazy(f, name=name, recreate_after_restore=recreate_after_restore,
                    create_before_snapshot=create_before_snapshot, dispose=dispose)

    if factory is None:
        return wrap
    return wrap(factory)


_shared_loader = []


def _boto3_session():
    """A new boto3 session (credentials resolved again) sharing one botocore data loader (service models)."""
    import boto3
    import botocore.session

    core = botocore.session.Session()
    try:
        if _shared_loader:
            core.register_component("data_loader", _shared_loader[0])
        else:
            _shared_loader.append(core.get_component("data_loader"))
    except Exception:  # noqa: BLE001 - an optimisation only
        pass
    return boto3.session.Session(botocore_session=core)


def lazy_client(service_name, recreate_after_restore=True, create_before_snapshot=False, **client_kwargs):
    """A lazy boto3 client: ``boto3`` is imported and the client built on first use.

    Each creation uses a new boto3 session, so a client re-created after a SnapStart restore resolves
    credentials again instead of reusing those cached during init.
    """
    def factory():
        return _boto3_session().client(service_name, **client_kwargs)

    factory.__qualname__ = "client(%s)" % service_name
    return Lazy(factory, recreate_after_restore=recreate_after_restore, create_before_snapshot=create_before_snapshot)


def lazy_resource(service_name, recreate_after_restore=True, create_before_snapshot=False, **resource_kwargs):
    """A lazy boto3 resource (``boto3.resource(...)``), created on first use, like :func:`lazy_client`."""
    def factory():
        return _boto3_session().resource(service_name, **resource_kwargs)

    factory.__qualname__ = "resource(%s)" % service_name
    return Lazy(factory, recreate_after_restore=recreate_after_restore, create_before_snapshot=create_before_snapshot)


def before_snapshot(fn):
    """Decorator: run ``fn()`` before the SnapStart snapshot (after lazy values are pre-created). No-op outside SnapStart."""
    _before_snapshot_hooks.append(fn)
    return fn


def after_restore(fn):
    """Decorator: run ``fn()`` after a SnapStart restore (after lazy values are dropped and random re-seeded)."""
    _after_restore_hooks.append(fn)
    return fn


def _lazies():
    with _registry_lock:
        return list(_registry)


def reset_all(only_recreate_after_restore=False):
    """Drops every lazy value (or only those marked ``recreate_after_restore``). Handy between unit tests."""
    for item in _lazies():
        if item.recreate_after_restore or not only_recreate_after_restore:
            item.reset()


def _run_before_snapshot():
    for item in _lazies():
        if item.create_before_snapshot:
            try:
                item.get()
            except Exception as e:  # noqa: BLE001 - a failed pre-creation is retried on first use
                _log("pre-creating lazy value %r before the snapshot failed: %r" % (item.name, e))
    for hook in list(_before_snapshot_hooks):
        hook()


def _reseed_random():
    # Only modules that are already imported: importing them here would cost restore time.
    rnd = sys.modules.get("random")
    if rnd is not None:
        rnd.seed()  # from os.urandom: a fresh seed per restored environment
    np_random = getattr(sys.modules.get("numpy"), "random", None)
    if np_random is not None:
        try:
            np_random.seed()
        except Exception:  # noqa: BLE001
            pass


def _run_after_restore():
    reset_all(only_recreate_after_restore=True)
    _reseed_random()
    for hook in list(_after_restore_hooks):
        hook()


def simulate_restore():
    """Runs what happens after a SnapStart restore (drop, re-seed, your hooks). For tests of handler code."""
    _run_after_restore()


def _log(message):
    sys.stderr.write("[cdk_python_coldstart_runtime.lazy] %s\n" % message)


def _register_snapstart_hooks():
    try:
        import snapshot_restore_py  # ships in the Lambda managed runtimes python3.12+ (aws-facts SnapStart)
    except ImportError:
        return False
    snapshot_restore_py.register_before_snapshot(_run_before_snapshot)
    snapshot_restore_py.register_after_restore(_run_after_restore)
    return True


_HOOKS_REGISTERED = _register_snapstart_hooks()


def snapstart_hooks_registered():
    """True when this module registered its hooks with the Lambda runtime's ``snapshot_restore_py``."""
    return _HOOKS_REGISTERED
