"""Zero-change wrapper handler: set the function's handler to
``cdk_python_coldstart_runtime.wrapper.handler`` and name your own handler in the environment
variable ``CDK_PYTHON_COLDSTART_HANDLER`` (for example ``index.handler`` or ``pkg.mod.fn``).

* Your handler's module is imported when this module is imported, i.e. during the execution
  environment's init phase. The init work (imports, clients, configuration) is therefore done by
  the first (warm-up) invocation's init, and with SnapStart it is captured in the snapshot.
* Warm-up events (see :mod:`cdk_python_coldstart_runtime.warmup`) return early; your handler
  never sees them.
* Every other event is passed to your handler unchanged, and its result returned unchanged.

A missing or wrong ``CDK_PYTHON_COLDSTART_HANDLER`` fails the init with an error that names the
variable, instead of a confusing failure at the first request.
"""

import importlib
import os

from . import warmup as _warmup

__all__ = ["HANDLER_ENV", "WrapperConfigurationError", "load_handler", "handler"]

#: Environment variable naming the user's handler, ``module.function``.
HANDLER_ENV = "CDK_PYTHON_COLDSTART_HANDLER"
_SELF = "cdk_python_coldstart_runtime.wrapper.handler"


class WrapperConfigurationError(RuntimeError):
    """CDK_PYTHON_COLDSTART_HANDLER is missing or does not name a callable handler."""


def _fail(spec, problem):
    raise WrapperConfigurationError(
        "%s=%r: %s. Set %s to your handler as 'module.function' (the value you would otherwise "
        "give the Lambda Handler setting, e.g. 'index.handler' or 'pkg.module.handler') and keep "
        "the function's Handler set to '%s'." % (HANDLER_ENV, spec, problem, HANDLER_ENV, _SELF)
    )


def load_handler(spec):
    """Import and return the callable named by ``spec`` (``module.function``; ``/`` in the module
    path is accepted like Lambda's own handler setting, ``src/index.handler``)."""
    if spec is None or not str(spec).strip():
        _fail(spec, "the variable is not set or empty")
    spec = str(spec).strip()
    module_path, _, attr = spec.replace("/", ".").rpartition(".")
    if not module_path or not attr or any(not part.isidentifier() for part in module_path.split(".")) \
            or not attr.isidentifier():
        _fail(spec, "expected 'module.function'")
    if "%s.%s" % (module_path, attr) == _SELF:
        _fail(spec, "it names this wrapper itself, which would call itself forever")
    try:
        module = importlib.import_module(module_path)
    except ModuleNotFoundError as err:
        # Only a missing *handler module* is a configuration error; a missing dependency imported
        # by the user's module is the user's own error and is re-raised as is.
        missing = err.name or ""
        if missing and (module_path == missing or module_path.startswith(missing + ".")):
            _fail(spec, "module %r was not found in the deployment package or layers" % missing)
        raise
    fn = getattr(module, attr, None)
    if fn is None:
        _fail(spec, "module %r has no attribute %r" % (module_path, attr))
    if not callable(fn):
        _fail(spec, "%s.%s is not callable" % (module_path, attr))
    return fn


# Import the user's handler now, at init (module import time), not on the first request.
_user_handler = load_handler(os.environ.get(HANDLER_ENV))


def handler(event, context):
    """The Lambda handler: warm-up events return early, everything else goes to the user's handler."""
    if _warmup.is_warmup_event(event, context):
        return _warmup.handle_warmup(event, context)
    _warmup.note_invocation()
    return _user_handler(event, context)
