"""Tests of cdk_python_coldstart_runtime.lazy (run with Python 3.12 by test/profile/lazy-python.test.ts)."""
import importlib
import os
import random
import sys
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE_SNAPSTART = os.path.join(HERE, "fakes", "snapstart")
FAKE_BOTO = os.path.join(HERE, "fakes", "boto")


def fresh_lazy(snapstart):
    """Imports a fresh copy of the lazy module, with or without the fake snapshot_restore_py on sys.path."""
    for name in ["snapshot_restore_py", "cdk_python_coldstart_runtime.lazy"]:
        sys.modules.pop(name, None)
    while FAKE_SNAPSTART in sys.path:
        sys.path.remove(FAKE_SNAPSTART)
    if snapstart:
        sys.path.insert(0, FAKE_SNAPSTART)
    module = importlib.import_module("cdk_python_coldstart_runtime.lazy")
    fake = sys.modules.get("snapshot_restore_py") if snapstart else None
    return module, fake


class LazyValueTest(unittest.TestCase):
    def setUp(self):
        self.lazy_mod, _ = fresh_lazy(snapstart=False)

    def test_package_import_is_cheap(self):
        sys.modules.pop("cdk_python_coldstart_runtime", None)
        pkg = importlib.import_module("cdk_python_coldstart_runtime")
        self.assertIsNotNone(pkg)
        for name in ("boto3", "botocore"):
            self.assertNotIn(name, sys.modules)

    def test_factory_runs_once_under_contention(self):
        calls = []
        threads_n = 32
        barrier = threading.Barrier(threads_n)

        def factory():
            calls.append(threading.get_ident())
            time.sleep(0.05)  # widen the race window: every thread arrives while the first still creates
            return object()

        value = self.lazy_mod.lazy(factory)
        results = []
        errors = []

        def worker():
            try:
                barrier.wait()
                results.append(value.get())
            except Exception as e:  # pragma: no cover
                errors.append(e)

        threads = [threading.Thread(target=worker) for _ in range(threads_n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(calls), 1)
        self.assertEqual(len(results), threads_n)
        self.assertEqual(len({id(r) for r in results}), 1)

    def test_not_created_until_used_and_forwards_attributes(self):
        made = []

        @self.lazy_mod.lazy
        def config():
            made.append(1)
            return {"a": 1}

        self.assertFalse(config.created)
        self.assertEqual(made, [])
        self.assertEqual(config.get()["a"], 1)
        self.assertEqual(config.keys(), {"a": 1}.keys())  # attribute proxy
        self.assertTrue(config.created)
        self.assertEqual(made, [1])

    def test_decorator_with_options(self):
        @self.lazy_mod.lazy(recreate_after_restore=False, name="model")
        def model():
            return [1, 2, 3]

        self.assertFalse(model.recreate_after_restore)
        self.assertEqual(model.name, "model")
        self.assertEqual(model.get(), [1, 2, 3])

    def test_failing_factory_is_retried(self):
        attempts = []

        def flaky():
            attempts.append(1)
            if len(attempts) == 1:
                raise ConnectionError("first try fails")
            return "connected"

        value = self.lazy_mod.lazy(flaky)
        with self.assertRaises(ConnectionError):
            value.get()
        self.assertFalse(value.created)
        self.assertEqual(value.get(), "connected")

    def test_reset_disposes_and_recreates(self):
        disposed = []
        counter = iter(range(100))
        value = self.lazy_mod.lazy(lambda: next(counter), dispose=disposed.append)
        self.assertEqual(value.get(), 0)
        value.reset()
        self.assertEqual(disposed, [0])
        self.assertEqual(value.get(), 1)
        value.reset()
        value.reset()  # nothing to dispose the second time
        self.assertEqual(disposed, [0, 1])

    def test_circular_factory_is_an_error_not_a_deadlock(self):
        holder = {}
        holder["v"] = self.lazy_mod.lazy(lambda: holder["v"].get())
        with self.assertRaisesRegex(RuntimeError, "circular"):
            holder["v"].get()

    def test_private_names_are_not_forwarded(self):
        value = self.lazy_mod.lazy(lambda: {"x": 1})
        with self.assertRaises(AttributeError):
            value.__deepcopy__
        self.assertFalse(value.created)

    def test_no_op_without_snapshot_restore_py(self):
        self.assertNotIn("snapshot_restore_py", sys.modules)
        self.assertFalse(self.lazy_mod.snapstart_hooks_registered())
        counter = iter(range(100))
        value = self.lazy_mod.lazy(lambda: next(counter))
        self.assertEqual(value.get(), 0)
        self.assertEqual(value.get(), 0)
        self.lazy_mod.simulate_restore()  # what unit tests of handler code can call
        self.assertEqual(value.get(), 1)


class SnapStartTest(unittest.TestCase):
    def setUp(self):
        self.lazy_mod, self.fake = fresh_lazy(snapstart=True)

    def tearDown(self):
        fresh_lazy(snapstart=False)

    def test_registers_hooks_with_the_runtime(self):
        self.assertTrue(self.lazy_mod.snapstart_hooks_registered())
        self.assertEqual(len(self.fake.before_snapshot_hooks), 1)
        self.assertEqual(len(self.fake.after_restore_hooks), 1)

    def test_restore_drops_marked_values_keeps_others_and_reseeds_random(self):
        counter = iter(range(100))
        client = self.lazy_mod.lazy(lambda: ("client", next(counter)))
        config = self.lazy_mod.lazy(lambda: ("config", next(counter)), recreate_after_restore=False)
        self.assertEqual(client.get(), ("client", 0))
        self.assertEqual(config.get(), ("config", 1))

        random.seed(1234)  # as if seeded during init: every restored environment would share it
        expected_without_reseed = random.Random(1234).random()
        calls = []
        self.lazy_mod.after_restore(lambda: calls.append("user hook"))

        self.fake.run_after_restore()

        self.assertFalse(client.created)
        self.assertTrue(config.created)
        self.assertEqual(client.get(), ("client", 2))  # re-created on first use after restore
        self.assertEqual(config.get(), ("config", 1))
        self.assertNotEqual(random.random(), expected_without_reseed)
        self.assertEqual(calls, ["user hook"])

    def test_before_snapshot_precreates_marked_values_then_user_hooks(self):
        order = []
        warm = self.lazy_mod.lazy(lambda: order.append("warm") or "warm", create_before_snapshot=True)
        cold = self.lazy_mod.lazy(lambda: order.append("cold") or "cold")
        self.lazy_mod.before_snapshot(lambda: order.append("user hook"))

        self.fake.run_before_snapshot()

        self.assertTrue(warm.created)
        self.assertFalse(cold.created)
        self.assertEqual(order, ["warm", "user hook"])

    def test_failing_precreation_does_not_break_the_snapshot(self):
        def boom():
            raise RuntimeError("no network before snapshot")

        value = self.lazy_mod.lazy(boom, create_before_snapshot=True)
        self.fake.run_before_snapshot()
        self.assertFalse(value.created)


class LazyClientTest(unittest.TestCase):
    def setUp(self):
        for name in list(sys.modules):
            if name.split(".")[0] in ("boto3", "botocore"):
                del sys.modules[name]
        sys.path.insert(0, FAKE_BOTO)
        self.lazy_mod, self.fake = fresh_lazy(snapstart=True)

    def tearDown(self):
        sys.path.remove(FAKE_BOTO)
        for name in list(sys.modules):
            if name.split(".")[0] in ("boto3", "botocore"):
                del sys.modules[name]
        fresh_lazy(snapstart=False)

    def test_boto3_imported_on_first_use_and_client_recreated_with_new_session_after_restore(self):
        s3 = self.lazy_mod.lazy_client("s3", region_name="eu-west-1")
        self.assertNotIn("boto3", sys.modules)
        first = s3.get()
        self.assertIn("boto3", sys.modules)
        self.assertEqual((first.kind, first.service_name, first.kwargs), ("client", "s3", {"region_name": "eu-west-1"}))
        self.assertEqual(s3.list_buckets()["Buckets"], [])

        self.fake.run_after_restore()
        second = s3.get()
        self.assertIsNot(second, first)
        self.assertIsNot(second.core, first.core)  # new session: credentials resolved again
        # the service-model loader (no credentials in it) is shared across sessions
        self.assertIs(second.core.get_component("data_loader"), first.core.get_component("data_loader"))

    def test_lazy_resource(self):
        table = self.lazy_mod.lazy_resource("dynamodb")
        self.assertEqual(table.get().kind, "resource")


if __name__ == "__main__":
    unittest.main()
