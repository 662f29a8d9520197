/**
 * Issue 15, "A resource budget": at most 7 resources per OptimizedPythonFunction with SnapStart and
 * default monitoring once the stack-level dashboard, layer and warmer exist. CloudFormation stops at
 * 500 resources per stack, so 60 functions must fit with room to spare.
 *
 * The dependencies layer is stack-level (shared per dependency set): the fixture entry here has no
 * dependency spec, and the per-dependency-set sharing itself is tested with the bundling tests.
 */
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ColdStartStrategy, OptimizedPythonFunction, OptimizedPythonFunctionProps } from '../../lib';

const ENTRY = path.join(__dirname, '..', 'fixtures', 'function', 'basic');

function typesOf(n: number, props: Partial<OptimizedPythonFunctionProps> = {}): Record<string, number> {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  for (let i = 0; i < n; i++) {
    new OptimizedPythonFunction(stack, `Fn${i}`, { entry: ENTRY, ...props });
  }
  const counts: Record<string, number> = {};
  for (const r of Object.values(Template.fromStack(stack).toJSON().Resources) as any[]) {
    counts[r.Type] = (counts[r.Type] ?? 0) + 1;
  }
  return counts;
}

/** Resources the (n+1)th function adds, by type. */
function marginal(props: Partial<OptimizedPythonFunctionProps> = {}, n = 2): Record<string, number> {
  const before = typesOf(n, props);
  const after = typesOf(n + 1, props);
  const diff: Record<string, number> = {};
  for (const type of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const d = (after[type] ?? 0) - (before[type] ?? 0);
    if (d !== 0) diff[type] = d;
  }
  return diff;
}

const SEVEN = {
  'AWS::Lambda::Function': 1,
  'AWS::IAM::Role': 1,
  'AWS::Logs::LogGroup': 1,
  'AWS::Lambda::Version': 1,
  'AWS::Lambda::Alias': 1,
  'AWS::Logs::MetricFilter': 1,
  'AWS::CloudWatch::Alarm': 1,
};
const total = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);

test('SnapStart with default monitoring: exactly 7 resources per function', () => {
  const m = marginal();
  expect(m).toEqual(SEVEN);
  expect(total(m)).toBe(7);
});

test('warmed functions add nothing beyond the 7: they are entries of the stack warmer', () => {
  expect(marginal({ coldStart: ColdStartStrategy.onDemand(), warmup: { concurrency: 2 } })).toEqual(SEVEN);
});

test('the stack-level pieces exist once: one dashboard, one warmer', () => {
  const counts = typesOf(3, { warmup: {} });
  expect(counts['AWS::CloudWatch::Dashboard']).toBe(1);
  expect(counts['AWS::Events::Rule']).toBe(1);
  expect(counts['AWS::Lambda::Function']).toBe(3 + 1);
});

test('60 SnapStart functions fit in one stack: 60 x 7 plus the stack-level resources, far below 500', () => {
  const counts = typesOf(60);
  const all = total(counts);
  expect(all).toBe(60 * 7 + 1); // + the dashboard
  expect(all).toBeLessThan(500);
});

test('60 functions and their ColdStartDashboard: the body is one linear Fn::Join (never Stack.toJsonString) with 3 graphs per function', () => {
  const spy = jest.spyOn(Stack.prototype, 'toJsonString');
  try {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S', { env: { account: '123456789012', region: 'us-east-1' } });
    for (let i = 0; i < 60; i++) {
      new OptimizedPythonFunction(stack, `Fn${i}`, { entry: ENTRY });
    }
    const dashboards = Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard');
    expect(spy).not.toHaveBeenCalled();
    const body = (Object.values(dashboards)[0] as any).Properties.DashboardBody['Fn::Join'][1] as unknown[];
    // tokens stand inside JSON strings: filled in with a name, the body parses
    const parsed = JSON.parse(body.map((p) => (typeof p === 'string' ? p : 'x')).join(''));
    expect(parsed.widgets.filter((w: any) => w.type === 'metric')).toHaveLength(180);
    // every function's name appears as a Ref
    for (let i = 0; i < 60; i++) {
      expect(body.some((p: any) => typeof p === 'object' && typeof p.Ref === 'string' && p.Ref.startsWith(`Fn${i}Function`))).toBe(true);
    }
  } finally {
    spy.mockRestore();
  }
});
