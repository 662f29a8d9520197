// Internal names shared by the observability area (not exported from the package).
import { Token } from 'aws-cdk-lib';

/** Default namespace prefix of the init/restore duration metrics published by the metric filters. */
export const DEFAULT_COLD_START_NAMESPACE = 'ColdStart';

/** Metric name of the init duration published by the metric filter. */
export const INIT_DURATION_METRIC_NAME = 'InitDuration';

/** Metric name of the SnapStart restore duration published by the metric filter. */
export const RESTORE_DURATION_METRIC_NAME = 'RestoreDuration';

/**
 * Checks a custom metric namespace prefix. CloudWatch namespaces allow letters, digits and
 * `. - _ / # :`, at most 255 characters, and may not start with `AWS/` (reserved for AWS services).
 */
export function validateNamespace(namespace: string): void {
  if (Token.isUnresolved(namespace)) {
    return;
  }
  if (!/^[A-Za-z0-9._\-/#:]{1,190}$/.test(namespace) || namespace.startsWith('AWS/')) {
    throw new Error(
      `metricNamespace '${namespace}' is not a valid CloudWatch namespace: use 1-190 letters, digits or . - _ / # : `
      + "(the function name is appended, CloudWatch allows 255 in all) and do not start with 'AWS/', which is reserved "
      + "for AWS services. Set metricNamespace to e.g. 'ColdStart'.",
    );
  }
}

