import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  ColdStartFilterPatterns, ColdStartMetricFilters, ColdStartMetrics, ColdStartQueries, DashboardFunction, InitDurationDashboard,
} from '../../lib/observability';

function newStack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'us-east-1' } });
}

function pyFunction(stack: Stack, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.PYTHON_3_12,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: lambda.Code.fromInline('def handler(event, context):\n    return {}\n'),
    functionName: id.toLowerCase(),
    ...props,
  });
}

/** An imported function whose name is known at synth time. */
function imported(stack: Stack, id: string, name: string): lambda.IFunction {
  return lambda.Function.fromFunctionArn(stack, id, `arn:aws:lambda:us-east-1:123456789012:function:${name}`);
}

/** The dashboard body with every token resolved and joined into one string. */
function dashboardBody(stack: Stack): any {
  const dashboards = Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard');
  const [resource] = Object.values(dashboards) as any[];
  const body = stack.resolve(resource.Properties.DashboardBody);
  const join = (v: any): string => {
    if (typeof v === 'string') return v;
    if (v['Fn::Join']) return v['Fn::Join'][1].map(join).join(v['Fn::Join'][0]);
    if (v.Ref) return `\${${v.Ref}}`;
    if (v['Fn::GetAtt']) return `\${${v['Fn::GetAtt'].join('.')}}`;
    throw new Error(`unexpected token ${JSON.stringify(v)}`);
  };
  return JSON.parse(join(body));
}

function widgetsOf(body: any, type: string): any[] {
  return body.widgets.filter((w: any) => w.type === type);
}

describe('one text-format function with an explicit log group and a PC alias', () => {
  const stack = newStack();
  const logGroup = new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.ONE_WEEK });
  const fn = pyFunction(stack, 'Orders', { logGroup });
  const live = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion, provisionedConcurrentExecutions: 2 });
  const topic = new sns.Topic(stack, 'Alerts');
  const d = new InitDurationDashboard(stack, 'ColdStarts', {
    dashboardName: 'orders-cold-starts',
    functions: [{ function: fn, aliases: [{ alias: live, provisionedConcurrency: true }] }],
    alarmAction: new cw_actions.SnsAction(topic),
  });
  const template = Template.fromStack(stack);
  const body = dashboardBody(stack);
  const logGroupRef = `\${${stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup)}}`;
  const fnRef = `\${${stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction)}}`;

  test('dashboard name and one Logs Insights widget per query, on the function log group', () => {
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'orders-cold-starts' });
    const queries = widgetsOf(body, 'log').map((w) => w.properties.query);
    const expected = [
      ColdStartQueries.coldStartsOverTime(lambda.LoggingFormat.TEXT),
      ColdStartQueries.coldStartRatio(lambda.LoggingFormat.TEXT),
      ColdStartQueries.initDurationPercentiles(lambda.LoggingFormat.TEXT),
      ColdStartQueries.totalColdStartLatency(lambda.LoggingFormat.TEXT),
    ].map((q) => `SOURCE '${logGroupRef}' | ${q}`);
    expect(queries).toEqual(expected);
    expect(queries.join('\n')).not.toContain('"INIT"');
    expect(queries.join('\n')).toContain('@initDuration');
  });

  test('AWS/Lambda metric widgets for the function', () => {
    const metrics = widgetsOf(body, 'metric').flatMap((w) => w.properties.metrics);
    for (const name of ['Invocations', 'Errors', 'Throttles', 'Duration', 'ConcurrentExecutions']) {
      expect(metrics).toContainEqual(expect.arrayContaining(['AWS/Lambda', name, 'FunctionName', fnRef]));
    }
    const durationStats = metrics.filter((m: any[]) => m[1] === 'Duration' && m.length === 5).map((m: any[]) => m[4].stat);
    expect(durationStats).toEqual(['p50', 'p95', 'p99']);
  });

  test('per-alias provisioned-concurrency widgets use the Resource dimension fn:alias', () => {
    const metrics = widgetsOf(body, 'metric').flatMap((w) => w.properties.metrics);
    for (const name of ['ProvisionedConcurrencyUtilization', 'ProvisionedConcurrencySpilloverInvocations',
      'ProvisionedConcurrentExecutions', 'ProvisionedConcurrencyInvocations']) {
      expect(metrics).toContainEqual(expect.arrayContaining(['AWS/Lambda', name, 'FunctionName', fnRef, 'Resource', `${fnRef}:live`]));
    }
  });

  test('init duration metric filter: text pattern, value, namespace, unit', () => {
    template.resourceCountIs('AWS::Logs::MetricFilter', 1);
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup) },
      FilterPattern: ColdStartFilterPatterns.initDuration(lambda.LoggingFormat.TEXT),
      MetricTransformations: [{
        MetricName: 'InitDuration',
        MetricNamespace: { 'Fn::Join': ['', ['ColdStart/', { Ref: stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction) }]] },
        MetricValue: '$init_duration',
        Unit: 'Milliseconds',
      }],
    });
    const [filter] = Object.values(template.findResources('AWS::Logs::MetricFilter')) as any[];
    expect(filter.Properties.MetricTransformations[0].DefaultValue).toBeUndefined();
    expect(filter.Properties.MetricTransformations[0].Dimensions).toBeUndefined();
  });

  test('init duration metric graph reads the metric-filter metric with the budget line', () => {
    const graph = widgetsOf(body, 'metric').find((w) => /Init duration/.test(w.properties.title));
    expect(graph.properties.metrics).toContainEqual(expect.arrayContaining([`ColdStart/${fnRef}`, 'InitDuration']));
    expect(graph.properties.annotations.horizontal).toEqual([expect.objectContaining({ value: 500, label: 'Budget' })]);
  });

  test('alarms: init p95 above 500 ms, spillover above 0, both with the action and notBreaching', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'InitDuration',
      Namespace: { 'Fn::Join': ['', ['ColdStart/', { Ref: stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction) }]] },
      ExtendedStatistic: 'p95',
      Threshold: 500,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      Period: 300,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ProvisionedConcurrencySpilloverInvocations',
      Namespace: 'AWS/Lambda',
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      Dimensions: Match.arrayWith([{ Name: 'Resource', Value: { 'Fn::Join': ['', [{ Ref: stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction) }, ':live']] } }]),
      AlarmActions: Match.anyValue(),
    });
    expect(d.alarms).toHaveLength(2);
    expect(d.initDurationAlarms).toHaveLength(1);
    expect(d.spilloverAlarms).toHaveLength(1);
    expect(d.restoreDurationAlarms).toHaveLength(0);
    expect(widgetsOf(body, 'alarm')).toHaveLength(1);
  });

  test('widgets() returns rows that drop into another dashboard', () => {
    const other = new cloudwatch.Dashboard(stack, 'Other');
    for (const row of d.widgets()) other.addWidgets(row);
    expect(d.widgets().length).toBeGreaterThan(3);
    expect(d.widgets().every((w) => w.width <= 24)).toBe(true);
  });
});

describe('log format and SnapStart', () => {
  test('JSON log format read from the function: JSON filter pattern and platform.report queries', () => {
    const stack = newStack();
    const fn = pyFunction(stack, 'Api', { logGroup: new logs.LogGroup(stack, 'Logs'), loggingFormat: lambda.LoggingFormat.JSON });
    new InitDurationDashboard(stack, 'D', { functions: [{ function: fn }] });
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.type = "platform.report" && $.record.metrics.initDurationMs > 0 }',
      MetricTransformations: [Match.objectLike({ MetricValue: '$.record.metrics.initDurationMs' })],
    });
    const queries = widgetsOf(dashboardBody(stack), 'log').map((w) => w.properties.query).join('\n');
    expect(queries).toContain('filter type = "platform.report"');
    expect(queries).toContain('record.metrics.initDurationMs');
    expect(queries).not.toContain('@initDuration');
  });

  // SnapStart REPORT lines carry Restore Duration and no Init Duration (init runs at publish time):
  // an init-duration filter and alarm on them never see a data point (issue 15: one filter, one alarm).
  test('SnapStart read from the function: restore filter, restore alarm, restore widgets, nothing for init', () => {
    const stack = newStack();
    const fn = pyFunction(stack, 'Snap', { logGroup: new logs.LogGroup(stack, 'Logs'), snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS });
    const d = new InitDurationDashboard(stack, 'D', { functions: [{ function: fn }], initDurationBudget: Duration.millis(800) });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Logs::MetricFilter', 1);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    t.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: ColdStartFilterPatterns.restoreDuration(lambda.LoggingFormat.TEXT),
      MetricTransformations: [Match.objectLike({ MetricName: 'RestoreDuration', MetricValue: '$restore_duration', Unit: 'Milliseconds' })],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'RestoreDuration', ExtendedStatistic: 'p95', Threshold: 800 });
    expect(d.restoreDurationAlarms).toHaveLength(1);
    expect(d.initDurationAlarms).toHaveLength(0);
    const graphs = widgetsOf(dashboardBody(stack), 'metric').map((w) => w.properties.title);
    expect(graphs).toContain('Restore duration p50 / p95 / p99 (ms, metric filter)');
    expect(graphs.filter((g: string) => /^Init duration/.test(g))).toEqual([]);
    const queries = widgetsOf(dashboardBody(stack), 'log').map((w) => w.properties.query).join('\n');
    expect(queries).toContain('parse @message /Restore Duration: (?<restoreDuration>.*?) ms/');
    expect(queries).toContain(ColdStartQueries.restoreDurationPercentiles(lambda.LoggingFormat.TEXT));
  });

  test('explicit props win over what the function says', () => {
    const stack = newStack();
    const fn = pyFunction(stack, 'Snap', { logGroup: new logs.LogGroup(stack, 'Logs'), snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS });
    new InitDurationDashboard(stack, 'D', { functions: [{ function: fn, snapStart: false, logFormat: lambda.LoggingFormat.JSON }] });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Logs::MetricFilter', 1);
    t.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: ColdStartFilterPatterns.initDuration(lambda.LoggingFormat.JSON) });
  });
});

describe('imported functions and several functions', () => {
  test('imported function with an explicit log group and a non-PC alias', () => {
    const stack = newStack();
    const fn = imported(stack, 'Legacy', 'legacy-fn');
    const alias = lambda.Alias.fromAliasAttributes(stack, 'Prod', { aliasName: 'prod', aliasVersion: lambda.Version.fromVersionArn(stack, 'V', 'arn:aws:lambda:us-east-1:123456789012:function:legacy-fn:3') });
    const d = new InitDurationDashboard(stack, 'D', {
      functions: [{ function: fn, logGroup: logs.LogGroup.fromLogGroupName(stack, 'L', '/aws/lambda/legacy-fn'), aliases: [{ alias }], label: 'Legacy' }],
    });
    const body = dashboardBody(stack);
    expect(widgetsOf(body, 'log')[0].properties.query).toContain("SOURCE '/aws/lambda/legacy-fn'");
    const metrics = widgetsOf(body, 'metric').flatMap((w) => w.properties.metrics);
    expect(metrics).toContainEqual(expect.arrayContaining(['AWS/Lambda', 'Invocations', 'FunctionName', 'legacy-fn', 'Resource', 'legacy-fn:prod']));
    expect(metrics.some((m: any[]) => m.includes('ProvisionedConcurrencyUtilization'))).toBe(false);
    expect(d.spilloverAlarms).toHaveLength(0);
    expect(widgetsOf(body, 'text')[1].properties.markdown).toContain('## Legacy');
  });

  test('several functions: overview query per log format over all their log groups', () => {
    const stack = newStack();
    const functions: DashboardFunction[] = ['A', 'B', 'C'].map((n) => ({
      function: imported(stack, n, `fn-${n}`),
      logGroup: logs.LogGroup.fromLogGroupName(stack, `L${n}`, `/aws/lambda/fn-${n}`),
      logFormat: n === 'C' ? lambda.LoggingFormat.JSON : lambda.LoggingFormat.TEXT,
    }));
    new InitDurationDashboard(stack, 'D', { functions });
    const overview = widgetsOf(dashboardBody(stack), 'log').filter((w) => /by log group/.test(w.properties.title));
    expect(overview).toHaveLength(1);
    expect(overview[0].properties.query).toBe(
      `SOURCE '/aws/lambda/fn-A' | SOURCE '/aws/lambda/fn-B' | ${ColdStartQueries.coldStartsByLogGroup(lambda.LoggingFormat.TEXT)}`);
    Template.fromStack(stack).resourceCountIs('AWS::Logs::MetricFilter', 3);
  });

  test('createMetricFilters: false keeps the queries, drops filters and duration alarms', () => {
    const stack = newStack();
    const fn = pyFunction(stack, 'F', { logGroup: new logs.LogGroup(stack, 'Logs') });
    const d = new InitDurationDashboard(stack, 'D', { functions: [{ function: fn }], createMetricFilters: false });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Logs::MetricFilter', 0);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(d.alarms).toEqual([]);
    expect(widgetsOf(dashboardBody(stack), 'log').length).toBe(4);
  });

  test('createAlarms: false creates no alarm', () => {
    const stack = newStack();
    const fn = pyFunction(stack, 'F', { logGroup: new logs.LogGroup(stack, 'Logs') });
    new InitDurationDashboard(stack, 'D', { functions: [{ function: fn }], createAlarms: false });
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
    Template.fromStack(stack).resourceCountIs('AWS::Logs::MetricFilter', 1);
  });

  test('a function created with logRetention uses its pre-created log group', () => {
    const stack = newStack();
    const fn = pyFunction(stack, 'F', { logRetention: logs.RetentionDays.ONE_WEEK });
    new InitDurationDashboard(stack, 'D', { functions: [{ function: fn }] });
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FLogRetention'), 'LogGroupName'] },
    });
  });
});

describe('bad input', () => {
  test('zero budget', () => {
    const stack = newStack();
    const fn = pyFunction(stack, 'F', { logGroup: new logs.LogGroup(stack, 'Logs') });
    expect(() => new InitDurationDashboard(stack, 'D', { functions: [{ function: fn }], initDurationBudget: Duration.millis(0) }))
      .toThrow(/initDurationBudget must be a positive duration.*Duration.millis\(500\)/);
  });

  test('negative budget cannot even be expressed as a Duration', () => {
    expect(() => Duration.millis(-5)).toThrow(/negative/);
  });

  test('imported function without a log group names the logGroup prop', () => {
    const stack = newStack();
    const fn = imported(stack, 'Legacy', 'legacy-fn');
    expect(() => new InitDurationDashboard(stack, 'D', { functions: [{ function: fn }] }))
      .toThrow(/functions\[0\] \(Legacy\): the log group of function 'legacy-fn' is not known.*Pass logGroup/);
  });

  test('own function without an explicit log group: asks for one, adds no LogRetention', () => {
    const stack = newStack();
    const fn = pyFunction(stack, 'F');
    expect(() => new InitDurationDashboard(stack, 'D', { functions: [{ function: fn }] })).toThrow(/Pass logGroup/);
    Template.fromStack(stack).resourceCountIs('Custom::LogRetention', 0);
  });

  test('more than 50 log groups of one format for the overview query', () => {
    const stack = newStack();
    const functions = Array.from({ length: 51 }, (_, i) => ({
      function: imported(stack, `F${i}`, `fn-${i}`),
      logGroup: logs.LogGroup.fromLogGroupName(stack, `L${i}`, `/aws/lambda/fn-${i}`),
    }));
    expect(() => new InitDurationDashboard(stack, 'D', { functions, createAlarms: false }))
      .toThrow(/51 functions with text logs.*at most 50 log groups.*Split functions/);
  });

  test('more than 500 widgets', () => {
    const stack = newStack();
    const functions = Array.from({ length: 40 }, (_, i) => {
      const fn = imported(stack, `F${i}`, `fn-${i}`);
      return {
        function: fn,
        logGroup: logs.LogGroup.fromLogGroupName(stack, `L${i}`, `/aws/lambda/fn-${i}`),
        aliases: [0, 1].map((k) => ({ alias: lambda.Alias.fromAliasAttributes(stack, `A${i}x${k}`, { aliasName: `a${k}`, aliasVersion: fn.latestVersion }), provisionedConcurrency: true })),
      };
    });
    expect(() => new InitDurationDashboard(stack, 'D', { functions, createAlarms: false }))
      .toThrow(/would hold \d+ widgets for 40 functions.*at most 500/);
  });

  test('an alias of another function', () => {
    const stack = newStack();
    const a = pyFunction(stack, 'A', { logGroup: new logs.LogGroup(stack, 'LA') });
    const b = pyFunction(stack, 'B', { logGroup: new logs.LogGroup(stack, 'LB') });
    const aliasOfB = new lambda.Alias(stack, 'BLive', { aliasName: 'live', version: b.currentVersion });
    expect(() => new InitDurationDashboard(stack, 'D', { functions: [{ function: a, aliases: [{ alias: aliasOfB }] }] }))
      .toThrow(/functions\[0\] \(A\)\.aliases\[0\]: alias 'live' belongs to function 'Test\/B', not to 'Test\/A'/);
    const legacy = imported(stack, 'Legacy', 'legacy-fn');
    const otherAlias = lambda.Alias.fromAliasAttributes(stack, 'Other', {
      aliasName: 'prod', aliasVersion: lambda.Version.fromVersionArn(stack, 'OV', 'arn:aws:lambda:us-east-1:123456789012:function:other-fn:3'),
    });
    expect(() => new InitDurationDashboard(stack, 'D2', {
      functions: [{ function: legacy, logGroup: logs.LogGroup.fromLogGroupName(stack, 'LL', '/aws/lambda/legacy-fn'), aliases: [{ alias: otherAlias }] }],
    })).toThrow(/belongs to function/);
  });

  test('no functions, bad dashboard name, bad namespace', () => {
    const stack = newStack();
    const fn = pyFunction(stack, 'F', { logGroup: new logs.LogGroup(stack, 'Logs') });
    expect(() => new InitDurationDashboard(stack, 'D1', { functions: [] })).toThrow(/at least one/);
    expect(() => new InitDurationDashboard(stack, 'D2', { functions: [{ function: fn }], dashboardName: 'has spaces' })).toThrow(/dashboardName/);
    expect(() => new InitDurationDashboard(stack, 'D3', { functions: [{ function: fn }], metricNamespace: 'AWS/Lambda' })).toThrow(/reserved/);
  });
});

describe('ColdStartMetrics', () => {
  test('every metric, with dimensions and statistics', () => {
    const stack = newStack();
    const fn = imported(stack, 'F', 'orders');
    const alias = lambda.Alias.fromAliasAttributes(stack, 'A', { aliasName: 'live', aliasVersion: fn.latestVersion });
    const m = new ColdStartMetrics({ function: fn, metricNamespace: 'Team/ColdStart' });
    const shape = (x: cloudwatch.Metric) => [x.namespace, x.metricName, x.statistic, x.dimensions];
    expect(shape(m.metricInvocations())).toEqual(['AWS/Lambda', 'Invocations', 'Sum', { FunctionName: 'orders' }]);
    expect(shape(m.metricErrors())).toEqual(['AWS/Lambda', 'Errors', 'Sum', { FunctionName: 'orders' }]);
    expect(shape(m.metricThrottles())).toEqual(['AWS/Lambda', 'Throttles', 'Sum', { FunctionName: 'orders' }]);
    expect(shape(m.metricDuration('p99'))).toEqual(['AWS/Lambda', 'Duration', 'p99', { FunctionName: 'orders' }]);
    expect(shape(m.metricConcurrentExecutions())).toEqual(['AWS/Lambda', 'ConcurrentExecutions', 'Maximum', { FunctionName: 'orders' }]);
    expect(shape(m.metricInitDuration('p95'))).toEqual(['Team/ColdStart/orders', 'InitDuration', 'p95', undefined]);
    expect(shape(m.metricColdStarts())).toEqual(['Team/ColdStart/orders', 'InitDuration', 'SampleCount', undefined]);
    expect(shape(m.metricRestoreDuration('p50'))).toEqual(['Team/ColdStart/orders', 'RestoreDuration', 'p50', undefined]);
    expect(shape(m.metricRestores())).toEqual(['Team/ColdStart/orders', 'RestoreDuration', 'SampleCount', undefined]);
    const aliasDims = { FunctionName: 'orders', Resource: 'orders:live' };
    expect(shape(m.metricProvisionedConcurrencyUtilization(alias))).toEqual(['AWS/Lambda', 'ProvisionedConcurrencyUtilization', 'Maximum', aliasDims]);
    expect(shape(m.metricProvisionedConcurrencySpilloverInvocations(alias))).toEqual(['AWS/Lambda', 'ProvisionedConcurrencySpilloverInvocations', 'Sum', aliasDims]);
    expect(shape(m.metricProvisionedConcurrentExecutions(alias))).toEqual(['AWS/Lambda', 'ProvisionedConcurrentExecutions', 'Maximum', aliasDims]);
    expect(shape(m.metricProvisionedConcurrencyInvocations(alias))).toEqual(['AWS/Lambda', 'ProvisionedConcurrencyInvocations', 'Sum', aliasDims]);
    expect(shape(m.metricAliasInvocations(alias))).toEqual(['AWS/Lambda', 'Invocations', 'Sum', aliasDims]);
    expect(shape(m.metricAliasErrors(alias))).toEqual(['AWS/Lambda', 'Errors', 'Sum', aliasDims]);
    expect(shape(m.metricAliasDuration(alias, 'p95'))).toEqual(['AWS/Lambda', 'Duration', 'p95', aliasDims]);
    expect(m.metricInvocations().period.toSeconds()).toBe(300);
  });
});

describe('ColdStartMetricFilters on its own', () => {
  test('JSON SnapStart function: the restore filter only (initDuration: true adds init), custom namespace', () => {
    const stack = newStack();
    const fn = imported(stack, 'F', 'snappy');
    const logGroup = logs.LogGroup.fromLogGroupName(stack, 'L', '/aws/lambda/snappy');
    const filters = new ColdStartMetricFilters(stack, 'Filters', {
      function: fn, logGroup, logFormat: lambda.LoggingFormat.JSON, snapStart: true, metricNamespace: 'Team',
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Logs::MetricFilter', 1);
    expect(filters.initDurationFilter).toBeUndefined();
    const both = new ColdStartMetricFilters(stack, 'Both', {
      function: fn, logGroup, logFormat: lambda.LoggingFormat.JSON, snapStart: true, initDuration: true,
    });
    expect(both.initDurationFilter).toBeDefined();
    expect(both.restoreDurationFilter).toBeDefined();
    t.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: '/aws/lambda/snappy',
      FilterPattern: '{ $.type = "platform.report" && $.record.metrics.restoreDurationMs > 0 }',
      MetricTransformations: [{ MetricNamespace: 'Team/snappy', MetricName: 'RestoreDuration', MetricValue: '$.record.metrics.restoreDurationMs', Unit: 'Milliseconds' }],
    });
    expect(filters.restoreDurationFilter).toBeDefined();
    expect(filters.metrics.metricRestoreDuration('p95').namespace).toBe('Team/snappy');
  });

  test('without snapStart there is no restore filter', () => {
    const stack = newStack();
    const filters = new ColdStartMetricFilters(stack, 'Filters', {
      function: imported(stack, 'F', 'plain'), logGroup: logs.LogGroup.fromLogGroupName(stack, 'L', '/aws/lambda/plain'),
    });
    expect(filters.restoreDurationFilter).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::Logs::MetricFilter', 1);
  });
});
