// Templates that used to overflow the stack: values nested 100,000 deep, 100,000-row tables.
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../lib/cli/main';
import { ColdStartFinding, FindingLevel, FindingStatus } from '../../lib/compliance';
import { toTable } from '../../lib/compliance/engine/report';
import { tmpdir } from '../compliance/util';

test('intrinsics nested 100,000 deep are read without a stack overflow', async () => {
  const DEPTH = 100000;
  const memory = '{"Fn::If":["C",'.repeat(DEPTH) + '256' + ',256]}'.repeat(DEPTH);
  const arn = '{"Fn::Join":["",['.repeat(DEPTH) + '{"Fn::GetAtt":["Fn","Arn"]}' + ']]}'.repeat(DEPTH);
  const file = path.join(tmpdir('pcs-deep-'), 'deep.template.json');
  fs.writeFileSync(file, '{"Resources":{"Fn":{"Type":"AWS::Lambda::Function","Properties":{"Runtime":"python3.12","Handler":"a.h","Role":"r",'
    + `"Code":{"ZipFile":"x"},"MemorySize":${memory}}},"Warm":{"Type":"AWS::Events::Rule","Properties":{"ScheduleExpression":"rate(5 minutes)",`
    + `"Targets":[{"Id":"t","Arn":${arn}}]}}}}`);
  let out = '';
  let err = '';
  const code = await main(['check', '--format', 'json', file], { out: (t) => void (out += t), err: (t) => void (err += t) });
  expect(err).not.toMatch(/Maximum call stack/);
  expect(code).toBe(0);
  const findings = JSON.parse(out).stacks[0].findings;
  // every branch says 256: judged as 256
  expect(findings.find((f: any) => f.ruleId === 'PCS8')).toMatchObject({ status: 'NON_COMPLIANT', message: expect.stringContaining('256 MB') });
});

test('a table of 200,000 findings is printed', () => {
  const f: ColdStartFinding = { ruleId: 'PCS1', level: FindingLevel.WARNING, status: FindingStatus.NON_COMPLIANT, stackName: 's', resourcePath: 's/Fn', logicalId: 'Fn', message: 'm' };
  const table = toTable(new Array(200000).fill(f));
  expect(table.split('\n').length).toBe(200002);
});
