import { CfnParameter, Duration, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { cfnFn, check, codeDir, l2Fn, only, statuses } from './util';
import { ColdStartChecks, FindingLevel } from '../../lib/compliance';

const param = (stack: Stack, id: string, type = 'String') => new CfnParameter(stack, id, { type });

describe('PCS1 runtime older than python3.12', () => {
  test.each([
    ['L1 python3.11', (s: Stack) => cfnFn(s, { runtime: 'python3.11' }), 'NON_COMPLIANT'],
    ['L1 python3.12', (s: Stack) => cfnFn(s, { runtime: 'python3.12' }), 'COMPLIANT'],
    ['L2 PYTHON_3_9', (s: Stack) => l2Fn(s, { runtime: lambda.Runtime.PYTHON_3_9 }), 'NON_COMPLIANT'],
    ['L2 PYTHON_3_13', (s: Stack) => l2Fn(s, { runtime: lambda.Runtime.PYTHON_3_13 }), 'COMPLIANT'],
  ])('%s', (_, build, expected) => {
    expect(statuses(check(build).findings, 'PCS1')).toEqual([expected]);
  });

  test('non-Python functions are not applicable: no finding of any rule', () => {
    const { findings } = check((s) => cfnFn(s, { runtime: 'nodejs20.x' }));
    expect(findings).toEqual([]);
  });

  test('runtime from a parameter is UNKNOWN, naming Runtime', () => {
    const { findings } = check((s) => cfnFn(s, { runtime: param(s, 'Rt').valueAsString }));
    expect(only(findings, 'PCS1')).toMatchObject({ status: 'UNKNOWN', level: 'warning', message: expect.stringContaining('Runtime') });
  });
});

describe('PCS2 x86_64', () => {
  test.each([
    ['L1 default', (s: Stack) => cfnFn(s), 'NON_COMPLIANT'],
    ['L1 arm64', (s: Stack) => cfnFn(s, { architectures: ['arm64'] }), 'COMPLIANT'],
    ['L2 default', (s: Stack) => l2Fn(s), 'NON_COMPLIANT'],
    ['L2 ARM_64', (s: Stack) => l2Fn(s, { architecture: lambda.Architecture.ARM_64 }), 'COMPLIANT'],
  ])('%s', (_, build, expected) => {
    expect(statuses(check(build).findings, 'PCS2')).toEqual([expected]);
  });

  test('token architecture is UNKNOWN naming Architectures', () => {
    const { findings } = check((s) => cfnFn(s, { architectures: [param(s, 'Arch').valueAsString] }));
    expect(only(findings, 'PCS2')).toMatchObject({ status: 'UNKNOWN', message: expect.stringContaining('Architectures') });
  });
});

describe('PCS3 no cold-start mitigation', () => {
  test('L2 without SnapStart, PC or warmer is non-compliant', () => {
    expect(statuses(check((s) => l2Fn(s)).findings, 'PCS3')).toEqual(['NON_COMPLIANT']);
  });
  test('L2 with SnapStart behind an alias is compliant; SnapStart with nothing published is not', () => {
    const snap = { snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS };
    expect(statuses(check((s) => l2Fn(s, snap).addAlias('live')).findings, 'PCS3')).toEqual(['COMPLIANT']);
    expect(only(check((s) => l2Fn(s, snap)).findings, 'PCS3')).toMatchObject({ status: 'NON_COMPLIANT', message: expect.stringContaining('$LATEST') });
  });
  test('L1 with PC on a CfnAlias is compliant', () => {
    const { findings } = check((s) => {
      const fn = cfnFn(s);
      const v = new lambda.CfnVersion(s, 'V', { functionName: fn.ref });
      new lambda.CfnAlias(s, 'A', { functionName: fn.ref, functionVersion: v.attrVersion, name: 'live', provisionedConcurrencyConfig: { provisionedConcurrentExecutions: 1 } });
    });
    expect(statuses(findings, 'PCS3')).toEqual(['COMPLIANT']);
  });
  test('L2 alias whose PC only Application Auto Scaling owns (no ProvisionedConcurrencyConfig) is compliant', () => {
    const { findings } = check((s) => {
      const alias = l2Fn(s).addAlias('live');
      alias.addAutoScaling({ minCapacity: 1, maxCapacity: 3 }).scaleOnUtilization({ utilizationTarget: 0.7 });
    });
    expect(statuses(findings, 'PCS3')).toEqual(['COMPLIANT']);
  });
  test('L2 warmed by a schedule rule on its alias is compliant', () => {
    const { findings } = check((s) => {
      const alias = l2Fn(s).addAlias('live');
      new events.Rule(s, 'Warm', { schedule: events.Schedule.rate(Duration.minutes(5)), targets: [new targets.LambdaFunction(alias)] });
    });
    expect(statuses(findings, 'PCS3')).toEqual(['COMPLIANT']);
  });
  test('SnapStart from a parameter is UNKNOWN naming SnapStart.ApplyOn', () => {
    const { findings } = check((s) => cfnFn(s, { snapStart: { applyOn: param(s, 'Snap').valueAsString } }));
    expect(only(findings, 'PCS3')).toMatchObject({ status: 'UNKNOWN', message: expect.stringContaining('SnapStart.ApplyOn') });
  });
});

describe('PCS4 SnapStart with provisioned concurrency', () => {
  test('L2 SnapStart + PC on an alias is an error on the alias', () => {
    const r = check((s) => l2Fn(s, { snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS }).addAlias('live', { provisionedConcurrentExecutions: 2 }));
    expect(only(r.findings, 'PCS4')).toMatchObject({ status: 'NON_COMPLIANT', level: 'error', resourcePath: 'S/Fn/Aliaslive/Resource' });
    Annotations.fromStack(r.stack).hasError('/S/Fn/Aliaslive/Resource', Match.stringLikeRegexp('\\[PCS4\\]'));
  });
  test('L1 SnapStart + PC on a CfnVersion is an error', () => {
    const { findings } = check((s) => {
      const fn = cfnFn(s, { snapStart: { applyOn: 'PublishedVersions' } });
      new lambda.CfnVersion(s, 'V', { functionName: fn.ref, provisionedConcurrencyConfig: { provisionedConcurrentExecutions: 1 } });
    });
    expect(statuses(findings, 'PCS4')).toEqual(['NON_COMPLIANT']);
  });
  test('SnapStart without PC is compliant; PC without SnapStart is not applicable', () => {
    expect(statuses(check((s) => l2Fn(s, { snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS }).addAlias('live')).findings, 'PCS4')).toEqual(['COMPLIANT']);
    expect(statuses(check((s) => l2Fn(s).addAlias('live', { provisionedConcurrentExecutions: 1 })).findings, 'PCS4')).toEqual([]);
  });
  test('PC from a parameter with SnapStart is UNKNOWN', () => {
    const { findings } = check((s) => {
      const fn = cfnFn(s, { snapStart: { applyOn: 'PublishedVersions' } });
      new lambda.CfnVersion(s, 'V', { functionName: fn.ref, provisionedConcurrencyConfig: { provisionedConcurrentExecutions: param(s, 'Pc', 'Number').valueAsNumber } });
    });
    expect(only(findings, 'PCS4')).toMatchObject({ status: 'UNKNOWN', message: expect.stringContaining('ProvisionedConcurrentExecutions') });
  });
});

describe('PCS5 SnapStart with an unsupported configuration', () => {
  const snap = { applyOn: 'PublishedVersions' };
  test.each([
    ['L1 EFS', (s: Stack) => cfnFn(s, { snapStart: snap, fileSystemConfigs: [{ arn: 'arn:aws:elasticfilesystem:us-east-1:1:access-point/fsap-1', localMountPath: '/mnt/x' }] }), 'NON_COMPLIANT'],
    ['L1 ephemeral 1024 MB', (s: Stack) => cfnFn(s, { snapStart: snap, ephemeralStorage: { size: 1024 } }), 'NON_COMPLIANT'],
    ['L1 python3.11', (s: Stack) => cfnFn(s, { snapStart: snap, runtime: 'python3.11' }), 'NON_COMPLIANT'],
    ['L1 ephemeral 512 MB', (s: Stack) => cfnFn(s, { snapStart: snap, ephemeralStorage: { size: 512 } }), 'COMPLIANT'],
    ['L2 ephemeral override 2048 MB', (s: Stack) => (l2Fn(s, { snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS }).node.defaultChild as lambda.CfnFunction).addPropertyOverride('EphemeralStorage.Size', 2048), 'NON_COMPLIANT'],
    ['L2 SnapStart', (s: Stack) => l2Fn(s, { snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS }), 'COMPLIANT'],
  ])('%s', (_, build, expected) => {
    const { findings } = check(build);
    expect(statuses(findings, 'PCS5')).toEqual([expected]);
    if (expected === 'NON_COMPLIANT') {
      expect(only(findings, 'PCS5').level).toBe('error');
    }
  });
  test('ephemeral size from a parameter is UNKNOWN naming EphemeralStorage.Size', () => {
    const { findings } = check((s) => cfnFn(s, { snapStart: snap, ephemeralStorage: { size: param(s, 'Eph', 'Number').valueAsNumber } }));
    expect(only(findings, 'PCS5')).toMatchObject({ status: 'UNKNOWN', message: expect.stringContaining('EphemeralStorage.Size') });
  });
});

describe('PCS6 provisioned concurrency on $LATEST', () => {
  test('L1 alias on $LATEST with PC is an error', () => {
    const { findings } = check((s) => new lambda.CfnAlias(s, 'A', { functionName: cfnFn(s).ref, functionVersion: '$LATEST', name: 'live', provisionedConcurrencyConfig: { provisionedConcurrentExecutions: 1 } }));
    expect(only(findings, 'PCS6')).toMatchObject({ status: 'NON_COMPLIANT', level: 'error', resourcePath: 'S/A' });
  });
  test('L2 alias on latestVersion with PC is an error; on currentVersion compliant', () => {
    const bad = check((s) => new lambda.Alias(s, 'A', { aliasName: 'live', version: l2Fn(s).latestVersion, provisionedConcurrentExecutions: 1 }));
    expect(statuses(bad.findings, 'PCS6')).toEqual(['NON_COMPLIANT']);
    const good = check((s) => l2Fn(s).addAlias('live', { provisionedConcurrentExecutions: 1 }));
    expect(statuses(good.findings, 'PCS6')).toEqual(['COMPLIANT']);
  });
  test('FunctionVersion from a parameter is UNKNOWN naming FunctionVersion', () => {
    const { findings } = check((s) => new lambda.CfnAlias(s, 'A', { functionName: cfnFn(s).ref, functionVersion: param(s, 'Ver').valueAsString, name: 'live', provisionedConcurrencyConfig: { provisionedConcurrentExecutions: 1 } }));
    expect(only(findings, 'PCS6')).toMatchObject({ status: 'UNKNOWN', message: expect.stringContaining('FunctionVersion') });
  });
});

describe('PCS7 provisioned concurrency without auto scaling', () => {
  test('L2 alias with fixed PC is non-compliant; with addAutoScaling compliant', () => {
    expect(statuses(check((s) => l2Fn(s).addAlias('live', { provisionedConcurrentExecutions: 1 })).findings, 'PCS7')).toEqual(['NON_COMPLIANT']);
    const scaled = check((s) => l2Fn(s).addAlias('live', { provisionedConcurrentExecutions: 1 }).addAutoScaling({ maxCapacity: 4 }).scaleOnUtilization({ utilizationTarget: 0.7 }));
    expect(statuses(scaled.findings, 'PCS7')).toEqual(['COMPLIANT']);
  });
  test('L1 scalable target with a Fn::Sub resource id on the alias name is compliant', () => {
    const { findings } = check((s) => {
      const fn = cfnFn(s);
      const v = new lambda.CfnVersion(s, 'V', { functionName: fn.ref });
      new lambda.CfnAlias(s, 'A', { functionName: fn.ref, functionVersion: v.attrVersion, name: 'live', provisionedConcurrencyConfig: { provisionedConcurrentExecutions: 1 } });
      new appscaling.CfnScalableTarget(s, 'T', {
        maxCapacity: 3,
        minCapacity: 1,
        serviceNamespace: 'lambda',
        scalableDimension: 'lambda:function:ProvisionedConcurrency',
        resourceId: Fn.sub('function:${F}:live', { F: fn.ref }),
      });
    });
    expect(statuses(findings, 'PCS7')).toEqual(['COMPLIANT']);
  });
  test('PC on a Version resource is non-compliant', () => {
    const { findings } = check((s) => new lambda.CfnVersion(s, 'V', { functionName: cfnFn(s).ref, provisionedConcurrencyConfig: { provisionedConcurrentExecutions: 1 } }));
    expect(only(findings, 'PCS7')).toMatchObject({ status: 'NON_COMPLIANT', resourcePath: 'S/V' });
  });
});

describe('PCS8 memory below the threshold', () => {
  test.each([
    ['L1 256', (s: Stack) => cfnFn(s, { memorySize: 256 }), 'NON_COMPLIANT'],
    ['L1 1024', (s: Stack) => cfnFn(s, { memorySize: 1024 }), 'COMPLIANT'],
    ['L2 default 128', (s: Stack) => l2Fn(s), 'NON_COMPLIANT'],
    ['L2 512', (s: Stack) => l2Fn(s, { memorySize: 512 }), 'COMPLIANT'],
  ])('%s', (_, build, expected) => {
    expect(statuses(check(build).findings, 'PCS8')).toEqual([expected]);
  });
  test('threshold and level are configurable; disabled rules do not run', () => {
    expect(statuses(check((s) => cfnFn(s, { memorySize: 256 }), { rules: { PCS8: { memoryThresholdMb: 256 } } }).findings, 'PCS8')).toEqual(['COMPLIANT']);
    const r = check((s) => cfnFn(s, { memorySize: 256 }), { rules: { PCS8: { level: FindingLevel.ERROR } } });
    Annotations.fromStack(r.stack).hasError('/S/Fn', Match.stringLikeRegexp('\\[PCS8\\]'));
    expect(statuses(check((s) => cfnFn(s), { rules: { PCS8: { enabled: false } } }).findings, 'PCS8')).toEqual([]);
  });
  test('unknown rule IDs in settings are rejected', () => {
    expect(() => new ColdStartChecks({ rules: { PCS99: { enabled: false } } })).toThrow(/unknown rule "PCS99"/);
  });
  test('memory from a parameter is UNKNOWN naming MemorySize', () => {
    const r = check((s) => cfnFn(s, { memorySize: param(s, 'Mem', 'Number').valueAsNumber }));
    expect(only(r.findings, 'PCS8')).toMatchObject({ status: 'UNKNOWN', message: expect.stringContaining('MemorySize') });
    Annotations.fromStack(r.stack).hasWarning('/S/Fn', Match.stringLikeRegexp('\\[PCS8\\].*MemorySize'));
  });
});

describe('PCS11 warmer targeting $LATEST', () => {
  const rate = () => events.Schedule.rate(Duration.minutes(5));
  test('events rule on the unqualified L2 function is flagged on the rule', () => {
    const { findings } = check((s) => new events.Rule(s, 'Warm', { schedule: rate(), targets: [new targets.LambdaFunction(l2Fn(s))] }));
    expect(only(findings, 'PCS11')).toMatchObject({ status: 'NON_COMPLIANT', resourcePath: 'S/Warm/Resource' });
  });
  test('events rule on the alias is compliant', () => {
    const { findings } = check((s) => new events.Rule(s, 'Warm', { schedule: rate(), targets: [new targets.LambdaFunction(l2Fn(s).addAlias('live'))] }));
    expect(statuses(findings, 'PCS11')).toEqual(['COMPLIANT']);
  });
  test('L1 scheduler schedule on GetAtt Arn is flagged; on Arn:alias compliant', () => {
    const mk = (arn: (fn: lambda.CfnFunction) => string) => check((s) => {
      const fn = cfnFn(s);
      new scheduler.CfnSchedule(s, 'Sch', { flexibleTimeWindow: { mode: 'OFF' }, scheduleExpression: 'rate(5 minutes)', target: { arn: arn(fn), roleArn: 'arn:aws:iam::1:role/x' } });
    }).findings;
    expect(statuses(mk((fn) => fn.attrArn), 'PCS11')).toEqual(['NON_COMPLIANT']);
    expect(statuses(mk((fn) => `${fn.attrArn}:live`), 'PCS11')).toEqual(['COMPLIANT']);
  });
  test('fan-out warmer env var naming the unqualified function is flagged; the alias ARN is compliant', () => {
    const mk = (target: (fn: lambda.Function) => string) => check((s) => {
      const fn = l2Fn(s);
      l2Fn(s, { environment: { CDK_PYTHON_COLDSTART_WARMUP_TARGET: target(fn) } }, 'Warmer');
    }).findings;
    expect(statuses(mk((fn) => fn.functionName), 'PCS11', 'S/Warmer')).toEqual(['NON_COMPLIANT']);
    const good = mk((fn) => fn.addAlias('live').functionArn);
    expect(statuses(good, 'PCS11', 'S/Warmer')).toEqual(['COMPLIANT']);
    // the warmer's own cold start is off the request path: no mitigation/memory findings for it
    expect([...statuses(good, 'PCS3', 'S/Warmer'), ...statuses(good, 'PCS8', 'S/Warmer')]).toEqual([]);
  });
  test('the schedule that triggers a fan-out warmer is not a warmer of the warmer itself', () => {
    const { findings } = check((s) => {
      const fn = l2Fn(s);
      const warmer = l2Fn(s, { environment: { CDK_PYTHON_COLDSTART_WARMUP_TARGET: fn.addAlias('live').functionArn } }, 'Warmer');
      new events.Rule(s, 'Trigger', { schedule: rate(), targets: [new targets.LambdaFunction(warmer)] });
    });
    expect(statuses(findings, 'PCS11', 'S/Warmer')).toEqual(['COMPLIANT']);
    expect(findings.filter((f) => f.ruleId === 'PCS11' && f.status === 'NON_COMPLIANT')).toEqual([]);
  });
  test('an unrenderable target mentioning the function is UNKNOWN', () => {
    const { findings } = check((s) => {
      const fn = cfnFn(s);
      new events.CfnRule(s, 'Warm', { scheduleExpression: 'rate(5 minutes)', targets: [{ id: 't', arn: Fn.select(0, [fn.attrArn, 'x']) }] });
    });
    expect(only(findings, 'PCS11')).toMatchObject({ status: 'UNKNOWN', message: expect.stringContaining('Targets[0].Arn') });
  });
});

describe('PCS12 init profile', () => {
  const profiled = (data: unknown) => (s: Stack) => cfnFn(s).node.addMetadata('cdk-python-coldstart:init-profile', data);
  const top = [{ module: 'pandas', cumulativeMs: 800 }, { module: 'boto3', cumulativeMs: 150 }];
  test('within budget: informational finding with total and slowest imports', () => {
    const r = check(profiled({ totalMs: 900, budgetMs: 1000, top }));
    expect(only(r.findings, 'PCS12')).toMatchObject({ status: 'COMPLIANT', message: expect.stringContaining('900 ms') });
    Annotations.fromStack(r.stack).hasInfo('/S/Fn', Match.stringLikeRegexp('\\[PCS12\\].*pandas 800 ms'));
  });
  // Issue 18: the level is the configured one, whatever the amount over budget (no hidden "twice the budget" error).
  test('over budget is the rule\'s level however far over; the profile\'s noise margin counts', () => {
    expect(only(check(profiled({ totalMs: 1200, budgetMs: 1000, top })).findings, 'PCS12')).toMatchObject({ status: 'NON_COMPLIANT', level: 'warning' });
    expect(only(check(profiled({ totalMs: 2500, budgetMs: 1000, top })).findings, 'PCS12')).toMatchObject({ status: 'NON_COMPLIANT', level: 'warning' });
    expect(only(check(profiled({ totalMs: 2500, budgetMs: 1000, top }), { rules: { PCS12: { level: FindingLevel.ERROR } } }).findings, 'PCS12')).toMatchObject({ level: 'error' });
    expect(only(check(profiled({ totalMs: 1090, budgetMs: 1000, marginMs: 100, runs: 5, top })).findings, 'PCS12')).toMatchObject({
      status: 'COMPLIANT', message: expect.stringContaining('init (imports and module-level code, median of 5 local runs) took 1090 ms (budget 1000 ms + 100 ms noise margin)'),
    });
    expect(only(check(profiled({ totalMs: 1101, budgetMs: 1000, marginMs: 100, top })).findings, 'PCS12').message).toMatch(/enable SnapStart/);
    expect(only(check(profiled({ totalMs: 900, budgetMs: 1000, top }), { rules: { PCS12: { initBudgetMs: 500 } } }).findings, 'PCS12').status).toBe('NON_COMPLIANT');
  });
  test('a profile recorded on the L2 function counts for its CfnFunction', () => {
    const r = check((s) => l2Fn(s).node.addMetadata('cdk-python-coldstart:init-profile', { totalMs: 1500, budgetMs: 1000, top }));
    expect(only(r.findings, 'PCS12')).toMatchObject({ status: 'NON_COMPLIANT', resourcePath: 'S/Fn/Resource' });
  });
  test('a malformed profile is UNKNOWN', () => {
    expect(only(check(profiled({ total: 'x' })).findings, 'PCS12').status).toBe('UNKNOWN');
  });
});

describe('suppressions', () => {
  test('suppressed on the L2 construct: SUPPRESSED with the reason, no annotation', () => {
    const r = check((s) => ColdStartChecks.suppress(l2Fn(s), 'PCS8', 'batch job, latency irrelevant'));
    expect(only(r.findings, 'PCS8')).toMatchObject({ status: 'SUPPRESSED', suppressionReason: 'batch job, latency irrelevant' });
    Annotations.fromStack(r.stack).hasNoWarning('/S/Fn/Resource', Match.stringLikeRegexp('PCS8'));
    Annotations.fromStack(r.stack).hasWarning('/S/Fn/Resource', Match.stringLikeRegexp('PCS2'));
  });
  test('suppressed on the stack applies to its children, including alias subjects', () => {
    const r = check((s) => {
      l2Fn(s, { snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS }).addAlias('live', { provisionedConcurrentExecutions: 1 });
      ColdStartChecks.suppress(s, 'PCS4', 'migration in progress');
    });
    expect(statuses(r.findings, 'PCS4')).toEqual(['SUPPRESSED']);
    Annotations.fromStack(r.stack).hasNoError('*', Match.anyValue());
  });
  test('an empty reason or an unknown rule throws', () => {
    const s = new Stack();
    expect(() => ColdStartChecks.suppress(s, 'PCS8', '  ')).toThrow(/a reason is required to suppress PCS8/);
    expect(() => ColdStartChecks.suppress(s, 'PCSX', 'why')).toThrow(/unknown rule "PCSX"/);
  });
});

describe('every rule: a non-compliant case, suppressed on the function, is SUPPRESSED with its reason', () => {
  const snap = lambda.SnapStartConf.ON_PUBLISHED_VERSIONS;
  const cases: [string, (s: Stack) => lambda.Function][] = [
    ['PCS1', (s) => l2Fn(s, { runtime: lambda.Runtime.PYTHON_3_10 })],
    ['PCS2', (s) => l2Fn(s)],
    ['PCS3', (s) => l2Fn(s)],
    ['PCS4', (s) => { const f = l2Fn(s, { snapStart: snap }); f.addAlias('live', { provisionedConcurrentExecutions: 1 }); return f; }],
    ['PCS5', (s) => { const f = l2Fn(s, { snapStart: snap }); (f.node.defaultChild as lambda.CfnFunction).addPropertyOverride('EphemeralStorage.Size', 1024); return f; }],
    ['PCS6', (s) => { const f = l2Fn(s); new lambda.Alias(f, 'Latest', { aliasName: 'l', version: f.latestVersion, provisionedConcurrentExecutions: 1 }); return f; }],
    ['PCS7', (s) => { const f = l2Fn(s); f.addAlias('live', { provisionedConcurrentExecutions: 1 }); return f; }],
    ['PCS8', (s) => l2Fn(s)],
    ['PCS9', (s) => {
      const f = l2Fn(s);
      (f.node.defaultChild as lambda.CfnFunction).addPropertyOverride('Layers', [0, 1, 2, 3, 4, 5].map((i) => `arn:aws:lambda:us-east-1:1:layer:l${i}:1`));
      return f;
    }],
    ['PCS10', (s) => l2Fn(s, { code: lambda.Code.fromAsset(codeDir({ 'app.py': 'X = 1\n' })), handler: 'app.handler' })],
    ['PCS11', (s) => { const f = l2Fn(s); new events.Rule(f, 'Warm', { schedule: events.Schedule.rate(Duration.minutes(5)), targets: [new targets.LambdaFunction(f)] }); return f; }],
    ['PCS12', (s) => { const f = l2Fn(s); f.node.addMetadata('cdk-python-coldstart:init-profile', { totalMs: 5000, top: [] }); return f; }],
  ];
  test.each(cases)('%s', (ruleId, build) => {
    expect(statuses(check(build).findings, ruleId)).toContain('NON_COMPLIANT');
    const suppressed = check((s) => ColdStartChecks.suppress(build(s), ruleId, `accepted: ${ruleId}`)).findings.filter((f) => f.ruleId === ruleId && f.status !== 'COMPLIANT');
    expect(suppressed.length).toBeGreaterThan(0);
    expect(suppressed.every((f) => f.status === 'SUPPRESSED' && f.suppressionReason === `accepted: ${ruleId}`)).toBe(true);
  });
});

test('PCS7: a scalable target whose ResourceId cannot be read is UNKNOWN, not a pass or a failure', () => {
  const { findings } = check((s) => {
    l2Fn(s).addAlias('live', { provisionedConcurrentExecutions: 1 });
    new appscaling.CfnScalableTarget(s, 'T', {
      maxCapacity: 3,
      minCapacity: 1,
      serviceNamespace: 'lambda',
      scalableDimension: 'lambda:function:ProvisionedConcurrency',
      resourceId: Fn.importValue('OtherStackResourceId'),
    });
  });
  expect(only(findings, 'PCS7')).toMatchObject({ status: 'UNKNOWN', message: expect.stringContaining('ScalableTarget.ResourceId') });
});

test('RULES: twelve stable IDs, each with a title, level, explanation and fix', () => {
  expect(ColdStartChecks.RULES.map((r) => r.id)).toEqual(['PCS1', 'PCS2', 'PCS3', 'PCS4', 'PCS5', 'PCS6', 'PCS7', 'PCS8', 'PCS9', 'PCS10', 'PCS11', 'PCS12']);
  for (const r of ColdStartChecks.RULES) {
    expect([r.title, r.explanation, r.fix].every((t) => t.length > 10)).toBe(true);
  }
  expect(ColdStartChecks.RULES.filter((r) => r.defaultLevel === FindingLevel.ERROR).map((r) => r.id)).toEqual(['PCS4', 'PCS5', 'PCS6']);
});

test('unknownLevel ERROR turns UNKNOWN findings into errors', () => {
  const r = check((s) => cfnFn(s, { memorySize: param(s, 'Mem', 'Number').valueAsNumber }), { unknownLevel: FindingLevel.ERROR });
  Annotations.fromStack(r.stack).hasError('/S/Fn', Match.stringLikeRegexp('\\[PCS8\\].*MemorySize'));
});
