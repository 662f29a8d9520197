/**
 * Issue 15, "One warmer per stack": one fan-out warmer invokes every warmed alias of the stack with
 * its own concurrency and payload; lambda:InvokeFunction only on those alias ARNs; targets in the
 * rules' inputs (8192 characters each), never in the 4 KB environment. Issue 12: the prewarm custom
 * resource has a short ServiceTimeout.
 */
import * as path from 'path';
import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AliasWarmer, ColdStartStrategy, OptimizedPythonFunction, StackWarmer } from '../../lib';

const ENV = { account: '123456789012', region: 'us-east-1' };
const ENTRY = path.join(__dirname, '..', 'fixtures', 'function', 'basic');

function newStack(): Stack {
  return new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S', { env: ENV });
}

function alias(stack: Stack, id: string, aliasName = 'live'): lambda.Alias {
  const fn = new lambda.Function(stack, id, {
    runtime: lambda.Runtime.PYTHON_3_12,
    handler: 'index.handler',
    code: lambda.Code.fromInline('def handler(e, c):\n    return 1\n'),
  });
  return new lambda.Alias(stack, `${id}Alias`, { aliasName, version: fn.currentVersion });
}

/** Resolves a rule target's Input (a Fn::Join of strings and Refs) with each Ref as ${Id}. */
function inputOf(stack: Stack, t: any): any {
  const join = (v: any): string => {
    if (typeof v === 'string') return v;
    if (v['Fn::Join']) return v['Fn::Join'][1].map(join).join(v['Fn::Join'][0]);
    if (v.Ref) return `\${${v.Ref}}`;
    if (v['Fn::GetAtt']) return `\${${v['Fn::GetAtt'].join('.')}}`;
    throw new Error(`unexpected ${JSON.stringify(v)}`);
  };
  return JSON.parse(join(stack.resolve(t.Input)));
}

function rulesOf(t: Template): any[] {
  return Object.values(t.findResources('AWS::Events::Rule'));
}

describe('three warmed aliases in one stack', () => {
  const stack = newStack();
  const a = alias(stack, 'A');
  const b = alias(stack, 'B');
  const c = alias(stack, 'C');
  const w = StackWarmer.of(stack);
  w.addTarget({ alias: a });
  w.addTarget({ alias: b, concurrency: 3 });
  w.addTarget({ alias: c, concurrency: 2, lingerMs: 50, payload: { tenant: 'acme' } });
  const t = Template.fromStack(stack);
  const ref = (x: lambda.Alias) => `\${${stack.getLogicalId(x.node.defaultChild as lambda.CfnAlias)}}`;

  test('one warmer function, one role policy, one log group, one rule, one permission', () => {
    expect(w.node.path).toBe('S/ColdStartWarmer');
    expect(StackWarmer.of(a)).toBe(w);
    t.resourceCountIs('AWS::Lambda::Function', 4); // A, B, C and the warmer
    t.resourceCountIs('AWS::Events::Rule', 1);
    t.resourceCountIs('AWS::Lambda::Permission', 1);
    t.resourceCountIs('AWS::IAM::Policy', 1);
    t.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'python3.12',
      Architectures: ['arm64'],
      Timeout: 60,
      Handler: 'index.handler',
      Environment: { Variables: { CDK_PYTHON_COLDSTART_WARMER: 'stack' } },
      VpcConfig: Match.absent(),
    });
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0 });
  });

  test('the rule invokes the warmer with every alias, each with its own concurrency, linger and payload', () => {
    const [rule] = rulesOf(t);
    expect(rule.Properties.ScheduleExpression).toBe('rate(5 minutes)');
    expect(rule.Properties.Targets).toHaveLength(1);
    const target = rule.Properties.Targets[0];
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(w.warmerFunction.node.defaultChild as lambda.CfnFunction), 'Arn'] });
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 });
    expect(inputOf(stack, target)).toEqual({
      'cdk-python-coldstart-warmer': 'targets',
      'targets': [
        { arn: ref(a), n: 1, l: 0 },
        { arn: ref(b), n: 3, l: 100 },
        { arn: ref(c), n: 2, l: 50, p: { tenant: 'acme' } },
      ],
    });
  });

  test('lambda:InvokeFunction on exactly the three alias ARNs, logs on its own log group only', () => {
    const [managed] = Object.values(t.findResources('AWS::IAM::ManagedPolicy')) as any[];
    expect(managed.Properties.PolicyDocument.Statement).toEqual([{
      Action: 'lambda:InvokeFunction',
      Effect: 'Allow',
      Resource: [a, b, c].map((x) => ({ Ref: stack.getLogicalId(x.node.defaultChild as lambda.CfnAlias) })),
    }]);
    const role = t.toJSON().Resources[stack.getLogicalId(w.role.node.defaultChild as iam.CfnRole)];
    expect(role.Properties.ManagedPolicyArns).toEqual([{ Ref: expect.stringMatching(/^ColdStartWarmerInvokePolicy/) }]);
    const [policy] = Object.values(t.findResources('AWS::IAM::Policy')) as any[];
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(statements[0].Resource['Fn::GetAtt'][0]).toMatch(/^ColdStartWarmerLogs/);
  });

  test('no prewarm custom resource unless asked', () => {
    expect(w.prewarm).toBeUndefined();
    t.resourceCountIs('Custom::ColdstartPrewarm', 0);
  });
});

test('one rule per schedule', () => {
  const stack = newStack();
  const w = StackWarmer.of(stack);
  w.addTarget({ alias: alias(stack, 'A') });
  w.addTarget({ alias: alias(stack, 'B'), schedule: events.Schedule.rate(Duration.minutes(1)) });
  w.addTarget({ alias: alias(stack, 'C') });
  const rules = rulesOf(Template.fromStack(stack));
  expect(rules.map((r) => r.Properties.ScheduleExpression).sort()).toEqual(['rate(1 minute)', 'rate(5 minutes)']);
  expect(w.rules.map((r) => r.node.id).sort()).toEqual(['Schedulerate1minute', 'Schedulerate5minutes']);
});

describe('fleet: 120 aliases with long names', () => {
  const stack = newStack();
  const w = new StackWarmer(stack, 'ColdStartWarmer');
  const aliases: lambda.Alias[] = [];
  for (let i = 0; i < 120; i++) {
    const x = alias(stack, `Fn${i}`, `production-${'x'.repeat(20)}`);
    aliases.push(x);
    w.addTarget({ alias: x, concurrency: 2, payload: { route: `/orders/${i}` } });
  }
  const t = Template.fromStack(stack);

  test('targets are spread over rule inputs that fit 8192 characters even with 64-character function names', () => {
    const rules = rulesOf(t);
    const inputs = rules.flatMap((r) => r.Properties.Targets.map((x: any) => inputOf(stack, x)));
    for (const r of rules) {
      expect(r.Properties.Targets.length).toBeLessThanOrEqual(5);
    }
    expect(inputs.length).toBeGreaterThan(1);
    const arns = inputs.flatMap((i) => i.targets.map((x: any) => x.arn));
    expect(arns).toHaveLength(120);
    expect(new Set(arns).size).toBe(120);
    for (const input of inputs) {
      // worst case: every ${AliasRef} deploys as a 64-character function name in aws-us-gov
      const worst = JSON.stringify(input).replace(/\$\{[^}]+\}/g,
        `arn:aws-us-gov:lambda:ap-southeast-5:123456789012:function:${'f'.repeat(64)}:production-${'x'.repeat(20)}`);
      expect(worst.length).toBeLessThanOrEqual(8192);
    }
  });

  test('the warmer\'s environment stays tiny (4 KB limit) whatever the number of targets', () => {
    const [warmer] = Object.values(t.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { CDK_PYTHON_COLDSTART_WARMER: 'stack' } } },
    })) as any[];
    expect(JSON.stringify(warmer.Properties.Environment).length).toBeLessThan(100);
  });

  test('the invoke grants are spread over managed policies that fit 6,144 characters', () => {
    const policies = Object.values(t.findResources('AWS::IAM::ManagedPolicy')) as any[];
    expect(policies.length).toBeGreaterThan(1);
    const granted = policies.flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((st: any) => st.Resource));
    expect(granted).toHaveLength(120);
    for (const p of policies) {
      const worst = JSON.stringify(p.Properties.PolicyDocument).replace(/\{"Ref":"[^"]+"\}/g,
        `"arn:aws-us-gov:lambda:ap-southeast-5:123456789012:function:${'f'.repeat(64)}:production-${'x'.repeat(20)}"`);
      expect(worst.length).toBeLessThanOrEqual(6144);
    }
  });

  test('beyond 10 managed policies the next alias fails with the rule and the fix', () => {
    const big = newStack();
    const bw = StackWarmer.of(big);
    let error: Error | undefined;
    for (let i = 0; i < 600 && !error; i++) {
      try {
        bw.addTarget({ alias: alias(big, `F${i}`) });
      } catch (e) {
        error = e as Error;
      }
    }
    expect(error?.message).toMatch(/10 managed policies.*reference_iam-quotas.*split the functions across stacks/);
    expect(bw.aliases.length).toBeGreaterThan(350);
  });
});

describe('prewarm on deploy', () => {
  test('one custom resource for the stack, with each prewarmed alias and its version, ServiceTimeout 120 s', () => {
    const stack = newStack();
    const w = StackWarmer.of(stack);
    const a = alias(stack, 'A');
    const b = alias(stack, 'B');
    w.addTarget({ alias: a, prewarmOnDeploy: true, concurrency: 2 });
    w.addTarget({ alias: b });
    w.addTarget({ alias: alias(stack, 'C'), prewarmOnDeploy: true });
    const t = Template.fromStack(stack);
    t.resourceCountIs('Custom::ColdstartPrewarm', 1);
    const [cr] = Object.values(t.findResources('Custom::ColdstartPrewarm')) as any[];
    expect(cr.Properties.ServiceTimeout).toBe('120');
    expect(cr.Properties.Targets).toHaveLength(2);
    expect(cr.Properties.Targets[0]).toEqual({
      arn: { Ref: stack.getLogicalId(a.node.defaultChild as lambda.CfnAlias) },
      n: 2,
      l: 100,
      p: '{}',
      v: { 'Fn::GetAtt': [expect.stringMatching(/^ACurrentVersion/), 'Version'] },
    });
  });

  test('AliasWarmer\'s prewarm answers within a short ServiceTimeout too', () => {
    const stack = newStack();
    new AliasWarmer(stack, 'W', { alias: alias(stack, 'A'), concurrency: 2, prewarmOnDeploy: true });
    Template.fromStack(stack).hasResourceProperties('Custom::ColdstartPrewarm', { ServiceTimeout: '120' });
  });
});

describe('OptimizedPythonFunction warmup', () => {
  test('warmed functions of a stack share the warmer; nothing per function but the entry', () => {
    const stack = newStack();
    const fns = [0, 1, 2].map((i) => new OptimizedPythonFunction(stack, `W${i}`, {
      entry: ENTRY, coldStart: ColdStartStrategy.onDemand(), warmup: { concurrency: i + 1 },
    }));
    const t = Template.fromStack(stack);
    expect(fns.every((f) => f.warmer === StackWarmer.of(stack))).toBe(true);
    t.resourceCountIs('AWS::Events::Rule', 1);
    t.resourceCountIs('AWS::Lambda::Permission', 1);
    const input = inputOf(stack, rulesOf(t)[0].Properties.Targets[0]);
    expect(input.targets.map((x: any) => x.n)).toEqual([1, 2, 3]);
  });

  test('provisioned concurrency: skipped with a warning; force warms anyway', () => {
    const stack = newStack();
    const pc = ColdStartStrategy.provisionedConcurrency({ minCapacity: 1, maxCapacity: 2 });
    const skipped = new OptimizedPythonFunction(stack, 'Pc', { entry: ENTRY, coldStart: pc, warmup: {} });
    expect(skipped.warmer).toBeUndefined();
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('provisioned concurrency covers alias'));
    const forced = new OptimizedPythonFunction(stack, 'Forced', { entry: ENTRY, coldStart: pc, warmup: { force: true } });
    expect(StackWarmer.of(stack).aliases).toEqual([forced.alias]);
  });

  test('warmerLogRetention that differs from the stack warmer fails with what replaced it', () => {
    const stack = newStack();
    expect(() => new OptimizedPythonFunction(stack, 'F', { entry: ENTRY, warmup: { warmerLogRetention: logs.RetentionDays.ONE_MONTH } }))
      .toThrow(/warmup\.warmerLogRetention.*one warmer per stack.*new StackWarmer\(stack, 'ColdStartWarmer', \{ logRetention \}\)/);
    const ok = newStack();
    new StackWarmer(ok, 'ColdStartWarmer', { logRetention: logs.RetentionDays.ONE_MONTH });
    const f = new OptimizedPythonFunction(ok, 'F', { entry: ENTRY, warmup: { warmerLogRetention: logs.RetentionDays.ONE_MONTH } });
    expect(f.warmer).toBe(StackWarmer.of(ok));
    Template.fromStack(ok).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('bad input: the same alias twice, a token concurrency, a second warmer in the stack', () => {
    const stack = newStack();
    const w = StackWarmer.of(stack);
    const a = alias(stack, 'A');
    w.addTarget({ alias: a });
    expect(() => w.addTarget({ alias: a })).toThrow(/already warmed/);
    const n = new CfnParameter(stack, 'N', { type: 'Number' }).valueAsNumber;
    expect(() => w.addTarget({ alias: alias(stack, 'B'), concurrency: n })).toThrow(/concurrency: is a token.*AliasWarmer/);
    expect(() => new StackWarmer(stack, 'Another')).toThrow(/already has a warmer/);
  });
});

test('the compliance engine sees the stack warmer as a fan-out warmer and each alias as warmed (qualified)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { analyzeTemplate } = require('../../lib/compliance/engine/analyze');
  const stack = newStack();
  const a = alias(stack, 'A');
  StackWarmer.of(stack).addTarget({ alias: a, concurrency: 2 });
  const { functions } = analyzeTemplate({ stackName: 'S', template: Template.fromStack(stack).toJSON() });
  const warmer = functions.find((f: any) => f.path.includes('ColdStartWarmer'));
  expect(warmer.fanOutWarmer).toBe(true);
  const target = functions.find((f: any) => f.logicalId === stack.getLogicalId(a.lambda.node.defaultChild as lambda.CfnFunction));
  expect(target.warmers).toEqual([expect.objectContaining({ kind: 'fan-out-warmer', qualified: true })]);
});
