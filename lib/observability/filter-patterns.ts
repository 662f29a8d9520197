import * as lambda from 'aws-cdk-lib/aws-lambda';

// CloudWatch metric filter patterns that turn Lambda's invoke report into init-duration and
// restore-duration metrics (aws-facts: Cold-start telemetry: AWS/Lambda has no init-duration
// metric). Each pattern is evaluated in test/observability against real REPORT samples in both
// log formats (with and without Init Duration, with Restore Duration, with the XRAY suffix).
//
// TEXT format. The REPORT line is tab separated; a space-delimited filter pattern splits the event
// on whitespace and matches fields by position, so every word of the labels is one field:
//
//   1 REPORT  2 RequestId:  3 <id>  4 Duration:  5 <ms>  6 ms  7 Billed  8 Duration:  9 <ms>  10 ms
//   11 Memory  12 Size:  13 <MB>  14 MB  15 Max  16 Memory  17 Used:  18 <MB>  19 MB
//   20 Init|Restore  21 Duration:  22 <ms>  23 ms  ... (Billed Restore Duration, XRAY TraceId, ...)
//
// A cold start puts `Init Duration: N ms` at fields 20-23; a SnapStart restore puts
// `Restore Duration: N ms` at the same place (then `Billed Restore Duration: N ms`). Warm
// invocations end at field 19 (plus an optional XRAY suffix, which starts with `XRAY`), so the
// literal at field 20 keeps them out. The trailing `...` absorbs the XRAY suffix and the billed
// restore fields.
//
// JSON format. Lambda writes the invoke report as a `platform.report` event whose
// `record.metrics` has `initDurationMs` on a cold start and `restoreDurationMs` on a SnapStart
// restore (Telemetry API schema, ReportMetrics:
// https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html#ReportMetrics).

const TEXT_PREFIX = [
  'type="REPORT"',
  'request_id_label="RequestId:"',
  'request_id',
  'duration_label="Duration:"',
  'duration',
  'duration_unit="ms"',
  'billed_label="Billed"',
  'billed_duration_label="Duration:"',
  'billed_duration',
  'billed_duration_unit="ms"',
  'memory_label="Memory"',
  'memory_size_label="Size:"',
  'memory_size',
  'memory_size_unit="MB"',
  'max_label="Max"',
  'max_memory_label="Memory"',
  'max_memory_used_label="Used:"',
  'max_memory_used',
  'max_memory_used_unit="MB"',
];

function textPattern(kind: 'init' | 'restore'): string {
  const word = kind === 'init' ? 'Init' : 'Restore';
  return `[${[
    ...TEXT_PREFIX,
    `${kind}_label="${word}"`,
    `${kind}_duration_label="Duration:"`,
    `${kind}_duration`,
    `${kind}_duration_unit="ms"`,
    '...',
  ].join(', ')}]`;
}

/**
 * Metric filter patterns and value selectors for Lambda init and SnapStart restore durations,
 * matched to the function's log format.
 */
export class ColdStartFilterPatterns {
  /**
   * Filter pattern matching invoke reports that carry an init duration (on-demand cold starts).
   *
   * @param logFormat the function's log format; `undefined` means TEXT (Lambda's default)
   */
  public static initDuration(logFormat?: lambda.LoggingFormat): string {
    return logFormat === lambda.LoggingFormat.JSON
      ? '{ $.type = "platform.report" && $.record.metrics.initDurationMs > 0 }'
      : textPattern('init');
  }

  /**
   * Metric value selector for `initDuration()` (milliseconds).
   *
   * @param logFormat the function's log format; `undefined` means TEXT (Lambda's default)
   */
  public static initDurationValue(logFormat?: lambda.LoggingFormat): string {
    return logFormat === lambda.LoggingFormat.JSON ? '$.record.metrics.initDurationMs' : '$init_duration';
  }

  /**
   * Filter pattern matching invoke reports that carry a SnapStart restore duration.
   *
   * @param logFormat the function's log format; `undefined` means TEXT (Lambda's default)
   */
  public static restoreDuration(logFormat?: lambda.LoggingFormat): string {
    return logFormat === lambda.LoggingFormat.JSON
      ? '{ $.type = "platform.report" && $.record.metrics.restoreDurationMs > 0 }'
      : textPattern('restore');
  }

  /**
   * Metric value selector for `restoreDuration()` (milliseconds).
   *
   * @param logFormat the function's log format; `undefined` means TEXT (Lambda's default)
   */
  public static restoreDurationValue(logFormat?: lambda.LoggingFormat): string {
    return logFormat === lambda.LoggingFormat.JSON ? '$.record.metrics.restoreDurationMs' : '$restore_duration';
  }

  private constructor() {}
}
