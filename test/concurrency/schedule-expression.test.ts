import { Duration } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import { scheduleExpressionProblem } from '../../lib/concurrency/schedule-expression';

describe('accepted: what Application Auto Scaling documents and what CDK builds', () => {
  test.each([
    'rate(1 minute)', 'rate(5 minutes)', 'rate(1 hour)', 'rate(12 hours)', 'rate(1 day)', 'rate(7 days)',
    'cron(0 8 * * ? *)', 'cron(30 6 ? * MON *)', 'cron(0 9-17 ? * MON-FRI *)', 'cron(*/15 * * * ? *)', 'cron(0,30 * * * ? *)',
    'cron(0 9 L * ? *)', 'cron(0 9 LW * ? *)', 'cron(0 9 15W * ? *)', 'cron(0 0 ? * MON#1 *)', 'cron(0 0 ? * 6L *)',
    'cron(0 10 1 1,4,7,10 ? 2027-2030)', 'cron(0 18 ? jan-dec mon-fri *)', 'at(2027-01-31T08:00:00)',
  ])('%s', (e) => {
    expect(scheduleExpressionProblem(e)).toBeUndefined();
  });

  test('every expression CDK renders from Schedule.rate/cron/at', () => {
    for (const s of [
      appscaling.Schedule.rate(Duration.minutes(1)), appscaling.Schedule.rate(Duration.days(2)),
      appscaling.Schedule.cron({ minute: '0', hour: '8' }), appscaling.Schedule.cron({ weekDay: 'MON-FRI', hour: '7', minute: '45' }),
      appscaling.Schedule.cron({ day: '1', month: '1', hour: '0', minute: '0', year: '2030' }),
      appscaling.Schedule.at(new Date(Date.UTC(2030, 11, 31, 23, 59, 59))),
    ]) {
      expect(scheduleExpressionProblem(s.expressionString)).toBeUndefined();
    }
  });
});

describe('rejected, with what is wrong', () => {
  test.each([
    ['rate(1 minutes)', /plural unit for 1: write rate\(1 minute\)/],
    ['rate(5 minute)', /singular unit for 5: write rate\(5 minutes\)/],
    ['rate(1.5 hours)', /not a positive whole number/],
    ['rate(-1 days)', /not a positive whole number/],
    ['rate(5)', /not rate\(value unit\)/],
    ['rate(2 seconds)', /unit 'seconds'/],
    ['cron(0 8 * * *)', /has 5 fields; Application Auto Scaling cron has six/],
    ['cron(0 8 * * ? * *)', /has 7 fields/],
    ['cron(0 24 * * ? *)', /hours '24' is out of range \(0-23\)/],
    ['cron(0 8 0 * ? *)', /day-of-month '0' is out of range \(1-31\)/],
    ['cron(0 8 ? 0 MON *)', /month '0' is out of range/],
    ['cron(0 8 ? * 0 *)', /day-of-week '0' is out of range \(1-7\)/],
    ['cron(0 8 * * ? 1969)', /year '1969' is out of range/],
    ['cron(? 8 * * ? *)', /minutes '\?' cannot be \?/],
    ['cron(0 8 ? * MON#6 *)', /day-of-week 'MON#6'/],
    ['cron(0/0 8 * * ? *)', /step '0'/],
    ['cron(0 8-  * * ? *)', /hours '8-'/],
    ['at(2027-13-01T00:00:00)', /not a real date/],
    ['at(2027-01-01 08:00:00)', /not at\(yyyy-mm-ddThh:mm:ss\)/],
    ['rate(5 minutes', /not at\(\.\.\.\), rate\(\.\.\.\) or cron\(\.\.\.\)/],
  ])('%s', (e, problem) => {
    expect(scheduleExpressionProblem(e)).toMatch(problem);
  });
});
