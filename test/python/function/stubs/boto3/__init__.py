"""Stand-in for boto3: counts clients so tests can see re-creation after restore."""

created = []


def client(service, **kwargs):
    created.append(service)
    return object()
