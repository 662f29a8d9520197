"""Fake of the Lambda runtime's snapshot_restore_py: records registered hooks so tests can run them."""
before_snapshot_hooks = []
after_restore_hooks = []


def register_before_snapshot(func, *args, **kwargs):
    before_snapshot_hooks.append((func, args, kwargs))
    return func


def register_after_restore(func, *args, **kwargs):
    after_restore_hooks.append((func, args, kwargs))
    return func


def run_before_snapshot():
    for func, args, kwargs in before_snapshot_hooks:
        func(*args, **kwargs)


def run_after_restore():
    for func, args, kwargs in after_restore_hooks:
        func(*args, **kwargs)
