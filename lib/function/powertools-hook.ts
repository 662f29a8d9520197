import { Annotations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ColdStartMonitoringOptions } from './monitoring-options';
import { powertoolsColdStartMetrics, usesPowertools } from '../observability/powertools';

/**
 * The dashboard hook for Powertools users: Powertools' ColdStart metric for the function's row
 * (`additionalMetrics`), detected from the dependency spec unless
 * `monitoring.powertools.enabled` says otherwise. Internal.
 */
export function powertoolsMetricsFor(scope: { readonly function: lambda.Function }, props: {
  readonly entry: string;
  readonly dependencyFile?: string;
  readonly environment?: { [key: string]: string };
  readonly monitoring?: ColdStartMonitoringOptions;
}): cloudwatch.IMetric[] {
  const options = props.monitoring?.powertools;
  const detected = options?.enabled === undefined ? usesPowertools(props.entry, props.dependencyFile) : false;
  const { metrics, info } = powertoolsColdStartMetrics({
    options,
    detected,
    // Powertools publishes context.function_name: the unqualified name, whatever alias was invoked.
    functionName: scope.function.functionName,
    environment: props.environment,
  });
  if (info) Annotations.of(scope.function).addInfo(info);
  return metrics;
}
