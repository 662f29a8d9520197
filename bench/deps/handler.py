"""The benchmark's handler module: what a typical Python Lambda imports at init."""
import json  # noqa: F401

import attrs  # noqa: F401
import boto3  # noqa: F401
import boto3.session  # noqa: F401
import botocore.session  # noqa: F401
import certifi  # noqa: F401
import click  # noqa: F401
import dateutil.parser  # noqa: F401
import idna  # noqa: F401
import jmespath  # noqa: F401
import jwt  # noqa: F401
import packaging.version  # noqa: F401
import rich.console  # noqa: F401
import rich.table  # noqa: F401
import s3transfer.manager  # noqa: F401
import typing_extensions  # noqa: F401
import urllib3  # noqa: F401


def handler(event, context):
    return {"ok": True}
