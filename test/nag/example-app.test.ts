import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * The example app (examples/app.ts) under cdk-nag's AwsSolutions pack. The app builds and synthesizes
 * itself on import; the test captures it at its first synth and adds the pack there, with bundling
 * skipped (the nag rules read the construct tree and the templates, not the bundles).
 */
let app: App | undefined;
beforeAll(() => {
  process.env.CDK_CONTEXT_JSON = JSON.stringify({ 'aws:cdk:bundling-stacks': [] });
  const original = App.prototype.synth;
  const spy = jest.spyOn(App.prototype, 'synth').mockImplementation(function (this: App, ...args) {
    if (app === undefined) {
      app = this;
      Aspects.of(this).add(new AwsSolutionsChecks({ verbose: true }));
    }
    return original.apply(this, args);
  });
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(__dirname, '..', '..', 'examples', 'app.ts'));
  } finally {
    spy.mockRestore();
    delete process.env.CDK_CONTEXT_JSON;
  }
});

function stack(name: string): Stack {
  return app!.node.findChild(name) as Stack;
}

function nagFindings(s: Stack, level: 'error' | 'warning'): string[] {
  const a = Annotations.fromStack(s);
  const found = level === 'error'
    ? a.findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))
    : a.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'));
  return found.map((m) => `${m.id}: ${String(m.entry.data).split(':')[0]}`);
}

/** Every cdk-nag suppression in a stack (metadata `cdk_nag.rules_to_suppress` on the stack or any resource). */
function suppressions(s: Stack): Array<{ id: string; reason: string }> {
  const out: Array<{ id: string; reason: string }> = [];
  const template = app!.synth().getStackByName(s.stackName).template;
  const visit = (metadata: any) => out.push(...(metadata?.cdk_nag?.rules_to_suppress ?? []));
  visit(template.Metadata);
  for (const r of Object.values<any>(template.Resources ?? {})) visit(r.Metadata);
  return out;
}

test('the showcase stack has zero AwsSolutions errors', () => {
  expect(nagFindings(stack('ColdstartShowcase'), 'error')).toEqual([]);
});

test('its only suppression is the documented, reasoned AwsSolutions-L1 (pinned runtime)', () => {
  const found = suppressions(stack('ColdstartShowcase'));
  expect(found.map((x) => x.id)).toEqual(['AwsSolutions-L1']);
  expect(found[0].reason).toMatch(/pinned to python3\.12 on purpose.*PCS1/);
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'cdk-nag.md'), 'utf8');
  expect(doc).toContain('AwsSolutions-L1');
});

test('no IAM4/IAM5 anywhere in the showcase: no managed policy, no wildcard resource in the function roles', () => {
  const findings = [...nagFindings(stack('ColdstartShowcase'), 'error'), ...nagFindings(stack('ColdstartShowcase'), 'warning')];
  expect(findings.filter((f) => /AwsSolutions-IAM[45]/.test(f))).toEqual([]);
});

// The legacy stack is written without the library on purpose (the compliance checks must catch it), so it
// is not held to zero findings; it proves the pack really runs here: CDK's default role is flagged.
test('the deliberately legacy stack is flagged (the pack runs): IAM4 for AWSLambdaBasicExecutionRole', () => {
  const errors = nagFindings(stack('LegacyStack'), 'error');
  expect(errors.some((e) => e.includes('AwsSolutions-IAM4'))).toBe(true);
});
