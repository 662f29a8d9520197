import * as fs from 'fs';
import { AWS_RULES } from '../../lib/shared/aws-rules';
import { DOC_PATH, renderAwsRulesDoc } from '../../scripts/gen-aws-rules-doc';

describe('docs/aws-rules.md', () => {
  test('is generated from the catalogue and committed in step with it (npx projen docs:aws-rules)', () => {
    expect(fs.existsSync(DOC_PATH)).toBe(true);
    // Not toEqual on the whole page alone: name the rules that are missing, so the fix is obvious.
    const page = fs.readFileSync(DOC_PATH, 'utf8');
    const missing = Object.values(AWS_RULES).filter((r) => !page.includes(`| \`${r.id}\` |`)).map((r) => r.id);
    expect(missing).toEqual([]);
    expect(page).toEqual(renderAwsRulesDoc());
  });

  test('lists every rule once, with its AWS documentation page as the source', () => {
    const page = renderAwsRulesDoc();
    for (const r of Object.values(AWS_RULES)) {
      const rows = page.split('\n').filter((l) => l.startsWith(`| \`${r.id}\` |`));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toContain(`](${r.docUrl}) |`);
      expect(r.docUrl).toMatch(/^https:\/\/(docs\.)?aws\.amazon\.com\//);
    }
    expect(page).toContain(`${Object.keys(AWS_RULES).length} rule(s):`);
  });

  test('changes when a rule, its limit or its source changes (the check cannot pass on a stale page)', () => {
    const base = renderAwsRulesDoc();
    const first = Object.values(AWS_RULES)[0];
    const variants = [
      { ...first, rule: `${first.rule} (changed)` },
      { ...first, limit: 12345, unit: 'MB' },
      { ...first, docUrl: 'https://docs.aws.amazon.com/lambda/latest/dg/other-page.html' },
      { ...first, fix: 'do something else' },
    ];
    for (const v of variants) {
      expect(renderAwsRulesDoc({ ...AWS_RULES, [first.id]: v })).not.toEqual(base);
    }
    const added = renderAwsRulesDoc({ ...AWS_RULES, NEW_RULE: { ...first, id: 'NEW_RULE' } });
    expect(added).toContain('| `NEW_RULE` |');
  });

  test('escapes table syntax in rule text', () => {
    const first = Object.values(AWS_RULES)[0];
    const page = renderAwsRulesDoc({ X: { ...first, id: 'X', rule: 'a | b\nc' } });
    expect(page).toContain('| `X` | a \\| b c. |');
  });

  test('README and docs cite AWS, never the internal aws-facts notes', () => {
    const files = ['README.md', 'CONTRIBUTING.md', ...fs.readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    const offenders = files.filter((f) => fs.existsSync(f) && /aws-facts/i.test(fs.readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
