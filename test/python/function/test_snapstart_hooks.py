"""The example API handler re-creates per-environment state after a SnapStart restore."""

import importlib
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, "..", "..", "..", "examples", "handlers", "api")
# the fake snapshot_restore_py shared with the lazy kit tests, and a boto3 stub
sys.path[:0] = [os.path.join(HERE, "stubs"), os.path.join(HERE, "..", "lazy", "fakes", "snapstart"), EXAMPLE]


class SnapStartHooksTest(unittest.TestCase):
    def test_hooks_registered_at_import_and_state_recreated_after_restore(self):
        import boto3
        import snapshot_restore_py

        index = importlib.import_module("index")
        self.assertEqual(len(snapshot_restore_py.after_restore_hooks), 1)
        self.assertEqual(len(snapshot_restore_py.before_snapshot_hooks), 1)
        before_id, before_client = index.environment_id, index.dynamodb

        snapshot_restore_py.run_before_snapshot()
        snapshot_restore_py.run_after_restore()

        self.assertNotEqual(index.environment_id, before_id)
        self.assertIsNot(index.dynamodb, before_client)
        self.assertEqual(boto3.created, ["dynamodb", "dynamodb"])
        self.assertIn(index.environment_id, index.handler({}, None)["body"])


if __name__ == "__main__":
    unittest.main()
