// The strategy tables of the docs are generated from the cost model: this fails when one is out of step
// (fix: npx ts-node scripts/cost-tables.ts).
import * as fs from 'fs';
import * as path from 'path';
import { renderStrategyTable, TABLE_BEGIN, TABLE_END, withStrategyTable } from '../../lib/cost/docs-table';

const ROOT = path.join(__dirname, '..', '..');

test.each(['docs/strategies.md', 'docs/cost.md'])('%s holds the generated table, exactly as the model computes it now', (doc) => {
  const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
  expect(text.split(TABLE_BEGIN)).toHaveLength(2);
  expect(text).toContain(renderStrategyTable());
  expect(withStrategyTable(text)).toBe(text);
});

test('the generated table has one row per traffic profile and every strategy', () => {
  const table = renderStrategyTable();
  expect(table.startsWith(TABLE_BEGIN) && table.endsWith(TABLE_END)).toBe(true);
  expect(table).toContain('| Traffic | On demand | SnapStart | Provisioned concurrency | Warmup |');
  expect(table.split('\n').filter((l) => /^\| (Internal|Steady|Busy)/.test(l))).toHaveLength(3);
  expect(table).toMatch(/\| Steady API: .* \| \$\d+\.\d\d \(\d[\d,]* inits\) \| \$\d+\.\d\d \(\d[\d,]* restores\) \|/);
});

test('a document changed by hand is detected', () => {
  const text = fs.readFileSync(path.join(ROOT, 'docs/strategies.md'), 'utf8').replace(/\$18\.00/, '$5.00');
  expect(withStrategyTable(text)).not.toBe(text);
  expect(() => withStrategyTable('no markers')).toThrow(/no generated cost table markers/);
});
