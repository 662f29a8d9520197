import * as path from 'path';
import { App, CfnParameter, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AliasWarmer, AliasWarmerProps } from '../../lib/warmup';

const HANDLER_DIR = path.join(__dirname, '..', '..', 'assets', 'warmer');

function setup(fnProps: Partial<lambda.FunctionProps> = {}, aliasProps: Partial<lambda.AliasProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.PYTHON_3_12,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(HANDLER_DIR),
    ...fnProps,
  });
  const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion, ...aliasProps });
  return { app, stack, fn, alias };
}

function warm(props: Partial<AliasWarmerProps> = {}, fnProps: Partial<lambda.FunctionProps> = {}, aliasProps: Partial<lambda.AliasProps> = {}) {
  const s = setup(fnProps, aliasProps);
  const warmer = new AliasWarmer(s.stack, 'Warmer', { alias: s.alias, ...props });
  return { ...s, warmer, template: Template.fromStack(s.stack) };
}

function logicalId(stack: Stack, c: { node: { defaultChild?: any } }): string {
  return stack.getLogicalId(c.node.defaultChild as any);
}

/** Every Resource of every lambda:InvokeFunction statement in the template. */
function invokeResources(template: Template): any[] {
  const out: any[] = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    for (const st of (policy as any).Properties.PolicyDocument.Statement) {
      const actions = [].concat(st.Action);
      if (actions.some((a: string) => a === 'lambda:InvokeFunction' || a === 'lambda:*' || a === '*')) {
        out.push(...[].concat(st.Resource));
      }
    }
  }
  return out;
}

describe('concurrency 1: the rule targets the alias directly', () => {
  test('target is the alias ARN with the warm-up event as input, default rate(5 minutes)', () => {
    const { template, stack, alias } = warm();
    const aliasId = logicalId(stack, alias);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [Match.objectLike({
        Arn: { Ref: aliasId },
        Input: JSON.stringify({ 'cdk-python-coldstart': 'warmup', 'linger_ms': 0 }),
        RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
      })],
    });
    // EventBridge may invoke the alias (qualified), not the function
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { Ref: aliasId },
    });
    const permissions = template.findResources('AWS::Lambda::Permission');
    expect(Object.values(permissions).map((p: any) => p.Properties.FunctionName)).toEqual([{ Ref: aliasId }]);
    // no fan-out warmer, no extra function
    template.resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('payload fields are merged into the event; custom schedule and lingerMs', () => {
    const { template } = warm({
      payload: { tenant: 'acme', nested: { a: [1, 2] } },
      lingerMs: 20,
      schedule: events.Schedule.cron({ minute: '*/3', hour: '8-18' }),
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(*/3 8-18 * * ? *)',
      Targets: [Match.objectLike({
        Input: JSON.stringify({ 'cdk-python-coldstart': 'warmup', 'linger_ms': 20, 'tenant': 'acme', 'nested': { a: [1, 2] } }),
      })],
    });
  });
});

describe('concurrency N > 1: fan-out warmer', () => {
  test('rule targets the warmer; warmer settings', () => {
    const { template, stack, warmer, alias } = warm({ concurrency: 4, payload: { tenant: 'acme' } });
    const aliasId = logicalId(stack, alias);
    const warmerId = logicalId(stack, warmer.warmerFunction!);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [warmerId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 } })],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'python3.12',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 30,
      MemorySize: 256,
      VpcConfig: Match.absent(),
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('WarmerLogs') } },
      Environment: {
        Variables: {
          CDK_PYTHON_COLDSTART_WARMUP_TARGET: { Ref: aliasId },
          CDK_PYTHON_COLDSTART_WARMUP_CONCURRENCY: '4',
          CDK_PYTHON_COLDSTART_WARMUP_PAYLOAD: JSON.stringify({ 'cdk-python-coldstart': 'warmup', 'linger_ms': 100, 'tenant': 'acme' }),
        },
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
    // the warmer's async invocations are never retried
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: warmerId }, Qualifier: '$LATEST', MaximumRetryAttempts: 0,
    });
    expect(warmer.lingerMs).toBe(100);
  });

  test('IAM: lambda:InvokeFunction on the alias ARN only; logs on its own log group only', () => {
    const { template, stack, warmer, alias, fn } = warm({ concurrency: 3 });
    const aliasId = logicalId(stack, alias);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: aliasId } }]),
      },
      Roles: [{ Ref: logicalId(stack, warmer.warmerFunction!.role as any) }],
    });
    const resources = invokeResources(template);
    expect(resources).toEqual([{ Ref: aliasId }]);
    const fnId = logicalId(stack, fn);
    const text = JSON.stringify(resources);
    expect(text).not.toContain(`"${fnId}","Arn"`); // unqualified function ARN
    expect(text).not.toContain('*');
    expect(text).not.toContain('$LATEST');
    // no managed policies (AWSLambdaBasicExecutionRole grants logs on *)
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] }),
      ManagedPolicyArns: Match.absent(),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('WarmerLogs'), 'Arn'] },
        }]),
      },
    });
  });

  test('log retention is configurable', () => {
    const { template } = warm({ concurrency: 2, warmerLogRetention: logs.RetentionDays.ONE_MONTH });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('a token concurrency always uses the fan-out warmer', () => {
    const s = setup();
    const param = new CfnParameter(s.stack, 'N', { type: 'Number', default: 2 });
    const w = new AliasWarmer(s.stack, 'Warmer', { alias: s.alias, concurrency: param.valueAsNumber });
    const template = Template.fromStack(s.stack);
    expect(w.warmerFunction).toBeDefined();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CDK_PYTHON_COLDSTART_WARMUP_CONCURRENCY: { Ref: 'N' } }) },
    });
  });

  test('payload values may be tokens', () => {
    const s = setup();
    new AliasWarmer(s.stack, 'Warmer', { alias: s.alias, concurrency: 2, payload: { region: s.stack.urlSuffix, fn: s.fn.functionName } });
    const env = Template.fromStack(s.stack).findResources('AWS::Lambda::Function', {
      Properties: { Handler: 'index.handler', Timeout: 30 },
    });
    const payload = (Object.values(env)[0] as any).Properties.Environment.Variables.CDK_PYTHON_COLDSTART_WARMUP_PAYLOAD;
    expect(payload['Fn::Join'][1]).toEqual(expect.arrayContaining([{ Ref: 'AWS::URLSuffix' }, { Ref: s.stack.getLogicalId(s.fn.node.defaultChild as any) }]));
  });
});

describe('prewarm on deploy', () => {
  test('custom resource backed by the warmer, re-run when the alias version changes', () => {
    const { template, stack, warmer, alias } = warm({ prewarmOnDeploy: true });
    const warmerId = logicalId(stack, warmer.warmerFunction!);
    // the current version's logical id carries a hash of the code and configuration
    const versionId = Object.keys(template.findResources('AWS::Lambda::Version'))[0];
    expect(versionId).toMatch(/^FnCurrentVersion/);
    template.hasResourceProperties('Custom::ColdstartPrewarm', {
      ServiceToken: { 'Fn::GetAtt': [warmerId, 'Arn'] },
      Target: { Ref: logicalId(stack, alias) },
      Version: { 'Fn::GetAtt': [versionId, 'Version'] },
      Concurrency: 1,
    });
    // concurrency 1: the schedule still targets the alias directly
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ Arn: { Ref: logicalId(stack, alias) } })],
    });
    // the warmer (the service token) is created after its invoke policy is attached
    template.hasResource('AWS::Lambda::Function', {
      Properties: { Timeout: 30 },
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('WarmerRoleDefaultPolicy')]),
    });
    expect(invokeResources(template)).toEqual([{ Ref: logicalId(stack, alias) }]);
  });

  test('off by default: no custom resource', () => {
    const { template } = warm({ concurrency: 2 });
    template.resourceCountIs('Custom::ColdstartPrewarm', 0);
  });
});

describe('provisioned concurrency covering the alias', () => {
  test('detected from the alias: nothing created, visible warning saying how to force', () => {
    const { template, warmer, stack } = warm({ concurrency: 2 }, {}, { provisionedConcurrentExecutions: 2 });
    expect(warmer.enabled).toBe(false);
    template.resourceCountIs('AWS::Events::Rule', 0);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    Annotations.fromStack(stack).hasWarning('/S/Warmer', Match.stringLikeRegexp('provisioned concurrency covers alias.*only add cost.*force: true'));
  });

  test('detected from auto scaling', () => {
    const s = setup();
    s.alias.addAutoScaling({ minCapacity: 1, maxCapacity: 4 });
    const w = new AliasWarmer(s.stack, 'Warmer', { alias: s.alias });
    expect(w.enabled).toBe(false);
    Template.fromStack(s.stack).resourceCountIs('AWS::Events::Rule', 0);
  });

  test('declared by the caller', () => {
    const { template, warmer } = warm({ provisionedConcurrencyCovered: true });
    expect(warmer.enabled).toBe(false);
    template.resourceCountIs('AWS::Events::Rule', 0);
  });

  test('force: true warms anyway, without the warning', () => {
    const { template, warmer, stack } = warm({ force: true }, {}, { provisionedConcurrentExecutions: 2 });
    expect(warmer.enabled).toBe(true);
    template.resourceCountIs('AWS::Events::Rule', 1);
    Annotations.fromStack(stack).hasNoWarning('/S/Warmer', Match.anyValue());
  });

  test('caller can override detection with false', () => {
    const { template } = warm({ provisionedConcurrencyCovered: false }, {}, { provisionedConcurrentExecutions: 2 });
    template.resourceCountIs('AWS::Events::Rule', 1);
  });

  test('without provisioned concurrency there is no warning', () => {
    const { stack, warmer } = warm({ concurrency: 2 });
    expect(warmer.enabled).toBe(true);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('bad input: synth-time errors with the fix', () => {
  const cases: Array<[string, Partial<AliasWarmerProps>, RegExp]> = [
    ['concurrency 0', { concurrency: 0 }, /^concurrency: must be a whole number of at least 1 \(got 0\)/],
    ['negative concurrency', { concurrency: -3 }, /concurrency: must be a whole number of at least 1/],
    ['fractional concurrency', { concurrency: 2.5 }, /concurrency: must be a whole number/],
    ['concurrency above the cap', { concurrency: 51 }, /concurrency: must be at most 50 \(got 51\).*provisioned concurrency/],
    ['sub-minute rate', { schedule: events.Schedule.expression('rate(30 seconds)') }, /schedule: 'rate\(30 seconds\)' runs more often than once a minute.*Duration.minutes\(1\)/],
    ['unknown rate unit', { schedule: events.Schedule.expression('rate(2 weeks)') }, /schedule: 'rate\(2 weeks\)' has an unknown rate unit/],
    ['zero rate', { schedule: events.Schedule.expression('rate(0 minutes)') }, /schedule: 'rate\(0 minutes\)' must use a whole number of at least 1/],
    ['not a rule schedule', { schedule: events.Schedule.expression('at(2026-01-01T00:00:00)') }, /schedule: .*not an EventBridge rule schedule/],
    ['array payload', { payload: [1, 2] as any }, /^payload: must be a JSON object \(got an array\).*Wrap the value/],
    ['string payload', { payload: 'warm' as any }, /^payload: must be a JSON object \(got a string\)/],
    ['null payload', { payload: null as any }, /^payload: must be a JSON object \(got null\)/],
    ['reserved marker key', { payload: { 'cdk-python-coldstart': 'x' } }, /payload: must not set the reserved key 'cdk-python-coldstart'/],
    ['reserved linger key', { payload: { linger_ms: 5 } }, /payload: must not set the reserved key 'linger_ms'.*set lingerMs instead/],
    ['function in payload', { payload: { f: () => 1 } }, /payload.f is a function, which JSON cannot represent/],
    ['NaN in payload', { payload: { n: NaN } }, /payload.n is NaN/],
    ['payload too large', { payload: { big: 'x'.repeat(3000) } }, /payload: is \d+ characters as JSON; the limit is 2048/],
    ['linger above the bound', { lingerMs: 5000 }, /lingerMs: must be a whole number of milliseconds from 0 to 1000 \(got 5000\)/],
    ['negative linger', { lingerMs: -1 }, /lingerMs: must be a whole number of milliseconds/],
  ];
  test.each(cases)('%s', (_name, props, message) => {
    const s = setup();
    expect(() => new AliasWarmer(s.stack, 'Warmer', { alias: s.alias, ...props })).toThrow(message);
  });

  test('cyclic payload', () => {
    const s = setup();
    const payload: any = { a: {} };
    payload.a.self = payload.a;
    expect(() => new AliasWarmer(s.stack, 'Warmer', { alias: s.alias, payload })).toThrow(/refers back to itself/);
  });

  test('a whole-payload token is rejected with the reason, not a crash', () => {
    const s = setup();
    expect(() => new AliasWarmer(s.stack, 'Warmer', { alias: s.alias, payload: Lazy.any({ produce: () => ({ a: 1 }) }) as any }))
      .toThrow(/payload: is a token; it must be a literal object/);
  });

  test('concurrency above the function reserved concurrency is an error; equal is a warning', () => {
    expect(() => warm({ concurrency: 3 }, { reservedConcurrentExecutions: 2 })).toThrow(/concurrency: 3 exceeds the function's reserved concurrency \(2\)/);
    const { stack } = warm({ concurrency: 2 }, { reservedConcurrentExecutions: 2 });
    Annotations.fromStack(stack).hasWarning('/S/Warmer', Match.stringLikeRegexp('equals the function\'s reserved concurrency'));
  });

  test('lingerMs 0 with concurrency > 1 warns that invocations may not overlap', () => {
    const { stack } = warm({ concurrency: 3, lingerMs: 0 });
    Annotations.fromStack(stack).hasWarning('/S/Warmer', Match.stringLikeRegexp('may not overlap'));
  });

  test('tokens never crash validation', () => {
    const s = setup();
    const n = new CfnParameter(s.stack, 'N', { type: 'Number' }).valueAsNumber;
    const m = new CfnParameter(s.stack, 'M', { type: 'Number' }).valueAsNumber;
    const rate = new CfnParameter(s.stack, 'R', { type: 'String' }).valueAsString;
    expect(() => new AliasWarmer(s.stack, 'Warmer', {
      alias: s.alias,
      concurrency: n,
      lingerMs: m,
      schedule: events.Schedule.expression(rate),
    })).not.toThrow();
    expect(() => new AliasWarmer(s.stack, 'Warmer2', {
      alias: s.alias,
      schedule: events.Schedule.rate(Duration.minutes(n)),
    })).not.toThrow();
  });

  test('accepted edge values: rate(1 minute), every-minute cron, concurrency 50, linger 1000', () => {
    for (const schedule of [events.Schedule.rate(Duration.minutes(1)), events.Schedule.cron({ minute: '*' })]) {
      const s = setup();
      expect(() => new AliasWarmer(s.stack, 'W', { alias: s.alias, schedule, concurrency: 50, lingerMs: 1000 })).not.toThrow();
    }
  });
});

test('imported alias: warms its qualified ARN', () => {
  const app = new App();
  const stack = new Stack(app, 'S');
  const fn = lambda.Function.fromFunctionAttributes(stack, 'Fn', {
    functionArn: 'arn:aws:lambda:us-east-1:111111111111:function:orders', sameEnvironment: true,
  });
  const alias = lambda.Alias.fromAliasAttributes(stack, 'A', { aliasName: 'live', aliasVersion: lambda.Version.fromVersionArn(stack, 'V', `${fn.functionArn}:7`) });
  new AliasWarmer(stack, 'Warmer', { alias, concurrency: 2 });
  const template = Template.fromStack(stack);
  const resources = invokeResources(template);
  expect(resources).toHaveLength(1);
  expect(JSON.stringify(resources[0])).toContain(':live');
});
