/**
 * A typical @aws-cdk/aws-lambda-python-alpha PythonFunction, migrated by changing the import and the class
 * name only (docs/migration.md). This file type-checks under ts-jest: an alpha property this library does not
 * accept, or a place where CDK wants a lambda.IFunction, fails it before any assertion runs.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AssetHashType, DockerImage, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
// was: import { PythonFunction } from '@aws-cdk/aws-lambda-python-alpha';
import { OptimizedPythonFunction } from '../../lib';

const ENTRY = path.join(__dirname, '..', 'fixtures', 'function', 'basic');

function migratedApp(): Stack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Service', { env: { account: '123456789012', region: 'eu-west-1' } });
  const table = new dynamodb.Table(stack, 'Orders', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  const queue = new sqs.Queue(stack, 'Jobs');

  // was: new PythonFunction(stack, 'Api', {
  const fn = new OptimizedPythonFunction(stack, 'Api', {
    entry: ENTRY,
    index: 'index.py',
    handler: 'handler',
    runtime: lambda.Runtime.PYTHON_3_12,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 512,
    timeout: Duration.seconds(10),
    environment: { TABLE_NAME: table.tableName },
    logRetention: logs.RetentionDays.TWO_WEEKS,
    bundling: {
      assetExcludes: ['tests', '*.md'],
      assetHashType: AssetHashType.SOURCE,
      poetryIncludeHashes: false,
      poetryWithoutUrls: true,
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-python3.12:latest-arm64'),
      buildArgs: { PIP_INDEX_URL: 'https://pypi.example.com/simple' },
      environment: { PIP_DEFAULT_TIMEOUT: '60' },
      volumes: [{ hostPath: '/tmp/wheels', containerPath: '/wheels' }],
      network: 'host',
      outputPathSuffix: '',
      commandHooks: {
        beforeBundling(_inputDir: string, _outputDir: string): string[] {
          return [];
        },
        afterBundling(inputDir: string, outputDir: string): string[] {
          return [`cp ${inputDir}/index.py ${outputDir}/copied.py`];
        },
      },
    },
  });

  table.grantReadWriteData(fn);
  queue.grantSendMessages(fn);
  fn.addEnvironment('QUEUE_URL', queue.queueUrl);
  fn.addEventSource(new sources.SqsEventSource(new sqs.Queue(stack, 'Inbox')));
  new apigw.LambdaRestApi(stack, 'RestApi', { handler: fn });
  const asFunction: lambda.IFunction = fn;
  void asFunction;
  return stack;
}

const t = Template.fromStack(migratedApp());

test('type-checks with tsc (ts-jest only transpiles: this is the compile check of the migration)', () => {
  const repo = path.resolve(__dirname, '..', '..');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migration-tsc-'));
  const tsconfig = path.join(dir, 'tsconfig.json');
  fs.writeFileSync(tsconfig, JSON.stringify({
    extends: path.join(repo, 'test', 'tsconfig.json'),
    compilerOptions: { noEmit: true, rootDir: repo, typeRoots: [path.join(repo, 'node_modules', '@types')], noUnusedLocals: false, noUnusedParameters: false },
    files: [__filename],
    include: [],
  }));
  const r = spawnSync(process.execPath, [path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig], { encoding: 'utf8', timeout: 240_000 });
  fs.rmSync(dir, { recursive: true, force: true });
  expect(r.stdout + r.stderr).toBe('');
  expect(r.status).toBe(0);
}, 300_000);

test('synthesizes: the function keeps its settings and the log retention', () => {
  t.hasResourceProperties('AWS::Lambda::Function', {
    Runtime: 'python3.12',
    Architectures: ['arm64'],
    MemorySize: 512,
    Timeout: 10,
    Handler: 'index.handler',
    Environment: { Variables: Match.objectLike({ TABLE_NAME: Match.anyValue(), QUEUE_URL: Match.anyValue() }) },
  });
  t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
  t.resourceCountIs('Custom::LogRetention', 0);
});

test('with a requirements.txt: the alpha\'s outputPathSuffix \'\' applies to the handler code, the layer keeps python/', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migration-'));
  fs.writeFileSync(path.join(dir, 'index.py'), 'def handler(e, c):\n    return 1\n');
  fs.writeFileSync(path.join(dir, 'requirements.txt'), 'requests\n');
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S');
  new OptimizedPythonFunction(stack, 'Fn', { entry: dir, runtime: lambda.Runtime.PYTHON_3_12, bundling: { outputPathSuffix: '' } });
  Template.fromStack(stack).resourceCountIs('AWS::Lambda::LayerVersion', 1);
});

test('API Gateway and the event source invoke the alias; grants go to the function role', () => {
  for (const m of Object.values(t.findResources('AWS::ApiGateway::Method'))) {
    expect(JSON.stringify(m.Properties.Integration.Uri)).toMatch(/"Ref":"ApiAlias[0-9A-F]{8}"/);
  }
  expect(JSON.stringify(t.findResources('AWS::Lambda::EventSourceMapping'))).toMatch(/"Ref":"ApiAlias[0-9A-F]{8}"/);
  const policies = JSON.stringify(t.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^ApiServiceRole') }] } }));
  expect(policies).toContain('dynamodb:PutItem');
  expect(policies).toContain('sqs:SendMessage');
  expect(policies).toContain('sqs:ReceiveMessage');
});
