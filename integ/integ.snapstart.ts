/**
 * Scenario: the default OptimizedPythonFunction (SnapStart on published versions, alias "live").
 * A deployment would check: invoking the alias returns the handler's result (the layer imports), and the
 * published version reports SnapStart optimization On.
 */
import * as path from 'path';
import * as integ from '@aws-cdk/integ-tests-alpha';
import * as cdk from 'aws-cdk-lib';
import { OptimizedPythonFunction } from '../lib';

const app = new cdk.App();
const stack = new cdk.Stack(app, 'ColdstartSnapStart');
const fn = new OptimizedPythonFunction(stack, 'Api', {
  entry: path.join(__dirname, 'handlers', 'api'),
  monitoring: { dashboardName: 'integ-coldstart-snapstart' },
});

const test = new integ.IntegTest(app, 'SnapStartDefault', { testCases: [stack] });

test.assertions.invokeFunction({ functionName: fn.alias.functionArn, payload: JSON.stringify({ echo: 'x' }) })
  .expect(integ.ExpectedResult.objectLike({
    StatusCode: 200,
    Payload: { ok: true, greeting: 'hello', echo: 'x' },
  }));

test.assertions.awsApiCall('Lambda', 'getFunctionConfiguration', {
  FunctionName: fn.function.functionName,
  Qualifier: fn.currentVersion.version,
}).expect(integ.ExpectedResult.objectLike({
  Runtime: 'python3.12',
  Architectures: ['arm64'],
  SnapStart: { ApplyOn: 'PublishedVersions', OptimizationStatus: 'On' },
}));

test.assertions.awsApiCall('CloudWatch', 'getDashboard', { DashboardName: 'integ-coldstart-snapstart' })
  .expect(integ.ExpectedResult.objectLike({ DashboardName: 'integ-coldstart-snapstart' }));

app.synth();
