import json
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

import _paths

USER_MODULE = textwrap.dedent('''
    import time
    INIT_DONE_AT = time.monotonic()
    CALLS = []

    def handler(event, context):
        CALLS.append(event)
        return {"statusCode": 200, "body": "user", "event": event}

    NOT_CALLABLE = 42
''')

# Runs in a fresh interpreter: the wrapper's import-time behaviour is what is under test.
PROBE = textwrap.dedent('''
    import json, sys, time
    before = set(sys.modules)
    import cdk_python_coldstart_runtime.wrapper as w
    user_module = sys.modules.get(sys.argv[1])
    imported_at_init = user_module is not None and sys.argv[1] not in before
    results = [w.handler(json.loads(e), None) for e in sys.argv[2:]]
    print(json.dumps({
        "imported_at_init": imported_at_init,
        "calls": user_module.CALLS if user_module else None,
        "results": results,
    }))
''')


class WrapperTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        os.makedirs(os.path.join(self.tmp.name, "pkg", "sub"))
        for path in ("index.py", os.path.join("pkg", "sub", "mod.py")):
            with open(os.path.join(self.tmp.name, path), "w") as f:
                f.write(USER_MODULE)
        for path in (os.path.join("pkg", "__init__.py"), os.path.join("pkg", "sub", "__init__.py")):
            open(os.path.join(self.tmp.name, path), "w").close()
        with open(os.path.join(self.tmp.name, "broken.py"), "w") as f:
            f.write("import a_dependency_that_is_missing\n\ndef handler(e, c):\n    return 1\n")

    def run_probe(self, spec, module, *events):
        env = dict(os.environ)
        env.pop("CDK_PYTHON_COLDSTART_HANDLER", None)
        if spec is not None:
            env["CDK_PYTHON_COLDSTART_HANDLER"] = spec
        env["PYTHONPATH"] = os.pathsep.join([self.tmp.name, _paths.RUNTIME])
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        return subprocess.run(
            [sys.executable, "-c", PROBE, module] + [json.dumps(e) for e in events],
            cwd=self.tmp.name, env=env, capture_output=True, text=True, timeout=60,
        )

    def ok(self, *args):
        p = self.run_probe(*args)
        self.assertEqual(p.returncode, 0, p.stderr)
        return json.loads(p.stdout)

    def test_imports_user_handler_at_init(self):
        out = self.ok("index.handler", "index")
        self.assertTrue(out["imported_at_init"])
        self.assertEqual(out["calls"], [])

    def test_warmups_short_circuit_and_other_events_are_delegated(self):
        out = self.ok(
            "index.handler", "index",
            {"cdk-python-coldstart": "warmup", "linger_ms": 0},
            {"source": "serverless-plugin-warmup", "linger_ms": 0},
            {"path": "/orders"},
        )
        self.assertEqual(out["calls"], [{"path": "/orders"}])
        self.assertTrue(out["results"][0]["warmup"])
        self.assertTrue(out["results"][0]["cold"])
        self.assertTrue(out["results"][1]["warmup"])
        self.assertEqual(out["results"][2], {"statusCode": 200, "body": "user", "event": {"path": "/orders"}})

    def test_dotted_and_slashed_module_paths(self):
        self.assertTrue(self.ok("pkg.sub.mod.handler", "pkg.sub.mod")["imported_at_init"])
        self.assertTrue(self.ok("pkg/sub/mod.handler", "pkg.sub.mod")["imported_at_init"])

    def assert_init_error(self, spec, *fragments):
        p = self.run_probe(spec, "index")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("WrapperConfigurationError", p.stderr)
        self.assertIn("CDK_PYTHON_COLDSTART_HANDLER", p.stderr)
        for fragment in fragments:
            self.assertIn(fragment, p.stderr)

    def test_missing_variable(self):
        self.assert_init_error(None, "not set")
        self.assert_init_error("  ", "not set")

    def test_malformed_value(self):
        self.assert_init_error("handler", "expected 'module.function'")
        self.assert_init_error("index.", "expected 'module.function'")
        self.assert_init_error("my-module.handler", "expected 'module.function'")

    def test_missing_module_attribute_and_not_callable(self):
        self.assert_init_error("nosuchmodule.handler", "'nosuchmodule' was not found")
        self.assert_init_error("index.nosuch", "has no attribute 'nosuch'")
        self.assert_init_error("index.NOT_CALLABLE", "is not callable")

    def test_self_reference(self):
        self.assert_init_error("cdk_python_coldstart_runtime.wrapper.handler", "itself")

    def test_missing_dependency_of_user_module_is_not_blamed_on_the_variable(self):
        p = self.run_probe("broken.handler", "broken")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("a_dependency_that_is_missing", p.stderr)
        self.assertNotIn("WrapperConfigurationError", p.stderr)


if __name__ == "__main__":
    unittest.main()
