"""Example API handler: SnapStart-safe module-level state.

Everything created at import time is frozen into the SnapStart snapshot and shared by every restored
execution environment, so per-environment state (IDs, random seeds, clients holding connections and
credentials) is re-created after restore with the runtime's ``snapshot_restore_py`` hooks.
"""

import json
import random
import uuid

import boto3

try:  # ships in the managed python3.12+ runtime; absent locally, where the hooks are never called
    from snapshot_restore_py import register_after_restore, register_before_snapshot
except ImportError:  # pragma: no cover - outside Lambda
    def register_after_restore(func):
        return func

    def register_before_snapshot(func):
        return func


dynamodb = boto3.client("dynamodb", region_name="us-east-1")
environment_id = uuid.uuid4().hex


@register_before_snapshot
def before_snapshot():
    """Runs once, before Lambda takes the snapshot of the initialised environment."""


@register_after_restore
def after_restore():
    """Runs in every restored environment before its first invocation (must finish within 10 s)."""
    global dynamodb, environment_id
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    environment_id = uuid.uuid4().hex
    random.seed()


def handler(event, context):
    return {
        "statusCode": 200,
        "body": json.dumps({"environment": environment_id, "path": (event or {}).get("rawPath", "/")}),
    }
