import * as path from 'path';
import * as integ from '@aws-cdk/integ-tests-alpha';
import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

const app = new cdk.App();
const stack = new cdk.Stack(app, 'PlaceholderStack');
const fn = new lambda.Function(stack, 'Fn', {
  runtime: lambda.Runtime.PYTHON_3_12,
  architecture: lambda.Architecture.ARM_64,
  handler: 'index.handler',
  code: lambda.Code.fromAsset(path.join(__dirname, '..', 'examples', 'handlers', 'hello')),
});
const test = new integ.IntegTest(app, 'Placeholder', { testCases: [stack] });
test.assertions.invokeFunction({ functionName: fn.functionName }).expect(
  integ.ExpectedResult.objectLike({ StatusCode: 200 }),
);
app.synth();
