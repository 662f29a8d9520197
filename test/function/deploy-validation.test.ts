/**
 * Issue 12, "The configuration AWS would reject fails at synth, with property, rule and fix". Each case
 * synthesized on today's main and failed at deploy (or failed with an unclear message).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import { ColdStartStrategy, OptimizedPythonFunction, OptimizedPythonFunctionProps } from '../../lib';
import { AWS_RULES, SNAPSTART_UNSUPPORTED_REGIONS } from '../../lib/shared/aws-rules';
import { tmpdir, writeEntry } from '../bundling/helpers';

const ENTRY = path.join(__dirname, '..', 'fixtures', 'function', 'basic');
const HANDLERS = path.join(__dirname, '..', 'fixtures', 'function', 'handlers');

/** A stack in `region`, or an environment-agnostic one for 'agnostic'. */
function stack(region = 'us-east-1'): Stack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return new Stack(app, 'S', region === 'agnostic' ? {} : { env: { account: '123456789012', region } });
}

function synth(props: Partial<OptimizedPythonFunctionProps> = {}, s = stack()): Template {
  new OptimizedPythonFunction(s, 'Fn', { entry: ENTRY, ...props });
  return Template.fromStack(s);
}

function pc(min: number, max: number, extra: object = {}) {
  return ColdStartStrategy.provisionedConcurrency({ minCapacity: min, maxCapacity: max, ...extra });
}

function schedule(s: Partial<{ name: string; schedule: appscaling.Schedule; minCapacity: number; maxCapacity: number }>) {
  return pc(1, 10, { schedules: [{ name: 'peak', schedule: appscaling.Schedule.rate(Duration.hours(1)), ...s }] });
}

/** Asserts the error names the property, the catalogue rule (with its AWS doc link) and a fix. */
function expectRuleError(props: Partial<OptimizedPythonFunctionProps>, property: string, problem: RegExp, rule: { rule: string; docUrl: string }) {
  let message = '';
  try {
    synth(props);
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toContain(`S/Fn: ${property}`);
  expect(message).toMatch(problem);
  expect(message).toContain(rule.rule);
  expect(message).toContain(rule.docUrl);
  expect(message).toMatch(/Fix: \S/);
}

describe('Lambda limits', () => {
  test.each([NaN, 0, 127, 10241, 1536.5])('memorySize %s', (memorySize) => {
    expectRuleError({ memorySize }, 'memorySize', new RegExp(`is ${memorySize}`), AWS_RULES.LAMBDA_MEMORY);
  });

  test.each([128, 1769, 10240])('memorySize %s is accepted', (memorySize) => {
    synth({ memorySize }).hasResourceProperties('AWS::Lambda::Function', { MemorySize: memorySize });
  });

  test.each([
    [Duration.seconds(901), /is 15 minutes 1 second/],
    [Duration.minutes(16), /is 16 minutes/],
    [Duration.seconds(0), /is 0 seconds/],
    [Duration.millis(1500), /is 1 second 500 millis/],
  ])('timeout %#', (timeout, problem) => {
    expectRuleError({ timeout }, 'timeout', problem, AWS_RULES.LAMBDA_TIMEOUT);
  });

  test('timeout of exactly 900 s is accepted', () => {
    synth({ timeout: Duration.seconds(900) }).hasResourceProperties('AWS::Lambda::Function', { Timeout: 900 });
  });

  test.each([-1, 2.5, NaN])('reservedConcurrentExecutions %s', (reservedConcurrentExecutions) => {
    expectRuleError({ reservedConcurrentExecutions }, 'reservedConcurrentExecutions', new RegExp(`is ${reservedConcurrentExecutions}`), AWS_RULES.RESERVED_CONCURRENCY);
  });

  test('reservedConcurrentExecutions 0 is valid (it stops the function on purpose)', () => {
    expect(() => synth({ reservedConcurrentExecutions: 0, coldStart: ColdStartStrategy.onDemand() })).not.toThrow();
  });

  test('tokens are skipped', () => {
    const s = stack();
    const n = new CfnParameter(s, 'N', { type: 'Number' }).valueAsNumber;
    expect(() => synth({ memorySize: n, reservedConcurrentExecutions: n, timeout: Duration.seconds(n) }, s)).not.toThrow();
  });
});

describe('provisioned concurrency', () => {
  test.each([NaN, 1.5])('utilizationTarget %s', (utilizationTarget) => {
    expectRuleError({ coldStart: pc(1, 2, { utilizationTarget }) }, 'coldStart.provisionedConcurrency.utilizationTarget',
      new RegExp(`is ${utilizationTarget}`), AWS_RULES.PROVISIONED_UTILIZATION_TARGET);
  });

  test.each([NaN, -3, 1.5])('maxCapacity %s', (max) => {
    expectRuleError({ coldStart: pc(1, max) }, 'coldStart.provisionedConcurrency.maxCapacity', new RegExp(`is ${max}`), AWS_RULES.PROVISIONED_CAPACITY);
  });

  test.each([NaN, 0, -1, 2.5])('schedule minCapacity %s', (minCapacity) => {
    expectRuleError({ coldStart: schedule({ minCapacity }) }, "coldStart.provisionedConcurrency.schedules['peak'].minCapacity",
      new RegExp(`is ${minCapacity}`), AWS_RULES.SCHEDULED_ACTION_CHANGE);
  });

  test.each([NaN, 0, -1, 2.5])('schedule maxCapacity %s', (maxCapacity) => {
    expectRuleError({ coldStart: schedule({ maxCapacity }) }, "coldStart.provisionedConcurrency.schedules['peak'].maxCapacity",
      new RegExp(`is ${maxCapacity}`), AWS_RULES.SCHEDULED_ACTION_CHANGE);
  });

  test.each(['', ' leading', 'trailing ', 'a:b', 'a/b', 'a|b', 'tab\there', 'x'.repeat(257)])('schedule name %j', (name) => {
    expectRuleError({ coldStart: schedule({ name, maxCapacity: 3 }) }, 'coldStart.provisionedConcurrency.schedules', /name|characters/,
      AWS_RULES.SCHEDULED_ACTION_NAME);
  });

  test.each(['business-hours', 'Nightly scale in', 'x'.repeat(256)])('schedule name %j is accepted', (name) => {
    expect(() => synth({ coldStart: schedule({ name, maxCapacity: 3 }) })).not.toThrow();
  });

  test.each([
    ['rate(1 minutes)', /plural unit for 1/],
    ['rate(5 minute)', /singular unit for 5/],
    ['rate(0 minutes)', /not a positive whole number/],
    ['rate(5 weeks)', /unit 'weeks'/],
    ['cron(0 8 * * *)', /has 5 fields/],
    ['cron(0 25 * * ? *)', /hours '25' is out of range \(0-23\)/],
    ['cron(60 8 * * ? *)', /minutes '60' is out of range/],
    ['cron(0 8 32 * ? *)', /day-of-month '32' is out of range/],
    ['cron(0 8 ? 13 MON *)', /month '13' is out of range/],
    ['cron(0 8 ? * MOX *)', /day-of-week 'MOX'/],
    ['cron(0 8 ? * 8 *)', /day-of-week '8' is out of range/],
    ['at(2026-02-30T08:00:00)', /not a real date/],
    ['every 5 minutes', /not at\(\.\.\.\), rate\(\.\.\.\) or cron\(\.\.\.\)/],
  ])('schedule expression %s', (expression, problem) => {
    expectRuleError({ coldStart: schedule({ schedule: appscaling.Schedule.expression(expression), maxCapacity: 3 }) },
      "coldStart.provisionedConcurrency.schedules['peak'].schedule", problem, AWS_RULES.SCHEDULE_EXPRESSION);
  });

  test('expressions built by CDK are accepted', () => {
    const schedules = [
      appscaling.Schedule.rate(Duration.minutes(1)),
      appscaling.Schedule.rate(Duration.hours(6)),
      appscaling.Schedule.cron({ weekDay: 'MON-FRI', hour: '7', minute: '45' }),
      appscaling.Schedule.cron({ day: 'L', hour: '0', minute: '0' }),
      appscaling.Schedule.at(new Date(Date.UTC(2027, 0, 31, 8, 0, 0))),
      appscaling.Schedule.expression('cron(0/15 8-17 ? JAN-DEC MON#1 *)'),
      appscaling.Schedule.expression('cron(0 9 LW * ? 2027)'),
    ];
    schedules.forEach((s, i) => {
      expect(() => synth({ coldStart: schedule({ name: `s${i}`, schedule: s, maxCapacity: 3 }) })).not.toThrow();
    });
  });

  test("reserved concurrency at or below a schedule's raised minCapacity", () => {
    expectRuleError({ coldStart: pc(1, 5, { schedules: [{ name: 'peak', schedule: appscaling.Schedule.rate(Duration.hours(1)), minCapacity: 30 }] }), reservedConcurrentExecutions: 20 },
      'reservedConcurrentExecutions', /\(20\) is not above .*\(30\)/, AWS_RULES.PROVISIONED_WITHIN_RESERVED);
  });

  test('a CfnParameter as minCapacity is skipped, not rejected with "must be >= 1", and reaches the scalable target', () => {
    const s = stack();
    const min = new CfnParameter(s, 'MinCapacity', { type: 'Number', default: 2 });
    const t = synth({ coldStart: pc(min.valueAsNumber, 10) }, s);
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: { Ref: 'MinCapacity' }, MaxCapacity: 10 });
    t.hasResourceProperties('AWS::Lambda::Alias', { ProvisionedConcurrencyConfig: Match.absent() });
  });
});

describe('handler', () => {
  test.each(['handler', 'async_handler', 'Handler', 'instance_handler', 'typed_handler', 'second', 'parse', 'dumps', 'conditional_handler'])(
    '%s defined in the module is accepted', (handler) => {
      synth({ entry: HANDLERS, handler }).hasResourceProperties('AWS::Lambda::Function', { Handler: `index.${handler}` });
    });

  test('a name the module does not define fails with the functions it does define', () => {
    expectRuleError({ entry: HANDLERS, handler: 'hadler' }, 'handler', /'index\.py' defines no 'hadler'/, AWS_RULES.PYTHON_HANDLER);
    expect(() => synth({ entry: HANDLERS, handler: 'hadler' })).toThrow(/Fix: set handler to one of the functions index\.py defines \(handler, async_handler\)/);
  });

  test('the default handler name is checked too (renamed function)', () => {
    const entry = writeEntry(tmpdir(), { 'index.py': 'def main(event, context):\n    return 1\n' });
    expect(() => synth({ entry })).toThrow(/handler: 'index\.py' defines no 'handler'.*Fix: set handler to one of the functions index\.py defines \(main\)/);
  });

  test('a nested index is read', () => {
    const nested = path.join(__dirname, '..', 'fixtures', 'function', 'nested');
    expect(() => synth({ entry: nested, index: 'app/main.py', handler: 'handler' })).toThrow(/'app\/main\.py' defines no 'handler'.*\(run\)/);
  });

  test('a star import cannot be checked and is accepted', () => {
    const entry = writeEntry(tmpdir(), { 'index.py': 'from app.handlers import *\n' });
    expect(() => synth({ entry })).not.toThrow();
  });

  test.each(['index.handler', 'my-handler', '1handler', 'class', 'def'])('%s is not a Python identifier', (handler) => {
    expectRuleError({ handler }, 'handler', /is not a Python function name/, AWS_RULES.PYTHON_HANDLER);
  });

  test('a folder named like the index is rejected', () => {
    const entry = writeEntry(tmpdir(), { 'index.py/x': '' });
    expect(() => synth({ entry })).toThrow(/index: 'index\.py' in .* is not a file/);
  });

  test('a file with CRLF line endings is read', () => {
    const entry = writeEntry(tmpdir(), { 'index.py': 'import json\r\n\r\ndef handler(event, context):\r\n    return 1\r\n' });
    expect(fs.readFileSync(path.join(entry, 'index.py'), 'utf8')).toContain('\r\n');
    expect(() => synth({ entry })).not.toThrow();
  });
});

describe('SnapStart regions', () => {
  test.each(SNAPSTART_UNSUPPORTED_REGIONS)('a stack in %s fails at synth', (region) => {
    expect(() => synth({}, stack(region))).toThrow(new RegExp(`S/Fn: coldStart: enables SnapStart .* in ${region}.*${AWS_RULES.SNAPSTART_REGIONS.rule.replace(/[()]/g, '\\$&')}.*Fix:`));
  });

  test('the same region with provisioned concurrency or on demand is fine', () => {
    expect(() => synth({ coldStart: pc(1, 2) }, stack('ap-east-2'))).not.toThrow();
    expect(() => synth({ coldStart: ColdStartStrategy.onDemand() }, stack('ap-southeast-6'))).not.toThrow();
  });

  test('an environment-agnostic stack gets one warning, however many SnapStart functions it has', () => {
    const s = stack('agnostic');
    for (let i = 0; i < 3; i++) {
      new OptimizedPythonFunction(s, `Fn${i}`, { entry: ENTRY });
    }
    const warnings = Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp('SnapStart is on, but this stack is environment-agnostic'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toContain('ap-southeast-6, ap-east-2');
  });

  test('a stack in a region with SnapStart gets no warning', () => {
    const s = stack('eu-west-1');
    new OptimizedPythonFunction(s, 'Fn', { entry: ENTRY });
    expect(Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp('environment-agnostic'))).toHaveLength(0);
  });
});

describe('initProfile durations in the wrong unit', () => {
  test('timeout given as milliseconds (Duration.seconds(30000))', () => {
    expect(() => synth({ initProfile: { timeout: Duration.seconds(30000) } }))
      .toThrow(/initProfile\.timeout: is 8 hours 20 minutes, longer than any Lambda init can run \(was it meant in milliseconds\?\).*900 seconds.*Fix: give a Duration in its own unit, e.g\. Duration\.seconds\(30\)/);
  });

  test('timeout below a second (Duration.millis(30))', () => {
    expect(() => synth({ initProfile: { timeout: Duration.millis(30) } })).toThrow(/initProfile\.timeout: is 30 millis.*always times out/);
  });

  test('budget given as seconds that meant milliseconds (Duration.seconds(500000))', () => {
    expect(() => synth({ initProfile: { budget: Duration.seconds(500000) } })).toThrow(/initProfile\.budget: is .*was it meant in milliseconds/);
  });

  test('sensible values and tokens pass validation', () => {
    const s = stack();
    const n = Token.asNumber({ Ref: 'P' });
    expect(() => new OptimizedPythonFunction(s, 'Fn', {
      entry: ENTRY, initProfile: { timeout: Duration.seconds(n), budget: Duration.millis(n) },
    })).not.toThrow();
  });
});
