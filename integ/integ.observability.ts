// Integ test for the observability area: a plain Python 3.12 arm64 function with its own log group
// and an alias with provisioned concurrency, watched by InitDurationDashboard, and a SnapStart function
// with one ColdStartMonitor (one RestoreDuration filter, one alarm) on a shared ColdStartDashboard. Deployed, it checks
// that the dashboard and alarms exist and that CloudWatch Logs itself (TestMetricFilter) matches
// the shipped filter patterns against real-shaped REPORT lines from test/fixtures/observability.
import * as fs from 'fs';
import * as path from 'path';
import * as integ from '@aws-cdk/integ-tests-alpha';
import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ColdStartDashboard, ColdStartFilterPatterns, ColdStartMonitor, InitDurationDashboard } from '../lib/observability';

const DASHBOARD_NAME = 'integ-observability-cold-starts';
const FIXTURES = path.join(__dirname, '..', 'test', 'fixtures', 'observability');
const lines = (file: string) => fs.readFileSync(path.join(FIXTURES, file), 'utf-8').split('\n').filter((l) => l !== '');
const expected: Record<string, Array<{ kind: string }>> = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expected.json'), 'utf-8'));

const app = new cdk.App();
const stack = new cdk.Stack(app, 'ObservabilityStack');

const logGroup = new logs.LogGroup(stack, 'Logs', {
  retention: logs.RetentionDays.ONE_WEEK,
  removalPolicy: cdk.RemovalPolicy.DESTROY,
});
const fn = new lambda.Function(stack, 'Fn', {
  runtime: lambda.Runtime.PYTHON_3_12,
  architecture: lambda.Architecture.ARM_64,
  handler: 'index.handler',
  code: lambda.Code.fromInline('def handler(event, context):\n    return {"ok": True}\n'),
  logGroup,
});
const live = new lambda.Alias(stack, 'Live', {
  aliasName: 'live',
  version: fn.currentVersion,
  provisionedConcurrentExecutions: 1,
});

const dashboard = new InitDurationDashboard(stack, 'ColdStarts', {
  dashboardName: DASHBOARD_NAME,
  functions: [{ function: fn, aliases: [{ alias: live, provisionedConcurrency: true }], label: 'Integ function' }],
});

const SHARED_DASHBOARD_NAME = 'integ-observability-shared';
const shared = new ColdStartDashboard(stack, 'Shared', { dashboardName: SHARED_DASHBOARD_NAME });
const snapLogs = new logs.LogGroup(stack, 'SnapLogs', { retention: logs.RetentionDays.ONE_WEEK, removalPolicy: cdk.RemovalPolicy.DESTROY });
const snapFn = new lambda.Function(stack, 'SnapFn', {
  runtime: lambda.Runtime.PYTHON_3_12,
  architecture: lambda.Architecture.ARM_64,
  handler: 'index.handler',
  code: lambda.Code.fromInline('def handler(event, context):\n    return {"ok": True}\n'),
  logGroup: snapLogs,
  snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS,
});
const snapLive = new lambda.Alias(stack, 'SnapLive', { aliasName: 'live', version: snapFn.currentVersion });
const monitor = new ColdStartMonitor(stack, 'SnapMonitor', {
  function: snapFn, logGroup: snapLogs, snapStart: true, aliases: [{ alias: snapLive }], label: 'SnapStart function',
});
shared.addMonitor(monitor);

const test = new integ.IntegTest(app, 'Observability', { testCases: [stack] });

test.assertions.awsApiCall('CloudWatch', 'describeAlarms', { AlarmNames: monitor.alarms.map((a) => a.alarmName) }).expect(
  integ.ExpectedResult.objectLike({
    MetricAlarms: [integ.Match.objectLike({ MetricName: 'RestoreDuration', ExtendedStatistic: 'p95', Threshold: 500 })],
  }),
);
test.assertions.awsApiCall('CloudWatch', 'getDashboard', { DashboardName: SHARED_DASHBOARD_NAME }).expect(
  integ.ExpectedResult.objectLike({ DashboardBody: integ.Match.stringLikeRegexp('RestoreDuration') }),
);

test.assertions.awsApiCall('CloudWatch', 'getDashboard', { DashboardName: DASHBOARD_NAME }).expect(
  integ.ExpectedResult.objectLike({
    DashboardName: DASHBOARD_NAME,
    DashboardBody: integ.Match.stringLikeRegexp('@initDuration'),
  }),
);

test.assertions.awsApiCall('CloudWatch', 'describeAlarms', {
  AlarmNames: dashboard.alarms.map((a) => a.alarmName),
}).expect(integ.ExpectedResult.objectLike({
  MetricAlarms: integ.Match.arrayWith([
    integ.Match.objectLike({ MetricName: 'InitDuration', ExtendedStatistic: 'p95', Threshold: 500 }),
    integ.Match.objectLike({ MetricName: 'ProvisionedConcurrencySpilloverInvocations', Threshold: 0 }),
  ]),
}));

// CloudWatch Logs evaluates our patterns itself: every cold-start line must match.
for (const [file, format] of [['report-text.log', lambda.LoggingFormat.TEXT], ['report-json.log', lambda.LoggingFormat.JSON]] as const) {
  const events = lines(file);
  const cold = events.filter((_, i) => expected[file][i].kind === 'cold');
  test.assertions.awsApiCall('CloudWatchLogs', 'testMetricFilter', {
    filterPattern: ColdStartFilterPatterns.initDuration(format),
    logEventMessages: events,
  }).expect(integ.ExpectedResult.objectLike({
    matches: integ.Match.arrayWith(cold.map((eventMessage) => integ.Match.objectLike({ eventMessage }))),
  }));
}

test.assertions.invokeFunction({ functionName: live.functionArn }).expect(
  integ.ExpectedResult.objectLike({ StatusCode: 200 }),
);

app.synth();
