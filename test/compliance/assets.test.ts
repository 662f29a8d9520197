import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { cfnFn, check, codeDir, l2Fn, only, statuses } from './util';
import { requirePython } from '../helpers/python';

const PY312 = requirePython('3.12');
const SRC = { 'app.py': 'import helper\ndef handler(e, c):\n    return helper.X\n', 'helper.py': 'X = 1\n' };

/** A code dir compiled by real CPython 3.12 with the given compileall arguments (none: no .pyc). */
function compiled(args?: string[]): string {
  const dir = codeDir(SRC);
  if (args) {
    const r = spawnSync(PY312, ['-m', 'compileall', '-q', ...args, dir], { encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: '' } });
    expect(r.status).toBe(0);
  }
  return dir;
}

const l2Asset = (dir: string, runtime = lambda.Runtime.PYTHON_3_12) => (s: Stack) =>
  l2Fn(s, { runtime, code: lambda.Code.fromAsset(dir), handler: 'app.handler' });

describe('PCS10 bytecode', () => {
  test.each([
    ['unchecked-hash', ['--invalidation-mode', 'unchecked-hash'], 'COMPLIANT'],
    ['checked-hash', ['--invalidation-mode', 'checked-hash'], 'COMPLIANT'],
    ['timestamp (default)', ['--invalidation-mode', 'timestamp'], 'NON_COMPLIANT'],
    ['no .pyc', undefined, 'NON_COMPLIANT'],
  ])('L2 asset compiled %s', (_, args, expected) => {
    expect(statuses(check(l2Asset(compiled(args))).findings, 'PCS10')).toEqual([expected]);
  });

  test('timestamp-based and missing .pyc are named in the message', () => {
    const dir = compiled(['--invalidation-mode', 'timestamp']);
    fs.writeFileSync(path.join(dir, 'extra.py'), 'Y = 2\n');
    const f = only(check(l2Asset(dir)).findings, 'PCS10');
    expect(f.message).toMatch(/1 have no cpython-312 \.pyc \(extra\.py\)/);
    expect(f.message).toMatch(/2 have timestamp-based \.pyc .*\(app\.py, helper\.py\)/);
  });

  test('bytecode of another minor version does not count (python3.11 runtime, 3.12 .pyc)', () => {
    const f = only(check(l2Asset(compiled(['--invalidation-mode', 'unchecked-hash']), lambda.Runtime.PYTHON_3_11)).findings, 'PCS10');
    expect(f.message).toMatch(/no cpython-311 \.pyc/);
  });

  test('L1 CfnFunction on an s3 Asset is read from the staged directory', () => {
    const mk = (dir: string) => (s: Stack) => {
      const asset = new s3assets.Asset(s, 'Code', { path: dir });
      cfnFn(s, { code: { s3Bucket: asset.s3BucketName, s3Key: asset.s3ObjectKey } });
    };
    expect(statuses(check(mk(compiled(['--invalidation-mode', 'unchecked-hash']))).findings, 'PCS10')).toEqual(['COMPLIANT']);
    expect(statuses(check(mk(compiled())).findings, 'PCS10')).toEqual(['NON_COMPLIANT']);
  });

  test('code in an S3 bucket that is not a staged asset is UNKNOWN naming Code', () => {
    const f = only(check((s) => cfnFn(s, { code: { s3Bucket: 'b', s3Key: 'k.zip' } })).findings, 'PCS10');
    expect(f).toMatchObject({ status: 'UNKNOWN', message: expect.stringContaining('Code') });
  });
});

describe('PCS9 package plus layers size', () => {
  const noStaging = { context: { 'aws:cdk:disable-asset-staging': true } };

  test('small L2 asset is compliant; above the budget a warning', () => {
    const dir = codeDir({ 'app.py': 'x', 'data.bin': Buffer.alloc(2 * 1024 * 1024) });
    expect(statuses(check(l2Asset(dir)).findings, 'PCS9')).toEqual(['COMPLIANT']);
    expect(only(check(l2Asset(dir), { rules: { PCS9: { sizeBudgetMb: 1 } } }).findings, 'PCS9')).toMatchObject({ status: 'NON_COMPLIANT', level: 'WARNING' });
  });

  test('code plus a layer above 250 MB unzipped is an error (sparse files, staging disabled)', () => {
    const code = codeDir({ 'app.py': 'x' });
    fs.truncateSync(path.join(code, 'app.py'), 130 * 1024 * 1024);
    const layerDir = codeDir({ 'python/big.bin': '' });
    fs.truncateSync(path.join(layerDir, 'python/big.bin'), 130 * 1024 * 1024);
    const f = only(check((s) => {
      const layer = new lambda.LayerVersion(s, 'L', { code: lambda.Code.fromAsset(layerDir) });
      l2Fn(s, { code: lambda.Code.fromAsset(code), layers: [layer] });
    }, {}, noStaging).findings, 'PCS9');
    expect(f).toMatchObject({ status: 'NON_COMPLIANT', level: 'ERROR', message: expect.stringContaining('260.0 MB') });
  });

  test('an external layer makes the size UNKNOWN naming Layers[0]; six layers are an error', () => {
    const ext = (s: Stack, i: number) => lambda.LayerVersion.fromLayerVersionArn(s, `L${i}`, `arn:aws:lambda:us-east-1:123456789012:layer:l${i}:1`);
    const one = only(check((s) => l2Fn(s, { layers: [ext(s, 0)] })).findings, 'PCS9');
    expect(one).toMatchObject({ status: 'UNKNOWN', message: expect.stringContaining('Layers[0]') });
    const six = check((s) => cfnFn(s, { layers: [0, 1, 2, 3, 4, 5].map((i) => `arn:aws:lambda:us-east-1:1:layer:l${i}:1`) })).findings;
    expect(six.filter((f) => f.ruleId === 'PCS9' && f.level === 'ERROR').map((f) => f.message)).toEqual([expect.stringContaining('6 layers')]);
  });
});
