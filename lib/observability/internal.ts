// Internal helpers of the observability area (not exported from the package).
import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

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
