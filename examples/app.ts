/**
 * The cdk-python-coldstart showcase: what a team gets from the library, and what the compliance checks say
 * about a stack written without it. `npm run example` synthesizes it and prints a summary.
 */
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NagSuppressions } from 'cdk-nag';
import { ColdStartChecks, ColdStartStrategy, OptimizedPythonFunction } from '../lib';

const app = new cdk.App();
const env = { region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1' };
const handlers = path.join(__dirname, 'handlers');

// --- Built with the library ---------------------------------------------------------------------------
const showcase = new cdk.Stack(app, 'ColdstartShowcase', { env, description: 'cdk-python-coldstart showcase' });

// A latency-sensitive API on SnapStart (the default): boto3 in a precompiled layer, alias "live",
// dashboard and alarms on init/restore duration.
new OptimizedPythonFunction(showcase, 'SnapStartApi', {
  entry: path.join(handlers, 'api'),
});

// An API with steady traffic on auto-scaled provisioned concurrency: more environments before business
// hours, a "prod" alias with PC and a "dev" alias without.
new OptimizedPythonFunction(showcase, 'ProvisionedApi', {
  entry: path.join(handlers, 'api'),
  coldStart: ColdStartStrategy.provisionedConcurrency({
    minCapacity: 2,
    maxCapacity: 10,
    schedules: [
      { name: 'business-hours', schedule: appscaling.Schedule.cron({ weekDay: 'MON-FRI', hour: '7', minute: '45' }), minCapacity: 5 },
      { name: 'night', schedule: appscaling.Schedule.cron({ weekDay: 'MON-FRI', hour: '20', minute: '0' }), minCapacity: 2 },
    ],
  }),
  aliasName: 'prod',
  additionalAliases: [{ aliasName: 'dev' }],
  reservedConcurrentExecutions: 50,
});

// A worker on demand, kept warm by three overlapping invocations every five minutes.
new OptimizedPythonFunction(showcase, 'WarmedWorker', {
  entry: path.join(handlers, 'worker'),
  coldStart: ColdStartStrategy.onDemand(),
  warmup: { concurrency: 3 },
});

// For teams that run cdk-nag's AwsSolutions pack (test/nag runs it on this app): the one reasoned suppression
// (docs/cdk-nag.md). Everything else passes: each function's role may only write to its own log group.
NagSuppressions.addStackSuppressions(showcase, [{
  id: 'AwsSolutions-L1',
  reason: 'Runtimes are pinned to python3.12 on purpose: bytecode is precompiled for that minor version and the '
    + 'dependencies layer is built for it. AwsSolutions-L1 follows the newest runtime CDK knows, so it fails every '
    + 'pinned runtime the day a new one ships; upgrading is a planned change (set runtime), and the ColdStartChecks '
    + 'rule PCS1 flags runtimes that are deprecated or too old for SnapStart.',
}]);

// --- Written without it: what the compliance checks find --------------------------------------------------
const legacy = new cdk.Stack(app, 'LegacyStack', { env, description: 'A stack written without cdk-python-coldstart' });
new lambda.Function(legacy, 'ReportGenerator', {
  runtime: lambda.Runtime.PYTHON_3_12, // python3.10 and 3.11 can no longer be created (deprecated 2026-06-30)
  handler: 'index.handler',
  code: lambda.Code.fromAsset(path.join(handlers, 'legacy')),
  // x86_64 by default, 128 MB, no SnapStart, no alias, plain source without bytecode
});

// Read-only checks on every stack: findings become annotations and JSON/CSV reports in cdk.out.
cdk.Aspects.of(app).add(new ColdStartChecks(), { priority: cdk.AspectPriority.READONLY });

app.synth();
