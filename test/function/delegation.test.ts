import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { OptimizedPythonFunction, OptimizedPythonFunctionProps } from '../../lib';

const ENTRY = path.join(__dirname, '..', 'fixtures', 'function', 'basic');

/** Bundling is skipped (no Python needed): these tests are about wiring. */
function stack(): Stack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
}

function fn(s: Stack, props: Partial<OptimizedPythonFunctionProps> = {}): OptimizedPythonFunction {
  return new OptimizedPythonFunction(s, 'Fn', { entry: ENTRY, ...props });
}

const ALIAS_REF = { Ref: Match.stringLikeRegexp('^FnAlias') };
/** Event source mappings name the alias as `<function name>:live` (the name taken from the alias ARN). */
function expectAliasMapping(t: Template): void {
  const mappings = Object.values(t.findResources('AWS::Lambda::EventSourceMapping'));
  expect(mappings).toHaveLength(1);
  const name = json(mappings[0].Properties.FunctionName);
  expect(name).toMatch(/"Ref":"FnAlias[0-9A-F]{8}"/);
  expect(name).toContain('":live"');
}
function expectAliasRef(value: unknown): void {
  expect(json(value)).toMatch(/^\{"Ref":"FnAlias[0-9A-F]{8}"\}$/);
}
const FUNCTION_ARN = { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnFunction[0-9A-F]{8}$'), 'Arn'] };
const ROLE_REF = { Ref: Match.stringLikeRegexp('^FnServiceRole') };

/** Every string and intrinsic in a template fragment, flattened (to assert what is never referenced). */
function json(value: unknown): string {
  return JSON.stringify(value);
}

describe('is a lambda.IFunction that invokes the default alias', () => {
  test('type: assignable to IFunction, IGrantable and IConnectable', () => {
    const s = stack();
    const f = fn(s);
    const asFunction: lambda.IFunction = f;
    const asGrantable: iam.IGrantable = f;
    const asConnectable: ec2.IConnectable = f;
    expect(asFunction.functionArn).toBe(f.alias.functionArn);
    expect(asGrantable.grantPrincipal).toBe(f.function.role);
    expect(asConnectable).toBe(f);
    expect(f.latestVersion).toBe(f.function.latestVersion);
    expect(f.permissionsNode).toBe(f.alias.node);
    expect(f.stack).toBe(s);
    expect(f.isBoundToVpc).toBe(false);
  });

  test('LambdaRestApi: the integration URI and the invoke permission name the alias', () => {
    const s = stack();
    const f = fn(s);
    new apigw.LambdaRestApi(s, 'Api', { handler: f });
    const t = Template.fromStack(s);
    const methods = t.findResources('AWS::ApiGateway::Method');
    expect(Object.keys(methods).length).toBeGreaterThan(0);
    for (const m of Object.values(methods)) {
      const uri = json(m.Properties.Integration.Uri);
      expect(uri).toMatch(/"Ref":"FnAlias[0-9A-F]{8}"/);
      expect(uri).not.toMatch(/FnFunction[0-9A-F]{8}","Arn"/);
    }
    const permissions = t.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'apigateway.amazonaws.com' } });
    expect(Object.keys(permissions).length).toBeGreaterThan(0);
    for (const p of Object.values(permissions)) {
      expectAliasRef(p.Properties.FunctionName);
    }
  });

  test('SQS event source: the mapping targets the alias, the role may consume the queue', () => {
    const s = stack();
    const f = fn(s);
    const queue = new sqs.Queue(s, 'Queue');
    f.addEventSource(new sources.SqsEventSource(queue));
    const t = Template.fromStack(s);
    expectAliasMapping(t);
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [ROLE_REF],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: Match.arrayWith(['sqs:ReceiveMessage', 'sqs:DeleteMessage']),
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Queue'), 'Arn'] },
        })]),
      },
    });
  });

  test('the event source also works the CDK way round: new SqsEventSource(queue).bind(fn)', () => {
    const s = stack();
    const f = fn(s);
    new sources.SqsEventSource(new sqs.Queue(s, 'Queue')).bind(f);
    expectAliasMapping(Template.fromStack(s));
  });

  test('DynamoDB grantReadWriteData(fn): the function role gets the grant', () => {
    const s = stack();
    const f = fn(s);
    const table = new dynamodb.Table(s, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    table.grantReadWriteData(f);
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [ROLE_REF],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: Match.arrayWith(['dynamodb:GetItem', 'dynamodb:PutItem']),
          Resource: Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Table'), 'Arn'] }]),
        })]),
      },
    });
  });

  test('Step Functions LambdaInvoke: the state invokes the alias and the state machine may invoke only the alias', () => {
    const s = stack();
    const f = fn(s);
    const machine = new sfn.StateMachine(s, 'Machine', {
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(s, 'Invoke', { lambdaFunction: f })),
    });
    const t = Template.fromStack(s);
    const definition = json(t.findResources('AWS::StepFunctions::StateMachine')[s.getLogicalId(machine.node.defaultChild as sfn.CfnStateMachine)].Properties.DefinitionString);
    expect(definition).toMatch(/"Ref":"FnAlias[0-9A-F]{8}"/);
    expect(definition).not.toMatch(/FnFunction[0-9A-F]{8}\\?","Arn/);
    const policies = t.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^MachineRole') }] } });
    const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const invoke = statements.filter((st) => json(st.Action).includes('lambda:InvokeFunction'));
    expect(invoke).toHaveLength(1);
    const resources = ([] as unknown[]).concat(invoke[0].Resource);
    expect(resources.length).toBeGreaterThan(0);
    for (const r of resources) {
      expect(json(r)).toMatch(/FnAlias[0-9A-F]{8}/);
    }
  });

  test('grantInvoke grants the alias only, never the unqualified function or $LATEST', () => {
    const s = stack();
    const f = fn(s);
    const role = new iam.Role(s, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    f.grantInvoke(role);
    const statements = Object.values(Template.fromStack(s).findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^Caller') }] } }))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toHaveLength(1);
    expectAliasRef(statements[0].Resource);
    expect(json(statements)).not.toContain(json(FUNCTION_ARN).slice(1, -1));
  });

  test('addPermission goes to the alias; addEnvironment to the function (and publishes a new version)', () => {
    const s1 = stack();
    fn(s1);
    const s2 = stack();
    const f2 = fn(s2);
    f2.addPermission('Sns', { principal: new iam.ServicePrincipal('sns.amazonaws.com') });
    f2.addEnvironment('TABLE', 'orders');
    const t1 = Template.fromStack(s1);
    const t2 = Template.fromStack(s2);
    t2.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'sns.amazonaws.com', FunctionName: ALIAS_REF });
    t2.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ TABLE: 'orders' }) } });
    // The version's logical id hashes the configuration: a new environment variable publishes a new version.
    const versionIds = (t: Template) => Object.keys(t.findResources('AWS::Lambda::Version'));
    expect(versionIds(t2)).toHaveLength(1);
    expect(versionIds(t2)).not.toEqual(versionIds(t1));
  });

  test('metrics are the alias metrics (FunctionName and Resource dimensions)', () => {
    const s = stack();
    const f = fn(s);
    for (const m of [f.metricInvocations(), f.metricDuration(), f.metricThrottles(), f.metricErrors(), f.metric('ConcurrentExecutions')]) {
      expect(Object.keys(m.dimensions ?? {}).sort()).toEqual(['FunctionName', 'Resource']);
      expect(s.resolve(m.dimensions!.Resource)).toEqual({ 'Fn::Join': ['', [{ Ref: s.getLogicalId(f.function.node.defaultChild as lambda.CfnFunction) }, ':live']] });
    }
  });

  test('addFunctionUrl and addEventSourceMapping qualify the alias', () => {
    const s = stack();
    const f = fn(s);
    f.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    f.addEventSourceMapping('Kinesis', { eventSourceArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/s', startingPosition: lambda.StartingPosition.LATEST });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Lambda::Url', { Qualifier: 'live' });
    expectAliasMapping(t);
  });

  test('addToRolePolicy and connections are the function\'s', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const f = fn(s, { vpc });
    expect(f.isBoundToVpc).toBe(true);
    expect(f.connections).toBe(f.function.connections);
    f.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }));
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [ROLE_REF],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 's3:GetObject' })]) },
    });
  });
});

describe('least-privilege execution role', () => {
  test('no managed policy; logs:CreateLogStream/PutLogEvents on its own log group only', () => {
    const s = stack();
    fn(s);
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::IAM::Role', 1);
    t.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: Match.absent(),
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] },
    });
    t.hasResourceProperties('AWS::Lambda::Function', { Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnServiceRole'), 'Arn'] } });
    const statements = Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toHaveLength(1);
    expect(statements[0].Effect).toBe('Allow');
    expect(statements[0].Action).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(json(statements[0].Resource)).toMatch(/^\{"Fn::GetAtt":\["FnLogGroup[0-9A-F]{8}","Arn"\]\}$/);
    expect(json(t.toJSON())).not.toContain('AWSLambdaBasicExecutionRole');
  });

  test('a fleet of 30 functions: one role each, each allowed to write to its own log group only', () => {
    const s = stack();
    for (let i = 0; i < 30; i++) new OptimizedPythonFunction(s, `Fn${i}`, { entry: ENTRY, monitoring: { enabled: false } });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::IAM::Role', 30);
    t.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    for (let i = 0; i < 30; i++) {
      const policies = Object.values(t.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp(`^Fn${i}ServiceRole`) }] } }));
      expect(policies).toHaveLength(1);
      const resources = policies[0].Properties.PolicyDocument.Statement.map((st: any) => json(st.Resource));
      expect(resources).toEqual([expect.stringMatching(new RegExp(`^\\{"Fn::GetAtt":\\["Fn${i}LogGroup[0-9A-F]{8}","Arn"\\]\\}$`))]);
    }
  });

  test('in a VPC the role also gets AWSLambdaVPCAccessExecutionRole (Lambda needs it for the ENIs)', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    fn(s, { vpc });
    const t = Template.fromStack(s);
    const arns = json(Object.values(t.findResources('AWS::IAM::Role')).map((r) => r.Properties.ManagedPolicyArns));
    expect(arns).toContain('AWSLambdaVPCAccessExecutionRole');
    expect(arns).not.toContain('AWSLambdaBasicExecutionRole');
  });

  test('a role of the user\'s is used as it is; no extra role is created', () => {
    const s = stack();
    const role = new iam.Role(s, 'Mine', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const f = fn(s, { role });
    expect(f.role).toBe(role);
    expect(f.grantPrincipal).toBe(role);
    Template.fromStack(s).resourceCountIs('AWS::IAM::Role', 1);
  });

  test('an imported log group: the grant names that log group', () => {
    const s = stack();
    const lg = logs.LogGroup.fromLogGroupName(s, 'Shared', 'shared-logs');
    fn(s, { logGroup: lg });
    const statements = Object.values(Template.fromStack(s).findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(json(statements)).toContain('log-group:shared-logs:*');
  });
});

describe('logRetention', () => {
  test('maps to the explicit log group\'s retention (no LogRetention custom resource, no CDK error)', () => {
    const s = stack();
    fn(s, { logRetention: logs.RetentionDays.ONE_WEEK });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    t.resourceCountIs('Custom::LogRetention', 0);
    t.resourceCountIs('AWS::Logs::LogGroup', 1);
  });

  test('equal to logGroupRetention is accepted', () => {
    const s = stack();
    fn(s, { logRetention: logs.RetentionDays.ONE_WEEK, logGroupRetention: logs.RetentionDays.ONE_WEEK });
    Template.fromStack(s).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test('disagreeing with logGroupRetention fails, naming both', () => {
    expect(() => fn(stack(), { logRetention: logs.RetentionDays.ONE_WEEK, logGroupRetention: logs.RetentionDays.ONE_YEAR }))
      .toThrow(/logRetention \(7 days\) and logGroupRetention \(365 days\) disagree.*set only logGroupRetention/);
  });

  test('with the user\'s own logGroup fails saying where to set the retention', () => {
    const s = stack();
    const lg = new logs.LogGroup(s, 'Mine');
    expect(() => fn(s, { logGroup: lg, logRetention: logs.RetentionDays.ONE_WEEK }))
      .toThrow(/logRetention is set together with your own logGroup.*set the retention on the log group you pass as logGroup/);
  });
});
