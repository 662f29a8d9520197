import * as fs from 'fs';
import * as path from 'path';
import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SPEC_DETECTION_ORDER, includedRequirementFiles } from '../bundling/spec';

/** Powertools' own default for the `service` dimension when POWERTOOLS_SERVICE_NAME is not set. */
export const POWERTOOLS_DEFAULT_SERVICE = 'service_undefined';

/**
 * The `ColdStart` metric of Powertools for AWS Lambda (Python), on the cold-start dashboard.
 *
 * With `@metrics.log_metrics(capture_cold_start_metric=True)`, the Metrics utility publishes `ColdStart`
 * (Count, 1 per cold start) in its namespace with the dimensions `function_name` and `service`.
 *
 * @see https://docs.powertools.aws.dev/lambda/python/latest/core/metrics/#capturing-cold-start-metric
 */
export interface PowertoolsMetricsOptions {
  /**
   * Show Powertools' ColdStart metric.
   *
   * @default - when the dependency spec (requirements, uv.lock, poetry.lock, Pipfile.lock, pyproject.toml)
   * names aws-lambda-powertools
   */
  readonly enabled?: boolean;

  /**
   * The Metrics utility's namespace (`Metrics(namespace=...)` or POWERTOOLS_METRICS_NAMESPACE).
   *
   * @default - the function's POWERTOOLS_METRICS_NAMESPACE environment variable; without one the widget is
   * left out (Powertools needs a namespace to publish) and an info message says what to set
   */
  readonly namespace?: string;

  /**
   * The `service` dimension (`Metrics(service=...)` or POWERTOOLS_SERVICE_NAME).
   *
   * @default - the function's POWERTOOLS_SERVICE_NAME environment variable, else Powertools' 'service_undefined'
   */
  readonly serviceName?: string;
}

/**
 * Props of `PowertoolsMetrics`.
 */
export interface PowertoolsMetricsProps {
  /**
   * The function's (unqualified) name: Powertools publishes `context.function_name`, which carries no alias.
   */
  readonly functionName: string;

  /** The Metrics utility's namespace. */
  readonly namespace: string;

  /**
   * The `service` dimension.
   *
   * @default 'service_undefined' (Powertools' default)
   */
  readonly serviceName?: string;

  /**
   * Period of the metrics.
   *
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;
}

/**
 * Metric factory for the metrics Powertools for AWS Lambda (Python) publishes about cold starts. Metrics only
 * (use them in any dashboard or alarm); `InitDurationDashboard` shows them next to init/restore duration.
 */
export class PowertoolsMetrics {
  /** The namespace the metrics are read from. */
  public readonly namespace: string;

  private readonly functionName: string;
  private readonly serviceName: string;
  private readonly period: Duration;

  constructor(props: PowertoolsMetricsProps) {
    if (!Token.isUnresolved(props.namespace) && !/^[^:]{1,255}$/.test(props.namespace)) {
      throw new Error(`PowertoolsMetrics: namespace '${props.namespace}' is not a CloudWatch namespace (1 to 255 characters, no ':'). Set it to the namespace your Metrics utility publishes to (POWERTOOLS_METRICS_NAMESPACE).`);
    }
    this.namespace = props.namespace;
    this.functionName = props.functionName;
    this.serviceName = props.serviceName ?? POWERTOOLS_DEFAULT_SERVICE;
    this.period = props.period ?? Duration.minutes(5);
  }

  /** Powertools' `ColdStart` count (Sum): one per cold start the Metrics utility saw. */
  public metricColdStarts(): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName: 'ColdStart',
      dimensionsMap: { function_name: this.functionName, service: this.serviceName },
      statistic: 'Sum',
      period: this.period,
      label: 'ColdStart (Powertools)',
    });
  }
}

/**
 * Whether the dependency spec in `entry` names aws-lambda-powertools (any spelling pip normalizes to it).
 * Internal.
 */
export function usesPowertools(entry: string, dependencyFile?: string): boolean {
  const files: string[] = [];
  if (dependencyFile !== undefined) {
    const abs = path.resolve(entry, dependencyFile);
    files.push(...(path.basename(abs).endsWith('.txt') || !SPEC_DETECTION_ORDER.some((s) => s.file === path.basename(abs)) ? includedRequirementFiles(abs) : [abs]));
  } else {
    for (const spec of SPEC_DETECTION_ORDER) {
      const abs = path.join(entry, spec.file);
      if (!fs.existsSync(abs)) continue;
      files.push(...(spec.kind === 'requirements' ? includedRequirementFiles(abs) : [abs]));
      files.push(...spec.sidecars.map((s) => path.join(entry, s)));
    }
  }
  const name = /(^|[\s"'[,=])aws[-_.]lambda[-_.]powertools($|[\s"'\]\[<>=!~;,@])/im;
  return files.some((f) => {
    try {
      const text = fs.readFileSync(f, 'utf8').split(/\r?\n/).filter((l) => !/^\s*#/.test(l)).join('\n');
      return name.test(text);
    } catch {
      return false;
    }
  });
}

/**
 * The Powertools widget for a function's dashboard section, or why there is none. Internal (the hook
 * OptimizedPythonFunction uses: `DashboardFunction.additionalWidgets`).
 */
export function powertoolsColdStartWidgets(o: {
  readonly options?: PowertoolsMetricsOptions;
  readonly detected: boolean;
  readonly functionName: string;
  readonly environment?: { [key: string]: string };
}): { widgets: cloudwatch.IWidget[]; info?: string } {
  const enabled = o.options?.enabled ?? o.detected;
  if (!enabled) return { widgets: [] };
  const namespace = o.options?.namespace ?? o.environment?.POWERTOOLS_METRICS_NAMESPACE;
  if (namespace === undefined) {
    return {
      widgets: [],
      info: 'Powertools for AWS Lambda is used, but its metrics namespace is unknown, so the dashboard has no Powertools ColdStart widget. '
        + 'Set monitoring.powertools.namespace (or the POWERTOOLS_METRICS_NAMESPACE environment variable) to the namespace your Metrics utility publishes to.',
    };
  }
  const metrics = new PowertoolsMetrics({
    functionName: o.functionName,
    namespace,
    serviceName: o.options?.serviceName ?? o.environment?.POWERTOOLS_SERVICE_NAME,
  });
  return {
    widgets: [new cloudwatch.GraphWidget({
      title: `Cold starts seen by Powertools (${namespace}, ColdStart)`,
      left: [metrics.metricColdStarts()],
      width: 24,
    })],
  };
}
