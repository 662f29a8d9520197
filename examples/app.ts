import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

const app = new cdk.App();
const stack = new cdk.Stack(app, 'ColdstartExample', {
  env: { region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1' },
});

new lambda.Function(stack, 'Hello', {
  runtime: lambda.Runtime.PYTHON_3_12,
  architecture: lambda.Architecture.ARM_64,
  handler: 'index.handler',
  code: lambda.Code.fromAsset(path.join(__dirname, 'handlers', 'hello')),
});

app.synth();
