"""Fake botocore."""
