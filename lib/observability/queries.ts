import * as lambda from 'aws-cdk-lib/aws-lambda';

// Field names the queries rely on. Every one is checked against real REPORT samples in
// test/observability (test/fixtures/observability), so a typo here fails the tests.
//
// TEXT log format (aws-facts: Cold-start telemetry): Lambda's REPORT line is discovered by
// Logs Insights as `@type = "REPORT"` with `@duration` and, on a cold start, `@initDuration`.
// There is no `@type = "INIT"` record: the popular `filter @type = "INIT"` query matches nothing.
// SnapStart REPORT lines carry `Restore Duration: N ms` (then `Billed Restore Duration: N ms`)
// instead of Init Duration, with no discovered field; AWS's own SnapStart query parses it with
// `parse @message /Restore Duration: (?<restoreDuration>.*?) ms/`
// (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-monitoring.html). The lazy match takes
// the first occurrence, which is `Restore Duration`, printed before `Billed Restore Duration`.
//
// JSON log format: Lambda writes platform events as JSON; the invoke report is
// `{"type": "platform.report", "record": {"metrics": {"durationMs", "billedDurationMs",
// "memorySizeMB", "maxMemoryUsedMB", "initDurationMs"?, "restoreDurationMs"?}}}`
// (Telemetry API schema, `ReportMetrics`:
// https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html#ReportMetrics).
// Logs Insights flattens JSON keys with dots: `record.metrics.initDurationMs`.

const TEXT_RESTORE_PARSE = 'parse @message /Restore Duration: (?<restoreDuration>.*?) ms/';

interface FormatFields {
  readonly reportFilter: string;
  readonly parse?: string;
  readonly init: string;
  readonly restore: string;
  readonly duration: string;
}

function fieldsFor(format: lambda.LoggingFormat | undefined): FormatFields {
  if (format === lambda.LoggingFormat.JSON) {
    return {
      reportFilter: 'filter type = "platform.report"',
      init: 'record.metrics.initDurationMs',
      restore: 'record.metrics.restoreDurationMs',
      duration: 'record.metrics.durationMs',
    };
  }
  return {
    reportFilter: 'filter @type = "REPORT"',
    parse: TEXT_RESTORE_PARSE,
    init: '@initDuration',
    restore: 'restoreDuration',
    duration: '@duration',
  };
}

function query(...lines: Array<string | undefined>): string {
  return lines.filter((l): l is string => l !== undefined).join('\n| ');
}

/**
 * CloudWatch Logs Insights queries for Lambda cold starts, matched to the function's log format.
 *
 * Each method returns the query text without a `SOURCE` clause, ready for a `LogQueryWidget`,
 * the console or `aws logs start-query`. Text-format queries read the `REPORT` line
 * (`@initDuration` on `@type = "REPORT"`; `@type = "INIT"` does not exist); JSON-format queries
 * read `platform.report` records (`record.metrics.initDurationMs` /
 * `record.metrics.restoreDurationMs`).
 */
export class ColdStartQueries {
  /**
   * Cold starts over time (5-minute bins): on-demand inits, SnapStart restores and invocations.
   *
   * @param logFormat the function's log format; `undefined` means TEXT (Lambda's default)
   */
  public static coldStartsOverTime(logFormat?: lambda.LoggingFormat): string {
    const f = fieldsFor(logFormat);
    return query(
      f.reportFilter,
      f.parse,
      `stats count(${f.init}) as initColdStarts, count(${f.restore}) as snapStartRestores, count(*) as invocations by bin(5m)`,
    );
  }

  /**
   * Share of invocations (percent, 5-minute bins) that paid a cold start (init or restore).
   *
   * @param logFormat the function's log format; `undefined` means TEXT (Lambda's default)
   */
  public static coldStartRatio(logFormat?: lambda.LoggingFormat): string {
    const f = fieldsFor(logFormat);
    return query(
      f.reportFilter,
      f.parse,
      `stats (count(${f.init}) + count(${f.restore})) * 100 / count(*) as coldStartPercent by bin(5m)`,
    );
  }

  /**
   * Init duration p50, p95, p99 and max over the dashboard's time range (on-demand cold starts).
   *
   * @param logFormat the function's log format; `undefined` means TEXT (Lambda's default)
   */
  public static initDurationPercentiles(logFormat?: lambda.LoggingFormat): string {
    const f = fieldsFor(logFormat);
    return query(
      `${f.reportFilter} and ispresent(${f.init})`,
      percentileStats(f.init, 'coldStarts', 'maxInit'),
    );
  }

  /**
   * SnapStart restore duration p50, p95, p99 and max (text format: parsed from `@message`).
   *
   * @param logFormat the function's log format; `undefined` means TEXT (Lambda's default)
   */
  public static restoreDurationPercentiles(logFormat?: lambda.LoggingFormat): string {
    const f = fieldsFor(logFormat);
    return query(
      f.reportFilter,
      f.parse,
      `filter ispresent(${f.restore})`,
      percentileStats(f.restore, 'restores', 'maxRestore'),
    );
  }

  /**
   * Total cold-start latency a caller waited: init or restore duration plus the invocation's
   * duration (AWS: "The cold start duration is the sum of Restore Duration + Duration").
   *
   * @param logFormat the function's log format; `undefined` means TEXT (Lambda's default)
   */
  public static totalColdStartLatency(logFormat?: lambda.LoggingFormat): string {
    const f = fieldsFor(logFormat);
    return query(
      f.reportFilter,
      f.parse,
      `filter ispresent(${f.init}) or ispresent(${f.restore})`,
      `fields ${f.duration} + coalesce(${f.init}, 0) + coalesce(${f.restore}, 0) as coldStartLatency`,
      percentileStats('coldStartLatency', 'coldStarts', 'maxLatency'),
    );
  }

  /**
   * Cold starts and init/restore duration p95 per log group (`@log`), for a query over many
   * functions that share one log format.
   *
   * @param logFormat the functions' log format; `undefined` means TEXT (Lambda's default)
   */
  public static coldStartsByLogGroup(logFormat?: lambda.LoggingFormat): string {
    const f = fieldsFor(logFormat);
    return query(
      f.reportFilter,
      f.parse,
      `filter ispresent(${f.init}) or ispresent(${f.restore})`,
      `stats count(${f.init}) as initColdStarts, count(${f.restore}) as snapStartRestores, pct(${f.init}, 95) as initP95, pct(${f.restore}, 95) as restoreP95 by @log`,
      'sort initColdStarts desc',
    );
  }

  private constructor() {}
}

/** `stats count(*) as <count>, pct(<field>, 50) as p50, ... p95, p99, max(<field>) as <max>` */
function percentileStats(field: string, countName: string, maxName: string): string {
  return `stats count(*) as ${countName}, pct(${field}, 50) as p50, pct(${field}, 95) as p95, pct(${field}, 99) as p99, max(${field}) as ${maxName}`;
}
