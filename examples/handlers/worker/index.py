"""Example background worker: on-demand, kept warm by a schedule (zero-change wrapper handler)."""

from cdk_python_coldstart_runtime.lazy import lazy_client

sqs = lazy_client("sqs")  # created on first use, re-created after a SnapStart restore


def handler(event, context):
    return {"processed": len((event or {}).get("Records", []))}
