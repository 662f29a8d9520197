// Writes the generated cost table into docs/strategies.md and docs/cost.md from the cost model.
//   npx ts-node scripts/cost-tables.ts          rewrite the tables
//   npx ts-node scripts/cost-tables.ts --check  exit 1 when a document is out of step (CI; also a jest test)
import * as fs from 'fs';
import * as path from 'path';
import { withStrategyTable } from '../lib/cost/docs-table';

export const COST_TABLE_DOCS = ['docs/strategies.md', 'docs/cost.md'];

const root = path.join(__dirname, '..');
let stale = 0;
for (const doc of COST_TABLE_DOCS) {
  const file = path.join(root, doc);
  const text = fs.readFileSync(file, 'utf8');
  const next = withStrategyTable(text);
  if (next !== text) {
    if (process.argv.includes('--check')) {
      process.stderr.write(`${doc}: the cost table is out of step with the model (run npx ts-node scripts/cost-tables.ts)\n`);
      stale++;
    } else {
      fs.writeFileSync(file, next);
      process.stdout.write(`${doc}: table updated\n`);
    }
  }
}
process.exitCode = stale > 0 ? 1 : 0;
