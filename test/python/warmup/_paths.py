"""Puts the runtime kit and the warmer on sys.path for these tests."""
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
RUNTIME = os.path.join(ROOT, "assets", "runtime")
WARMER = os.path.join(ROOT, "assets", "warmer")
for p in (RUNTIME, WARMER):
    if p not in sys.path:
        sys.path.insert(0, p)
