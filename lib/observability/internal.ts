// Internal helpers of the observability area (not exported from the package).
import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

// CloudWatch limits the dashboards lay out against, written once for both dashboards.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html
/** CloudWatch: a dashboard holds at most 500 widgets. */
export const MAX_WIDGETS_PER_DASHBOARD = 500;
/** CloudWatch: a Logs Insights widget queries at most 50 log groups. */
export const MAX_LOG_GROUPS_PER_QUERY = 50;

/** Default cold-start duration budget. */
export const DEFAULT_BUDGET = Duration.millis(500);

/** The budget in ms; zero or negative budgets would alarm on every cold start. */
export function budgetMillis(budget: Duration): number {
  const ms = budget.toMilliseconds({ integral: false });
  if (!Token.isUnresolved(ms) && !(ms > 0)) {
    throw new Error(
      `initDurationBudget must be a positive duration, got ${budget.toHumanString()}: the alarms fire when the p95 init `
      + 'or restore duration is above it, so zero would alarm on every cold start. Set initDurationBudget to e.g. '
      + 'Duration.millis(500) (the default), or set createAlarms: false to have no alarms.',
    );
  }
  return ms;
}

/**
 * The same metric without its dashboard label: a labelled metric makes CloudFormation alarms use the
 * metric-math `Metrics` form; without a label they read as plain MetricName / ExtendedStatistic.
 */
export function unlabelled(m: cloudwatch.Metric): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: m.namespace,
    metricName: m.metricName,
    dimensionsMap: m.dimensions as Record<string, string> | undefined,
    statistic: m.statistic,
    period: m.period,
    unit: m.unit,
  });
}

/**
 * The spillover alarm of an alias with provisioned concurrency: any spillover means a caller paid an
 * on-demand cold start although PC was meant to prevent it; no data means no traffic beyond PC.
 */
export function spilloverAlarmProps(label: string, alias: { readonly aliasName: string }, metric: cloudwatch.Metric): cloudwatch.AlarmProps {
  return {
    metric: unlabelled(metric),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: `${label} alias ${alias.aliasName}: invocations spilled over provisioned concurrency `
      + 'and paid on-demand cold starts; raise provisioned concurrency or its auto-scaling maximum.',
  };
}
