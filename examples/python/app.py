#!/usr/bin/env python3
"""The cdk-python-coldstart showcase, written in Python: the same stacks as ../app.ts.

What a team gets from the library, and what the compliance checks say about a stack written without it.
CI synthesizes both apps and requires identical templates (scripts/compare-templates.js).

    npm run bindings:python     # once: builds dist-bindings/python/venv
    npx cdk synth --app "dist-bindings/python/venv/bin/python examples/python/app.py" --output cdk.out.python
    # or, with examples/python/cdk.json: cd examples/python && npx cdk synth

In your own project the imports are the same after `pip install cdk-python-coldstart aws-cdk-lib`.

Nested structs (the schedules, the additional aliases) are passed as their struct classes, never as
plain dicts: jsii drops the snake_case keys of a dict nested in a list.
"""
import os

import aws_cdk as cdk
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_lambda as lambda_

from cdk_python_coldstart import (
    AliasOptions,
    ColdStartChecks,
    ColdStartDashboard,
    ColdStartStrategy,
    OptimizedPythonFunction,
    ProvisionedConcurrencySchedule,
    WarmupOptions,
)

app = cdk.App()
env = cdk.Environment(region=os.environ.get("CDK_DEFAULT_REGION", "us-east-1"))
handlers = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "handlers")

# --- Built with the library ---------------------------------------------------------------------------
showcase = cdk.Stack(app, "ColdstartShowcase", env=env, description="cdk-python-coldstart showcase")

# One cold-start dashboard for the stack: every function below adds its row (restore or init duration
# against the budget, invocations, duration, PC utilization) and its one alarm to it. Without this line
# the stack still gets one (with a generated name); never one dashboard per function.
ColdStartDashboard(showcase, "ColdStarts", dashboard_name="coldstart-showcase")

# A latency-sensitive API on SnapStart (the default): boto3 in a precompiled layer, alias "live", a
# restore-duration metric filter and alarm (SnapStart logs Restore Duration, not Init Duration).
OptimizedPythonFunction(showcase, "SnapStartApi",
    entry=os.path.join(handlers, "api"),
)

# An API with steady traffic on auto-scaled provisioned concurrency: more environments before business
# hours, a "prod" alias with PC and a "dev" alias without.
OptimizedPythonFunction(showcase, "ProvisionedApi",
    entry=os.path.join(handlers, "api"),
    cold_start=ColdStartStrategy.provisioned_concurrency(
        min_capacity=2,
        max_capacity=10,
        schedules=[
            ProvisionedConcurrencySchedule(
                name="business-hours",
                schedule=appscaling.Schedule.cron(week_day="MON-FRI", hour="7", minute="45"),
                min_capacity=5,
            ),
            ProvisionedConcurrencySchedule(
                name="night",
                schedule=appscaling.Schedule.cron(week_day="MON-FRI", hour="20", minute="0"),
                min_capacity=2,
            ),
        ],
    ),
    alias_name="prod",
    additional_aliases=[AliasOptions(alias_name="dev")],
    reserved_concurrent_executions=50,
)

# A worker on demand, kept warm by three overlapping invocations every five minutes (by the stack's one
# warmer, which would warm every warmed alias of the stack).
OptimizedPythonFunction(showcase, "WarmedWorker",
    entry=os.path.join(handlers, "worker"),
    cold_start=ColdStartStrategy.on_demand(),
    warmup=WarmupOptions(concurrency=3),
)

# For teams that run cdk-nag's AwsSolutions pack (test/nag runs it on the TypeScript app): the one reasoned
# suppression (docs/cdk-nag.md). With cdk-nag's Python package this is
#   NagSuppressions.add_stack_suppressions(showcase, [NagPackSuppression(id="AwsSolutions-L1", reason=...)]);
# the bindings environment has no cdk-nag, so the app writes the same template metadata cdk-nag writes.
showcase.template_options.metadata = {"cdk_nag": {"rules_to_suppress": [{
    "reason": "Runtimes are pinned to python3.12 on purpose: bytecode is precompiled for that minor version and the "
    + "dependencies layer is built for it. AwsSolutions-L1 follows the newest runtime CDK knows, so it fails every "
    + "pinned runtime the day a new one ships; upgrading is a planned change (set runtime), and the ColdStartChecks "
    + "rule PCS1 flags runtimes that are deprecated or too old for SnapStart.",
    "id": "AwsSolutions-L1",
}]}}

# --- Written without it: what the compliance checks find --------------------------------------------------
legacy = cdk.Stack(app, "LegacyStack", env=env, description="A stack written without cdk-python-coldstart")
lambda_.Function(legacy, "ReportGenerator",
    runtime=lambda_.Runtime.PYTHON_3_12,  # python3.10 and 3.11 can no longer be created (deprecated 2026-06-30)
    handler="index.handler",
    code=lambda_.Code.from_asset(os.path.join(handlers, "legacy")),
    # x86_64 by default, 128 MB, no SnapStart, no alias, plain source without bytecode
)

# Read-only checks on every stack: findings become annotations and JSON/CSV reports in cdk.out.
cdk.Aspects.of(app).add(ColdStartChecks(), priority=cdk.AspectPriority.READONLY)

app.synth()
