import { Annotations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ColdStartMonitoringOptions } from './monitoring-options';
import { powertoolsColdStartWidgets, usesPowertools } from '../observability/powertools';

/**
 * The dashboard hook for Powertools users: Powertools' ColdStart widget for the function's section
 * (`DashboardFunction.additionalWidgets`), detected from the dependency spec unless
 * `monitoring.powertools.enabled` says otherwise. Internal.
 */
export function powertoolsWidgetsFor(scope: { readonly function: lambda.Function }, props: {
  readonly entry: string;
  readonly dependencyFile?: string;
  readonly environment?: { [key: string]: string };
  readonly monitoring?: ColdStartMonitoringOptions;
}): cloudwatch.IWidget[] {
  const options = props.monitoring?.powertools;
  const detected = options?.enabled === undefined ? usesPowertools(props.entry, props.dependencyFile) : false;
  const { widgets, info } = powertoolsColdStartWidgets({
    options,
    detected,
    // Powertools publishes context.function_name: the unqualified name, whatever alias was invoked.
    functionName: scope.function.functionName,
    environment: props.environment,
  });
  if (info) Annotations.of(scope.function).addInfo(info);
  return widgets;
}
