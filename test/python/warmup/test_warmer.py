import io
import json
import threading
import time
import types
import unittest

import _paths  # noqa: F401

import index as warmer

ALIAS = "arn:aws:lambda:us-east-1:123456789012:function:orders:live"


class FakeLambda:
    """Models Lambda's scheduling: an invocation reuses an idle environment or creates one.

    Each invocation runs the real warm-up handler logic (lingering linger_ms) inside its
    environment, and the fake records how many invocations were in flight at once.
    """

    def __init__(self, aware=True, fail_every=None, init_ms=0):
        self.lock = threading.Lock()
        self.idle = []
        self.created = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.calls = []
        self.aware = aware
        self.fail_every = fail_every
        self.init_ms = init_ms

    def invoke(self, FunctionName, InvocationType, Payload):
        event = json.loads(Payload)
        with self.lock:
            self.calls.append({"FunctionName": FunctionName, "InvocationType": InvocationType, "event": event})
            n = len(self.calls)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            if self.idle:
                env, cold = self.idle.pop(), False
            else:
                self.created += 1
                env, cold = "env-%d" % self.created, True
        try:
            if self.fail_every and n % self.fail_every == 0:
                err = Exception("Rate exceeded")
                err.response = {"Error": {"Code": "TooManyRequestsException"}}
                raise err
            if cold and self.init_ms:
                time.sleep(self.init_ms / 1000.0)
            time.sleep(event.get("linger_ms", 0) / 1000.0)
            body = {"warmup": True, "environment": env, "cold": cold} if self.aware else {"statusCode": 200}
            return {"StatusCode": 200, "Payload": io.BytesIO(json.dumps(body).encode())}
        finally:
            with self.lock:
                self.in_flight -= 1
                self.idle.append(env)


ENV = {
    warmer.TARGET_ENV: ALIAS,
    warmer.CONCURRENCY_ENV: "5",
    warmer.PAYLOAD_ENV: json.dumps({"cdk-python-coldstart": "warmup", "linger_ms": 100, "tenant": "a"}),
}


class Ctx:
    def get_remaining_time_in_millis(self):
        return 30_000


class WarmerTest(unittest.TestCase):
    def setUp(self):
        self.env_patch = dict(ENV)
        import os
        self._saved = {k: os.environ.get(k) for k in ENV}
        os.environ.update(self.env_patch)
        self.addCleanup(self._restore_env)

    def _restore_env(self):
        import os
        for k, v in self._saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        warmer.set_client(None)
        warmer.set_http_put(None)

    def test_n_overlapping_invocations_warm_n_environments(self):
        fake = FakeLambda(init_ms=50)
        warmer.set_client(fake)
        report = warmer.handler({"source": "aws.events"}, Ctx())
        self.assertEqual(fake.max_in_flight, 5)
        self.assertEqual(report["requested"], 5)
        self.assertEqual(report["succeeded"], 5)
        self.assertEqual(report["environments"], 5)
        self.assertEqual(report["cold"], 5)
        self.assertEqual(report["errors"], {})
        self.assertEqual(report["hints"], [])
        for call in fake.calls:
            self.assertEqual(call["FunctionName"], ALIAS)
            self.assertEqual(call["InvocationType"], "RequestResponse")
            self.assertEqual(call["event"]["cdk-python-coldstart"], "warmup")
            self.assertEqual(call["event"]["linger_ms"], 100)
            self.assertEqual(call["event"]["tenant"], "a")
        self.assertEqual(sorted(c["event"]["invocation"] for c in fake.calls), [0, 1, 2, 3, 4])
        # second round: the same environments, now warm
        report = warmer.handler({}, Ctx())
        self.assertEqual(report["environments"], 5)
        self.assertEqual(report["cold"], 0)
        self.assertEqual(fake.created, 5)

    def test_without_linger_fewer_environments_are_reported_with_a_hint(self):
        fake = FakeLambda()
        warmer.set_client(fake)
        # Invocations that do not overlap (sequential here) reuse one environment.
        report = warmer.warm(fake, ALIAS, 1, {"cdk-python-coldstart": "warmup"})
        self.assertEqual(report["environments"], 1)
        fake2 = FakeLambda()
        orig = warmer.threading.Barrier

        class NoBarrier:
            def __init__(self, n):
                self.lock = threading.Lock()

            def wait(self, timeout=None):
                with self.lock:  # serialise the starts: no overlap at all
                    time.sleep(0.001)

        warmer.threading.Barrier = NoBarrier
        try:
            serial = warmer.ThreadPoolExecutor
            warmer.ThreadPoolExecutor = lambda max_workers: serial(max_workers=1)
            try:
                report = warmer.warm(fake2, ALIAS, 3, {"cdk-python-coldstart": "warmup", "linger_ms": 0})
            finally:
                warmer.ThreadPoolExecutor = serial
        finally:
            warmer.threading.Barrier = orig
        self.assertEqual(report["environments"], 1)
        self.assertTrue(any("raise lingerMs" in h for h in report["hints"]))

    def test_not_warmup_aware_target_and_throttles_are_reported(self):
        report = warmer.warm(FakeLambda(aware=False), ALIAS, 2, {"cdk-python-coldstart": "warmup", "linger_ms": 10})
        self.assertEqual(report["not_warmup_aware"], 2)
        self.assertTrue(any("warmup_aware" in h for h in report["hints"]))
        report = warmer.warm(FakeLambda(fail_every=2), ALIAS, 4, {"cdk-python-coldstart": "warmup", "linger_ms": 50})
        self.assertEqual(report["errors"], {"TooManyRequestsException": 2})
        self.assertEqual(report["succeeded"], 2)

    def test_config_validation(self):
        good = dict(ENV)
        self.assertEqual(warmer.load_config(good)[1], 5)
        for bad, fragment in [
            ({warmer.TARGET_ENV: ""}, "not set"),
            ({warmer.TARGET_ENV: "arn:aws:lambda:us-east-1:123456789012:function:orders"}, "not an alias ARN"),
            ({warmer.TARGET_ENV: ALIAS.replace(":live", ":$LATEST")}, "not an alias ARN"),
            ({warmer.CONCURRENCY_ENV: "0"}, "between 1 and 50"),
            ({warmer.CONCURRENCY_ENV: "x"}, "integer"),
            ({warmer.PAYLOAD_ENV: "[1]"}, "JSON object"),
        ]:
            env = dict(ENV)
            env.update(bad)
            with self.assertRaises(ValueError) as cm:
                warmer.load_config(env)
            self.assertIn(fragment, str(cm.exception))

    def test_custom_resource_prewarm_always_answers_success(self):
        sent = []
        warmer.set_http_put(lambda url, body: sent.append((url, json.loads(body))))
        fake = FakeLambda()
        warmer.set_client(fake)
        event = {
            "RequestType": "Create", "ResponseURL": "https://example.invalid/r", "StackId": "s",
            "RequestId": "r", "LogicalResourceId": "Prewarm", "ResourceProperties": {},
        }
        warmer.handler(event, Ctx())
        self.assertEqual(len(fake.calls), 5)
        url, body = sent[0]
        self.assertEqual(url, "https://example.invalid/r")
        self.assertEqual(body["Status"], "SUCCESS")
        self.assertEqual(body["Data"]["environments"], 5)
        self.assertEqual(body["PhysicalResourceId"], "cdk-python-coldstart-prewarm:Prewarm")
        # Delete: no invocations, still SUCCESS, physical id kept
        sent.clear()
        warmer.handler(dict(event, RequestType="Delete", PhysicalResourceId="p1"), Ctx())
        self.assertEqual(len(fake.calls), 5)
        self.assertEqual(sent[0][1]["Status"], "SUCCESS")
        self.assertEqual(sent[0][1]["PhysicalResourceId"], "p1")
        # A broken configuration is reported, not raised: the deployment never waits or fails
        sent.clear()
        import os
        os.environ[warmer.TARGET_ENV] = ""
        warmer.handler(dict(event, RequestType="Update", PhysicalResourceId="p1"), Ctx())
        self.assertEqual(sent[0][1]["Status"], "SUCCESS")
        self.assertIn("prewarm failed (ignored)", sent[0][1]["Reason"])

    def test_deadline_stops_waiting(self):
        class Slow(FakeLambda):
            def invoke(self, **kw):
                time.sleep(1.0)
                return super().invoke(**kw)

        class ShortCtx:
            def get_remaining_time_in_millis(self):
                return warmer.SAFETY_MARGIN_MS + 200

        warmer.set_client(Slow())
        t = time.monotonic()
        report = warmer.handler({}, ShortCtx())
        self.assertLess(time.monotonic() - t, 0.9)
        self.assertEqual(report["succeeded"], 0)
        self.assertEqual(sum(report["errors"].values()), 5)


if __name__ == "__main__":
    unittest.main()
