// Internal: the monitoring wiring of OptimizedPythonFunction (not exported from the package), kept
// here so the function's constructor only makes one call.
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DashboardAlias, InitDurationDashboard } from './dashboard';
import { ColdStartMonitor } from './monitor';
import { ColdStartDashboard } from './stack-dashboard';
import type { ColdStartMonitoringOptions } from '../function/monitoring-options';
import { ColdStartConfigError } from '../shared/errors';

/** What the function knows about itself. */
export interface MonitoredFunction {
  readonly function: lambda.IFunction;
  readonly logGroup: logs.ILogGroup;
  readonly logFormat: lambda.LoggingFormat;
  readonly snapStart: boolean;
  readonly label: string;
  readonly aliases: DashboardAlias[];
}

/** What monitoring created. */
export interface FunctionMonitoring {
  /** The function's own dashboard (perFunctionDashboard / dashboardName). */
  readonly dashboard?: InitDurationDashboard;
  /** The function's metric filter and alarms (shared-dashboard mode). */
  readonly monitor?: ColdStartMonitor;
  /** The shared dashboard its row went to. */
  readonly sharedDashboard?: ColdStartDashboard;
}

export function monitorFunction(scope: Construct, options: ColdStartMonitoringOptions | undefined, f: MonitoredFunction): FunctionMonitoring {
  const o = options ?? {};
  if (!(o.enabled ?? true)) {
    return {};
  }
  if (o.perFunctionDashboard === false && o.dashboardName !== undefined) {
    throw new ColdStartConfigError(scope, 'monitoring.dashboardName',
      `is '${o.dashboardName}' while perFunctionDashboard is false`,
      'dashboardName names the function\'s own dashboard; with perFunctionDashboard: false the function only adds a row to the shared ColdStartDashboard',
      "remove dashboardName, or name the shared dashboard: new ColdStartDashboard(stack, 'ColdStarts', { dashboardName }) before the functions");
  }
  const perFunction = o.perFunctionDashboard ?? o.dashboardName !== undefined;
  if (perFunction && o.dashboard !== undefined) {
    throw new ColdStartConfigError(scope, 'monitoring.dashboard',
      'is set together with a dashboard of the function\'s own (perFunctionDashboard or dashboardName)',
      'a function reports either to a shared ColdStartDashboard or to its own InitDurationDashboard',
      'keep one: dashboard (shared) or perFunctionDashboard: true (own)');
  }
  if (perFunction) {
    return {
      dashboard: new InitDurationDashboard(scope, 'Dashboard', {
        dashboardName: o.dashboardName,
        initDurationBudget: o.initDurationBudget,
        alarmAction: o.alarmAction,
        createAlarms: o.createAlarms,
        functions: [{ ...f, additionalMetrics: o.additionalMetrics }],
      }),
    };
  }
  const monitor = new ColdStartMonitor(scope, 'ColdStarts', {
    ...f,
    initDurationBudget: o.initDurationBudget,
    alarmAction: o.alarmAction,
    createAlarms: o.createAlarms,
    additionalMetrics: o.additionalMetrics,
  });
  const sharedDashboard = o.dashboard ?? ColdStartDashboard.of(scope);
  sharedDashboard.addMonitor(monitor);
  return { monitor, sharedDashboard };
}
