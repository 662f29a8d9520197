/**
 * Issue 15, "Monitoring per stack, not per function": one ColdStartDashboard per stack (or per app),
 * one metric filter and one alarm per function for the metric its strategy produces.
 */
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  ColdStartDashboard, ColdStartFilterPatterns, ColdStartMonitor, ColdStartQueries, ColdStartStrategy, OptimizedPythonFunction,
  OptimizedPythonFunctionProps,
} from '../../lib';

const ENTRY = path.join(__dirname, '..', 'fixtures', 'function', 'basic');
const ENV = { account: '123456789012', region: 'us-east-1' };

/** Bundling skipped: these tests are about monitoring resources. */
function newApp(): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [] } });
}

function fn(stack: Stack, id: string, props: Partial<OptimizedPythonFunctionProps> = {}): OptimizedPythonFunction {
  return new OptimizedPythonFunction(stack, id, { entry: ENTRY, ...props });
}

/** The dashboard body with every token resolved and joined into one string. */
function bodyOf(stack: Stack, dashboard: cloudwatch.Dashboard): any {
  const cfn = dashboard.node.defaultChild as cloudwatch.CfnDashboard;
  const join = (v: any): string => {
    if (typeof v === 'string') return v;
    if (v['Fn::Join']) return v['Fn::Join'][1].map(join).join(v['Fn::Join'][0]);
    if (v.Ref) return `\${${v.Ref}}`;
    if (v['Fn::GetAtt']) return `\${${v['Fn::GetAtt'].join('.')}}`;
    if (v['Fn::ImportValue']) return `\${import:${JSON.stringify(v['Fn::ImportValue'])}}`;
    throw new Error(`unexpected token ${JSON.stringify(v)}`);
  };
  return JSON.parse(join(stack.resolve(cfn.dashboardBody)));
}

const ofType = (body: any, type: string) => body.widgets.filter((w: any) => w.type === type);

describe('a stack of functions with default monitoring', () => {
  const app = newApp();
  const stack = new Stack(app, 'S', { env: ENV });
  const snap = fn(stack, 'Snap');
  const onDemand = fn(stack, 'OnDemand', { coldStart: ColdStartStrategy.onDemand() });
  const pc = fn(stack, 'Pc', {
    coldStart: ColdStartStrategy.provisionedConcurrency({ minCapacity: 1, maxCapacity: 3 }),
    additionalAliases: [{ aliasName: 'dev' }],
  });
  const t = Template.fromStack(stack);
  const logical = (c: any) => stack.getLogicalId(c.node.defaultChild);

  test('one dashboard for the stack, at <stack>/ColdStartDashboard, shared by every function', () => {
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const shared = ColdStartDashboard.of(stack);
    expect(shared.node.path).toBe('S/ColdStartDashboard');
    expect(snap.coldStartDashboard).toBe(shared);
    expect(onDemand.coldStartDashboard).toBe(shared);
    expect(pc.coldStartDashboard).toBe(shared);
    expect(shared.monitors.map((m) => m.label)).toEqual(['S/Snap', 'S/OnDemand', 'S/Pc']);
    expect(snap.dashboard).toBeUndefined();
  });

  test('SnapStart: one RestoreDuration filter and one restore alarm, no InitDuration', () => {
    const filters = t.findResources('AWS::Logs::MetricFilter', { Properties: { LogGroupName: { Ref: logical(snap.logGroup) } } });
    expect(Object.values(filters).map((f: any) => f.Properties.MetricTransformations[0].MetricName)).toEqual(['RestoreDuration']);
    const pattern = ColdStartFilterPatterns.restoreDuration(lambda.LoggingFormat.TEXT);
    expect(Object.values(filters)[0]).toMatchObject({ Properties: { FilterPattern: pattern } });
    expect(snap.coldStartMonitor!.alarms).toHaveLength(1);
    expect(snap.coldStartMonitor!.coldStartMetricName).toBe('RestoreDuration');
    const alarm = t.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'RestoreDuration' } });
    expect(Object.values(alarm)).toHaveLength(1);
    expect(Object.values(alarm)[0]).toMatchObject({ Properties: { ExtendedStatistic: 'p95', Threshold: 500, TreatMissingData: 'notBreaching' } });
  });

  test('on demand: one InitDuration filter and one init alarm, no RestoreDuration', () => {
    const filters = t.findResources('AWS::Logs::MetricFilter', { Properties: { LogGroupName: { Ref: logical(onDemand.logGroup) } } });
    expect(Object.values(filters).map((f: any) => f.Properties.MetricTransformations[0].MetricName)).toEqual(['InitDuration']);
    expect(onDemand.coldStartMonitor!.alarms.map((a) => (a.node.defaultChild as cloudwatch.CfnAlarm).metricName)).toEqual(['InitDuration']);
  });

  test('provisioned concurrency: init filter and alarm, plus a spillover alarm on the PC alias only', () => {
    const m = pc.coldStartMonitor!;
    expect(m.metricFilter.node.id).toBe('InitDuration');
    expect(m.spilloverAlarms).toHaveLength(1);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ProvisionedConcurrencySpilloverInvocations',
      Dimensions: Match.arrayWith([{ Name: 'Resource', Value: { 'Fn::Join': ['', [{ Ref: logical(pc.function) }, ':live']] } }]),
    });
    t.resourceCountIs('AWS::Logs::MetricFilter', 3);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 4);
  });

  test('the overview lists every alarm and queries every log group once; rows are metrics only', () => {
    const body = bodyOf(stack, ColdStartDashboard.of(stack).dashboard);
    const [status] = ofType(body, 'alarm');
    expect(status.properties.alarms).toHaveLength(4);
    const logWidgets = ofType(body, 'log');
    expect(logWidgets).toHaveLength(1);
    const query: string = logWidgets[0].properties.query;
    for (const f of [snap, onDemand, pc]) {
      expect(query).toContain(`SOURCE '\${${logical(f.logGroup)}}'`);
    }
    expect(query).toContain(ColdStartQueries.coldStartsByLogGroup(lambda.LoggingFormat.TEXT));
    const titles = ofType(body, 'metric').map((w: any) => w.properties.title);
    expect(titles).toEqual([
      'S/Snap: restore duration p50 / p95 / p99 (ms)', 'S/Snap: invocations, errors, throttles', 'S/Snap: duration p95 / p99 (ms), concurrency',
      'S/OnDemand: init duration p50 / p95 / p99 (ms)', 'S/OnDemand: invocations, errors, throttles', 'S/OnDemand: duration p95 / p99 (ms), concurrency',
      'S/Pc: init duration p50 / p95 / p99 (ms)', 'S/Pc: invocations, errors, throttles', 'S/Pc: duration p95 / p99 (ms), concurrency',
      'S/Pc live: PC utilization, spillover',
    ]);
    // widgets never overlap: the overview sits above the first row
    const first = ofType(body, 'metric')[0];
    expect(first.y).toBeGreaterThanOrEqual(logWidgets[0].y + logWidgets[0].height);
  });

  test('the restore graph draws the budget line and reads the RestoreDuration metric', () => {
    const body = bodyOf(stack, ColdStartDashboard.of(stack).dashboard);
    const graph = ofType(body, 'metric').find((w: any) => w.properties.title === 'S/Snap: restore duration p50 / p95 / p99 (ms)');
    expect(graph.properties.annotations.horizontal).toEqual([expect.objectContaining({ value: 500, label: 'Budget' })]);
    expect(graph.properties.metrics[0]).toEqual(expect.arrayContaining([`ColdStart/\${${logical(snap.function)}}`, 'RestoreDuration']));
  });
});

describe('choices', () => {
  test('perFunctionDashboard: the function\'s own InitDurationDashboard, no shared dashboard', () => {
    const stack = new Stack(newApp(), 'S', { env: ENV });
    const f = fn(stack, 'Own', { monitoring: { perFunctionDashboard: true } });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(f.dashboard).toBeDefined();
    expect(f.coldStartDashboard).toBeUndefined();
    expect(stack.node.tryFindChild('ColdStartDashboard')).toBeUndefined();
    t.resourceCountIs('AWS::Logs::MetricFilter', 1); // SnapStart: restore only
  });

  test('dashboardName keeps working: it names the function\'s own dashboard', () => {
    const stack = new Stack(newApp(), 'S', { env: ENV });
    const f = fn(stack, 'Named', { monitoring: { dashboardName: 'orders-cold-starts' } });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'orders-cold-starts' });
    expect(f.dashboard).toBeDefined();
    expect(f.coldStartDashboard).toBeUndefined();
  });

  test('contradictory options fail with what to set', () => {
    const stack = new Stack(newApp(), 'S', { env: ENV });
    expect(() => fn(stack, 'A', { monitoring: { dashboardName: 'x', perFunctionDashboard: false } }))
      .toThrow(/monitoring\.dashboardName.*new ColdStartDashboard\(stack, 'ColdStarts', \{ dashboardName \}\)/);
    const shared = new ColdStartDashboard(stack, 'Other');
    expect(() => fn(stack, 'B', { monitoring: { dashboard: shared, perFunctionDashboard: true } })).toThrow(/monitoring\.dashboard.*keep one/);
  });

  test('enabled: false creates nothing', () => {
    const stack = new Stack(newApp(), 'S', { env: ENV });
    const f = fn(stack, 'Off', { monitoring: { enabled: false } });
    const t = Template.fromStack(stack);
    for (const type of ['AWS::CloudWatch::Dashboard', 'AWS::CloudWatch::Alarm', 'AWS::Logs::MetricFilter']) {
      t.resourceCountIs(type, 0);
    }
    expect(f.coldStartMonitor).toBeUndefined();
  });

  test('a named stack dashboard created before the functions collects them', () => {
    const stack = new Stack(newApp(), 'S', { env: ENV });
    const d = new ColdStartDashboard(stack, 'ColdStarts', { dashboardName: 'svc-cold-starts' });
    fn(stack, 'A');
    fn(stack, 'B');
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    t.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'svc-cold-starts' });
    expect(d.monitors).toHaveLength(2);
    expect(ColdStartDashboard.of(stack)).toBe(d);
  });

  test('one dashboard per app: functions of two stacks report to the monitoring stack through exports', () => {
    const app = newApp();
    const monitoring = new Stack(app, 'Monitoring', { env: ENV });
    const d = new ColdStartDashboard(monitoring, 'ColdStarts', { collectFrom: app });
    const a = new Stack(app, 'A', { env: ENV });
    const b = new Stack(app, 'B', { env: ENV });
    fn(a, 'Fa');
    fn(b, 'Fb', { coldStart: ColdStartStrategy.onDemand() });
    expect(d.monitors.map((m) => m.label)).toEqual(['A/Fa', 'B/Fb']);
    for (const s of [a, b]) {
      const t = Template.fromStack(s);
      t.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
      t.resourceCountIs('AWS::Logs::MetricFilter', 1); // filters and alarms stay with the function
      t.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    }
    Template.fromStack(monitoring).resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(monitoring.resolve((d.dashboard.node.defaultChild as cloudwatch.CfnDashboard).dashboardBody));
    expect(body).toContain('Fn::ImportValue');
  });

  test('a dashboard registered after functions already reported elsewhere fails, saying to create it first', () => {
    const app = newApp();
    const s = new Stack(app, 'S', { env: ENV });
    fn(s, 'Early');
    expect(() => new ColdStartDashboard(s, 'Late', { collectFrom: app })).toThrow(/before the functions/);
    expect(() => new ColdStartDashboard(s, 'Twice')).toThrow(/already has a cold-start dashboard/);
  });

  test('budget, alarm action and additional metrics reach the function\'s monitor and row', () => {
    const stack = new Stack(newApp(), 'S', { env: ENV });
    const extra = new cloudwatch.Metric({ namespace: 'Powertools', metricName: 'ColdStart', statistic: 'Sum' });
    const f = fn(stack, 'F', { monitoring: { initDurationBudget: Duration.millis(900), additionalMetrics: [extra] } });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'RestoreDuration', Threshold: 900 });
    const body = bodyOf(stack, f.coldStartDashboard!.dashboard);
    const more = ofType(body, 'metric').find((w: any) => w.properties.title === 'S/F: More metrics');
    expect(more.properties.metrics[0]).toEqual(expect.arrayContaining(['Powertools', 'ColdStart']));
  });
});

describe('fleet', () => {
  test('60 functions: 1 dashboard, 60 filters, 60 alarms; overview split into queries of at most 50 log groups', () => {
    const stack = new Stack(newApp(), 'S', { env: ENV });
    for (let i = 0; i < 60; i++) {
      fn(stack, `F${i}`);
    }
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    t.resourceCountIs('AWS::Logs::MetricFilter', 60);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 60);
    const body = bodyOf(stack, ColdStartDashboard.of(stack).dashboard);
    const queries = ofType(body, 'log');
    expect(queries.map((q: any) => (q.properties.query.match(/SOURCE '/g) ?? []).length)).toEqual([50, 10]);
    expect(body.widgets.length).toBeLessThanOrEqual(500);
    expect(ofType(body, 'alarm')[0].properties.alarms).toHaveLength(60);
  });

  test('more than 500 widgets fails at synth with the fix', () => {
    const stack = new Stack(newApp(), 'S', { env: ENV });
    const d = new ColdStartDashboard(stack, 'D');
    const lg = logs.LogGroup.fromLogGroupName(stack, 'L', '/aws/lambda/x');
    for (let i = 0; i < 170; i++) {
      const f = lambda.Function.fromFunctionName(stack, `I${i}`, `fn${i}`);
      d.addMonitor(new ColdStartMonitor(stack, `M${i}`, { function: f, logGroup: lg }));
    }
    expect(() => Template.fromStack(stack)).toThrow(/at most 500.*collectFrom/);
  });
});
