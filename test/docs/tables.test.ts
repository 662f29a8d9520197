/*
 * The tables of defaults and rules in the docs are checked against the code: a row that the code contradicts,
 * or a default/rule the table does not list, fails here.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OptimizedPythonFunction } from '../../lib';

const ROOT = path.join(__dirname, '..', '..');

/** The rows of the first markdown table after `marker` in a file: arrays of cell texts. */
function tableAfter(file: string, marker: string): string[][] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const at = text.indexOf(marker);
  expect(at).toBeGreaterThanOrEqual(0);
  const lines = text.slice(at).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith('|')) break;
    rows.push(l.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim()));
  }
  return rows;
}

describe('docs/strategies.md: what OptimizedPythonFunction does without settings', () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  // A handler with a requirements file (bundling is skipped: this is about the configuration).
  const entry = fs.mkdtempSync(path.join(os.tmpdir(), 'defaults-'));
  fs.writeFileSync(path.join(entry, 'index.py'), 'def handler(event, context):\n    return {}\n');
  fs.writeFileSync(path.join(entry, 'requirements.txt'), 'attrs==23.2.0\n');
  new OptimizedPythonFunction(stack, 'Fn', { entry });
  const t = Template.fromStack(stack);
  const fn = Object.values(t.findResources('AWS::Lambda::Function')).find((r: any) => r.Properties.Handler === 'index.handler') as any;

  // One check per row of the table, keyed by the row's first cell.
  const checks: Record<string, () => void> = {
    '`python3.12`': () => expect(fn.Properties.Runtime).toBe('python3.12'),
    '`arm64`': () => expect(fn.Properties.Architectures).toEqual(['arm64']),
    '1024 MB memory': () => expect(fn.Properties.MemorySize).toBe(1024),
    'dependencies in a `PythonDependenciesLayer`': () => {
      const layers = t.findResources('AWS::Lambda::LayerVersion');
      expect(Object.keys(layers)).toHaveLength(1);
      expect(fn.Properties.Layers).toEqual([{ Ref: Object.keys(layers)[0] }]);
    },
    'handler code precompiled (unchecked-hash)': () => expect(fn.Properties.Code.S3Key).toMatch(/^[0-9a-f]{64}\.zip$/),
    'explicit log group, one month retention': () => {
      const groups = t.findResources('AWS::Logs::LogGroup');
      const own = Object.entries(groups).find(([id]) => fn.Properties.LoggingConfig?.LogGroup?.Ref === id);
      expect(own?.[1].Properties.RetentionInDays).toBe(30);
    },
    'alias `live` on the current version': () => t.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live' }),
    '`ColdStartStrategy.snapStart()`': () => expect(fn.Properties.SnapStart).toEqual({ ApplyOn: 'PublishedVersions' }),
  };
  const rows = tableAfter('docs/strategies.md', 'What you get without setting anything');

  test('every row of the defaults table has a check, and every check a row', () => {
    expect(rows.map((r) => r[0]).sort()).toEqual(Object.keys(checks).sort());
  });

  test.each(Object.keys(checks))('the default %s holds', (key) => checks[key]());
});

describe('docs/layers.md: the PythonDependenciesLayer properties table', () => {
  const jsiiFile = path.join(ROOT, '.jsii');
  const have = fs.existsSync(jsiiFile);
  (have || process.env.CI ? test : test.skip)('lists every property with the default the API documents', () => {
    const asm = JSON.parse(fs.readFileSync(jsiiFile, 'utf8'));
    const props = new Map<string, string | undefined>();
    const collect = (fqn: string) => {
      const type = asm.types[fqn];
      if (!type) return; // an aws-cdk-lib base interface: its properties are passed through
      for (const p of type.properties ?? []) props.set(p.name, p.docs?.default);
      for (const base of type.interfaces ?? []) collect(base);
    };
    collect('cdk-python-coldstart.PythonDependenciesLayerProps');
    expect(props.size).toBeGreaterThan(5);

    const rows = tableAfter('docs/layers.md', '| Property | Default |');
    const documented = new Map<string, string>();
    for (const [names, def] of rows) {
      for (const n of names.split(',')) documented.set(n.trim().replace(/`/g, ''), def);
    }
    expect([...props.keys()].filter((p) => !documented.has(p)).sort()).toEqual([]);
    expect([...documented.keys()].filter((p) => !props.has(p)).sort()).toEqual([]);
    // A literal default in the table (`100`, `false`, `PYTHON_3_12`) must appear in the property's @default.
    for (const [name, def] of documented) {
      const literal = /^`([^`]+)`$/.exec(def)?.[1];
      if (literal) expect(`${name}: ${props.get(name) ?? '(no @default)'}`).toContain(literal);
    }
  });
});

describe('docs/policy.md: the cfn-guard rules table', () => {
  test('lists exactly the rules of policy/coldstart.guard', () => {
    const guard = fs.readFileSync(path.join(ROOT, 'policy', 'coldstart.guard'), 'utf8');
    const rules = [...guard.matchAll(/^rule (COLDSTART_[A-Z0-9_]+)\b/gm)].map((m) => m[1]).sort();
    expect(rules.length).toBeGreaterThan(3);
    const rows = tableAfter('docs/policy.md', '| Rule | Fails when | Why |');
    expect(rows.map((r) => r[0].replace(/`/g, '')).sort()).toEqual(rules);
  });
});
