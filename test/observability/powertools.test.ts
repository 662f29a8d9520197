import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { OptimizedPythonFunction, OptimizedPythonFunctionProps, PowertoolsMetrics } from '../../lib';
import { usesPowertools } from '../../lib/observability/powertools';

function entry(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'powertools-'));
  for (const [name, content] of Object.entries({ 'index.py': 'def handler(e, c):\n    return 1\n', ...files })) {
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

describe('detection from the dependency spec', () => {
  test.each<[string, Record<string, string>, boolean]>([
    ['requirements with extras and a pin', { 'requirements.txt': 'boto3==1.43.107\naws-lambda-powertools[tracer]==3.4.0\n' }, true],
    ['underscore spelling and a range', { 'requirements.txt': 'aws_lambda_powertools>=2,<4\n' }, true],
    ['upper case (pip normalizes names)', { 'requirements.txt': 'AWS-Lambda-Powertools\n' }, true],
    ['in a file included with -r', { 'requirements.txt': '-r base.txt\n', 'base.txt': 'aws-lambda-powertools==3.4.0\n' }, true],
    ['uv.lock', { 'uv.lock': 'version = 1\n[[package]]\nname = "aws-lambda-powertools"\nversion = "3.4.0"\n', 'pyproject.toml': '[project]\nname = "svc"\n' }, true],
    ['poetry.lock', { 'poetry.lock': '[[package]]\nname = "aws-lambda-powertools"\nversion = "3.4.0"\n', 'pyproject.toml': '[tool.poetry]\n' }, true],
    ['pyproject.toml dependencies next to a lock', { 'uv.lock': 'version = 1\n', 'pyproject.toml': '[project]\ndependencies = ["aws-lambda-powertools>=3"]\n' }, true],
    ['Pipfile.lock', { 'Pipfile.lock': '{"default": {"aws-lambda-powertools": {"version": "==3.4.0"}}}\n', 'Pipfile': '[packages]\n' }, true],
    ['commented out', { 'requirements.txt': '# aws-lambda-powertools==3.4.0\nboto3\n' }, false],
    ['a different project with a similar name', { 'requirements.txt': 'aws-lambda-powertools-extras==1\nmy-aws-lambda-powertools\n' }, false],
    ['no spec at all', {}, false],
  ])('%s', (_, files, expected) => {
    expect(usesPowertools(entry(files))).toBe(expected);
  });
});

function synth(props: Partial<OptimizedPythonFunctionProps> & { entry: string }): { t: Template; fn: OptimizedPythonFunction; stack: Stack } {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  const fn = new OptimizedPythonFunction(stack, 'Fn', props);
  return { t: Template.fromStack(stack), fn, stack };
}

function dashboardBody(t: Template): string {
  const dashboards = Object.values(t.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  return JSON.stringify(dashboards[0].Properties.DashboardBody);
}

const POWERTOOLS_REQS = { 'requirements.txt': 'aws-lambda-powertools==3.4.0\n' };

test('detected: the dashboard shows ColdStart in the namespace of POWERTOOLS_METRICS_NAMESPACE, dimensions function_name (unqualified) and service', () => {
  const { t } = synth({ entry: entry(POWERTOOLS_REQS), environment: { POWERTOOLS_METRICS_NAMESPACE: 'Orders', POWERTOOLS_SERVICE_NAME: 'checkout' } });
  const body = dashboardBody(t);
  // ["Orders","ColdStart","function_name","<name>","service","checkout",{...}]
  expect(body).toMatch(/\[\\"Orders\\",\\"ColdStart\\",\\"function_name\\",\\"",\{"Ref":"FnFunction[0-9A-F]{8}"\},"\\",\\"service\\",\\"checkout\\"/);
  expect(body).toContain('Cold starts seen by Powertools (Orders, ColdStart)');
  // next to (after) the init/restore duration row
  expect(body.indexOf('Init duration p50 / p95 / p99')).toBeLessThan(body.indexOf('Cold starts seen by Powertools'));
});

test('the namespace and service of monitoring.powertools win; service defaults to Powertools\' service_undefined', () => {
  const a = dashboardBody(synth({ entry: entry(POWERTOOLS_REQS), environment: { POWERTOOLS_METRICS_NAMESPACE: 'Env' }, monitoring: { powertools: { namespace: 'Explicit', serviceName: 'svc' } } }).t);
  expect(a).toContain('\\"Explicit\\",\\"ColdStart\\"');
  expect(a).toContain('\\"service\\",\\"svc\\"');
  expect(a).not.toContain('\\"Env\\"');
  const b = dashboardBody(synth({ entry: entry(POWERTOOLS_REQS), monitoring: { powertools: { namespace: 'N' } } }).t);
  expect(b).toContain('\\"service\\",\\"service_undefined\\"');
});

test('not a Powertools user: no ColdStart widget, no message', () => {
  const { t, stack } = synth({ entry: entry({ 'requirements.txt': 'boto3\n' }), environment: { POWERTOOLS_METRICS_NAMESPACE: 'Orders' } });
  expect(dashboardBody(t)).not.toContain('ColdStart\\"');
  expect(Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('Powertools'))).toHaveLength(0);
});

test('detected without a namespace: no widget, and an info message saying what to set', () => {
  const { t, stack } = synth({ entry: entry(POWERTOOLS_REQS) });
  expect(dashboardBody(t)).not.toContain('Powertools');
  Annotations.fromStack(stack).hasInfo('/S/Fn/Function', Match.stringLikeRegexp('Set monitoring.powertools.namespace \\(or the POWERTOOLS_METRICS_NAMESPACE'));
});

test('enabled overrides detection both ways (e.g. Powertools from its Lambda layer)', () => {
  expect(dashboardBody(synth({ entry: entry({}), monitoring: { powertools: { enabled: true, namespace: 'Layered' } } }).t)).toContain('\\"Layered\\",\\"ColdStart\\"');
  expect(dashboardBody(synth({ entry: entry(POWERTOOLS_REQS), environment: { POWERTOOLS_METRICS_NAMESPACE: 'Orders' }, monitoring: { powertools: { enabled: false } } }).t)).not.toContain('ColdStart\\"');
});

test('PowertoolsMetrics: the metric factory on its own', () => {
  const m = new PowertoolsMetrics({ functionName: 'orders-api', namespace: 'Orders', serviceName: 'checkout' }).metricColdStarts();
  expect(m.namespace).toBe('Orders');
  expect(m.metricName).toBe('ColdStart');
  expect(m.dimensions).toEqual({ function_name: 'orders-api', service: 'checkout' });
  expect(m.statistic).toBe('Sum');
  expect(() => new PowertoolsMetrics({ functionName: 'f', namespace: 'a:b' })).toThrow(/namespace 'a:b' is not a CloudWatch namespace/);
  expect(() => new PowertoolsMetrics({ functionName: 'f', namespace: '' })).toThrow(/is not a CloudWatch namespace/);
});
