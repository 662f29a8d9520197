/*
 * dist-bindings/python/venv (npm run bindings:python): the Python environment CI runs examples/python and the
 * docs' Python snippets with. Checked here when it exists (CI builds it after the unit tests and then uses it).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const VENV_PY = path.join(ROOT, 'dist-bindings', 'python', 'venv', 'bin', 'python');
const have = fs.existsSync(VENV_PY);
if (!have) {
  // eslint-disable-next-line no-console
  console.warn('test/package: no dist-bindings/python/venv (npm run bindings:python): its checks are skipped');
}

function py(code: string) {
  return spawnSync(VENV_PY, ['-c', code], {
    encoding: 'utf8', timeout: 300_000, env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
  });
}

(have ? describe : describe.skip)('the Python bindings environment', () => {
  test('imports this library, aws-cdk-lib with its jsii dependencies, and constructs', () => {
    const r = py([
      'import aws_cdk, constructs, cdk_python_coldstart',
      'import aws_cdk.asset_awscli_v1, aws_cdk.asset_node_proxy_agent_v6, aws_cdk.cloud_assembly_schema._jsii',
      'print(cdk_python_coldstart.ColdStartStrategy.provisioned_concurrency(min_capacity=2, max_capacity=20).mode)',
    ].join('\n'));
    expect(r.stderr.split('\n').filter((l) => /Error|Traceback/.test(l))).toEqual([]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('ColdStartMode.PROVISIONED_CONCURRENCY');
  }, 300_000);

  test('pip installed only the jsii runtime; the bindings come from the generated sources through a relative .pth', () => {
    const r = py([
      'import importlib.metadata as m, sysconfig, os',
      'print(",".join(sorted(d.metadata["Name"].lower().replace("_", "-") for d in m.distributions())))',
      'print(open(os.path.join(sysconfig.get_paths()["purelib"], "cdk-python-coldstart-bindings.pth")).read().strip())',
    ].join('\n'));
    expect(r.status).toBe(0);
    const [dists, pth] = r.stdout.trim().split('\n');
    expect(dists.split(',').filter((d) => /aws-cdk|constructs|cdk-python-coldstart/.test(d))).toEqual([]);
    expect(dists.split(',')).toEqual(expect.arrayContaining(['jsii', 'publication', 'typeguard']));
    expect(path.isAbsolute(pth)).toBe(false);
    expect(pth.endsWith(path.join('..', 'site'))).toBe(true);
  }, 300_000);

  test('the CLI runs through the jsii kernel (its bin must be packed executable, else "Permission denied")', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-py-'));
    const template = path.join(dir, 'template.json');
    fs.writeFileSync(template, JSON.stringify({
      Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.12', Handler: 'index.handler', Code: { ZipFile: 'x' }, Role: 'arn:aws:iam::123456789012:role/r' } } },
    }));
    const bin = path.join(ROOT, 'dist-bindings', 'python', 'site', 'cdk_python_coldstart', '_jsii', 'bin', 'cdk-python-coldstart');
    const r = spawnSync(VENV_PY, [bin, 'check', template], {
      encoding: 'utf8', timeout: 300_000, env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
    });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.stderr).not.toContain('Permission denied');
    expect(r.stdout).toContain('1 Python function(s)');
    expect(r.status).toBe(0);
  }, 300_000);

  test('the generated docstrings show Python examples (the rosetta tablet was used), not TypeScript', () => {
    const init = fs.readFileSync(path.join(ROOT, 'dist-bindings', 'python', 'site', 'cdk_python_coldstart', '__init__.py'), 'utf8');
    expect(init).toContain('coldstart.OptimizedPythonFunction(self, "Api"');
    expect(init).not.toContain("new coldstart.OptimizedPythonFunction(this, 'Api'");
  });
});
