/**
 * Issue 15 (synth time of a 60-function stack): the cold-start dashboards render their body with
 * JSON.stringify and one linear Fn::Join instead of CDK's Stack.toJsonString, and must give the very
 * template CDK's cloudwatch.Dashboard gives for the same widgets: same stack, other stacks
 * (exports), quotes and newlines in literals, variables, and values only CDK can render (fallback).
 */
import { App, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { plainJson, RenderedDashboard } from '../../lib/observability/rendered-dashboard';

/** A widget whose JSON is given as is. */
class RawWidget implements cloudwatch.IWidget {
  public readonly width = 6;
  public readonly height = 6;
  private x = 0;
  private y = 0;
  constructor(private readonly json: Record<string, unknown>) {}
  public position(x: number, y: number): void {
    this.x = x;
    this.y = y;
  }
  public toJson(): any[] {
    return [{ ...this.json, width: this.width, height: this.height, x: this.x, y: this.y }];
  }
}

/** A function, its log group and an alarm, in `scope`. */
function resources(scope: Construct) {
  const fn = new lambda.Function(scope, 'Fn', {
    runtime: lambda.Runtime.PYTHON_3_12,
    handler: 'index.handler',
    code: lambda.Code.fromInline('def handler(e, c):\n    return 1\n'),
  });
  const logGroup = new logs.LogGroup(scope, 'Logs');
  const metric = fn.metricDuration({ statistic: 'p95', label: 'Duration "p95"\nof the function' });
  const alarm = metric.createAlarm(scope, 'Alarm', { threshold: 500, evaluationPeriods: 1 });
  return { fn, logGroup, metric, alarm };
}

/** Widgets of every kind the library uses, around tokens of `r`. */
function widgets(r: ReturnType<typeof resources>): cloudwatch.IWidget[][] {
  return [
    [new cloudwatch.TextWidget({ markdown: '# Cold starts\n"quoted" `code` \\ backslash', width: 24, height: 2 })],
    [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [r.alarm], width: 24 })],
    [
      new cloudwatch.GraphWidget({
        title: `"${r.fn.functionName}": duration \\ p95`,
        left: [r.metric, r.fn.metricInvocations()],
        right: [r.fn.metricErrors({ statistic: 'Sum' })],
        leftAnnotations: [{ value: 500, label: 'Budget' }],
        width: 8,
      }),
      new cloudwatch.SingleValueWidget({ metrics: [r.fn.metricThrottles()], width: 8 }),
      new cloudwatch.LogQueryWidget({
        logGroupNames: [r.logGroup.logGroupName],
        queryString: 'filter @type = "REPORT" | stats count() by bin(5m)',
        width: 8,
      }),
    ],
  ];
}

function addAll(d: cloudwatch.Dashboard, rows: cloudwatch.IWidget[][]) {
  for (const row of rows) d.addWidgets(...row);
}

function bodyOf(stack: Stack): unknown {
  const dashboards = Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard');
  return Object.values(dashboards).map((r: any) => r.Properties.DashboardBody);
}

/** CDK's dashboard and ours for the same widgets in twin stacks: the templates must be identical. */
function twins(build: (d: cloudwatch.Dashboard, scope: Construct, app: App) => void): { cdk: Stack; ours: Stack } {
  const make = (ours: boolean) => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const d = ours
      ? new RenderedDashboard(stack, 'D', { defaultInterval: Duration.days(1) })
      : new cloudwatch.Dashboard(stack, 'D', { defaultInterval: Duration.days(1) });
    build(d, stack, app);
    return stack;
  };
  return { cdk: make(false), ours: make(true) };
}

describe('RenderedDashboard gives the template of cloudwatch.Dashboard', () => {
  test('widgets of every kind around Refs and GetAtts of the same stack, literals with quotes and newlines', () => {
    const { cdk, ours } = twins((d, scope) => addAll(d, widgets(resources(scope))));
    expect(bodyOf(ours)).toEqual(bodyOf(cdk));
    expect(JSON.stringify(bodyOf(ours))).toContain('Fn::Join');
    expect(Template.fromStack(ours).toJSON()).toEqual(Template.fromStack(cdk).toJSON());
  });

  test('functions of another stack: the same Fn::ImportValue in the body and the same export', () => {
    let producerCdk: Stack | undefined;
    let producerOurs: Stack | undefined;
    const make = (ours: boolean) => {
      const app = new App();
      const producer = new Stack(app, 'Producer', { env: { account: '123456789012', region: 'us-east-1' } });
      const consumer = new Stack(app, 'Consumer', { env: { account: '123456789012', region: 'us-east-1' } });
      const d = ours
        ? new RenderedDashboard(consumer, 'D', { defaultInterval: Duration.days(1) })
        : new cloudwatch.Dashboard(consumer, 'D', { defaultInterval: Duration.days(1) });
      addAll(d, widgets(resources(producer)));
      app.synth();
      if (ours) producerOurs = producer; else producerCdk = producer;
      return consumer;
    };
    const cdk = make(false);
    const ours = make(true);
    expect(JSON.stringify(bodyOf(ours))).toContain('Fn::ImportValue');
    expect(bodyOf(ours)).toEqual(bodyOf(cdk));
    expect(Template.fromStack(producerOurs!).toJSON().Outputs).toEqual(Template.fromStack(producerCdk!).toJSON().Outputs);
  });

  test('a literal that looks like the marker of a resolved token stays a literal', () => {
    const { cdk, ours } = twins((d, scope) => {
      const r = resources(scope);
      d.addWidgets(new cloudwatch.TextWidget({ markdown: `@@cpc1:0@@ @@cpc${process.pid}:0@@ ${r.fn.functionName} @@cpc:1@@`, width: 6 }));
    });
    expect(bodyOf(ours)).toEqual(bodyOf(cdk));
    expect(JSON.stringify(bodyOf(ours))).toContain('@@cpc1:0@@');
  });

  test('no token at all: a plain string', () => {
    const { cdk, ours } = twins((d) => d.addWidgets(new cloudwatch.TextWidget({ markdown: 'static', width: 6 })));
    expect(bodyOf(ours)).toEqual(bodyOf(cdk));
    expect(typeof (bodyOf(ours) as unknown[])[0]).toBe('string');
  });

  test('variables are rendered as CDK renders them', () => {
    const { cdk, ours } = twins((d, scope) => {
      const r = resources(scope);
      d.addWidgets(new cloudwatch.GraphWidget({ left: [r.metric] }));
      d.addVariable(new cloudwatch.DashboardVariable({
        id: 'fn',
        type: cloudwatch.VariableType.PROPERTY,
        label: 'Function',
        inputType: cloudwatch.VariableInputType.INPUT,
        value: 'FunctionName',
        defaultValue: cloudwatch.DefaultValue.value(r.fn.functionName),
        visible: true,
      }));
    });
    expect(bodyOf(ours)).toEqual(bodyOf(cdk));
    expect(JSON.stringify(bodyOf(ours))).toContain('variables');
  });

  test('widgets added after the functions (at synth, the body is rendered from the widgets as they are then)', () => {
    const { cdk, ours } = twins((d, scope) => {
      const r = resources(scope);
      d.addWidgets(new cloudwatch.TextWidget({ markdown: 'first', width: 6 }));
      d.addWidgets(new cloudwatch.GraphWidget({ left: [r.metric], width: 6 }), new cloudwatch.TextWidget({ markdown: 'beside', width: 6 }));
    });
    expect(bodyOf(ours)).toEqual(bodyOf(cdk));
  });
});

describe('values only CDK can render take CDK\'s path', () => {
  test.each([
    ['a number token (widget height)', () => new cloudwatch.TextWidget({ markdown: 'n', width: 6, height: Token.asNumber(Lazy.number({ produce: () => 4 })) })],
    ['an IResolvable inside a widget', () => new RawWidget({ type: 'text', properties: { markdown: Lazy.any({ produce: () => 'lazy' }) } })],
    ['a string token that resolves to a number', () => new RawWidget({ type: 'text', properties: { markdown: 'x', size: Lazy.string({ produce: () => 3 as any }) } })],
  ])('%s: same template as CDK, through Stack.toJsonString', (_name, widget) => {
    const spy = jest.spyOn(Stack.prototype, 'toJsonString');
    try {
      const { cdk, ours } = twins((d, scope) => {
        resources(scope);
        d.addWidgets(widget());
      });
      spy.mockClear();
      expect(bodyOf(ours)).toEqual(bodyOf(cdk));
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  test('a plain body never calls Stack.toJsonString (the linear path is the one taken)', () => {
    const spy = jest.spyOn(Stack.prototype, 'toJsonString');
    try {
      const app = new App();
      const stack = new Stack(app, 'S');
      const d = new RenderedDashboard(stack, 'D', { defaultInterval: Duration.days(1) });
      addAll(d, widgets(resources(stack)));
      app.synth();
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('plainJson', () => {
  test.each([
    ['a string token', 'ColdStart/${Token[TOKEN.1]}', true],
    ['a list token inside a string', '#{Token[TOKEN.2]}', false],
    ['a number token', Token.asNumber(Lazy.number({ produce: () => 1 })), false],
    ['NaN', Number.NaN, false],
    ['undefined in a list', [1, undefined], false],
    ['an IResolvable', Lazy.any({ produce: () => 1 }), false],
    ['a class instance', new Date(0), false],
    ['undefined values of an object (dropped, as JSON drops them)', { a: 1, b: undefined }, true],
  ])('%s', (_name, value, plain) => {
    expect(typeof plainJson(value) !== 'symbol').toBe(plain);
  });
});
