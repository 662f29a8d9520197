import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ColdStartStrategy, OptimizedPythonFunction, OptimizedPythonFunctionProps } from '../../lib';
import { main } from '../../lib/cli/main';
import { COST_ESTIMATE_METADATA_TYPE } from '../../lib/cost/at-synth';
import { PY312, tmpdir, writeEntry } from '../bundling/helpers';

const ENTRY = writeEntry(path.join(tmpdir(), 'cost-nodeps'), { 'index.py': 'def handler(e, c):\n    return 1\n' });
const traffic = { requestsPerMonth: 10_000_000, averageDuration: Duration.millis(120), peakConcurrency: 3, scaleOutsPerDay: 2 };

function make(props: Partial<OptimizedPythonFunctionProps>, region = 'us-east-1') {
  const stack = new Stack(new App({ outdir: tmpdir('cost-out-') }), 'S', { env: { account: '123456789012', region } });
  const fn = new OptimizedPythonFunction(stack, 'Api', { entry: ENTRY, bundling: { pythonExecutable: PY312 }, ...props });
  return { stack, fn, meta: fn.node.metadata.find((m) => m.type === COST_ESTIMATE_METADATA_TYPE)?.data };
}

describe('costEstimate at synth', () => {
  test('reports each strategy for the function\'s memory, architecture and region, marking its own', () => {
    const { stack, meta } = make({ costEstimate: { traffic }, memorySize: 2048 });
    Annotations.fromStack(stack).hasInfo('/S/Api', Match.stringLikeRegexp(
      'Cost estimate \\(us-east-1 arm64, 2048 MB, 10,000,000 requests/month, prices read \\d{4}-\\d\\d-\\d\\d; \\* = this function\'s strategy\\): '
      + '  On demand: \\$\\d+\\.\\d\\d/month, 213 requests/month pay an init; \\* SnapStart .*: \\$\\d+\\.\\d\\d/month, 213 requests/month pay a restore'));
    expect(meta).toMatchObject({ region: 'us-east-1', architecture: 'arm64', memorySize: 2048, strategy: 'snapstart' });
    expect(meta.strategies.map((s: any) => s.strategy)).toEqual(['on-demand', 'snapstart', 'provisioned-concurrency', 'warmup']);
  });

  test('provisioned concurrency: the estimate uses the strategy\'s minimum capacity', () => {
    const coldStart = ColdStartStrategy.provisionedConcurrency({ minCapacity: 3, maxCapacity: 10 });
    const { stack, meta } = make({ costEstimate: { traffic }, coldStart });
    expect(meta.strategy).toBe('provisioned-concurrency');
    Annotations.fromStack(stack).hasInfo('/S/Api', Match.stringLikeRegexp('\\* Provisioned concurrency \\(3, 24 h/day\\): \\$\\d+\\.\\d\\d/month, 0 requests/month pay an init'));
  });

  test('a region without a price in the table says which price to pass', () => {
    const { stack } = make({ costEstimate: { traffic } }, 'eu-west-1');
    Annotations.fromStack(stack).hasInfo('/S/Api', Match.stringLikeRegexp('SnapStart .*: n/a \\(no SnapStart cache or restore price for eu-west-1 arm64'));
  });

  test('no costEstimate: no annotation, no metadata', () => {
    const { stack, meta } = make({});
    expect(meta).toBeUndefined();
    Annotations.fromStack(stack).hasNoInfo('/S/Api', Match.stringLikeRegexp('Cost estimate'));
  });

  test('a bad traffic value names the function and the property', () => {
    expect(() => make({ costEstimate: { traffic: { ...traffic, requestsPerMonth: -5 } } })).toThrow(/S\/Api: costEstimate: traffic.requestsPerMonth must be a number of at least 0, got -5/);
  });
});

describe('cdk-python-coldstart cost', () => {
  async function run(...argv: string[]) {
    let out = '';
    let err = '';
    const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; } });
    return { code, out, err };
  }

  test('prints the side-by-side table for a traffic profile', async () => {
    const r = await run('cost', '--requests-per-month', '10000000', '--duration-ms', '120', '--peak-concurrency', '3', '--scale-outs-per-day', '2', '--init-ms', '800');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Monthly cost, us-east-1 arm64, 1024 MB, 10,000,000 requests/month');
    expect(r.out).toMatch(/On demand\s+\$18\.00\s+\$18\.00\s+\$0\.00\s+\$0\.00\s+\$0\.00\s+213 init/);
    expect(r.out).toMatch(/Provisioned concurrency \(1, 24 h\/day\)\s+\$20\.09\s+\$11\.33\s+\$8\.76/);
  });

  test('--format json, own prices and x86_64', async () => {
    const r = await run('cost', '--requests-per-month=3000000', '--duration-ms=1000', '--memory-mb=512', '--arch=x86_64', '--free-tier',
      '--price-duration-per-gb-second=0.00001667', '--format=json');
    expect(r.code).toBe(0);
    const e = JSON.parse(r.out);
    expect(e.onDemand.monthlyCost).toBe(18.74); // the pricing page's Example 1
    expect(e.architecture).toBe('x86_64');
  });

  test.each([
    [['--duration-ms', '100'], /--requests-per-month and --duration-ms are required/],
    [['--requests-per-month', '1e300', '--duration-ms', '1'], /--requests-per-month must be a number of at least 0, got '1e300'/],
    [['--requests-per-month', '1', '--duration-ms', '1', '--arch', 'sparc'], /--arch must be arm64 or x86_64/],
    [['--requests-per-month', '1', '--duration-ms', '1', '--memory-mb', '64'], /memorySize must be a whole number of at least 128/],
    [['--requests-per-month', '1', '--duration-ms', '1', '--region', 'us-east-1; rm -rf /'], /--region must be a region name/],
    [['--bogus'], /unknown option --bogus/],
  ])('usage error %j: one line, exit 2', async (args, message) => {
    const r = await run('cost', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});
