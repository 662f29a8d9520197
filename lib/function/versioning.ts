import * as crypto from 'crypto';
import { FeatureFlags, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { PythonDependenciesLayer } from '../bundling/layer';

/**
 * Makes `fn.currentVersion` change whenever one of `layers` changes, with or without the feature flag
 * `@aws-cdk/aws-lambda:recognizeLayerVersion`.
 *
 * CDK derives the `AWS::Lambda::Version` logical id from the function's properties. Without the flag
 * (the default of an app without cdk.json) a layer counts only as its `{ Ref }`, so a dependency-only change
 * replaces the LayerVersion but publishes no new version: `$LATEST` gets the new dependencies while the
 * aliases, the SnapStart snapshot and the provisioned environments keep the old ones.
 * This mixes each layer's content identity into the version hash:
 * a `PythonDependenciesLayer`'s asset hash, another layer's resolved `Content` (its asset's S3 key), or an
 * imported layer's version ARN. With the flag on, CDK already hashes the layers' properties and the
 * template stays exactly as CDK renders it. Internal.
 */
export function versionCoversLayers(fn: lambda.Function, layers: lambda.ILayerVersion[]): void {
  if (layers.length === 0 || FeatureFlags.of(fn).isEnabled(cxapi.LAMBDA_RECOGNIZE_LAYER_VERSION)) {
    return;
  }
  const identity = layers.map((l) => layerIdentity(fn, l)).join('\n');
  fn.invalidateVersionBasedOn(`layers:${crypto.createHash('sha256').update(identity).digest('hex')}`);
}

function layerIdentity(fn: lambda.Function, layer: lambda.ILayerVersion): string {
  if (layer instanceof PythonDependenciesLayer) {
    return `asset:${layer.assetHash}`;
  }
  const cfn = layer.node.defaultChild;
  if (cfn instanceof lambda.CfnLayerVersion) {
    return `content:${JSON.stringify(Stack.of(layer).resolve(cfn.content))}`;
  }
  const arn = layer.layerVersionArn;
  return Token.isUnresolved(arn) ? `arn:${JSON.stringify(Stack.of(fn).resolve(arn))}` : `arn:${arn}`;
}
