import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DEFAULT_COLD_START_NAMESPACE, INIT_DURATION_METRIC_NAME, RESTORE_DURATION_METRIC_NAME, validateNamespace } from './names';

/**
 * Props of `ColdStartMetrics`.
 */
export interface ColdStartMetricsProps {
  /**
   * The function whose metrics to build. Any `lambda.IFunction`, imported ones included.
   */
  readonly function: lambda.IFunction;

  /**
   * Namespace prefix of the init/restore duration metrics published by `ColdStartMetricFilters`.
   * The metrics live in `<metricNamespace>/<functionName>`: a metric filter cannot publish a
   * dimension with a fixed value (dimension values must be fields of the log event), so the
   * function is named by the namespace instead.
   *
   * @default 'ColdStart'
   */
  readonly metricNamespace?: string;

  /**
   * Period of every metric.
   *
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;
}

/**
 * Metric factory for one function's cold-start story: AWS/Lambda invocations, errors, throttles,
 * duration percentiles and concurrency; per-alias provisioned-concurrency metrics; and the
 * init/restore duration metrics published by `ColdStartMetricFilters`.
 *
 * Metrics only, no widgets and no alarms (the cdk-monitoring-constructs shape): use them in your
 * own dashboards and alarms.
 */
export class ColdStartMetrics {
  /** The function the metrics describe. */
  public readonly function: lambda.IFunction;

  /** Namespace of the init/restore duration metrics: `<metricNamespace>/<functionName>`. */
  public readonly coldStartNamespace: string;

  private readonly period: Duration;

  constructor(props: ColdStartMetricsProps) {
    const prefix = props.metricNamespace ?? DEFAULT_COLD_START_NAMESPACE;
    validateNamespace(prefix);
    this.function = props.function;
    this.coldStartNamespace = `${prefix}/${props.function.functionName}`;
    this.period = props.period ?? Duration.minutes(5);
  }

  /** AWS/Lambda `Invocations`, Sum. */
  public metricInvocations(): cloudwatch.Metric {
    return this.lambdaMetric('Invocations', 'Sum', 'Invocations');
  }

  /** AWS/Lambda `Errors`, Sum. */
  public metricErrors(): cloudwatch.Metric {
    return this.lambdaMetric('Errors', 'Sum', 'Errors');
  }

  /** AWS/Lambda `Throttles`, Sum. */
  public metricThrottles(): cloudwatch.Metric {
    return this.lambdaMetric('Throttles', 'Sum', 'Throttles');
  }

  /**
   * AWS/Lambda `Duration` at the given statistic.
   *
   * @param statistic e.g. `p50`, `p95`, `p99`, `Average`, `Maximum`
   */
  public metricDuration(statistic: string): cloudwatch.Metric {
    return this.lambdaMetric('Duration', statistic, `Duration ${statistic}`);
  }

  /** AWS/Lambda `ConcurrentExecutions`, Maximum. */
  public metricConcurrentExecutions(): cloudwatch.Metric {
    return this.lambdaMetric('ConcurrentExecutions', 'Maximum', 'Concurrent executions');
  }

  /**
   * Init duration of on-demand cold starts (ms), published by `ColdStartMetricFilters` from the
   * REPORT line's `Init Duration` (text) or `platform.report` `initDurationMs` (JSON).
   *
   * @param statistic e.g. `p95`
   */
  public metricInitDuration(statistic: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.coldStartNamespace,
      metricName: INIT_DURATION_METRIC_NAME,
      statistic,
      period: this.period,
      unit: cloudwatch.Unit.MILLISECONDS,
      label: `Init duration ${statistic}`,
    });
  }

  /**
   * Number of on-demand cold starts: the sample count of the init-duration metric.
   */
  public metricColdStarts(): cloudwatch.Metric {
    return this.metricInitDuration('SampleCount').with({ label: 'Cold starts (init)' });
  }

  /**
   * SnapStart restore duration (ms), published by `ColdStartMetricFilters` from the REPORT line's
   * `Restore Duration` (text) or `platform.report` `restoreDurationMs` (JSON).
   *
   * @param statistic e.g. `p95`
   */
  public metricRestoreDuration(statistic: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.coldStartNamespace,
      metricName: RESTORE_DURATION_METRIC_NAME,
      statistic,
      period: this.period,
      unit: cloudwatch.Unit.MILLISECONDS,
      label: `Restore duration ${statistic}`,
    });
  }

  /** Number of SnapStart restores: the sample count of the restore-duration metric. */
  public metricRestores(): cloudwatch.Metric {
    return this.metricRestoreDuration('SampleCount').with({ label: 'Restores (SnapStart)' });
  }

  /**
   * AWS/Lambda `Invocations` of one alias, Sum (dimensions FunctionName + Resource=`<fn>:<alias>`).
   *
   * @param alias the alias of this function
   */
  public metricAliasInvocations(alias: lambda.IAlias): cloudwatch.Metric {
    return this.aliasMetric(alias, 'Invocations', 'Sum', 'Invocations');
  }

  /**
   * AWS/Lambda `Errors` of one alias, Sum.
   *
   * @param alias the alias of this function
   */
  public metricAliasErrors(alias: lambda.IAlias): cloudwatch.Metric {
    return this.aliasMetric(alias, 'Errors', 'Sum', 'Errors');
  }

  /**
   * AWS/Lambda `Duration` of one alias at the given statistic.
   *
   * @param alias the alias of this function
   * @param statistic e.g. `p95`
   */
  public metricAliasDuration(alias: lambda.IAlias, statistic: string): cloudwatch.Metric {
    return this.aliasMetric(alias, 'Duration', statistic, `Duration ${statistic}`);
  }

  /**
   * AWS/Lambda `ProvisionedConcurrencyUtilization` of one alias (0 to 1), Maximum
   * (per alias, dimensions FunctionName + Resource=`<fn>:<alias>`; see
   * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-concurrency.html).
   *
   * @param alias the alias of this function
   */
  public metricProvisionedConcurrencyUtilization(alias: lambda.IAlias): cloudwatch.Metric {
    return this.aliasMetric(alias, 'ProvisionedConcurrencyUtilization', 'Maximum', 'PC utilization');
  }

  /**
   * AWS/Lambda `ProvisionedConcurrencySpilloverInvocations` of one alias, Sum: invocations that
   * found every provisioned environment busy and paid an on-demand cold start.
   *
   * @param alias the alias of this function
   */
  public metricProvisionedConcurrencySpilloverInvocations(alias: lambda.IAlias): cloudwatch.Metric {
    return this.aliasMetric(alias, 'ProvisionedConcurrencySpilloverInvocations', 'Sum', 'PC spillover invocations');
  }

  /**
   * AWS/Lambda `ProvisionedConcurrentExecutions` of one alias, Maximum.
   *
   * @param alias the alias of this function
   */
  public metricProvisionedConcurrentExecutions(alias: lambda.IAlias): cloudwatch.Metric {
    return this.aliasMetric(alias, 'ProvisionedConcurrentExecutions', 'Maximum', 'Provisioned concurrent executions');
  }

  /**
   * AWS/Lambda `ProvisionedConcurrencyInvocations` of one alias, Sum: invocations served by
   * provisioned environments.
   *
   * @param alias the alias of this function
   */
  public metricProvisionedConcurrencyInvocations(alias: lambda.IAlias): cloudwatch.Metric {
    return this.aliasMetric(alias, 'ProvisionedConcurrencyInvocations', 'Sum', 'PC invocations');
  }

  /**
   * The `Resource` dimension value of an alias: `<functionName>:<aliasName>`.
   *
   * @param alias the alias of this function
   */
  public aliasResource(alias: lambda.IAlias): string {
    return `${this.function.functionName}:${alias.aliasName}`;
  }

  private lambdaMetric(metricName: string, statistic: string, label: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Lambda',
      metricName,
      dimensionsMap: { FunctionName: this.function.functionName },
      statistic,
      period: this.period,
      label,
    });
  }

  private aliasMetric(alias: lambda.IAlias, metricName: string, statistic: string, label: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Lambda',
      metricName,
      dimensionsMap: { FunctionName: this.function.functionName, Resource: this.aliasResource(alias) },
      statistic,
      period: this.period,
      label: `${alias.aliasName}: ${label}`,
    });
  }
}
