"""Fake boto3 (just what lazy_client uses)."""
from boto3 import session  # noqa: F401
