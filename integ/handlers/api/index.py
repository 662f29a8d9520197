"""Handler of the OptimizedPythonFunction integ tests: proves the dependencies layer imports."""

import jmespath

from cdk_python_coldstart_runtime.lazy import lazy

settings = lazy(lambda: {"greeting": "hello"})


def handler(event, context):
    return {"ok": True, "greeting": jmespath.search("greeting", settings.get()), "echo": (event or {}).get("echo")}
