// The check command is a gate: inputs that are not templates are errors (exit 2), never "No findings".
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../lib/cli/main';
import { tmpdir } from '../compliance/util';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'compliance');

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}
function file(name: string, content: string): string {
  const dir = tmpdir('pcs-gate-');
  const f = path.join(dir, name);
  fs.writeFileSync(f, content);
  return f;
}
const PY_FN = { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.11', Handler: 'i.h', Role: 'r', Code: { ZipFile: 'x' } } };

describe('inputs that are not templates: exit 2, saying what was expected', () => {
  test.each([
    ['an empty file', () => file('t.json', ''), /t\.json: the file is empty; expected a CloudFormation or SAM template/],
    ['a JSON list', () => file('t.json', '[1, 2]'), /the document is a list; expected a CloudFormation or SAM template/],
    ['Resources that is not an object', () => file('t.json', '{"Resources": "x"}'), /Resources is "x", not an object of resources/],
    ['package.json', () => file('package.json', '{"name": "app", "version": "1.0.0", "dependencies": {}}'), /no Resources section \(this looks like a package manifest/],
    ['invalid JSON', () => file('t.json', '{"Resources": '), /not valid JSON/],
    ['an empty folder', () => tmpdir('pcs-empty-'), /the folder is empty; expected a cdk\.out folder \(manifest\.json\), a SAM project \(template\.yaml\) or \*\.template\.json files/],
    ['a folder without templates', () => path.dirname(file('README.md', '# hi')), /no templates in this folder; expected a cdk\.out folder/],
  ])('%s', async (_, make, message) => {
    const r = await run('check', make());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).not.toContain('No findings');
  });
});

test('a SAM project folder is read through its template.yaml', async () => {
  const dir = tmpdir('pcs-samproj-');
  fs.copyFileSync(path.join(FIXTURES, 'sam.yaml'), path.join(dir, 'template.yaml'));
  fs.cpSync(path.join(FIXTURES, 'sam-src'), path.join(dir, 'sam-src'), { recursive: true });
  const r = await run('check', dir);
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/PCS6\s+ERROR\s+NON_COMPLIANT\s+template\/LatestFn/);
  expect(r.out).toMatch(/PCS10\s+WARNING\s+NON_COMPLIANT\s+template\/ApiFn .*app\.py/);
});

test('one unreadable file among several: the others are reported, the bad one named, exit 2', async () => {
  const good = file('good.template.json', JSON.stringify({ Resources: { Fn: PY_FN } }));
  const bad = file('bad.template.json', '{"Resources": [');
  const r = await run('check', good, bad, path.join(path.dirname(good), 'missing.json'));
  expect(r.code).toBe(2);
  expect(r.out).toMatch(/PCS1\s+WARNING\s+NON_COMPLIANT\s+good\/Fn/);
  expect(r.err).toContain(`error: ${bad}: not valid JSON`);
  expect(r.err).toMatch(/missing\.json: no such file or directory/);
  expect(r.err).toMatch(/2 input\(s\) could not be read; the findings above cover the 1 template\(s\) that were/);
});

test('the summary counts functions by their worst finding, not findings', async () => {
  const t = file('t.template.json', JSON.stringify({
    Resources: {
      Bad: PY_FN,
      Good: { Type: 'AWS::Lambda::Function', Properties: { ...PY_FN.Properties, Runtime: 'python3.12', Architectures: ['arm64'], MemorySize: 1024, SnapStart: { ApplyOn: 'PublishedVersions' } } },
      GoodVersion: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Good' } } },
      Suppressed: { ...PY_FN, Properties: { ...PY_FN.Properties, Runtime: 'python3.12', Architectures: ['arm64'], MemorySize: 1024, Code: { S3Bucket: 'b', S3Key: 'k' } }, Metadata: { cdk_python_coldstart: { rules_to_suppress: [{ id: 'PCS3', reason: 'batch' }, { id: 'PCS9', reason: 'S3' }, { id: 'PCS10', reason: 'S3' }] } } },
      Node: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs20.x', Handler: 'i.h', Role: 'r', Code: { ZipFile: 'x' } } },
    },
  }));
  const r = await run('check', '--disable', 'PCS10', t);
  expect(r.out).toMatch(/^1 template\(s\), 3 Python function\(s\): 1 non-compliant, 0 unknown, 1 suppressed, 1 compliant; 0 blocking finding\(s\) \(ERROR or above\)$/m);
});

test('--format sarif: SARIF 2.1.0 with rules, locations and suppressions', async () => {
  const r = await run('check', '--format', 'sarif', path.join(FIXTURES, 'legacy.json'), path.join(FIXTURES, 'clean.json'));
  const sarif = JSON.parse(r.out);
  expect(sarif.version).toBe('2.1.0');
  expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
  const run0 = sarif.runs[0];
  expect(run0.tool.driver).toMatchObject({ name: 'cdk-python-coldstart' });
  expect(run0.tool.driver.rules.map((x: any) => x.id)).toEqual(['PCS1', 'PCS2', 'PCS3', 'PCS4', 'PCS5', 'PCS6', 'PCS7', 'PCS8', 'PCS9', 'PCS10', 'PCS11', 'PCS12']);
  expect(run0.tool.driver.rules.find((x: any) => x.id === 'PCS4').helpUri).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/lambda\/latest\/dg\/snapstart\.html/);
  const pcs6 = run0.results.find((x: any) => x.ruleId === 'PCS6');
  expect(pcs6).toMatchObject({ level: 'error', ruleIndex: 5, locations: [{ physicalLocation: { artifactLocation: { uri: expect.stringMatching(/legacy\.json$/) } }, logicalLocations: [{ name: 'OrdersLatestAlias' }] }] });
  const suppressed = run0.results.find((x: any) => x.suppressions);
  expect(suppressed.suppressions).toEqual([{ kind: 'external', justification: 'tiny router, measured init 40 ms' }]);
  expect(run0.results.every((x: any) => ['error', 'warning', 'note'].includes(x.level))).toBe(true);
  expect(r.code).toBe(1);
});

test('--version prints the package version', async () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  expect((await run('--version')).out).toBe(`${pkg.version}\n`);
  expect((await run('check', '--version')).out).toBe(`${pkg.version}\n`);
});
