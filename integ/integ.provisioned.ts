/**
 * Scenario: provisioned concurrency on the alias, auto-scaled, with a schedule; SnapStart off.
 * A deployment would check: the alias' PC config is READY, and the scalable target is registered with the
 * right min/max.
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
}).expect(integ.ExpectedResult.objectLike({ RequestedProvisionedConcurrentExecutions: 1, Status: 'READY' }));

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
