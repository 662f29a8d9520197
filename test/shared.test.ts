import * as lambda from 'aws-cdk-lib/aws-lambda';
import { pythonRuntimeInfo, pythonSupportsSnapStart } from '../lib/shared/python-runtime';

test('parses python runtimes and rejects others', () => {
  expect(pythonRuntimeInfo(lambda.Runtime.PYTHON_3_12)).toEqual({ name: 'python3.12', version: '3.12', minor: 12 });
  expect(pythonRuntimeInfo(lambda.Runtime.NODEJS_20_X)).toBeUndefined();
  expect(pythonRuntimeInfo('python3.9')?.minor).toBe(9);
});

test('SnapStart only from python3.12', () => {
  expect(pythonSupportsSnapStart(lambda.Runtime.PYTHON_3_11)).toBe(false);
  expect(pythonSupportsSnapStart(lambda.Runtime.PYTHON_3_12)).toBe(true);
  expect(pythonSupportsSnapStart(lambda.Runtime.PYTHON_3_13)).toBe(true);
  expect(pythonSupportsSnapStart(lambda.Runtime.NODEJS_20_X)).toBe(false);
});
