/**
 * Scenario: an OptimizedPythonFunction in a VPC (isolated subnets, no NAT). SnapStart works in a VPC.
 * A deployment would check: invoking the alias returns the handler's result and the version runs in the VPC.
 */
import * as path from 'path';
import * as integ from '@aws-cdk/integ-tests-alpha';
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { OptimizedPythonFunction } from '../lib';

const app = new cdk.App();
const stack = new cdk.Stack(app, 'ColdstartVpc');
const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
});
const fn = new OptimizedPythonFunction(stack, 'Api', {
  entry: path.join(__dirname, 'handlers', 'api'),
  vpc,
  vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  monitoring: { dashboardName: 'integ-coldstart-vpc' },
});

const test = new integ.IntegTest(app, 'FunctionInVpc', { testCases: [stack] });

test.assertions.invokeFunction({ functionName: fn.alias.functionArn })
  .expect(integ.ExpectedResult.objectLike({ StatusCode: 200, Payload: { ok: true } }));

test.assertions.awsApiCall('Lambda', 'getFunctionConfiguration', {
  FunctionName: fn.function.functionName,
  Qualifier: 'live',
}).expect(integ.ExpectedResult.objectLike({
  VpcConfig: { VpcId: vpc.vpcId },
  SnapStart: { ApplyOn: 'PublishedVersions', OptimizationStatus: 'On' },
}));

app.synth();
