"""A "legacy" function written without this library: the compliance checks explain why it starts slowly."""

import json


def handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"legacy": True})}
