// Guard parity: `cdk-python-coldstart check` (the TypeScript engine, through the CLI) and the
// CloudFormation Guard rules (policy/coldstart.guard, run by policy/run-guard.js with the real
// cfn-guard) give the same verdict on every sample template under policy/test/**.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../lib/cli/main';

const ROOT = path.join(__dirname, '..', '..');
const SAMPLES = path.join(ROOT, 'policy', 'test');

/** Guard rule → the PCS rule that enforces the same AWS rule. */
const GUARD_TO_PCS: Record<string, string | undefined> = {
  COLDSTART_NO_SNAPSTART_WITH_PROVISIONED_CONCURRENCY: 'PCS4',
  COLDSTART_NO_PROVISIONED_CONCURRENCY_ON_LATEST: 'PCS6',
  COLDSTART_NO_WARMER_ON_LATEST: 'PCS11',
  COLDSTART_PYTHON_ARM64: 'PCS2',
  COLDSTART_PYTHON_312_OR_NEWER: 'PCS1',
  // Guard only: IAM grants are not a property of the function, and what it adds for templates that
  // do not come from CDK (who cannot use alias.grantInvoke) is exactly that check.
  COLDSTART_INVOKE_ALIAS_ONLY: undefined,
};

function templates(): string[] {
  return ['compliant', 'non-compliant'].flatMap((kind) => fs.readdirSync(path.join(SAMPLES, kind))
    .filter((f) => f.endsWith('.template.json')).sort().map((f) => path.join(SAMPLES, kind, f)));
}

interface GuardTemplate { template: string; failedRules: string[] }

let guard: Map<string, string[]>;
beforeAll(() => {
  const proc = spawnSync(process.execPath, [path.join(ROOT, 'policy', 'run-guard.js'), '--json', ...templates()], { encoding: 'utf-8', cwd: ROOT });
  expect([0, 1]).toContain(proc.status);
  const report = JSON.parse(proc.stdout) as { templates: GuardTemplate[] };
  guard = new Map(report.templates.map((t) => [t.template, t.failedRules]));
});

async function checkRules(file: string): Promise<string[]> {
  let out = '';
  await main(['check', '--format', 'json', file], { out: (t) => void (out += t), err: () => undefined });
  const doc = JSON.parse(out) as { stacks: { findings: { ruleId: string; status: string }[] }[] };
  return [...new Set(doc.stacks.flatMap((s) => s.findings).filter((f) => f.status === 'NON_COMPLIANT').map((f) => f.ruleId))].sort();
}

test('every sample is judged by both', () => {
  expect(templates().length).toBeGreaterThan(30);
  expect([...guard.keys()].sort()).toEqual(templates().sort());
});

test.each(templates().map((t) => [path.relative(SAMPLES, t), t]))('%s: check and guard agree, rule by rule', async (_, file) => {
  const fromGuard = guard.get(file)!.map((r) => GUARD_TO_PCS[r]).filter((r): r is string => r !== undefined).sort();
  const mapped = new Set(Object.values(GUARD_TO_PCS).filter((r) => r !== undefined));
  const fromCheck = (await checkRules(file)).filter((r) => mapped.has(r));
  expect(fromCheck).toEqual([...new Set(fromGuard)].sort());
});

test('the guard rules word the AWS rules as the catalogue does, with its documentation link', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { AWS_RULES, ruleText } = require('../../lib/shared/aws-rules');
  const guardText = fs.readFileSync(path.join(ROOT, 'policy', 'coldstart.guard'), 'utf8');
  const whyOf = (rule: string) => {
    const start = guardText.indexOf(`rule ${rule} `);
    const end = guardText.indexOf('\nrule ', start + 1);
    return [...guardText.slice(start, end < 0 ? undefined : end).matchAll(/\[WHY\] (.*)/g)].map((m) => m[1]);
  };
  const cases: [string, any][] = [
    ['COLDSTART_NO_SNAPSTART_WITH_PROVISIONED_CONCURRENCY', AWS_RULES.SNAPSTART_WITHOUT_PROVISIONED_CONCURRENCY],
    ['COLDSTART_NO_PROVISIONED_CONCURRENCY_ON_LATEST', AWS_RULES.PROVISIONED_CONCURRENCY_PUBLISHED_VERSION],
  ];
  for (const [rule, aws] of cases) {
    const whys = whyOf(rule);
    expect(whys.length).toBeGreaterThan(0);
    for (const w of whys) {
      expect(w.startsWith(ruleText(aws))).toBe(true);
    }
  }
});
