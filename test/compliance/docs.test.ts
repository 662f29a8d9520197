// docs/compliance.md and docs/cli.md are kept in step with the code.
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../lib/cli/main';
import { ruleTableMarkdown } from '../../lib/compliance/engine/rule-table';
import { ALL_RULES } from '../../lib/compliance/rules';

const DOCS = path.join(__dirname, '..', '..', 'docs');

test('the rule table of docs/compliance.md is the one generated from the rules and the AWS rule catalogue', () => {
  const doc = fs.readFileSync(path.join(DOCS, 'compliance.md'), 'utf8');
  const table = /<!-- rules:start -->\n([\s\S]*?)<!-- rules:end -->/.exec(doc)![1];
  expect(table).toBe(ruleTableMarkdown());
  for (const r of ALL_RULES) {
    expect(table).toContain(`| ${r.id} |`);
    for (const a of r.awsRules) {
      expect(table).toContain(a.docUrl);
    }
  }
});

test('docs/cli.md documents every option of the usage text', async () => {
  let usage = '';
  await main(['check', '--help'], { out: (t) => void (usage += t), err: () => undefined });
  const doc = fs.readFileSync(path.join(DOCS, 'cli.md'), 'utf8');
  const options = [...usage.matchAll(/^\s+(--[a-z-]+)/gm)].map((m) => m[1]);
  expect(options.length).toBeGreaterThan(5);
  for (const o of options) {
    expect(doc).toContain(`\`${o}`);
  }
});

test('no user-facing rule text points at internal notes', () => {
  for (const r of ALL_RULES) {
    expect(`${r.explanation} ${r.fix}`).not.toMatch(/aws-facts/);
  }
});
