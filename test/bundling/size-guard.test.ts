import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { checkDeploymentSize } from '../../lib/bundling/size-guard';

const MB = 1024 * 1024;
const stack = () => new Stack(new App(), 'S');

test('above 250 MB unzipped (code plus layers): error that names the parts', () => {
  expect(() => checkDeploymentSize(stack(), [{ label: 'handler code', bytes: 10 * MB }, { label: 'layer Deps', bytes: 241 * MB }]))
    .toThrow(/251.0 MB unzipped \(handler code 10.0 MB, layer Deps 241.0 MB\), above Lambda's 250 MB limit/);
});

test('exactly 250 MB passes; above the budget warns', () => {
  const s = stack();
  expect(checkDeploymentSize(s, [{ label: 'code', bytes: 250 * MB }], 100)).toBe(250 * MB);
  Annotations.fromStack(s).hasWarning('/S', Match.stringLikeRegexp('250.0 MB unzipped .*above the 100 MB budget'));
});

test('within the budget: no warning', () => {
  const s = stack();
  checkDeploymentSize(s, [{ label: 'code', bytes: 99 * MB }], 100);
  expect(Annotations.fromStack(s).findWarning('*', Match.anyValue())).toEqual([]);
});

test('parts of unknown size are listed, not counted', () => {
  const s = stack();
  expect(checkDeploymentSize(s, [{ label: 'code', bytes: 120 * MB }, { label: 'imported layer L' }], 100)).toBe(120 * MB);
  Annotations.fromStack(s).hasWarning('/S', Match.stringLikeRegexp('unknown size: imported layer L'));
});

test('more than 5 layers: error', () => {
  expect(() => checkDeploymentSize(stack(), [], 100, 6)).toThrow(/6 layers attached, but Lambda allows at most 5/);
  expect(() => checkDeploymentSize(stack(), [], 100, 5)).not.toThrow();
});
