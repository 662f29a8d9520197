import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { l2Fn, tmpdir } from './util';
import { ColdStartChecks, ColdStartPolicyValidationPlugin } from '../../lib/compliance';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'compliance');

test('validate() on a template: error findings fail, with the resource and message', () => {
  const report = new ColdStartPolicyValidationPlugin().validate({ templatePaths: [path.join(FIXTURES, 'legacy.json')] });
  expect(report.success).toBe(false);
  const pcs6 = report.violations.find((v) => v.ruleName === 'PCS6')!;
  expect(pcs6).toMatchObject({ severity: 'ERROR', violatingResources: [expect.objectContaining({ resourceLogicalId: 'OrdersLatestAlias', locations: [expect.stringContaining('$LATEST')] })] });
});

test('template suppressions are honoured; warnings alone succeed', () => {
  const report = new ColdStartPolicyValidationPlugin().validate({ templatePaths: [path.join(FIXTURES, 'clean.json')] });
  expect(report.success).toBe(true);
  expect(report.violations.map((v) => v.ruleName)).not.toContain('PCS8');
});

test('as policyValidationBeta1: synthesis fails on SnapStart + PC, suppression made with suppress() passes', () => {
  const build = (suppress: boolean) => {
    const app = new App({ outdir: tmpdir(), policyValidationBeta1: [new ColdStartPolicyValidationPlugin({ rules: { PCS3: { enabled: false } } })] });
    const s = new Stack(app, 'S');
    const fn = l2Fn(s, { snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS });
    fn.addAlias('live', { provisionedConcurrentExecutions: 1 });
    if (suppress) {
      ColdStartChecks.suppress(s, 'PCS4', 'accepted for the demo');
    }
    return app;
  };
  // CDK prints the report and sets process.exitCode = 1 when a plugin reports failure.
  const out: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const err = jest.spyOn(console, 'error').mockImplementation((...a) => void out.push(a.join(' ')));
  try {
    build(false).synth();
    expect(process.exitCode).toBe(1);
    expect(out.join('\n')).toMatch(/PCS4[\s\S]*Validation failed/);
    process.exitCode = 0;
    out.length = 0;
    build(true).synth();
    expect(process.exitCode).toBe(0);
    expect(out.join('\n')).toMatch(/Policy Validation Successful/);
  } finally {
    process.exitCode = 0;
    log.mockRestore();
    err.mockRestore();
  }
});
