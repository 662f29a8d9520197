// Lambda list prices (USD) by region, for the cost model. One row per region AWS publishes prices for
// that we could read; a price we could not read from an AWS source is left out (undefined), never guessed:
// the estimate then says which price is missing and takes it from ColdStartCostProps.prices.
//
// Read on 2026-12-01 (no live AWS access from the build machine):
// - us-east-1 (N. Virginia), every price: the AWS Lambda pricing page, https://aws.amazon.com/lambda/pricing/
//   (its examples are "based on price in US East (N. Virginia)"), as quoted in public transcriptions of the page.
// - every other region: request, on-demand duration (x86_64 and arm64) and provisioned concurrency (x86_64)
//   from the AWS Pricing Calculator's metered unit map for Lambda,
//   https://calculator.aws/pricing/2.0/meteredUnitMaps/lambda/USD/current/lambda.json (read through a public
//   transcription; keys "Lambda Requests", "Lambda Duration", "Lambda Duration-ARM",
//   "Lambda Provisioned-Concurrency", "Lambda Duration-Provisioned").
// NOT in the table (not found in an AWS source we could read): arm64 provisioned concurrency and SnapStart
// cache/restore prices outside us-east-1; regions not listed below (e.g. ap-south-2, ap-southeast-3,
// ap-southeast-7, ca-west-1, eu-south-2, il-central-1, me-central-1, mx-central-1, GovCloud, China).
// Only the first duration tier (up to 6 billion GB-s x86 / 7.5 billion arm64 a month) is modelled.

/** Where a price row was read. Internal. */
export const PRICING_PAGE = 'https://aws.amazon.com/lambda/pricing/';
export const CALCULATOR = 'https://calculator.aws/pricing/2.0/meteredUnitMaps/lambda/USD/current/lambda.json';

/** Date the table was read. */
export const PRICES_READ_ON = '2026-12-01';

/** One region's prices. Undefined: not found in an AWS source we could read. Internal. */
export interface RegionPrices {
  readonly requestPerMillion: number;
  readonly durationPerGbSecondX86: number;
  readonly durationPerGbSecondArm64: number;
  readonly provisionedPerGbSecondX86: number;
  readonly provisionedDurationPerGbSecondX86: number;
  readonly provisionedPerGbSecondArm64?: number;
  readonly provisionedDurationPerGbSecondArm64?: number;
  readonly snapStartCachePerGbSecond?: number;
  readonly snapStartRestorePerGb?: number;
  readonly source: string;
}

/** The price table. Internal: read through ColdStartCost. */
export const LAMBDA_PRICES: { readonly [region: string]: RegionPrices } = {
  'af-south-1': {
    requestPerMillion: 0.27,
    durationPerGbSecondX86: 0.0000221000,
    durationPerGbSecondArm64: 0.0000176800,
    provisionedPerGbSecondX86: 0.0000055300,
    provisionedDurationPerGbSecondX86: 0.0000129000,
    source: CALCULATOR,
  },
  'ap-east-1': {
    requestPerMillion: 0.28,
    durationPerGbSecondX86: 0.0000229200,
    durationPerGbSecondArm64: 0.0000183000,
    provisionedPerGbSecondX86: 0.0000057153,
    provisionedDurationPerGbSecondX86: 0.0000133358,
    source: CALCULATOR,
  },
  'ap-northeast-1': {
    requestPerMillion: 0.2,
    durationPerGbSecondX86: 0.0000166667,
    durationPerGbSecondArm64: 0.0000133334,
    provisionedPerGbSecondX86: 0.0000053835,
    provisionedDurationPerGbSecondX86: 0.0000125615,
    source: CALCULATOR,
  },
  'ap-northeast-2': {
    requestPerMillion: 0.2,
    durationPerGbSecondX86: 0.0000166667,
    durationPerGbSecondArm64: 0.0000133334,
    provisionedPerGbSecondX86: 0.0000051254,
    provisionedDurationPerGbSecondX86: 0.0000119592,
    source: CALCULATOR,
  },
  'ap-northeast-3': {
    requestPerMillion: 0.2,
    durationPerGbSecondX86: 0.0000166667,
    durationPerGbSecondArm64: 0.0000133334,
    provisionedPerGbSecondX86: 0.0000053835,
    provisionedDurationPerGbSecondX86: 0.0000125615,
    source: CALCULATOR,
  },
  'ap-south-1': {
    requestPerMillion: 0.2,
    durationPerGbSecondX86: 0.0000166667,
    durationPerGbSecondArm64: 0.0000133334,
    provisionedPerGbSecondX86: 0.0000044985,
    provisionedDurationPerGbSecondX86: 0.0000104966,
    source: CALCULATOR,
  },
  'ap-southeast-1': {
    requestPerMillion: 0.2,
    durationPerGbSecondX86: 0.0000166667,
    durationPerGbSecondArm64: 0.0000133334,
    provisionedPerGbSecondX86: 0.0000051991,
    provisionedDurationPerGbSecondX86: 0.0000121313,
    source: CALCULATOR,
  },
  'ap-southeast-2': {
    requestPerMillion: 0.2,
    durationPerGbSecondX86: 0.0000166667,
    durationPerGbSecondArm64: 0.0000133334,
    provisionedPerGbSecondX86: 0.0000052360,
    provisionedDurationPerGbSecondX86: 0.0000122173,
    source: CALCULATOR,
  },
  'ap-southeast-4': {
    requestPerMillion: 0.2,
    durationPerGbSecondX86: 0.0000166667,
    durationPerGbSecondArm64: 0.0000133334,
    provisionedPerGbSecondX86: 0.0000052360,
    provisionedDurationPerGbSecondX86: 0.0000122173,
    source: CALCULATOR,
  },
  'ap-southeast-5': {
    requestPerMillion: 0.18,
    durationPerGbSecondX86: 0.0000150000,
    durationPerGbSecondArm64: 0.0000120000,
    provisionedPerGbSecondX86: 0.0000046791,
    provisionedDurationPerGbSecondX86: 0.0000109181,
    source: CALCULATOR,
  },
  'ca-central-1': {
    requestPerMillion: 0.2,
    durationPerGbSecondX86: 0.0000166667,
    durationPerGbSecondArm64: 0.0000133334,
    provisionedPerGbSecondX86: 0.0000046460,
    provisionedDurationPerGbSecondX86: 0.0000108407,
    source: CALCULATOR,
  },
  'eu-central-1': {
    requestPerMillion: 0.2,
    durationPerGbSecondX86: 0.0000166667,
    durationPerGbSecondArm64: 0.0000133334,
    provisionedPerGbSecondX86: 0.0000050147,
    provisionedDurationPerGbSecondX86: 0.0000117011,
    source: CALCULATOR,
  },
  'eu-central-2': {
    requestPerMillion: 0.22,
    durationPerGbSecondX86: 0.0000183334,
    durationPerGbSecondArm64: 0.0000146667,
    provisionedPerGbSecondX86: 0.0000055162,
    provisionedDurationPerGbSecondX86: 0.0000128712,
    source: CALCULATOR,
  },
  'eu-north-1': {
    requestPerMillion: 0.2,
    durationPerGbSecondX86: 0.0000166667,
    durationPerGbSecondArm64: 0.0000133334,
    provisionedPerGbSecondX86: 0.0000044248,
    provisionedDurationPerGbSecondX86: 0.0000103245,
    source: CALCULATOR,
  },
  'eu-south-1': {
    requestPerMillion: 0.23,
    durationPerGbSecondX86: 0.0000195172,
    durationPerGbSecondArm64: 0.0000156138,
    provisionedPerGbSecondX86: 0.0000048783,
    provisionedDurationPerGbSecondX86: 0.0000113827,
    source: CALCULATOR,
  },
  'eu-west-1': {
    requestPerMillion: 0.2,
    durationPerGbSecondX86: 0.0000166667,
    durationPerGbSecondArm64: 0.0000133334,
    provisionedPerGbSecondX86: 0.0000046460,
    provisionedDurationPerGbSecondX86: 0.0000108407,
    source: CALCULATOR,
  },
  'eu-west-2': {
    requestPerMillion: 0.2,
    durationPerGbSecondX86: 0.0000166667,
    durationPerGbSecondArm64: 0.0000133334,
    provisionedPerGbSecondX86: 0.0000048304,
    provisionedDurationPerGbSecondX86: 0.0000112709,
    source: CALCULATOR,
  },
  'eu-west-3': {
    requestPerMillion: 0.2,
    durationPerGbSecondX86: 0.0000166667,
    durationPerGbSecondArm64: 0.0000133334,
    provisionedPerGbSecondX86: 0.0000048673,
    provisionedDurationPerGbSecondX86: 0.0000113569,
    source: CALCULATOR,
  },
  'me-south-1': {
    requestPerMillion: 0.25,
    durationPerGbSecondX86: 0.0000206667,
    durationPerGbSecondArm64: 0.0000165334,
    provisionedPerGbSecondX86: 0.0000051108,
    provisionedDurationPerGbSecondX86: 0.0000119251,
    source: CALCULATOR,
  },
  'sa-east-1': {
    requestPerMillion: 0.2,
    durationPerGbSecondX86: 0.0000166667,
    durationPerGbSecondArm64: 0.0000133334,
    provisionedPerGbSecondX86: 0.0000066372,
    provisionedDurationPerGbSecondX86: 0.0000154867,
    source: CALCULATOR,
  },
  'us-east-1': {
    requestPerMillion: 0.2,
    durationPerGbSecondX86: 0.0000166667,
    durationPerGbSecondArm64: 0.0000133334,
    provisionedPerGbSecondX86: 0.0000041667,
    provisionedDurationPerGbSecondX86: 0.0000097222,
    provisionedPerGbSecondArm64: 0.0000033334,
    provisionedDurationPerGbSecondArm64: 0.0000077778,
    snapStartCachePerGbSecond: 0.0000015046,
    snapStartRestorePerGb: 0.0001397998,
    source: PRICING_PAGE,
  },
  'us-east-2': {
    requestPerMillion: 0.2,
    durationPerGbSecondX86: 0.0000166667,
    durationPerGbSecondArm64: 0.0000133334,
    provisionedPerGbSecondX86: 0.0000041667,
    provisionedDurationPerGbSecondX86: 0.0000097222,
    source: CALCULATOR,
  },
  'us-west-1': {
    requestPerMillion: 0.2,
    durationPerGbSecondX86: 0.0000166667,
    durationPerGbSecondArm64: 0.0000133334,
    provisionedPerGbSecondX86: 0.0000049041,
    provisionedDurationPerGbSecondX86: 0.0000114430,
    source: CALCULATOR,
  },
  'us-west-2': {
    requestPerMillion: 0.2,
    durationPerGbSecondX86: 0.0000166667,
    durationPerGbSecondArm64: 0.0000133334,
    provisionedPerGbSecondX86: 0.0000041667,
    provisionedDurationPerGbSecondX86: 0.0000097222,
    source: CALCULATOR,
  },
};
