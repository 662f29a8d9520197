/**
 * Scenario: provisioned concurrency on the alias, auto-scaled, with a schedule; SnapStart off.
 *
 * Application Auto Scaling alone owns the alias' provisioned concurrency: the alias has no
 * ProvisionedConcurrencyConfig in the template (with both, CloudFormation and Application Auto Scaling fight
 * over the value: aws-cdk#29992, #30503, #31507). The assertions prove the first deploy still has minCapacity
 * ready: the scalable target is registered with the right min/max, and Lambda reports a READY provisioned
 * concurrency config of minCapacity on the alias (allocated by Application Auto Scaling, so polled).
 */
import * as path from 'path';
import * as integ from '@aws-cdk/integ-tests-alpha';
import * as cdk from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import { ColdStartStrategy, OptimizedPythonFunction } from '../lib';

const app = new cdk.App();
const stack = new cdk.Stack(app, 'ColdstartProvisioned');
const fn = new OptimizedPythonFunction(stack, 'Api', {
  entry: path.join(__dirname, 'handlers', 'api'),
  coldStart: ColdStartStrategy.provisionedConcurrency({
    minCapacity: 1,
    maxCapacity: 3,
    schedules: [{ name: 'business-hours', schedule: appscaling.Schedule.cron({ weekDay: 'MON-FRI', hour: '7', minute: '45' }), minCapacity: 2 }],
  }),
  aliasName: 'prod',
  monitoring: { dashboardName: 'integ-coldstart-provisioned' },
});

const test = new integ.IntegTest(app, 'ProvisionedConcurrency', { testCases: [stack] });

test.assertions.awsApiCall('Lambda', 'getProvisionedConcurrencyConfig', {
  FunctionName: fn.function.functionName,
  Qualifier: 'prod',
}).expect(integ.ExpectedResult.objectLike({ RequestedProvisionedConcurrentExecutions: 1, AllocatedProvisionedConcurrentExecutions: 1, Status: 'READY' }))
  .waitForAssertions({ totalTimeout: cdk.Duration.minutes(15), interval: cdk.Duration.seconds(30) });

test.assertions.awsApiCall('ApplicationAutoScaling', 'describeScalableTargets', {
  ServiceNamespace: 'lambda',
  ResourceIds: [cdk.Fn.join('', ['function:', fn.function.functionName, ':prod'])],
}).expect(integ.ExpectedResult.objectLike({
  ScalableTargets: [{ ScalableDimension: 'lambda:function:ProvisionedConcurrency', MinCapacity: 1, MaxCapacity: 3 }],
}));

test.assertions.awsApiCall('Lambda', 'getFunctionConfiguration', {
  FunctionName: fn.function.functionName,
  Qualifier: 'prod',
}).expect(integ.ExpectedResult.objectLike({ SnapStart: { ApplyOn: 'None' } }));

test.assertions.invokeFunction({ functionName: fn.alias.functionArn })
  .expect(integ.ExpectedResult.objectLike({ StatusCode: 200, Payload: { ok: true } }));

app.synth();
