/**
 * Issue 15, "One layer per dependency set": the key is the dependency set's content (and bundling options),
 * not the entry folder, and the layer is a stack-level construct named after it. Real bundling (Python 3.12,
 * hermetic pip on fixture wheels).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OptimizedPythonFunction } from '../../lib';
import { buildWheels, hermeticPipEnv, PY312, tmpdir, writeEntry } from '../bundling/helpers';

const WHEELS = buildWheels();
const bundling = { pythonExecutable: PY312, environment: hermeticPipEnv(WHEELS) };
const REQS = 'purepkg==1.0.0\nplatpkg==2.0.0\n';

function folders(n: number, reqs: (i: number) => string): string[] {
  const root = tmpdir('cpc-fleet-');
  return Array.from({ length: n }, (_, i) => writeEntry(path.join(root, `route${i}`), {
    'index.py': `def handler(event, context):\n    return ${i}\n`,
    'requirements.txt': reqs(i),
  }));
}

function synth(entries: string[], names = entries.map((_, i) => `Route${i}`)) {
  const app = new App({ outdir: tmpdir('cpc-out-') });
  const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  const fns = entries.map((entry, i) => new OptimizedPythonFunction(stack, names[i], { entry, bundling }));
  return { stack, fns, t: Template.fromStack(stack) };
}

describe('three functions in three folders', () => {
  const same = folders(3, () => REQS);

  test('identical requirements: one LayerVersion, attached to all three', () => {
    const { t, fns } = synth(same);
    t.resourceCountIs('AWS::Lambda::LayerVersion', 1);
    const [layerId] = Object.keys(t.findResources('AWS::Lambda::LayerVersion'));
    const attached = t.findResources('AWS::Lambda::Function', { Properties: { Layers: [{ Ref: layerId }] } });
    expect(Object.keys(attached)).toHaveLength(3);
    expect(new Set(fns.map((f) => f.dependenciesLayer))).toEqual(new Set([fns[0].dependenciesLayer]));
  });

  test('the shared layer is a child of the stack named after the dependency set, not of the first function', () => {
    const { stack, fns } = synth(same);
    const layer = fns[0].dependenciesLayer!;
    expect(layer.node.scope).toBe(stack);
    expect(layer.node.id).toMatch(/^PythonDependencies[0-9a-f]{16}$/);
  });

  test('the same dependency set in other folders, under other function names, gives the same layer id', () => {
    const other = folders(2, () => REQS);
    const a = synth(same).t;
    const b = synth(other).t;
    expect(Object.keys(b.findResources('AWS::Lambda::LayerVersion'))).toEqual(Object.keys(a.findResources('AWS::Lambda::LayerVersion')));
  });

  test('different requirements: two LayerVersions', () => {
    const mixed = folders(3, (i) => (i === 1 ? 'purepkg==1.0.0\n' : REQS));
    const { t, fns } = synth(mixed);
    t.resourceCountIs('AWS::Lambda::LayerVersion', 2);
    expect(fns[0].dependenciesLayer).toBe(fns[2].dependenciesLayer);
    expect(fns[1].dependenciesLayer).not.toBe(fns[0].dependenciesLayer);
  });

  test('renaming or removing the first function leaves the layer logical id (and the others\' versions) unchanged', () => {
    const before = synth(same).t;
    const renamed = synth(same, ['Renamed', 'Route1', 'Route2']).t;
    const removed = synth(same.slice(1), ['Route1', 'Route2']).t;
    const layerIds = (t: Template) => Object.keys(t.findResources('AWS::Lambda::LayerVersion'));
    expect(layerIds(renamed)).toEqual(layerIds(before));
    expect(layerIds(removed)).toEqual(layerIds(before));
    const versionOf = (t: Template, fn: string) => Object.keys(t.findResources('AWS::Lambda::Version')).filter((id) => id.startsWith(fn));
    expect(versionOf(removed, 'Route1')).toEqual(versionOf(before, 'Route1'));
    expect(versionOf(renamed, 'Route2')).toEqual(versionOf(before, 'Route2'));
  });

  test('pip runs once for the stack: one staged layer folder in cdk.out', () => {
    const { stack } = synth(same);
    const outdir = stack.node.root instanceof App ? (stack.node.root as App).outdir : '';
    const staged = fs.readdirSync(outdir).filter((d) => d.startsWith('asset.') && fs.existsSync(path.join(outdir, d, 'python')));
    expect(staged).toHaveLength(1);
  });
});

test('a fleet: 20 functions in 20 folders with the same requirements publish one LayerVersion, bundled once', () => {
  const entries = folders(20, () => REQS);
  const { stack, t } = synth(entries);
  t.resourceCountIs('AWS::Lambda::LayerVersion', 1);
  const [layerId] = Object.keys(t.findResources('AWS::Lambda::LayerVersion'));
  expect(Object.keys(t.findResources('AWS::Lambda::Function', { Properties: { Layers: [{ Ref: layerId }] } }))).toHaveLength(20);
  const outdir = (stack.node.root as App).outdir;
  expect(fs.readdirSync(outdir).filter((d) => d.startsWith('asset.') && fs.existsSync(path.join(outdir, d, 'python')))).toHaveLength(1);
});

test('a function in another stack gets its own layer (layers are per stack)', () => {
  const [entry] = folders(1, () => REQS);
  const app = new App({ outdir: tmpdir('cpc-out-') });
  const s1 = new Stack(app, 'One');
  const s2 = new Stack(app, 'Two');
  new OptimizedPythonFunction(s1, 'A', { entry, bundling });
  new OptimizedPythonFunction(s2, 'B', { entry, bundling });
  Template.fromStack(s1).resourceCountIs('AWS::Lambda::LayerVersion', 1);
  Template.fromStack(s2).resourceCountIs('AWS::Lambda::LayerVersion', 1);
});

test('the example app: WarmedWorker shares the layer of the APIs (one LayerVersion, one S3 key)', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpc-example-'));
  const saved = { outdir: process.env.CDK_OUTDIR, context: process.env.CDK_CONTEXT_JSON };
  // The example pins boto3 from PyPI (unreachable here): synthesize it with bundling skipped, as `cdk deploy
  // OtherStack` would. The layer's content hash, hence its id and S3 key, does not need the bundle.
  process.env.CDK_OUTDIR = outdir;
  process.env.CDK_CONTEXT_JSON = JSON.stringify({ 'aws:cdk:bundling-stacks': [] });
  try {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('../../examples/app');
    });
  } finally {
    process.env.CDK_OUTDIR = saved.outdir;
    process.env.CDK_CONTEXT_JSON = saved.context;
    if (saved.outdir === undefined) delete process.env.CDK_OUTDIR;
    if (saved.context === undefined) delete process.env.CDK_CONTEXT_JSON;
  }
  const template = JSON.parse(fs.readFileSync(path.join(outdir, 'ColdstartShowcase.template.json'), 'utf8'));
  const layers = Object.entries(template.Resources).filter(([, r]: [string, any]) => r.Type === 'AWS::Lambda::LayerVersion');
  expect(layers).toHaveLength(1);
  const [layerId] = layers[0];
  const fns = Object.entries(template.Resources).filter(([id, r]: [string, any]) => r.Type === 'AWS::Lambda::Function' && /^(SnapStartApi|ProvisionedApi|WarmedWorker)Function/.test(id));
  expect(fns.map(([id]) => id.replace(/Function.*/, '')).sort()).toEqual(['ProvisionedApi', 'SnapStartApi', 'WarmedWorker']);
  for (const [, fn] of fns) {
    expect((fn as any).Properties.Layers).toEqual([{ Ref: layerId }]);
  }
});
