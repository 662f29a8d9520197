// The strategy cost table of docs/strategies.md and docs/cost.md, generated from the cost model
// (scripts/cost-tables.ts writes it; test/cost/docs.test.ts fails when a document is out of step).
// Internal: not exported from lib/index.ts.
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ColdStartCost, ColdStartCostProps, strategiesOf, TrafficProfile } from './estimate';
import { PRICES_READ_ON } from './prices';

export const TABLE_BEGIN = '<!-- BEGIN GENERATED cost table: npx ts-node scripts/cost-tables.ts (do not edit by hand) -->';
export const TABLE_END = '<!-- END GENERATED cost table -->';

/** The traffic profiles of the table. */
export const DOC_PROFILES: { readonly name: string; readonly traffic: TrafficProfile }[] = [
  {
    name: 'Internal tool: 100k requests/month, 200 ms, peak 2, 1 burst a day',
    traffic: { requestsPerMonth: 100_000, averageDuration: Duration.millis(200), peakConcurrency: 2, scaleOutsPerDay: 1 },
  },
  {
    name: 'Steady API: 10M requests/month, 120 ms, peak 3, 2 bursts a day',
    traffic: { requestsPerMonth: 10_000_000, averageDuration: Duration.millis(120), peakConcurrency: 3, scaleOutsPerDay: 2 },
  },
  {
    name: 'Busy API: 100M requests/month, 80 ms, peak 20, 4 bursts a day',
    traffic: { requestsPerMonth: 100_000_000, averageDuration: Duration.millis(80), peakConcurrency: 20, scaleOutsPerDay: 4 },
  },
];

/** Settings shared by every row (the library's defaults: 1024 MB, arm64). */
export const DOC_SETTINGS: Omit<ColdStartCostProps, 'traffic'> = {
  memorySize: 1024,
  architecture: lambda.Architecture.ARM_64,
  region: 'us-east-1',
  initDuration: Duration.millis(800),
};

/** The generated Markdown block, markers included. */
export function renderStrategyTable(): string {
  const rows = DOC_PROFILES.map((p) => {
    const e = ColdStartCost.estimate({ ...DOC_SETTINGS, traffic: p.traffic });
    const cells = strategiesOf(e).map((s) => `$${s.monthlyCost.toFixed(2)} (${s.coldStartsPerMonth.toLocaleString('en-US')} ${s.coldStartPhase}s)`);
    return `| ${p.name} | ${cells.join(' | ')} |`;
  });
  return [
    TABLE_BEGIN,
    '',
    `Monthly cost per function in us-east-1, arm64, 1024 MB, 800 ms billed init; prices read ${PRICES_READ_ON} from `
      + 'https://aws.amazon.com/lambda/pricing/. In brackets: requests per month that pay a cold start (an init, or a restore with SnapStart). '
      + 'SnapStart: 1 version kept, 4 published a month. Provisioned concurrency and warmup: the average concurrency rounded up, 24 h a day, '
      + 'warm-ups every 5 minutes. No free tier.',
    '',
    '| Traffic | On demand | SnapStart | Provisioned concurrency | Warmup |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    TABLE_END,
  ].join('\n');
}

/** Replaces the generated block of a document (which must have both markers). */
export function withStrategyTable(doc: string): string {
  const begin = doc.indexOf(TABLE_BEGIN);
  const end = doc.indexOf(TABLE_END);
  if (begin < 0 || end < begin) {
    throw new Error('the document has no generated cost table markers');
  }
  return doc.slice(0, begin) + renderStrategyTable() + doc.slice(end + TABLE_END.length);
}
