import { AssetHashType, AssetStaging, BundlingOptions, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3_assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';

/**
 * An AssetCode that remembers where CDK staged it, so the bundle can be measured after bind
 * (also when the staged folder already existed from a previous synth and bundling was skipped).
 * Internal.
 */
export class StagedAssetCode extends lambda.AssetCode {
  /** Absolute staged path after the first bind; undefined before, or when bundling was skipped. */
  public stagedPath?: string;
  /** The asset hash CDK computed (custom hash plus bundling options), after the first bind. */
  public assetHash?: string;

  /**
   * @param assetHashType OUTPUT to let CDK hash the bundled output (the alpha's `assetHashType`); the custom hash otherwise
   */
  constructor(sourcePath: string, assetHash: string, bundling: BundlingOptions, assetHashType: AssetHashType = AssetHashType.CUSTOM) {
    super(sourcePath, assetHashType === AssetHashType.OUTPUT
      ? { assetHashType, bundling }
      : { assetHashType: AssetHashType.CUSTOM, assetHash, bundling });
  }

  public bind(scope: Construct): lambda.CodeConfig {
    const config = super.bind(scope);
    if (this.assetHash === undefined) {
      const asset = scope.node.tryFindChild('Code');
      const staging = asset instanceof s3_assets.Asset ? asset.node.tryFindChild('Stage') : undefined;
      if (staging instanceof AssetStaging) {
        this.assetHash = staging.assetHash;
        if (Stack.of(scope).bundlingRequired) {
          this.stagedPath = staging.absoluteStagedPath;
        }
      }
    }
    return config;
  }
}
