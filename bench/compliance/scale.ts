/**
 * Benchmark (not a test): how `cdk-python-coldstart check` scales with template size, and that
 * huge templates and deeply nested intrinsics do not overflow the stack.
 *
 *   npx ts-node --transpile-only --project bench/tsconfig.json bench/compliance/scale.ts [--sizes 3000,10000,20000]
 *
 * Each template has N Python functions, each with a version, an alias, a scalable target and a
 * warm-up rule on the alias (5 resources per function: the relations the engine resolves). Reported:
 * seconds per size and the time per function (flat when linear), then a ~50 MB template and a value
 * nested 100,000 levels deep.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/cli/main';

function template(n: number, pad = 0): any {
  const Resources: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    Resources[`Fn${i}`] = {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Runtime: i % 2 ? 'python3.12' : 'python3.11',
        Architectures: ['arm64'],
        MemorySize: 1024,
        Handler: 'app.handler',
        Role: 'arn:aws:iam::123456789012:role/r',
        Code: { S3Bucket: 'b', S3Key: `k${i}.zip` },
        ...(pad > 0 ? { Environment: { Variables: { PAD: 'x'.repeat(pad) } } } : {}),
      },
    };
    Resources[`Fn${i}Version`] = { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: `Fn${i}` } } };
    Resources[`Fn${i}Alias`] = { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: `Fn${i}` }, FunctionVersion: { 'Fn::GetAtt': [`Fn${i}Version`, 'Version'] }, Name: 'live' } };
    Resources[`Fn${i}Scaling`] = {
      Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
      Properties: { ServiceNamespace: 'lambda', ScalableDimension: 'lambda:function:ProvisionedConcurrency', MinCapacity: 1, MaxCapacity: 4, ResourceId: { 'Fn::Join': ['', ['function:', { Ref: `Fn${i}` }, ':live']] } },
    };
    Resources[`Fn${i}Warm`] = { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(5 minutes)', Targets: [{ Id: 't', Arn: { Ref: `Fn${i}Alias` } }] } };
  }
  return { Resources };
}

async function timeCheck(file: string): Promise<{ seconds: number; code: number; err: string }> {
  const start = process.hrtime.bigint();
  let err = '';
  const code = await main(['check', '--format', 'json', file], { out: () => undefined, err: (t) => void (err += t) });
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, code, err };
}

export async function runScale(sizes: number[]): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pcs-scale-'));
  try {
    console.log('check scaling (5 resources per function):');
    for (const n of sizes) {
      const file = path.join(dir, `t${n}.template.json`);
      fs.writeFileSync(file, JSON.stringify(template(n)));
      const r = await timeCheck(file);
      console.log(`  ${n} functions: ${r.seconds.toFixed(2)} s (${(r.seconds * 1e6 / n).toFixed(0)} us per function), exit ${r.code}`);
    }
    const big = path.join(dir, 'big.template.json');
    fs.writeFileSync(big, JSON.stringify(template(5000, 9000)));
    const bigMb = fs.statSync(big).size / 1024 / 1024;
    const rb = await timeCheck(big);
    console.log(`  ${bigMb.toFixed(0)} MB template (5000 functions): ${rb.seconds.toFixed(2)} s, exit ${rb.code}${rb.err.includes('RangeError') ? ' STACK OVERFLOW' : ''}`);
    // A value nested 100,000 levels deep (Fn::If inside Fn::If ...) in MemorySize and a warm-up target.
    // (written as text: JSON.stringify itself cannot nest that deep)
    const DEPTH = 100000;
    const deep = '{"Fn::If":["C",'.repeat(DEPTH) + '1024' + ',1024]}'.repeat(DEPTH);
    const deepArn = '{"Fn::Join":["",['.repeat(DEPTH) + '{"Fn::GetAtt":["Fn","Arn"]}' + ']]}'.repeat(DEPTH);
    const deepFile = path.join(dir, 'deep.template.json');
    fs.writeFileSync(deepFile, '{"Resources":{"Fn":{"Type":"AWS::Lambda::Function","Properties":{"Runtime":"python3.12","Handler":"a.h","Role":"r",'
      + `"Code":{"ZipFile":"x"},"MemorySize":${deep}}},"Warm":{"Type":"AWS::Events::Rule","Properties":{"ScheduleExpression":"rate(5 minutes)",`
      + `"Targets":[{"Id":"t","Arn":${deepArn}}]}}}}`);
    const rd = await timeCheck(deepFile);
    console.log(`  intrinsics nested 100,000 deep: ${rd.seconds.toFixed(2)} s, exit ${rd.code}${rd.err ? ` (${rd.err.split('\n').find((l) => l.trim()) ?? ''})` : ''}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const i = process.argv.indexOf('--sizes');
  const sizes = i >= 0 ? process.argv[i + 1].split(',').map(Number) : [3000, 10000, 20000];
  void runScale(sizes);
}
