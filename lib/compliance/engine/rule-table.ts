/** The rule table of docs/compliance.md, generated from the rules and the AWS rule catalogue. Internal. */
import { ALL_RULES } from '../rules';

/** Markdown table: ID, title, default level, the AWS rules it enforces (with their documentation links). */
export function ruleTableMarkdown(): string {
  const lines = [
    '| Rule | Checks | Default level | AWS rule (documentation) |',
    '| --- | --- | --- | --- |',
  ];
  for (const r of ALL_RULES) {
    const aws = r.awsRules.length === 0 ? '-'
      : r.awsRules.map((a) => `${md(a.rule)} ([${a.id}](${a.docUrl}))`).join('<br>');
    lines.push(`| ${r.id} | ${md(r.title)} | ${r.defaultLevel} | ${aws} |`);
  }
  return lines.join('\n') + '\n';
}

function md(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/__/g, '\\_\\_').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
