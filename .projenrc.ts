import { awscdk, javascript, JsonFile } from 'projen';

// aws-cdk-lib 2.245.0 is the lowest version @aws-cdk/integ-tests-alpha supports (it peers on ^2.245.0);
// everything the library uses (SnapStart for Python, AspectPriority, policy validation) is older.
const CDK_VERSION = '2.245.0';
// Tasks that bundle Python find a CPython of the runtime's minor version through this lookup (the library
// itself only reads $CDK_PYTHON_COLDSTART_PYTHON or python3.N on PATH, never machine-specific paths).
const PYTHON_ENV = { CDK_PYTHON_COLDSTART_PYTHON: '$(bash scripts/find-python.sh 3.12)' };
const INTEG_ENV = {
  ...PYTHON_ENV,
  AWS_REGION: 'us-east-1',
  CDK_DEFAULT_REGION: 'us-east-1',
  JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20',
  // No stack traces in the cloud assembly: snapshots must not depend on this machine's paths.
  CDK_DISABLE_STACK_TRACE: '1',
};

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-python-coldstart',
  description: 'AWS CDK constructs that make Python Lambda cold starts fast by construction, and prove it.',
  author: 'cdk-python-coldstart developers',
  authorAddress: 'cdk-python-coldstart@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk-python-coldstart/cdk-python-coldstart.git',
  keywords: ['aws-cdk', 'lambda', 'python', 'cold-start', 'snapstart', 'provisioned-concurrency'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  srcdir: 'lib',
  testdir: 'test',
  cdkVersion: CDK_VERSION,
  cdkVersionPinning: false,
  constructsVersion: '10.5.0',
  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.0',
  minNodeVersion: '20.0.0',
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  docgen: true,
  eslint: true,
  prettier: false,
  publishToPypi: {
    distName: 'cdk-python-coldstart',
    module: 'cdk_python_coldstart',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkpythoncoldstart',
    mavenGroupId: 'io.github.cdk-python-coldstart',
    mavenArtifactId: 'cdk-python-coldstart',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkPythonColdstart',
    packageId: 'CdkPythonColdstart',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-python-coldstart/cdk-python-coldstart-go',
    packageName: 'cdkpythoncoldstart',
  },
  devDeps: [
    `@aws-cdk/integ-tests-alpha@${CDK_VERSION}-alpha.0`,
    '@aws-cdk/integ-runner@2.197.10',
    'aws-cdk@2.1115.1',
    'jsii-pacmak@1.140.0',
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
    'ts-node@10.9.2',
    // AwsSolutions pack run on the example app (test/nag): a 2.x whose peers accept aws-cdk-lib 2.245 and constructs 10.5.0.
    'cdk-nag@2.37.55',
  ],
  jestOptions: {
    // A drifting snapshot must fail, never be rewritten silently.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // .ts before .js: jsii writes compiled .js next to the sources, and tests must run the sources.
      moduleFileExtensions: ['ts', 'js', 'json', 'node'],
      testTimeout: 120_000,
      // Most suites wait on Python, pip and synth subprocesses: one worker per core (jest's default is
      // cores - 1, a single worker on a 2-core CI machine) halves the suite's wall time there.
      maxWorkers: '100%',
      coverageReporters: ['text-summary', 'lcov'],
    },
  },
  gitignore: [
    'cdk.out',
    'cdk.out.*',
    '**/*.snapshot/asset.*',
    '**/cdk-integ.out.*',
    '.bench',
    '__pycache__',
    '*.pyc',
    '/dist-bindings',
    '/.jsii.tabl.json',
  ],
  npmIgnoreOptions: {
    // What a user needs is lib/**/*.js and .d.ts, the .jsii assembly and its rosetta tablet, assets/, policy/, the
    // README, docs/ and the rosetta fixture; never sources, synth output, test output or bindings.
    ignorePatterns: [
      '/integ', '/examples', '/.ci', '/bench', '/scripts', '/dist-bindings', '__pycache__', '*.pyc', '/policy/test',
      'cdk.out', 'cdk.out.*', '*.snapshot', 'cdk-integ.out.*', '.bench', '/test-reports', '/coverage', '*.tgz',
      '*.tsbuildinfo', '.cache', '/CONTRIBUTING.md',
    ],
  },
});

// Compiled output only: jsii writes lib/**/*.js next to the sources, and a shipped lib/**/*.ts makes
// `ts-node --prefer-ts-exts` (a `cdk init` app) load the sources and fail on their imports. These come after
// projen's `!/lib/` so they win; the .d.ts files are kept, and the rosetta tablet (written by
// `jsii-rosetta extract` next to .jsii) ships so pacmak and Construct Hub show translated examples.
project.npmignore?.exclude('/lib/**/*.ts', '/lib/**/*.d.ts.map', '/lib/**/*.js.map');
project.npmignore?.include('/lib/**/*.d.ts', '/.jsii.tabl.json');

// REPORT-line samples are test fixtures, not logs to ignore.
project.gitignore.include('/test/fixtures/**/*.log');
// Scratch folders of test/docs/ts-snippets.test.ts (added here: projen's `!/test/` would drop it from the list above).
project.gitignore.exclude('/test/docs/.ts-snippets-*');

// Tests live in test/ only (projen's default also matches lib/**/spec.ts, e.g. lib/bundling/spec.ts).
project.package.file.addOverride('jest.testMatch', ['<rootDir>/test/**/*.test.ts']);

// Command-line entry points: `npx cdk-python-coldstart check|profile ...` and the cfn-guard rules runner.
project.addBins({
  'cdk-python-coldstart': 'lib/cli/main.js',
  'cdk-python-coldstart-guard': 'policy/run-guard.js',
});

// Benchmarks (not tests): ratios measured side by side in one run.
project.addTask('bench:deps', {
  description: 'Cold import of a realistic dependency set: default pip install -t vs slim vs this layer vs warm cache',
  env: PYTHON_ENV,
  exec: 'ts-node --project bench/tsconfig.json bench/deps/run.ts',
});
project.addTask('bench:compliance', {
  description: 'Synth time of an app with 5,000 functions, with and without ColdStartChecks',
  exec: 'ts-node --transpile-only --project bench/tsconfig.json bench/compliance/synth-5000.ts',
});
project.addTask('bench:fleet', {
  description: '60 OptimizedPythonFunctions in one stack: pip runs, LayerVersions, second-synth time vs inline lambda.Function',
  env: PYTHON_ENV,
  exec: 'ts-node --transpile-only --project bench/tsconfig.json bench/fleet/run.ts',
});

// integ tests, the example app and the benchmark are type-checked and linted like tests.
for (const dir of ['integ', 'examples', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..' },
      include: ['**/*.ts'],
      exclude: ['node_modules'],
    },
  });
  project.eslint?.addLintPattern(dir);
  project.eslint?.allowDevDeps(`${dir}/**`);
}

// README and doc-comment examples are compiled by jsii-rosetta in strict mode: they cannot rot.
const rosetta = project.addTask('rosetta:extract', {
  description: 'Compile every README/JSDoc example with jsii-rosetta (strict)',
  exec: 'jsii-rosetta extract --strict --fail',
});
project.postCompileTask.spawn(rosetta);

// The CLI is a bin: jsii's kernel runs lib/cli/main.js directly (for the Python/Java/... packages' scripts), so
// the packed file must keep its executable bit (its shebang comes from main.ts).
project.postCompileTask.exec('chmod +x lib/cli/main.js');

// docs/aws-rules.md is generated from the catalogue (lib/shared/aws-rules.ts); test/docs keeps it in step.
const awsRulesDoc = project.addTask('docs:aws-rules', {
  description: 'Regenerate docs/aws-rules.md from lib/shared/aws-rules.ts',
  exec: 'ts-node --transpile-only --prefer-ts-exts --project test/tsconfig.json scripts/gen-aws-rules-doc.ts',
});
project.preCompileTask.spawn(awsRulesDoc);

// integ-tests-alpha tests with committed snapshots: verified offline, updated only with --dry-run.
const integArgs = '--directory integ --language typescript --app "ts-node --project integ/tsconfig.json {filePath}"';
const integ = project.addTask('integ', {
  description: 'Verify the committed integ snapshots (offline, no deployment)',
  env: INTEG_ENV,
  exec: `integ-runner ${integArgs}`,
});
project.addTask('integ:update', {
  description: 'Re-synthesize integ snapshots that changed (never deploys)',
  env: INTEG_ENV,
  exec: `integ-runner ${integArgs} --update-on-failed --dry-run`,
});
project.testTask.spawn(integ);
for (const [k, v] of Object.entries(PYTHON_ENV)) {
  project.testTask.env(k, v);
}

// Offline packaging: npm tarball, plus bindings for the other languages generated as code only
// (their package managers' registries are not reachable here) and the Python ones byte-compiled.
// This library's Python bindings go where `bindings:python` reads them (dist-bindings/python/gen/<package>), so
// `npm run build` never deletes the Python environment that task builds (aws-cdk-lib's bindings take minutes).
const OWN_PYTHON = 'dist-bindings/python/gen/cdk-python-coldstart';
const bindings = project.addTask('bindings', {
  description: 'Generate Python, Java, .NET and Go bindings (code only) and byte-compile the Python',
  steps: [
    { exec: `rm -rf dist-bindings/java dist-bindings/dotnet dist-bindings/go ${OWN_PYTHON}` },
    { exec: 'jsii-pacmak --code-only --target java --target dotnet --target go --outdir dist-bindings' },
    { exec: `jsii-pacmak --code-only --target python --outdir ${OWN_PYTHON}` },
    { exec: `python3 -m compileall -q ${OWN_PYTHON}/python/src` },
  ],
});
// A Python environment for Python users and CI: dist-bindings/python/venv, in which
// `python -c "import aws_cdk, cdk_python_coldstart"` works (scripts/bindings-python.js says how).
project.addTask('bindings:python', {
  description: 'Build dist-bindings/python/venv with Python bindings of this library, aws-cdk-lib and constructs',
  exec: 'node scripts/bindings-python.js',
});
// Every ```python block of README.md and docs/*.md, run against that environment.
project.addTask('docs:python', {
  description: 'Run every Python snippet of README.md and docs/*.md against dist-bindings/python/venv',
  env: PYTHON_ENV,
  exec: 'node scripts/run-python-snippets.js',
});
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package:js')!);
project.packageTask.spawn(bindings);

// The main job: synthesize the example app and print what the library did.
project.addTask('example', {
  description: 'Synthesize the example app into cdk.out and print a summary',
  env: INTEG_ENV,
  steps: [
    { exec: 'cdk synth --app "ts-node --project examples/tsconfig.json examples/app.ts" --output cdk.out --quiet' },
    { exec: 'ts-node --project examples/tsconfig.json examples/summary.ts cdk.out' },
  ],
});

project.synth();
