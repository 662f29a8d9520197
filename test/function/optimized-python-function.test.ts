import * as path from 'path';
import { App, Duration, Size, Stack, TimeZone, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ColdStartStrategy, OptimizedPythonFunction, OptimizedPythonFunctionProps } from '../../lib';

const ENTRY = path.join(__dirname, '..', 'fixtures', 'function', 'basic');

/** Bundling is skipped here (no Python needed): these tests are about the function's configuration. */
function stack(): Stack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
}

function synth(props: Partial<OptimizedPythonFunctionProps> = {}): Template {
  const s = stack();
  new OptimizedPythonFunction(s, 'Fn', { entry: ENTRY, ...props });
  return Template.fromStack(s);
}

function pc(min: number, max: number, extra: object = {}) {
  return ColdStartStrategy.provisionedConcurrency({ minCapacity: min, maxCapacity: max, ...extra });
}

describe('defaults', () => {
  const t = synth();

  test('python3.12 on arm64 with 1024 MB and SnapStart on published versions', () => {
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'python3.12',
      Architectures: ['arm64'],
      MemorySize: 1024,
      Handler: 'index.handler',
      SnapStart: { ApplyOn: 'PublishedVersions' },
    });
  });

  test('alias "live" on the current version, no provisioned concurrency', () => {
    t.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      FunctionVersion: { 'Fn::GetAtt': [Match.stringLikeRegexp('FnFunctionCurrentVersion'), 'Version'] },
      ProvisionedConcurrencyConfig: Match.absent(),
    });
    t.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
  });

  test('explicit log group with one month retention, wired into the function', () => {
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    t.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('FnLogGroup') } },
    });
  });
});

test('passes FunctionOptions through', () => {
  synth({ memorySize: 2048, timeout: Duration.seconds(9), environment: { A: 'b' }, description: 'd' })
    .hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 2048, Timeout: 9, Environment: { Variables: { A: 'b' } }, Description: 'd',
    });
});

test('nested index and custom handler name give module path handler', () => {
  synth({ entry: path.join(__dirname, '..', 'fixtures', 'function', 'nested'), index: 'app/main.py', handler: 'run' })
    .hasResourceProperties('AWS::Lambda::Function', { Handler: 'app.main.run' });
});

test('onDemand: neither SnapStart nor provisioned concurrency', () => {
  const t = synth({ coldStart: ColdStartStrategy.onDemand() });
  t.hasResourceProperties('AWS::Lambda::Function', { SnapStart: Match.absent() });
  t.hasResourceProperties('AWS::Lambda::Alias', { ProvisionedConcurrencyConfig: Match.absent() });
});

describe('provisioned concurrency', () => {
  const t = synth({
    coldStart: pc(2, 10, {
      schedules: [{ name: 'business-hours', schedule: appscaling.Schedule.cron({ hour: '8', minute: '0' }), minCapacity: 5, timeZone: TimeZone.EUROPE_PARIS }],
    }),
  });

  test('on the alias, owned by Application Auto Scaling only: no ProvisionedConcurrencyConfig, SnapStart off', () => {
    // aws-cdk#29992/#30503/#31507: PC on the alias *and* a scalable target both own the value.
    t.hasResourceProperties('AWS::Lambda::Function', { SnapStart: Match.absent() });
    t.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', ProvisionedConcurrencyConfig: Match.absent() });
    // The first deploy still provisions minCapacity: the scalable target registers it, after the alias exists.
    const [targetId, target] = Object.entries(t.findResources('AWS::ApplicationAutoScaling::ScalableTarget'))[0];
    expect(target.Properties.MinCapacity).toBe(2);
    const aliasId = Object.keys(t.findResources('AWS::Lambda::Alias'))[0];
    expect(JSON.stringify(target.Properties.ResourceId)).toContain(aliasId);
    expect(targetId).toMatch(/FnAlias/);
  });

  test('scalable target on the alias with min/max and a scheduled action', () => {
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ServiceNamespace: 'lambda',
      ScalableDimension: 'lambda:function:ProvisionedConcurrency',
      MinCapacity: 2,
      MaxCapacity: 10,
      ResourceId: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['function:', ':live'])]) }),
      ScheduledActions: [Match.objectLike({
        ScheduledActionName: 'business-hours',
        Schedule: 'cron(0 8 * * ? *)',
        ScalableTargetAction: { MinCapacity: 5 },
        Timezone: 'Europe/Paris',
      })],
    });
  });

  test('target tracking on LambdaProvisionedConcurrencyUtilization at 0.7 by default', () => {
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'LambdaProvisionedConcurrencyUtilization' },
        TargetValue: 0.7,
      },
    });
  });

  test('custom utilization target', () => {
    synth({ coldStart: pc(1, 3, { utilizationTarget: 0.5 }) }).hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 0.5 }),
    });
  });
});

describe('additional aliases', () => {
  test('each alias on the current version, with its own provisioned concurrency', () => {
    const t = synth({
      coldStart: pc(2, 4),
      aliasName: 'prod',
      additionalAliases: [{ aliasName: 'dev' }, { aliasName: 'canary', provisionedConcurrency: { minCapacity: 1, maxCapacity: 2 } }],
    });
    t.resourceCountIs('AWS::Lambda::Alias', 3);
    for (const name of ['prod', 'dev', 'canary']) {
      t.hasResourceProperties('AWS::Lambda::Alias', { Name: name, ProvisionedConcurrencyConfig: Match.absent() });
    }
    t.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 2);
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2, MaxCapacity: 4, ResourceId: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([':prod'])]) }),
    });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 1, MaxCapacity: 2, ResourceId: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([':canary'])]) }),
    });
  });

  test('exposes every alias, the default first', () => {
    const s = stack();
    const fn = new OptimizedPythonFunction(s, 'Fn', { entry: ENTRY, additionalAliases: [{ aliasName: 'dev' }] });
    expect(fn.aliases.map(a => a.aliasName)).toEqual(['live', 'dev']);
    expect(fn.alias).toBe(fn.aliases[0]);
    expect(fn.currentVersion).toBe(fn.function.currentVersion);
  });
});

test('grantInvoke is scoped to the alias ARN', () => {
  const s = stack();
  const fn = new OptimizedPythonFunction(s, 'Fn', { entry: ENTRY });
  const role = new iam.Role(s, 'Caller', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  fn.grantInvoke(role);
  Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: [Match.objectLike({ Action: 'lambda:InvokeFunction', Resource: { Ref: Match.stringLikeRegexp('FnAlias') } })] },
  });
});

test('tokens do not crash validation: known values are checked, unknown ones skipped', () => {
  const n = () => Token.asNumber({ Ref: 'Param' });
  expect(() => synth({ coldStart: pc(1, 5, { utilizationTarget: n() }), reservedConcurrentExecutions: n() })).not.toThrow();
  expect(() => synth({ ephemeralStorageSize: Size.mebibytes(n()) })).not.toThrow();
  expect(() => synth({ aliasName: Token.asString({ Ref: 'Name' }) })).not.toThrow();
  // a known bad value next to a token is still caught
  expect(() => synth({ coldStart: pc(3, 2, { utilizationTarget: n() }) })).toThrow(/minCapacity/);
});

describe('synth-time errors name the property, the rule and the fix', () => {
  const cases: Array<[string, () => Partial<OptimizedPythonFunctionProps>, RegExp]> = [
    ['SnapStart via passthrough prop with provisioned concurrency', () => ({ coldStart: pc(1, 2), snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS }),
      /snapStart: .*SnapStart together with provisioned concurrency.*Fix: remove snapStart/],
    ['SnapStart with an additional alias carrying provisioned concurrency', () => ({ additionalAliases: [{ aliasName: 'x', provisionedConcurrency: { minCapacity: 1, maxCapacity: 1 } }] }),
      /additionalAliases\['x'\]\.provisionedConcurrency: .*SnapStart together with provisioned concurrency/],
    ['SnapStart below python3.12', () => ({ runtime: lambda.Runtime.PYTHON_3_11 }), /runtime: is python3\.11.*python3\.12 runtime or newer.*Fix:/],
    ['SnapStart with ephemeral storage above 512 MB', () => ({ ephemeralStorageSize: Size.mebibytes(1024) }), /ephemeralStorageSize: is 1024 MiB.*above 512 MB.*Fix:/],
    ['non-Python runtime', () => ({ runtime: lambda.Runtime.NODEJS_20_X }), /runtime: is nodejs20\.x, not a Python runtime/],
    ['PC min > max', () => ({ coldStart: pc(5, 2) }), /coldStart\.provisionedConcurrency\.minCapacity: \(5\) is above maxCapacity \(2\).*Fix: set maxCapacity >= 5/],
    ['PC min < 1', () => ({ coldStart: pc(0, 2) }), /minCapacity: is 0.*at least 1/],
    ['PC target outside 0.1-0.9', () => ({ coldStart: pc(1, 2, { utilizationTarget: 0.95 }) }), /utilizationTarget: is 0\.95.*0\.1 to 0\.9/],
    ['PC at reserved concurrency', () => ({ coldStart: pc(1, 10), reservedConcurrentExecutions: 10 }), /reservedConcurrentExecutions: \(10\) is not above.*\(10\).*Fix: raise reservedConcurrentExecutions above 10/],
    ['PC above reserved through a schedule', () => ({ coldStart: pc(1, 5, { schedules: [{ name: 'peak', schedule: appscaling.Schedule.rate(Duration.hours(1)), maxCapacity: 30 }] }), reservedConcurrentExecutions: 20 }),
      /reservedConcurrentExecutions: \(20\) is not above .*\(30\)/],
    ['missing entry', () => ({ entry: '/does/not/exist' }), /entry: '\/does\/not\/exist' is not a folder/],
    ['missing index', () => ({ index: 'main.py' }), /index: 'main\.py' does not exist in .*Fix: set index to one of: index\.py/],
    ['bad handler', () => ({ handler: 'index.handler' }), /handler: 'index\.handler' is not a Python function name/],
    ['duplicate alias', () => ({ additionalAliases: [{ aliasName: 'live' }] }), /alias 'live' is defined twice/],
    ['alias on $LATEST', () => ({ aliasName: '$LATEST' }), /aliasName: '\$LATEST' is not a valid alias name/],
    ['PC on an alias with onDemand', () => ({ coldStart: ColdStartStrategy.onDemand(), additionalAliases: [{ aliasName: 'x', provisionedConcurrency: { minCapacity: 1, maxCapacity: 1 } }] }),
      /part of the provisioned-concurrency strategy/],
    ['schedule that changes nothing', () => ({ coldStart: pc(1, 5, { schedules: [{ name: 'noop', schedule: appscaling.Schedule.rate(Duration.hours(1)) }] }) }),
      /schedules\['noop'\]: sets neither minCapacity nor maxCapacity/],
    ['schedule min < 1', () => ({ coldStart: pc(1, 5, { schedules: [{ name: 'zero', schedule: appscaling.Schedule.rate(Duration.hours(1)), minCapacity: 0 }] }) }),
      /schedules\['zero'\]\.minCapacity: is 0/],
    ['schedule min > max', () => ({ coldStart: pc(1, 5, { schedules: [{ name: 'inv', schedule: appscaling.Schedule.rate(Duration.hours(1)), minCapacity: 4, maxCapacity: 2 }] }) }),
      /schedules\['inv'\]\.minCapacity: \(4\) is above maxCapacity \(2\)/],
    ['fractional capacity', () => ({ coldStart: pc(1, 2.5) }), /maxCapacity: is 2\.5.*whole number/],
    ['duplicate schedule names', () => ({ coldStart: pc(1, 5, { schedules: [1, 2].map(() => ({ name: 'a', schedule: appscaling.Schedule.rate(Duration.hours(1)), maxCapacity: 3 })) }) }),
      /two schedules are named 'a'/],
  ];
  test.each(cases)('%s', (_name, props, message) => {
    expect(() => synth(props())).toThrow(message);
  });

  test('SnapStart with EFS', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const fs = new efs.FileSystem(s, 'Fs', { vpc });
    const ap = fs.addAccessPoint('Ap');
    expect(() => new OptimizedPythonFunction(s, 'Fn', {
      entry: ENTRY, vpc, filesystem: lambda.FileSystem.fromEfsAccessPoint(ap, '/mnt/data'),
    })).toThrow(/filesystem: is set together with SnapStart.*EFS/);
  });

  test('errors carry the construct path', () => {
    expect(() => synth({ coldStart: pc(0, 1) })).toThrow(/^S\/Fn: /);
  });
});

test('an existing log group is used as is', () => {
  const s = stack();
  const lg = new logs.LogGroup(s, 'Mine');
  new OptimizedPythonFunction(s, 'Fn', { entry: ENTRY, logGroup: lg });
  const t = Template.fromStack(s);
  t.resourceCountIs('AWS::Logs::LogGroup', 1);
  t.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('Mine') } } });
});
