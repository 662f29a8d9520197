/*
 * Writes docs/aws-rules.md from the AWS rule catalogue (lib/shared/aws-rules.ts): every rule the library
 * enforces, with the AWS documentation page that states it. `npx projen docs:aws-rules` (also run before every
 * compile); test/docs/aws-rules-doc.test.ts fails when the committed page is out of step.
 *
 *   ts-node --transpile-only --project test/tsconfig.json scripts/gen-aws-rules-doc.ts [--check]
 */
import * as fs from 'fs';
import * as path from 'path';
import { AWS_RULES, AwsRule } from '../lib/shared/aws-rules';

export const DOC_PATH = path.join(__dirname, '..', 'docs', 'aws-rules.md');

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The page, deterministic: rules sorted by id, no timestamps. */
export function renderAwsRulesDoc(rules: Record<string, AwsRule> = AWS_RULES): string {
  const entries = Object.values(rules).sort((a, b) => a.id.localeCompare(b.id));
  const lines = [
    '<!-- Generated from lib/shared/aws-rules.ts by scripts/gen-aws-rules-doc.ts (npx projen docs:aws-rules). Do not edit. -->',
    '# AWS rules the library enforces',
    '',
    'Every AWS limit or constraint that cdk-python-coldstart checks is written once, in one catalogue, and read',
    'by the construct\'s synth-time validation, the compliance rules (`ColdStartChecks`, the CLI, the policy',
    'validation plugin) and remediation. Error messages name the rule and link the AWS page below.',
    '',
    `${entries.length} rule(s):`,
    '',
    '| ID | Rule | Limit | When broken | Usual fix | Source |',
    '| --- | --- | --- | --- | --- | --- |',
    ...entries.map((r) => `| \`${r.id}\` | ${cell(sentence(r.rule))} | ${r.limit !== undefined ? cell(`${r.limit}${r.unit ? ` ${r.unit}` : ''}`) : ''} `
      + `| ${cell(sentence(capitalize(r.why)))} | ${cell(sentence(capitalize(r.fix)))} | [${cell(sourceLabel(r.docUrl))}](${r.docUrl}) |`),
    '',
  ];
  return lines.join('\n');
}

/** "Lambda Developer Guide: snapstart.html#snapstart-runtimes" style label for a docs.aws.amazon.com URL. */
function sourceLabel(url: string): string {
  const m = /^https:\/\/docs\.aws\.amazon\.com\/([^/]+)\/latest\/([^/]+)\/(.+)$/.exec(url);
  if (!m) return url.replace(/^https?:\/\//, '');
  const guides: Record<string, string> = { dg: 'Developer Guide', ug: 'User Guide', userguide: 'User Guide', APIReference: 'API Reference' };
  const service = m[1] === 'lambda' ? 'Lambda' : m[1];
  return `${service} ${guides[m[2]] ?? m[2]}: ${m[3]}`;
}

if (require.main === module) {
  const content = renderAwsRulesDoc();
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(DOC_PATH) ? fs.readFileSync(DOC_PATH, 'utf8') : '';
    if (current !== content) {
      process.stderr.write('docs/aws-rules.md is out of step with lib/shared/aws-rules.ts: run npx projen docs:aws-rules\n');
      process.exit(1);
    }
  } else {
    fs.mkdirSync(path.dirname(DOC_PATH), { recursive: true });
    fs.writeFileSync(DOC_PATH, content);
    process.stdout.write(`wrote ${path.relative(process.cwd(), DOC_PATH)} (${Object.keys(AWS_RULES).length} rules)\n`);
  }
}
