import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, AspectPriority, Stack } from 'aws-cdk-lib';
import { cfnFn, tmpdir } from './util';
import { ColdStartChecks, ReportFormat } from '../../lib/compliance';

function synth(formats?: ReportFormat[]) {
  const outdir = tmpdir('pcs-report-');
  const app = new App({ outdir });
  const s = new Stack(app, 'Orders');
  cfnFn(s, { runtime: 'python3.11', memorySize: 256 }, 'Zeta');
  const a = cfnFn(s, { runtime: 'python3.12' }, 'Alpha');
  ColdStartChecks.suppress(a, 'PCS8', 'cron job, latency irrelevant, "quoted"');
  new Stack(app, 'Empty');
  Aspects.of(app).add(new ColdStartChecks({ reportFormats: formats }), { priority: AspectPriority.READONLY });
  app.synth();
  return outdir;
}

describe('reports in the cloud assembly', () => {
  const outdir = synth();
  const json = JSON.parse(fs.readFileSync(path.join(outdir, 'cdk-python-coldstart-Orders.json'), 'utf8'));
  const csv = fs.readFileSync(path.join(outdir, 'cdk-python-coldstart-Orders.csv'), 'utf8').trimEnd().split('\n');

  test('JSON: stable order by resource path then rule ID (PCS2 before PCS10)', () => {
    expect(json.stack).toBe('Orders');
    const keys = json.findings.map((f: any) => `${f.resourcePath} ${f.ruleId}`);
    expect(keys).toEqual([
      'Orders/Alpha PCS1', 'Orders/Alpha PCS2', 'Orders/Alpha PCS3', 'Orders/Alpha PCS8', 'Orders/Alpha PCS9', 'Orders/Alpha PCS10',
      'Orders/Zeta PCS1', 'Orders/Zeta PCS2', 'Orders/Zeta PCS3', 'Orders/Zeta PCS8', 'Orders/Zeta PCS9', 'Orders/Zeta PCS10',
    ]);
  });

  test('JSON: a finding carries level, status, logical ID, message; suppressions their reason', () => {
    expect(json.findings).toContainEqual({
      ruleId: 'PCS1',
      level: 'WARNING',
      status: 'NON_COMPLIANT',
      resourcePath: 'Orders/Zeta',
      logicalId: 'Zeta',
      message: expect.stringContaining('python3.11'),
    });
    expect(json.findings).toContainEqual(expect.objectContaining({
      ruleId: 'PCS8', status: 'SUPPRESSED', resourcePath: 'Orders/Alpha', suppressionReason: 'cron job, latency irrelevant, "quoted"',
    }));
  });

  test('CSV: header, one row per JSON finding in the same order, quoting', () => {
    expect(csv[0]).toBe('ruleId,level,status,resourcePath,logicalId,message,suppressionReason');
    expect(csv.length - 1).toBe(json.findings.length);
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 5).join(','))).toEqual(
      json.findings.map((f: any) => [f.ruleId, f.level, f.status, f.resourcePath, f.logicalId].join(',')));
    expect(csv).toContainEqual(expect.stringMatching(/^PCS8,WARNING,SUPPRESSED,Orders\/Alpha,Alpha,.*,"cron job, latency irrelevant, ""quoted"""$/));
  });

  test('no report for a stack without functions', () => {
    expect(fs.existsSync(path.join(outdir, 'cdk-python-coldstart-Empty.json'))).toBe(false);
  });

  test('reportFormats selects the files', () => {
    const only = synth([ReportFormat.JSON]);
    expect(fs.existsSync(path.join(only, 'cdk-python-coldstart-Orders.json'))).toBe(true);
    expect(fs.existsSync(path.join(only, 'cdk-python-coldstart-Orders.csv'))).toBe(false);
  });
});
