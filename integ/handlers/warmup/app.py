"""Integration-test handlers for the warmup feature.

``handler`` is plain user code, deployed behind the zero-change wrapper
(``cdk_python_coldstart_runtime.wrapper.handler`` with CDK_PYTHON_COLDSTART_HANDLER=app.handler).
``decorated`` opts in explicitly with ``@warmup_aware``.
"""

from cdk_python_coldstart_runtime.warmup import warmup_aware


def handler(event, context):
    return {"handled_by": "user", "warmup": False}


@warmup_aware
def decorated(event, context):
    return {"handled_by": "user", "warmup": False}
