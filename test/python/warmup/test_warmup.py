import threading
import time
import types
import unittest

import _paths  # noqa: F401

from cdk_python_coldstart_runtime import warmup


def fresh_env():
    warmup._environment_id = None
    warmup._invocations = 0
    warmup._restored = False


class Ctx:
    def __init__(self, custom=None):
        self.client_context = types.SimpleNamespace(custom=custom) if custom is not None else None


class IsWarmupEventTest(unittest.TestCase):
    def test_our_payload(self):
        self.assertTrue(warmup.is_warmup_event({"cdk-python-coldstart": "warmup", "linger_ms": 75}))

    def test_serverless_plugin_payload(self):
        self.assertTrue(warmup.is_warmup_event({"source": "serverless-plugin-warmup"}))

    def test_serverless_plugin_client_context(self):
        self.assertTrue(warmup.is_warmup_event({}, Ctx({"source": "serverless-plugin-warmup"})))

    def test_other_events_are_not_warmups(self):
        for event in [
            None, [], "warmup", 42, {},
            {"cdk-python-coldstart": "other"},
            {"source": "aws.events", "detail-type": "Scheduled Event"},
            {"httpMethod": "GET", "body": "{\"cdk-python-coldstart\": \"warmup\"}"},
        ]:
            self.assertFalse(warmup.is_warmup_event(event, Ctx({"source": "x"})), event)
            self.assertFalse(warmup.is_warmup_event(event, None), event)


class HandleWarmupTest(unittest.TestCase):
    def setUp(self):
        fresh_env()

    def test_report_and_cold_flag(self):
        first = warmup.handle_warmup({"cdk-python-coldstart": "warmup"})
        second = warmup.handle_warmup({"cdk-python-coldstart": "warmup"})
        self.assertEqual(first["warmup"], True)
        self.assertTrue(first["cold"])
        self.assertFalse(second["cold"])
        self.assertEqual(first["environment"], second["environment"])
        self.assertRegex(first["environment"], r"^[0-9a-f]{32}$")

    def test_after_restore_gives_new_identity(self):
        before = warmup.handle_warmup({"cdk-python-coldstart": "warmup"})
        warmup._reset_after_restore()  # what the SnapStart after-restore hook runs
        after = warmup.handle_warmup({"cdk-python-coldstart": "warmup"})
        self.assertNotEqual(before["environment"], after["environment"])
        self.assertTrue(after["cold"])
        self.assertTrue(after["restored"])

    def test_lingers_requested_time(self):
        t = time.monotonic()
        r = warmup.handle_warmup({"cdk-python-coldstart": "warmup", "linger_ms": 120})
        elapsed = (time.monotonic() - t) * 1000
        self.assertGreaterEqual(elapsed, 115)
        self.assertGreaterEqual(r["lingered_ms"], 115)

    def test_linger_is_bounded_and_sanitised(self):
        self.assertEqual(warmup._linger_ms({"cdk-python-coldstart": "warmup", "linger_ms": 10_000}), warmup.MAX_LINGER_MS)
        self.assertEqual(warmup._linger_ms({"cdk-python-coldstart": "warmup", "linger_ms": -5}), 0)
        self.assertEqual(warmup._linger_ms({"cdk-python-coldstart": "warmup", "linger_ms": "100"}), 0)
        self.assertEqual(warmup._linger_ms({"cdk-python-coldstart": "warmup", "linger_ms": True}), 0)
        self.assertEqual(warmup._linger_ms({"cdk-python-coldstart": "warmup", "linger_ms": float("nan")}), 0)
        self.assertEqual(warmup._linger_ms({"cdk-python-coldstart": "warmup"}), 0)
        # serverless-plugin-warmup carries no linger: a short default lets its concurrent calls overlap
        self.assertEqual(warmup._linger_ms({"source": "serverless-plugin-warmup"}), 25)

    def test_concurrent_warmups_overlap(self):
        # N lingering warm-ups started together finish in about one linger, not N: they overlap,
        # which is what makes Lambda serve them from N environments.
        n, linger = 5, 150
        done = []
        threads = [threading.Thread(target=lambda: done.append(
            warmup.handle_warmup({"cdk-python-coldstart": "warmup", "linger_ms": linger}))) for _ in range(n)]
        t = time.monotonic()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        elapsed = (time.monotonic() - t) * 1000
        self.assertEqual(len(done), n)
        self.assertLess(elapsed, linger * 2.5)


class DecoratorTest(unittest.TestCase):
    def setUp(self):
        fresh_env()

    def _handler(self):
        calls = []

        def user(event, context):
            calls.append(event)
            return {"statusCode": 200, "body": "user"}

        return calls, user

    def test_early_return_for_both_payloads(self):
        calls, user = self._handler()
        wrapped = warmup.warmup_aware(user)
        for event in ({"cdk-python-coldstart": "warmup"}, {"source": "serverless-plugin-warmup", "linger_ms": 0}):
            result = wrapped(event, Ctx())
            self.assertEqual(result["warmup"], True)
        self.assertEqual(calls, [])

    def test_decorator_with_parentheses_and_delegation(self):
        calls, user = self._handler()
        wrapped = warmup.warmup_aware()(user)
        self.assertEqual(wrapped({"path": "/"}, Ctx()), {"statusCode": 200, "body": "user"})
        self.assertEqual(calls, [{"path": "/"}])
        self.assertEqual(wrapped.__name__, "user")
        # a real request ran first: the next warm-up is not reported as cold
        self.assertFalse(wrapped({"cdk-python-coldstart": "warmup"}, Ctx())["cold"])

    def test_rejects_non_callable(self):
        with self.assertRaises(TypeError):
            warmup.warmup_aware("index.handler")


if __name__ == "__main__":
    unittest.main()
