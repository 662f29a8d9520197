import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { WarmupHandler } from '../../lib/warmup';

test('wrap routes the user handler through the runtime kit wrapper', () => {
  expect(WarmupHandler.wrap('index.handler')).toEqual({
    handler: 'cdk_python_coldstart_runtime.wrapper.handler',
    environment: { CDK_PYTHON_COLDSTART_HANDLER: 'index.handler' },
  });
  expect(WarmupHandler.wrap('pkg.mod.fn').environment.CDK_PYTHON_COLDSTART_HANDLER).toBe('pkg.mod.fn');
  expect(WarmupHandler.wrap('src/app.handler').environment.CDK_PYTHON_COLDSTART_HANDLER).toBe('src/app.handler');
});

test.each(['handler', 'index.', '.handler', 'my-module.handler', 'index.handler()', ''])('rejects %p', (bad) => {
  expect(() => WarmupHandler.wrap(bad)).toThrow(/not a Python handler of the form 'module.function'/);
});

test('rejects the wrapper itself', () => {
  expect(() => WarmupHandler.wrap('cdk_python_coldstart_runtime.wrapper.handler')).toThrow(/is the warm-up wrapper itself/);
});

test('a token handler is passed through unvalidated', () => {
  const stack = new Stack(new App(), 'S');
  const h = new CfnParameter(stack, 'H').valueAsString;
  expect(WarmupHandler.wrap(h).environment.CDK_PYTHON_COLDSTART_HANDLER).toBe(h);
});
