import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DashboardAlias } from './dashboard';
import { ColdStartFilterPatterns } from './filter-patterns';
import { budgetMillis, DEFAULT_BUDGET, spilloverAlarmProps, unlabelled } from './internal';
import { ColdStartMetrics } from './metrics';
import { DEFAULT_COLD_START_NAMESPACE, INIT_DURATION_METRIC_NAME, RESTORE_DURATION_METRIC_NAME, validateNamespace } from './names';


/**
 * Props of `ColdStartMonitor`.
 */
export interface ColdStartMonitorProps {
  /** The function to monitor. Any `lambda.IFunction`, imported ones included. */
  readonly function: lambda.IFunction;

  /**
   * The log group the function writes to. It must exist when the stack deploys: a metric filter
   * cannot be put on a log group that Lambda has not created yet.
   */
  readonly logGroup: logs.ILogGroup;

  /**
   * The function's log format: the filter pattern differs between the TEXT `REPORT` line and the
   * JSON `platform.report` event.
   *
   * @default lambda.LoggingFormat.TEXT
   */
  readonly logFormat?: lambda.LoggingFormat;

  /**
   * The function uses SnapStart. SnapStart functions initialise when a version is published, so
   * their `REPORT` lines carry `Restore Duration` and no `Init Duration`: the monitor then
   * publishes and alarms on restore duration instead of init duration.
   *
   * @see https://docs.aws.amazon.com/lambda/latest/dg/snapstart-monitoring.html
   * @default false
   */
  readonly snapStart?: boolean;

  /**
   * Aliases of the function. Aliases with provisioned concurrency get a spillover alarm and a
   * provisioned-concurrency graph.
   *
   * @default - none
   */
  readonly aliases?: DashboardAlias[];

  /**
   * The p95 init (or restore) duration above which the alarm fires; also drawn on the graph.
   *
   * @default Duration.millis(500)
   */
  readonly initDurationBudget?: Duration;

  /**
   * Action added to every alarm (e.g. an SNS topic action).
   *
   * @default - no action
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;

  /**
   * Create the alarms (p95 duration above budget; spillover for aliases with provisioned concurrency).
   *
   * @default true
   */
  readonly createAlarms?: boolean;

  /**
   * Namespace prefix of the published metric (`<metricNamespace>/<functionName>`).
   *
   * @default 'ColdStart'
   */
  readonly metricNamespace?: string;

  /**
   * Title of the function's widgets on a dashboard.
   *
   * @default the function's construct id
   */
  readonly label?: string;

  /**
   * More metrics of this function to draw on its dashboard row, in one extra graph (for example
   * the `ColdStart` metric that Powertools for AWS Lambda publishes).
   *
   * @default - none
   */
  readonly additionalMetrics?: cloudwatch.IMetric[];

  /**
   * Title of the graph holding `additionalMetrics`.
   *
   * @default 'More metrics'
   */
  readonly additionalMetricsTitle?: string;
}

/**
 * The cold-start telemetry of one function, at the lowest cost that tells the truth: ONE metric filter
 * for the metric its strategy produces (SnapStart: `RestoreDuration`; provisioned concurrency and on
 * demand: `InitDuration` from the `REPORT` line), ONE alarm on its p95 above a budget, and one spillover
 * alarm per alias with provisioned concurrency. Its graphs (`widgets()`) go on a shared
 * `ColdStartDashboard` (one per stack by default) or any other dashboard.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/snapstart-monitoring.html
 */
export class ColdStartMonitor extends Construct {
  /** The function monitored. */
  public readonly function: lambda.IFunction;
  /** The log group read by the metric filter. */
  public readonly logGroup: logs.ILogGroup;
  /** The log format of the function. */
  public readonly logFormat: lambda.LoggingFormat;
  /** Whether the function uses SnapStart (restore duration is monitored instead of init duration). */
  public readonly snapStart: boolean;
  /** The label used in widget titles. */
  public readonly label: string;
  /** The aliases of the function. */
  public readonly aliases: DashboardAlias[];
  /** Metric factory of the function. */
  public readonly metrics: ColdStartMetrics;
  /** The one metric filter: `RestoreDuration` for SnapStart functions, `InitDuration` otherwise. */
  public readonly metricFilter: logs.MetricFilter;
  /** Name of the published metric: `RestoreDuration` or `InitDuration`. */
  public readonly coldStartMetricName: string;
  /** p95 of the cold-start duration above budget (absent with `createAlarms: false`). */
  public readonly durationAlarm?: cloudwatch.Alarm;
  /** Spillover above 0, one per alias with provisioned concurrency. */
  public readonly spilloverAlarms: cloudwatch.Alarm[];
  /** Every alarm of this monitor. */
  public readonly alarms: cloudwatch.IAlarm[];
  /** The budget in milliseconds. */
  public readonly initDurationBudgetMs: number;

  private readonly additionalMetrics: cloudwatch.IMetric[];
  private readonly additionalMetricsTitle: string;

  constructor(scope: Construct, id: string, props: ColdStartMonitorProps) {
    super(scope, id);
    const budget = props.initDurationBudget ?? DEFAULT_BUDGET;
    this.initDurationBudgetMs = budgetMillis(budget);
    const namespace = props.metricNamespace ?? DEFAULT_COLD_START_NAMESPACE;
    validateNamespace(namespace);

    this.function = props.function;
    this.logGroup = props.logGroup;
    this.logFormat = props.logFormat ?? lambda.LoggingFormat.TEXT;
    this.snapStart = props.snapStart ?? false;
    this.label = props.label ?? props.function.node.id;
    this.aliases = props.aliases ?? [];
    this.additionalMetrics = props.additionalMetrics ?? [];
    this.additionalMetricsTitle = props.additionalMetricsTitle ?? 'More metrics';
    this.metrics = new ColdStartMetrics({ function: props.function, metricNamespace: namespace });
    this.coldStartMetricName = this.snapStart ? RESTORE_DURATION_METRIC_NAME : INIT_DURATION_METRIC_NAME;

    // No dimensions and no default value: a dimension value must be a field of the log event, and a
    // default of 0 on every non-matching event would drag the percentiles down.
    this.metricFilter = new logs.MetricFilter(this, this.coldStartMetricName, {
      logGroup: props.logGroup,
      filterPattern: logs.FilterPattern.literal(this.snapStart
        ? ColdStartFilterPatterns.restoreDuration(this.logFormat)
        : ColdStartFilterPatterns.initDuration(this.logFormat)),
      metricNamespace: this.metrics.coldStartNamespace,
      metricName: this.coldStartMetricName,
      metricValue: this.snapStart
        ? ColdStartFilterPatterns.restoreDurationValue(this.logFormat)
        : ColdStartFilterPatterns.initDurationValue(this.logFormat),
      unit: cloudwatch.Unit.MILLISECONDS,
    });

    this.spilloverAlarms = [];
    if (props.createAlarms ?? true) {
      const kind = this.snapStart ? 'SnapStart restore duration' : 'init duration (cold starts)';
      // Sparse data: a 5-minute period without a cold start has no data point, which is good news,
      // hence notBreaching. 2 of 3 periods above budget keeps one slow outlier from paging anyone.
      this.durationAlarm = new cloudwatch.Alarm(this, `${this.coldStartMetricName}Alarm`, {
        metric: unlabelled(this.metricColdStartDuration('p95')),
        threshold: this.initDurationBudgetMs,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `${this.label}: p95 ${kind} above the ${budget.toHumanString()} budget.`,
      });
      this.aliases.forEach((a, i) => {
        if (!a.provisionedConcurrency) {
          return;
        }
        this.spilloverAlarms.push(new cloudwatch.Alarm(this, i === 0 ? 'SpilloverAlarm' : `SpilloverAlarm${i}`,
          spilloverAlarmProps(this.label, a.alias, this.metrics.metricProvisionedConcurrencySpilloverInvocations(a.alias))));
      });
      for (const alarm of [this.durationAlarm, ...this.spilloverAlarms]) {
        if (props.alarmAction) {
          alarm.addAlarmAction(props.alarmAction);
        }
      }
    }
    this.alarms = [...(this.durationAlarm ? [this.durationAlarm] : []), ...this.spilloverAlarms];
  }

  /**
   * The monitored cold-start duration (restore for SnapStart, init otherwise) at a statistic.
   *
   * @param statistic e.g. `p95`
   */
  public metricColdStartDuration(statistic: string): cloudwatch.Metric {
    return this.snapStart ? this.metrics.metricRestoreDuration(statistic) : this.metrics.metricInitDuration(statistic);
  }

  /** Number of cold starts (restores for SnapStart). */
  public metricColdStartCount(): cloudwatch.Metric {
    return this.snapStart ? this.metrics.metricRestores() : this.metrics.metricColdStarts();
  }

  /**
   * The function's graphs (metrics only, no Logs Insights queries): cold-start duration p50/p95/p99
   * with the budget line and the cold-start count; invocations, errors and throttles; duration and
   * concurrency; one graph per alias with provisioned concurrency; `additionalMetrics`.
   * Each is 8 wide: three fill a dashboard row.
   */
  public widgets(): cloudwatch.IWidget[] {
    const m = this.metrics;
    const what = this.snapStart ? 'restore' : 'init';
    const widgets: cloudwatch.IWidget[] = [
      new cloudwatch.GraphWidget({
        title: `${this.label}: ${what} duration p50 / p95 / p99 (ms)`,
        left: ['p50', 'p95', 'p99'].map((s) => this.metricColdStartDuration(s)),
        right: [this.metricColdStartCount()],
        leftAnnotations: [{ value: this.initDurationBudgetMs, label: 'Budget', color: cloudwatch.Color.RED }],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: `${this.label}: invocations, errors, throttles`,
        left: [m.metricInvocations(), m.metricErrors(), m.metricThrottles()],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: `${this.label}: duration p95 / p99 (ms), concurrency`,
        left: [m.metricDuration('p95'), m.metricDuration('p99')],
        right: [m.metricConcurrentExecutions()],
        width: 8,
      }),
    ];
    for (const a of this.aliases) {
      if (a.provisionedConcurrency) {
        widgets.push(new cloudwatch.GraphWidget({
          title: `${this.label} ${a.alias.aliasName}: PC utilization, spillover`,
          left: [m.metricProvisionedConcurrencyUtilization(a.alias)],
          leftYAxis: { min: 0, max: 1 },
          right: [m.metricProvisionedConcurrencySpilloverInvocations(a.alias)],
          width: 8,
        }));
      }
    }
    if (this.additionalMetrics.length > 0) {
      widgets.push(new cloudwatch.GraphWidget({
        title: `${this.label}: ${this.additionalMetricsTitle}`,
        left: this.additionalMetrics,
        width: 8,
      }));
    }
    return widgets;
  }
}
