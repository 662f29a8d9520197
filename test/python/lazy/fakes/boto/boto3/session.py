class FakeClient(object):
    def __init__(self, kind, service_name, core, kwargs):
        self.kind, self.service_name, self.core, self.kwargs = kind, service_name, core, kwargs

    def list_buckets(self):
        return {"Buckets": [], "via": self.core}


class Session(object):
    def __init__(self, botocore_session=None):
        self.core = botocore_session

    def client(self, service_name, **kwargs):
        return FakeClient("client", service_name, self.core, kwargs)

    def resource(self, service_name, **kwargs):
        return FakeClient("resource", service_name, self.core, kwargs)
