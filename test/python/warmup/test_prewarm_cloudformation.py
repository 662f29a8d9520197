"""The prewarm custom resource answers CloudFormation on every path (issue 12).

The real assets/warmer/index.py runs with its real response sender (urllib) against a local HTTP
server on 127.0.0.1 that plays the presigned ResponseURL: create, update (only changed targets),
delete, a throttled target, a bad configuration, a ResponseURL that fails then recovers, one that
is unreachable and one that hangs. Lambda is faked (set_client), as in test_warmer.py.
"""
import http.server
import io
import json
import os
import socket
import threading
import time
import unittest

import _paths  # noqa: F401

import index as warmer

# Never send the local PUTs through a proxy of the machine running the tests.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

A = "arn:aws:lambda:us-east-1:123456789012:function:orders:live"
B = "arn:aws:lambda:us-east-1:123456789012:function:billing:live"


class FakeLambda:
    """Answers warm-up invocations like a warm-up-aware alias; throttles the ARNs in ``throttle``."""

    def __init__(self, throttle=()):
        self.lock = threading.Lock()
        self.calls = []
        self.throttle = set(throttle)
        self.envs = 0

    def invoke(self, FunctionName, InvocationType, Payload):
        event = json.loads(Payload)
        with self.lock:
            self.calls.append((FunctionName, event))
            self.envs += 1
            env = "env-%d" % self.envs
        if FunctionName in self.throttle:
            err = Exception("Rate exceeded")
            err.response = {"Error": {"Code": "TooManyRequestsException"}}
            raise err
        time.sleep(event.get("linger_ms", 0) / 1000.0)
        body = {"warmup": True, "environment": env, "cold": True}
        return {"StatusCode": 200, "Payload": io.BytesIO(json.dumps(body).encode())}


class ResponseServer:
    """A local ResponseURL: records each PUT; answers ``fail_first`` PUTs with 500, or hangs."""

    def __init__(self, fail_first=0, hang_s=0.0):
        self.puts = []
        self.attempts = 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PUT(self):
                outer.attempts += 1
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                if hang_s:
                    time.sleep(hang_s)
                if outer.attempts <= fail_first:
                    self.send_response(500)
                    self.end_headers()
                    return
                outer.puts.append({"path": self.path, "headers": dict(self.headers), "body": json.loads(body)})
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = "http://127.0.0.1:%d/cfn-response?X-Amz-Signature=secret" % self.httpd.server_address[1]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Ctx:
    def __init__(self, remaining_ms=30_000):
        self.end = time.monotonic() + remaining_ms / 1000.0

    def get_remaining_time_in_millis(self):
        return int((self.end - time.monotonic()) * 1000)


def target(arn, n, version, linger=10):
    # CloudFormation passes every scalar of ResourceProperties as a string.
    return {"arn": arn, "n": str(n), "l": str(linger), "p": json.dumps({"tenant": "t"}), "v": str(version)}


def cfn_event(request_type, url, targets, old_targets=None, physical=None):
    event = {
        "RequestType": request_type, "ResponseURL": url, "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1",
        "RequestId": "req-1", "LogicalResourceId": "Prewarm", "ResourceType": "Custom::ColdstartPrewarm",
        "ResourceProperties": {"ServiceToken": "arn:warmer", "Targets": targets},
    }
    if old_targets is not None:
        event["OldResourceProperties"] = {"ServiceToken": "arn:warmer", "Targets": old_targets}
    if physical:
        event["PhysicalResourceId"] = physical
    return event


class PrewarmCustomResourceTest(unittest.TestCase):
    def setUp(self):
        self.fake = FakeLambda()
        warmer.set_client(self.fake)
        warmer.set_http_put(None)  # the real urllib sender
        self.addCleanup(warmer.set_client, None)

    def serve(self, **kw):
        server = ResponseServer(**kw)
        self.addCleanup(server.close)
        return server

    def test_create_warms_every_target_and_answers_success(self):
        server = self.serve()
        data = warmer.handler(cfn_event("Create", server.url, [target(A, 2, 1), target(B, 3, 1)]), Ctx())
        self.assertEqual(len(server.puts), 1)
        put = server.puts[0]
        self.assertTrue(put["path"].startswith("/cfn-response"))
        self.assertEqual(put["headers"].get("Content-Type", ""), "")
        body = put["body"]
        self.assertEqual(body["Status"], "SUCCESS")
        self.assertEqual((body["RequestId"], body["LogicalResourceId"]), ("req-1", "Prewarm"))
        self.assertEqual(body["PhysicalResourceId"], "cdk-python-coldstart-prewarm:Prewarm")
        self.assertEqual(body["Data"], {"targets": 2, "requested": 5, "succeeded": 5, "environments": 5, "cold": 5})
        self.assertEqual(data["succeeded"], 5)
        arns = sorted(c[0] for c in self.fake.calls)
        self.assertEqual(arns, sorted([A, A, B, B, B]))
        for _, ev in self.fake.calls:
            self.assertEqual(ev["cdk-python-coldstart"], "warmup")
            self.assertEqual(ev["linger_ms"], 10)
            self.assertEqual(ev["tenant"], "t")

    def test_update_warms_only_the_targets_that_changed(self):
        server = self.serve()
        old = [target(A, 2, 1), target(B, 3, 1)]
        new = [target(A, 2, 2), target(B, 3, 1)]  # A got a new version, B did not change
        warmer.handler(cfn_event("Update", server.url, new, old, physical="p-1"), Ctx())
        self.assertEqual(sorted(c[0] for c in self.fake.calls), [A, A])
        body = server.puts[0]["body"]
        self.assertEqual(body["Status"], "SUCCESS")
        self.assertEqual(body["PhysicalResourceId"], "p-1")
        self.assertEqual(body["Data"]["targets"], 1)

    def test_delete_invokes_nothing_and_answers_success(self):
        server = self.serve()
        warmer.handler(cfn_event("Delete", server.url, [target(A, 2, 1)], physical="p-1"), Ctx())
        self.assertEqual(self.fake.calls, [])
        body = server.puts[0]["body"]
        self.assertEqual((body["Status"], body["PhysicalResourceId"]), ("SUCCESS", "p-1"))

    def test_a_throttled_target_is_reported_and_never_fails_the_deployment(self):
        self.fake.throttle = {B}
        server = self.serve()
        warmer.handler(cfn_event("Create", server.url, [target(A, 2, 1), target(B, 3, 1)]), Ctx())
        body = server.puts[0]["body"]
        self.assertEqual(body["Status"], "SUCCESS")
        self.assertEqual(body["Data"]["requested"], 5)
        self.assertEqual(body["Data"]["succeeded"], 2)

    def test_a_broken_configuration_still_answers(self):
        server = self.serve()
        bad = [{"arn": "arn:aws:lambda:us-east-1:123456789012:function:orders", "n": "2"}]  # unqualified: $LATEST
        warmer.handler(cfn_event("Create", server.url, bad), Ctx())
        body = server.puts[0]["body"]
        self.assertEqual(body["Status"], "SUCCESS")
        self.assertIn("prewarm failed (ignored)", body["Reason"])
        self.assertIn("not an alias ARN", body["Reason"])
        self.assertEqual(self.fake.calls, [])

    def test_the_response_put_is_retried_until_the_url_answers(self):
        server = self.serve(fail_first=2)
        warmer.handler(cfn_event("Create", server.url, [target(A, 1, 1)]), Ctx())
        self.assertEqual(server.attempts, 3)
        self.assertEqual(len(server.puts), 1)
        self.assertEqual(server.puts[0]["body"]["Status"], "SUCCESS")

    def test_an_unreachable_response_url_gives_up_before_the_function_times_out(self):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sock.close()  # nothing listens on this port any more
        saved = warmer.RESPONSE_RESERVE_MS
        warmer.RESPONSE_RESERVE_MS = 1500  # warm for 1 s, then retry the PUT for the rest
        self.addCleanup(setattr, warmer, "RESPONSE_RESERVE_MS", saved)
        ctx = Ctx(remaining_ms=2500)
        started = time.monotonic()
        data = warmer.handler(cfn_event("Create", "http://127.0.0.1:%d/r" % port, [target(A, 1, 1)]), ctx)
        elapsed = time.monotonic() - started
        self.assertEqual(data["succeeded"], 1)  # the warm-up itself ran
        self.assertGreater(elapsed, 1.5)  # kept retrying while there was time
        self.assertLess(elapsed, 2.5 - warmer.RESPONSE_FINAL_MARGIN_MS / 1000.0 + 0.3)
        self.assertGreater(ctx.get_remaining_time_in_millis(), 0)

    def test_a_hanging_response_url_is_abandoned_within_the_function_time(self):
        server = self.serve(hang_s=5)
        ctx = Ctx(remaining_ms=1500)
        started = time.monotonic()
        warmer.handler(cfn_event("Delete", server.url, []), ctx)
        self.assertLess(time.monotonic() - started, 1.5)
        self.assertGreater(ctx.get_remaining_time_in_millis(), 0)

    def test_warm_up_leaves_time_for_the_response(self):
        class Slow(FakeLambda):
            def invoke(self, **kw):
                time.sleep(3)
                return super().invoke(**kw)

        warmer.set_client(Slow())
        server = self.serve()
        ctx = Ctx(remaining_ms=warmer.RESPONSE_RESERVE_MS + 1000)
        warmer.handler(cfn_event("Create", server.url, [target(A, 2, 1)]), ctx)
        self.assertEqual(server.puts[0]["body"]["Status"], "SUCCESS")
        self.assertGreater(ctx.get_remaining_time_in_millis(), warmer.RESPONSE_FINAL_MARGIN_MS)

    def test_alias_warmer_prewarm_from_the_environment_over_http(self):
        saved = {k: os.environ.get(k) for k in (warmer.TARGET_ENV, warmer.CONCURRENCY_ENV, warmer.PAYLOAD_ENV)}
        os.environ.update({warmer.TARGET_ENV: A, warmer.CONCURRENCY_ENV: "2",
                           warmer.PAYLOAD_ENV: json.dumps({"cdk-python-coldstart": "warmup", "linger_ms": 5})})

        def restore():
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        self.addCleanup(restore)
        server = self.serve()
        event = cfn_event("Create", server.url, None)
        del event["ResourceProperties"]["Targets"]
        warmer.handler(event, Ctx())
        self.assertEqual(server.puts[0]["body"]["Data"]["environments"], 2)


class StackWarmerScheduleTest(unittest.TestCase):
    def setUp(self):
        self.fake = FakeLambda()
        warmer.set_client(self.fake)
        self.addCleanup(warmer.set_client, None)

    def test_targets_in_the_event_each_with_its_own_concurrency_and_payload(self):
        event = {warmer.TARGETS_KEY: warmer.TARGETS_VALUE, "targets": [
            {"arn": A, "n": 3, "l": 20},
            {"arn": B, "n": 1, "l": 0, "p": {"route": "/bill"}},
        ]}
        report = warmer.handler(event, Ctx())
        self.assertEqual(report["targets"], 2)
        self.assertEqual(report["requested"], 4)
        self.assertEqual(report["succeeded"], 4)
        by = {}
        for arn, ev in self.fake.calls:
            by.setdefault(arn, []).append(ev)
        self.assertEqual(len(by[A]), 3)
        self.assertEqual(len(by[B]), 1)
        self.assertEqual(by[A][0]["linger_ms"], 20)
        self.assertNotIn("route", by[A][0])
        self.assertEqual(by[B][0]["route"], "/bill")

    def test_waves_bound_the_invocations_in_flight(self):
        targets = [("arn:aws:lambda:us-east-1:123456789012:function:f%d:live" % i, 50, {}) for i in range(5)]
        waves = list(warmer._waves(targets))
        self.assertEqual([sum(t[1] for t in w) for w in waves], [100, 100, 50])

    def test_bad_targets_are_rejected_with_their_index(self):
        for bad, fragment in [
            ([{"arn": A, "n": 0}], "targets[0].n"),
            ([{"arn": A}, {"arn": A + ":$LATEST"}], "targets[1].arn"),
            ([{"arn": A, "l": 5000}], "targets[0].l"),
            ([{"arn": A, "p": "[1]"}], "targets[0].p"),
        ]:
            with self.assertRaises(ValueError) as cm:
                warmer.parse_targets(bad)
            self.assertIn(fragment, str(cm.exception))


if __name__ == "__main__":
    unittest.main()
