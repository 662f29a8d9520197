// Warmup: a function behind the zero-change wrapper warmed by the fan-out warmer (concurrency 2,
// prewarm on deploy), and a decorated function warmed directly by the schedule (concurrency 1).
// Both aliases are also targets of the stack's one warmer (StackWarmer: targets in its rule input,
// one prewarm custom resource for the stack).
// Assertions (run on deployment): warm-up payloads return the early-return body, other events
// reach user code, the fan-out warmer reaches 2 environments, the schedule targets the alias.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as integ from '@aws-cdk/integ-tests-alpha';
import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AliasWarmer, StackWarmer, WarmupHandler } from '../lib/warmup';

/**
 * The handler file plus the runtime kit's warmup modules, assembled at synth time into one asset
 * folder (no bundling). The asset hash covers the content only, so the temp path does not matter.
 */
function assembleCode(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-warmup-'));
  fs.copyFileSync(path.join(__dirname, 'handlers', 'warmup', 'app.py'), path.join(dir, 'app.py'));
  const kitSrc = path.join(__dirname, '..', 'assets', 'runtime', 'cdk_python_coldstart_runtime');
  const kitDst = path.join(dir, 'cdk_python_coldstart_runtime');
  fs.mkdirSync(kitDst);
  for (const f of ['__init__.py', 'warmup.py', 'wrapper.py']) {
    fs.copyFileSync(path.join(kitSrc, f), path.join(kitDst, f));
  }
  return dir;
}

const app = new cdk.App();
const stack = new cdk.Stack(app, 'WarmupStack');
const codeDir = assembleCode();
const code = lambda.Code.fromAsset(codeDir);

const wrapped = WarmupHandler.wrap('app.handler');
const wrappedFn = new lambda.Function(stack, 'Wrapped', {
  runtime: lambda.Runtime.PYTHON_3_12,
  architecture: lambda.Architecture.ARM_64,
  code,
  handler: wrapped.handler,
  environment: wrapped.environment,
});
const wrappedAlias = new lambda.Alias(stack, 'WrappedLive', { aliasName: 'live', version: wrappedFn.currentVersion });
const fanOut = new AliasWarmer(stack, 'FanOutWarmer', { alias: wrappedAlias, concurrency: 2, prewarmOnDeploy: true });

const decoratedFn = new lambda.Function(stack, 'Decorated', {
  runtime: lambda.Runtime.PYTHON_3_12,
  architecture: lambda.Architecture.ARM_64,
  code,
  handler: 'app.decorated',
});
const decoratedAlias = new lambda.Alias(stack, 'DecoratedLive', { aliasName: 'live', version: decoratedFn.currentVersion });
const direct = new AliasWarmer(stack, 'DirectWarmer', { alias: decoratedAlias });

const stackWarmer = StackWarmer.of(stack);
stackWarmer.addTarget({ alias: wrappedAlias, concurrency: 2, prewarmOnDeploy: true });
stackWarmer.addTarget({ alias: decoratedAlias });

const test = new integ.IntegTest(app, 'Warmup', { testCases: [stack] });
const qualified = (fn: lambda.Function, alias: lambda.Alias) => `${fn.functionName}:${alias.aliasName}`;

// The warm-up payload returns early, before user code (wrapper).
test.assertions.invokeFunction({
  functionName: qualified(wrappedFn, wrappedAlias),
  payload: JSON.stringify(fanOut.warmupEvent),
}).assertAtPath('Payload.warmup', integ.ExpectedResult.exact(true));

// Any other event reaches the user's handler unchanged.
test.assertions.invokeFunction({
  functionName: qualified(wrappedFn, wrappedAlias),
  payload: JSON.stringify({ path: '/orders' }),
}).assertAtPath('Payload.handled_by', integ.ExpectedResult.exact('user'));

// serverless-plugin-warmup's payload returns early too (decorator).
test.assertions.invokeFunction({
  functionName: qualified(decoratedFn, decoratedAlias),
  payload: JSON.stringify({ source: 'serverless-plugin-warmup' }),
}).assertAtPath('Payload.warmup', integ.ExpectedResult.exact(true));

// The fan-out warmer gets 2 successful warm-up answers.
test.assertions.invokeFunction({
  functionName: fanOut.warmerFunction!.functionName,
}).assertAtPath('Payload.succeeded', integ.ExpectedResult.exact(2));

// The stack warmer warms both aliases from the targets in its event (as its rule input carries them):
// 2 + 1 successful warm-up answers.
test.assertions.invokeFunction({
  functionName: stackWarmer.warmerFunction.functionName,
  payload: JSON.stringify({
    'cdk-python-coldstart-warmer': 'targets',
    'targets': [{ arn: wrappedAlias.functionArn, n: 2, l: 100 }, { arn: decoratedAlias.functionArn, n: 1, l: 0 }],
  }),
}).assertAtPath('Payload.succeeded', integ.ExpectedResult.exact(3));

// The concurrency-1 schedule targets the alias (qualified ARN), not the function.
test.assertions.awsApiCall('EventBridge', 'listTargetsByRule', { Rule: direct.rule!.ruleName })
  .assertAtPath('Targets.0.Arn', integ.ExpectedResult.exact(decoratedAlias.functionArn));

// The fan-out warmer is configured with the alias ARN.
test.assertions.awsApiCall('Lambda', 'getFunctionConfiguration', { FunctionName: fanOut.warmerFunction!.functionName })
  .assertAtPath('Environment.Variables.CDK_PYTHON_COLDSTART_WARMUP_TARGET', integ.ExpectedResult.exact(wrappedAlias.functionArn));

app.synth();
// the asset is staged into the cloud assembly by now
fs.rmSync(codeDir, { recursive: true, force: true });
