/**
 * Scenario: several aliases on one function (prod with provisioned concurrency, dev without).
 * A deployment would check: both aliases answer, and only prod has provisioned concurrency.
 */
import * as path from 'path';
import * as integ from '@aws-cdk/integ-tests-alpha';
import * as cdk from 'aws-cdk-lib';
import { ColdStartStrategy, OptimizedPythonFunction } from '../lib';

const app = new cdk.App();
const stack = new cdk.Stack(app, 'ColdstartAliases');
const fn = new OptimizedPythonFunction(stack, 'Api', {
  entry: path.join(__dirname, 'handlers', 'api'),
  coldStart: ColdStartStrategy.provisionedConcurrency({ minCapacity: 1, maxCapacity: 2 }),
  aliasName: 'prod',
  additionalAliases: [{ aliasName: 'dev', description: 'no provisioned concurrency' }],
  monitoring: { dashboardName: 'integ-coldstart-aliases' },
});

const test = new integ.IntegTest(app, 'SeveralAliases', { testCases: [stack] });

for (const alias of fn.aliases) {
  test.assertions.invokeFunction({ functionName: alias.functionArn, payload: JSON.stringify({ echo: alias.aliasName }) })
    .expect(integ.ExpectedResult.objectLike({ StatusCode: 200, Payload: { ok: true, echo: alias.aliasName } }));
}

test.assertions.awsApiCall('Lambda', 'listProvisionedConcurrencyConfigs', { FunctionName: fn.function.functionName })
  .expect(integ.ExpectedResult.objectLike({
    ProvisionedConcurrencyConfigs: [integ.Match.objectLike({ FunctionArn: integ.Match.stringLikeRegexp(':prod$') })],
  }));

app.synth();
