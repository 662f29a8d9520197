"""Runtime kit shipped by cdk-python-coldstart and bundled next to the handler code.

Submodules are independent and import nothing heavy at package import time:
- ``warmup``: recognise warm-up events and return before user code runs.
- ``wrapper``: zero-change wrapper handler that imports the user's handler at init.
- ``lazy``: thread-safe, SnapStart-aware lazy initialisation of clients and values.
"""

__all__ = ["warmup", "wrapper", "lazy"]
