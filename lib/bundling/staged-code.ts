import { AssetHashType, AssetStaging, BundlingOptions, Stack, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3_assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { acquireBundleLock } from './bundle-lock';

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
   * @param lockWaitMs how long a synth waits for another one bundling the same asset into the same
   * cloud assembly (see bundle-lock.ts)
   */
  constructor(sourcePath: string, private readonly customHash: string, bundling: BundlingOptions,
    assetHashType: AssetHashType = AssetHashType.CUSTOM, private readonly lockWaitMs = 30 * 60_000) {
    super(sourcePath, assetHashType === AssetHashType.OUTPUT
      ? { assetHashType, bundling }
      : { assetHashType: AssetHashType.CUSTOM, assetHash: customHash, bundling });
  }

  public bind(scope: Construct): lambda.CodeConfig {
    // The first bind stages (bundles) the asset: hold the bundle's lock in the assembly while CDK does.
    const outdir = this.assetHash === undefined && Stack.of(scope).bundlingRequired ? Stage.of(scope)?.assetOutdir : undefined;
    const release = outdir !== undefined ? acquireBundleLock(scope.node.path, outdir, this.customHash, this.lockWaitMs) : undefined;
    let config: lambda.CodeConfig;
    try {
      config = super.bind(scope);
    } finally {
      release?.();
    }
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
