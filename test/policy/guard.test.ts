// The library's CloudFormation Guard rules (policy/coldstart.guard), run with the real cfn-guard binary
// from @cdklabs/cdk-validator-cfnguard through the user-facing runner policy/run-guard.js.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';

const ROOT = path.join(__dirname, '..', '..');
const RUNNER = path.join(ROOT, 'policy', 'run-guard.js');
const SAMPLES = path.join(ROOT, 'policy', 'test');

const SNAPSTART_PC = 'COLDSTART_NO_SNAPSTART_WITH_PROVISIONED_CONCURRENCY';
const PC_LATEST = 'COLDSTART_NO_PROVISIONED_CONCURRENCY_ON_LATEST';
const WARMER_LATEST = 'COLDSTART_NO_WARMER_ON_LATEST';
const INVOKE_ALIAS = 'COLDSTART_INVOKE_ALIAS_ONLY';
const ARM64 = 'COLDSTART_PYTHON_ARM64';
const PY312 = 'COLDSTART_PYTHON_312_OR_NEWER';
const ALL_RULES = [SNAPSTART_PC, PC_LATEST, WARMER_LATEST, INVOKE_ALIAS, ARM64, PY312];

interface Finding { rule: string; resource?: string; path?: string; message: string }
interface TemplateResult { template: string; status: 'PASS' | 'FAIL' | 'SKIP'; failedRules: string[]; findings: Finding[] }
interface RunResult { status: number | null; stdout: string; stderr: string; report?: { templates: TemplateResult[] } }

function runGuard(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): RunResult {
  const proc = spawnSync(process.execPath, [RUNNER, ...args], {
    cwd: opts.cwd ?? ROOT, encoding: 'utf-8', env: { ...process.env, ...opts.env },
  });
  let report;
  if (args.includes('--json') && proc.stdout.trim().startsWith('{')) report = JSON.parse(proc.stdout);
  return { status: proc.status, stdout: proc.stdout, stderr: proc.stderr, report };
}

/** Results keyed by path relative to policy/test (samples) or by file name (anything else). */
function runJson(files: string[]): Map<string, TemplateResult> {
  const res = runGuard(['--json', ...files]);
  expect(res.stderr).toBe('');
  expect([0, 1]).toContain(res.status);
  const key = (t: string) => (t.startsWith(SAMPLES + path.sep) ? path.relative(SAMPLES, t) : path.basename(t));
  return new Map(res.report!.templates.map(t => [key(t.template), t]));
}

/** The result of one template. */
function runOne(file: string): TemplateResult {
  const res = runJson([file]);
  expect(res.size).toBe(1);
  return [...res.values()][0];
}

/** "RULE Resource" pairs, sorted. */
function pairs(r: TemplateResult): string[] {
  return [...new Set(r.findings.map(f => `${f.rule} ${f.resource}`))].sort();
}

let tmp: string;
beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'coldstart-guard-')); });
afterAll(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

function writeTemplate(name: string, template: any): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(template, null, 1));
  return file;
}
function readSample(kind: 'compliant' | 'non-compliant', name: string): any {
  return JSON.parse(fs.readFileSync(path.join(SAMPLES, kind, `${name}.template.json`), 'utf-8'));
}

// Every non-compliant sample with exactly the findings it must produce ("RULE Resource").
const EXPECTED: Record<string, string[]> = {
  'snapstart-pc-alias': [`${SNAPSTART_PC} FnAlias`],
  'snapstart-pc-version': [`${SNAPSTART_PC} FnVersion`],
  'snapstart-pc-autoscaling': [`${SNAPSTART_PC} FnAliasScalingTarget`],
  'sam-snapstart-pc': [`${SNAPSTART_PC} Fn`],
  'pc-latest-alias': [`${PC_LATEST} FnAlias`],
  'pc-latest-alias-autoscaling': [`${PC_LATEST} FnAliasScalingTarget`],
  'pc-latest-scalable-target': [`${PC_LATEST} Latest`, `${PC_LATEST} Unqualified`],
  'sam-pc-without-autopublishalias': [`${PC_LATEST} Fn`],
  'warmer-events-rule-unqualified': [`${WARMER_LATEST} Warm`],
  'warmer-scheduler-unqualified': [`${WARMER_LATEST} Warm`],
  'warmer-events-rule-latest-arn': [`${WARMER_LATEST} Warm`],
  'warmer-env-getatt': [`${WARMER_LATEST} Warmer`],
  'warmer-env-ref-function': [`${WARMER_LATEST} Warmer`],
  'warmer-env-unqualified-arn': [`${WARMER_LATEST} Warmer`],
  'invoke-unqualified-python': [`${INVOKE_ALIAS} CallerPolicy`],
  'invoke-unqualified-versioned': [`${INVOKE_ALIAS} CallerPolicy`],
  'invoke-star-role-inline': [`${INVOKE_ALIAS} CallerRole`],
  'invoke-wildcard-action-managed-policy': [`${INVOKE_ALIAS} CallerPolicy`],
  'python-no-architectures': [`${ARM64} Fn`],
  'python-x86_64': [`${ARM64} Fn`],
  'sam-python-x86_64': [`${ARM64} Fn`],
  'python-3-11': [`${PY312} Fn`],
  'python-3-9': [`${PY312} Fn`],
  'sam-python-3-10': [`${PY312} Fn`],
  'mixed': [
    `${SNAPSTART_PC} Snap2Alias`, `${WARMER_LATEST} Schedules`, `${INVOKE_ALIAS} CallerPolicy`,
    `${ARM64} OldX86`, `${PY312} OldX86`,
  ].sort(),
};

function sampleNames(kind: 'compliant' | 'non-compliant'): string[] {
  return fs.readdirSync(path.join(SAMPLES, kind)).filter(f => f.endsWith('.template.json'))
    .map(f => f.replace(/\.template\.json$/, '')).sort();
}

describe('sample templates', () => {
  let results: Map<string, TemplateResult>;
  beforeAll(() => {
    results = runJson([path.join(SAMPLES, 'compliant'), path.join(SAMPLES, 'non-compliant')]);
  });

  test('every non-compliant sample has an expectation and every rule has a failing sample', () => {
    expect(sampleNames('non-compliant')).toEqual(Object.keys(EXPECTED).sort());
    const covered = new Set(Object.values(EXPECTED).flat().map(p => p.split(' ')[0]));
    expect([...covered].sort()).toEqual([...ALL_RULES].sort());
  });

  test.each(Object.entries(EXPECTED))('%s fails with exactly the expected rule and resource', (name, expected) => {
    const r = results.get(path.join('non-compliant', `${name}.template.json`))!;
    expect(r.status).toBe('FAIL');
    expect(pairs(r)).toEqual([...expected].sort());
    expect(r.failedRules).toEqual([...new Set(expected.map(e => e.split(' ')[0]))].sort());
  });

  test('every finding carries the custom message: what, why and fix, tagged with its rule', () => {
    const findings = [...results.values()].flatMap(r => r.findings);
    expect(findings.length).toBeGreaterThanOrEqual(Object.keys(EXPECTED).length);
    for (const f of findings) {
      expect(f.message).toMatch(new RegExp(`^\\[${f.rule}\\] \\S`));
      expect(f.message).toContain('[WHY] ');
      expect(f.message).toContain('[FIX] ');
      expect(f.path).toMatch(new RegExp(`^/Resources/${f.resource}(/|$)`));
    }
  });

  test.each(sampleNames('compliant'))('%s passes', (name) => {
    const r = results.get(path.join('compliant', `${name}.template.json`))!;
    expect(r.findings).toEqual([]);
    expect(r.status).not.toBe('FAIL');
  });
});

describe('suppressions and exemptions are what makes the compliant samples pass', () => {
  test('Metadata.guard.SuppressedRules silences exactly the named rule on that resource', () => {
    const t = readSample('non-compliant', 'python-3-11');
    t.Resources.Fn.Properties.Architectures = ['x86_64'];
    const before = runOne(writeTemplate('unsuppressed.template.json', t));
    expect(pairs(before)).toEqual([`${ARM64} Fn`, `${PY312} Fn`].sort());

    t.Resources.Fn.Metadata = { guard: { SuppressedRules: [PY312] } };
    const after = runOne(writeTemplate('suppressed-one.template.json', t));
    expect(pairs(after)).toEqual([`${ARM64} Fn`]);
  });

  test('the suppressed sample fails without its Metadata', () => {
    const t = readSample('compliant', 'suppressed');
    for (const r of Object.values<any>(t.Resources)) delete r.Metadata;
    const r = runOne(writeTemplate('no-metadata.template.json', t));
    expect(pairs(r)).toEqual([`${INVOKE_ALIAS} CallerPolicy`, `${ARM64} LegacyFn`, `${PY312} LegacyFn`].sort());
  });

  test('custom-resource handlers are exempt only while they serve a custom resource', () => {
    const t = readSample('compliant', 'custom-resource-handlers');
    delete t.Resources.Deployment; // BucketDeploymentHandler no longer a ServiceToken
    delete t.Resources.ProviderFramework.Properties.Environment; // OnEventHandler no longer a provider handler
    const r = runOne(writeTemplate('no-custom-resources.template.json', t));
    expect(pairs(r)).toEqual([
      `${INVOKE_ALIAS} ProviderFrameworkPolicy`,
      `${ARM64} BucketDeploymentHandler`, `${ARM64} OnEventHandler`,
      `${PY312} OnEventHandler`,
    ].sort());
  });

  test('warm-up targets on functions without aliases are cron jobs; with an alias they are flagged', () => {
    const t = readSample('compliant', 'cron-unversioned');
    t.Resources.JobVersion = { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Job' } } };
    const r = runOne(writeTemplate('cron-versioned.template.json', t));
    expect(pairs(r)).toEqual([`${WARMER_LATEST} Cron`]);
  });
});

describe('templates synthesized by aws-cdk-lib', () => {
  function synth(build: (stack: cdk.Stack) => void): string {
    const app = new cdk.App({ outdir: fs.mkdtempSync(path.join(tmp, 'cdk-')) });
    const stack = new cdk.Stack(app, 'GuardStack', { env: { account: '123456789012', region: 'us-east-1' } });
    build(stack);
    const assembly = app.synth();
    return path.join(assembly.directory, assembly.getStackByName('GuardStack').templateFile);
  }
  const code = lambda.Code.fromInline('def handler(event, context):\n    return None\n');
  const pyFn = (stack: cdk.Stack, id: string, extra: Partial<lambda.FunctionProps> = {}) => new lambda.Function(stack, id, {
    runtime: lambda.Runtime.PYTHON_3_12, architecture: lambda.Architecture.ARM_64, handler: 'index.handler', code, ...extra,
  });

  test('the library\'s patterns pass: SnapStart alias, alias-targeted warm-up and grants, Python custom-resource provider', () => {
    const file = synth((stack) => {
      const fn = pyFn(stack, 'Api', { snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS });
      const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
      new events.Rule(stack, 'Warm', {
        schedule: events.Schedule.rate(cdk.Duration.minutes(5)),
        targets: [new targets.LambdaFunction(alias, { event: events.RuleTargetInput.fromObject({ warmup: true }) })],
      });
      alias.grantInvoke(new iam.Role(stack, 'Caller', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') }));

      const pcFn = pyFn(stack, 'Pc');
      const pcAlias = new lambda.Alias(stack, 'PcLive', { aliasName: 'live', version: pcFn.currentVersion, provisionedConcurrentExecutions: 1 });
      pcAlias.addAutoScaling({ minCapacity: 1, maxCapacity: 4 }).scaleOnUtilization({ utilizationTarget: 0.7 });

      // A user's Python provider handler on python3.11/x86_64: deploy-time only, exempt.
      const onEvent = new lambda.Function(stack, 'OnEvent', { runtime: lambda.Runtime.PYTHON_3_11, handler: 'index.handler', code });
      new cdk.CustomResource(stack, 'Custom', { serviceToken: new cr.Provider(stack, 'Provider', { onEventHandler: onEvent }).serviceToken });
    });
    const r = runOne(file);
    expect(r.findings).toEqual([]);
    expect(r.status).toBe('PASS');
  });

  test('what CDK emits for the anti-patterns is caught', () => {
    const file = synth((stack) => {
      const fn = pyFn(stack, 'Api', { snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS });
      const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
      alias.addAutoScaling({ minCapacity: 1, maxCapacity: 4 }); // PC on a SnapStart function
      new events.Rule(stack, 'Warm', { // warms $LATEST
        schedule: events.Schedule.rate(cdk.Duration.minutes(5)),
        targets: [new targets.LambdaFunction(fn)],
      });
      fn.grantInvoke(new iam.Role(stack, 'Caller', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') }));
      new lambda.Function(stack, 'Legacy', { runtime: lambda.Runtime.PYTHON_3_11, handler: 'index.handler', code });
    });
    const template = JSON.parse(fs.readFileSync(file, 'utf-8'));
    const idOf = (type: string, prefix: string) => Object.keys(template.Resources)
      .find(k => template.Resources[k].Type === type && k.startsWith(prefix))!;
    const r = runOne(file);
    expect(pairs(r)).toEqual([
      `${SNAPSTART_PC} ${idOf('AWS::ApplicationAutoScaling::ScalableTarget', 'LiveAliasScalingTarget')}`,
      `${WARMER_LATEST} ${idOf('AWS::Events::Rule', 'Warm')}`,
      `${INVOKE_ALIAS} ${idOf('AWS::IAM::Policy', 'CallerDefaultPolicy')}`,
      `${ARM64} ${idOf('AWS::Lambda::Function', 'Legacy')}`,
      `${PY312} ${idOf('AWS::Lambda::Function', 'Legacy')}`,
    ].sort());
  });
});

describe('committed integ snapshots', () => {
  // integ/integ.*.snapshot: the committed ones (integ-runner's transient cdk-integ.out.* folders are git-ignored).
  const snapshots = fs.readdirSync(path.join(ROOT, 'integ'), { withFileTypes: true })
    .filter(d => d.isDirectory() && /^integ\..*\.snapshot$/.test(d.name))
    .map(d => path.join(ROOT, 'integ', d.name));

  test('there are snapshots to check', () => {
    expect(snapshots.length).toBeGreaterThan(0);
  });

  test('every template of every snapshot passes the rules', () => {
    const res = runGuard(['--json', ...snapshots]);
    expect(res.stderr).toBe('');
    const failing = res.report!.templates.filter(t => t.status === 'FAIL')
      .map(t => `${path.relative(ROOT, t.template)}: ${pairs(t).join(', ')}`);
    expect(failing).toEqual([]);
    expect(res.status).toBe(0);
    const onDisk = snapshots.flatMap(d => fs.readdirSync(d).filter(f => f.endsWith('.template.json')));
    expect(res.report!.templates.map(t => path.basename(t.template)).sort()).toEqual(onDisk.sort());
  });
});

describe('run-guard.js', () => {
  test('text output names the rule, the resource and the fix, and exits 1 on a failure', () => {
    const res = runGuard([path.join(SAMPLES, 'non-compliant', 'pc-latest-alias.template.json')]);
    expect(res.status).toBe(1);
    expect(res.stdout).toMatch(/^FAIL .*pc-latest-alias\.template\.json$/m);
    expect(res.stdout).toContain(`${PC_LATEST}  FnAlias  /Resources/FnAlias/Properties/ProvisionedConcurrencyConfig`);
    expect(res.stdout).toContain('[FIX] Point the alias at a published version');
    expect(res.stdout).toMatch(/0 passed, 1 failed/);
  });

  test('exits 0 when every template passes', () => {
    const res = runGuard([path.join(SAMPLES, 'compliant')]);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/\d+ passed, 0 failed/);
  });

  test('folders are searched for *.template.json, skipping asset.* folders; --exclude drops templates', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'assembly-'));
    fs.mkdirSync(path.join(dir, 'asset.abc'));
    fs.mkdirSync(path.join(dir, 'assembly-Stage'));
    const bad = readSample('non-compliant', 'python-3-9');
    fs.writeFileSync(path.join(dir, 'asset.abc', 'Inner.template.json'), JSON.stringify(bad));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(bad));
    fs.writeFileSync(path.join(dir, 'assembly-Stage', 'Legacy.template.json'), JSON.stringify(bad));
    fs.writeFileSync(path.join(dir, 'Good.template.json'), JSON.stringify(readSample('compliant', 'mixed')));

    const all = runGuard(['--json', dir]);
    expect(all.report!.templates.map(t => path.relative(dir, t.template))).toEqual([
      'Good.template.json', path.join('assembly-Stage', 'Legacy.template.json'),
    ]);
    expect(all.status).toBe(1);

    const excluded = runGuard(['--json', '--exclude', 'Legacy', dir]);
    expect(excluded.report!.templates.map(t => path.basename(t.template))).toEqual(['Good.template.json']);
    expect(excluded.status).toBe(0);
  });

  test('paths are passed as argv, never through a shell', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'argv-'));
    const weird = path.join(dir, "a b;touch pwned;$(touch pwned)`touch pwned`'\".template.json");
    fs.copyFileSync(path.join(SAMPLES, 'non-compliant', 'python-3-9.template.json'), weird);
    const res = runGuard(['--json', weird], { cwd: dir });
    expect(res.status).toBe(1);
    expect(res.report!.templates[0].template).toBe(weird);
    expect(fs.readdirSync(dir)).toEqual([path.basename(weird)]);
  });

  test('usage errors exit 2 with a message', () => {
    const missing = runGuard([path.join(tmp, 'does-not-exist')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no such file or folder/);
    expect(runGuard([]).status).toBe(2);
    expect(runGuard(['--bogus', 'x']).stderr).toMatch(/unknown option --bogus/);
    const empty = fs.mkdtempSync(path.join(tmp, 'empty-'));
    expect(runGuard([empty]).stderr).toMatch(/no templates/);
  });

  test('a broken rules file is an error (exit 2), not a pass', () => {
    const rules = path.join(tmp, 'broken.guard');
    fs.writeFileSync(rules, 'rule broken { Resources.*[ Type == }\n');
    const res = runGuard(['--rules', rules, path.join(SAMPLES, 'compliant', 'empty.template.json')]);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/cfn-guard/);
  });

  test('finds cfn-guard from the current directory\'s node_modules, or takes --guard / CFN_GUARD_PATH', () => {
    const sample = path.join(SAMPLES, 'compliant', 'empty.template.json');
    // From a folder outside the project, resolution falls back to this package's dependencies.
    expect(runGuard([sample], { cwd: os.tmpdir() }).status).toBe(0);
    const wrong = runGuard([sample], { env: { CFN_GUARD_PATH: path.join(tmp, 'no-guard') } });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/cfn-guard not found/);
  });
});
