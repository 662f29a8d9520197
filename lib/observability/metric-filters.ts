import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ColdStartFilterPatterns } from './filter-patterns';
import { ColdStartMetrics } from './metrics';
import { INIT_DURATION_METRIC_NAME, RESTORE_DURATION_METRIC_NAME } from './names';

/**
 * Props of `ColdStartMetricFilters`.
 */
export interface ColdStartMetricFiltersProps {
  /** The function whose log group is filtered. */
  readonly function: lambda.IFunction;

  /**
   * The log group the function writes to. It must exist when the stack deploys (a metric filter
   * cannot be put on a log group that Lambda has not created yet).
   */
  readonly logGroup: logs.ILogGroup;

  /**
   * The function's log format: the filter patterns differ between TEXT REPORT lines and JSON
   * `platform.report` events.
   *
   * @default lambda.LoggingFormat.TEXT
   */
  readonly logFormat?: lambda.LoggingFormat;

  /**
   * The function uses SnapStart: publish the restore duration. SnapStart functions initialise when a
   * version is published, so their `REPORT` lines carry no `Init Duration` (only invocations of
   * `$LATEST` do): the init-duration filter is then left out unless `initDuration` is set.
   *
   * @see https://docs.aws.amazon.com/lambda/latest/dg/snapstart-monitoring.html
   * @default false
   */
  readonly snapStart?: boolean;

  /**
   * Publish the init duration of `REPORT` lines.
   *
   * @default - true unless `snapStart`
   */
  readonly initDuration?: boolean;

  /**
   * Namespace prefix; the metrics are published to `<metricNamespace>/<functionName>`.
   *
   * @default 'ColdStart'
   */
  readonly metricNamespace?: string;
}

/**
 * Metric filters on a function's log group that publish init duration (and SnapStart restore
 * duration) as CloudWatch metrics, which AWS/Lambda does not provide
 * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics.html). Read the metrics with `metrics` (a `ColdStartMetrics`).
 */
export class ColdStartMetricFilters extends Construct {
  /** Metric filter publishing `InitDuration` (ms) on every on-demand cold start; not for SnapStart unless `initDuration`. */
  public readonly initDurationFilter?: logs.MetricFilter;

  /** Metric filter publishing `RestoreDuration` (ms) on every SnapStart restore; only with `snapStart`. */
  public readonly restoreDurationFilter?: logs.MetricFilter;

  /** Metric factory reading the published metrics (and the function's AWS/Lambda metrics). */
  public readonly metrics: ColdStartMetrics;

  constructor(scope: Construct, id: string, props: ColdStartMetricFiltersProps) {
    super(scope, id);
    this.metrics = new ColdStartMetrics({ function: props.function, metricNamespace: props.metricNamespace });
    const format = props.logFormat ?? lambda.LoggingFormat.TEXT;

    // No dimensions and no default value: a dimension value must be a field of the log event,
    // and a default of 0 on every non-matching event would drag the percentiles down.
    if (props.initDuration ?? !props.snapStart) {
      this.initDurationFilter = new logs.MetricFilter(this, 'InitDuration', {
        logGroup: props.logGroup,
        filterPattern: logs.FilterPattern.literal(ColdStartFilterPatterns.initDuration(format)),
        metricNamespace: this.metrics.coldStartNamespace,
        metricName: INIT_DURATION_METRIC_NAME,
        metricValue: ColdStartFilterPatterns.initDurationValue(format),
        unit: cloudwatch.Unit.MILLISECONDS,
      });
    }

    if (props.snapStart) {
      this.restoreDurationFilter = new logs.MetricFilter(this, 'RestoreDuration', {
        logGroup: props.logGroup,
        filterPattern: logs.FilterPattern.literal(ColdStartFilterPatterns.restoreDuration(format)),
        metricNamespace: this.metrics.coldStartNamespace,
        metricName: RESTORE_DURATION_METRIC_NAME,
        metricValue: ColdStartFilterPatterns.restoreDurationValue(format),
        unit: cloudwatch.Unit.MILLISECONDS,
      });
    }
  }
}
