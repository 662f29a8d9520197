// The evaluators must be faithful before they can vouch for our patterns: these cases come from
// the CloudWatch Logs filter pattern documentation, including patterns that must NOT match.
import { matchFilterPattern, metricValueOf, runInsightsQuery, tokenizeSpaceDelimited, toInsightsRecord } from './cloudwatch-eval';

const APACHE = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534';

describe('space-delimited filter patterns', () => {
  test('quoted and bracketed text is one field; tabs separate fields', () => {
    expect(tokenizeSpaceDelimited(APACHE)).toEqual(['127.0.0.1', '-', 'frank', '10/Oct/2000:13:25:15 -0700', 'GET /index.html HTTP/1.0', '404', '1534']);
    expect(tokenizeSpaceDelimited('a\tb  c\t')).toEqual(['a', 'b', 'c']);
  });

  test.each([
    ['[ip, user, username, timestamp, request, status_code, bytes]', true],
    ['[ip, user, username, timestamp, request, status_code=404, bytes]', true],
    ['[ip, user, username, timestamp, request, status_code="4*", bytes]', true],
    ['[ip, user, username, timestamp, request, status_code="5*", bytes]', false],
    ['[ip, user, username, timestamp, request, status_code, bytes > 1000]', true],
    ['[ip, user, username, timestamp, request, status_code, bytes > 2000]', false],
    ['[ip, user, username="frank", ...]', true],
    ['[ip, user, username="Frank", ...]', false],
    ['[..., status_code=404, bytes]', true],
    ['[ip, user, ..., bytes]', true],
    ['[ip, user, username, timestamp, request, status_code, bytes, ...]', true],
    ['[ip, user]', false],
    ['[ip, user, username, timestamp, request, status_code, bytes, extra]', false],
  ])('%s matches: %s', (pattern, expected) => {
    expect(matchFilterPattern(pattern, APACHE).matched).toBe(expected);
  });

  test('metric value selects a named field', () => {
    const m = matchFilterPattern('[ip, user, username, timestamp, request, status_code, bytes]', APACHE);
    expect(metricValueOf('$bytes', m)).toBe(1534);
    expect(() => metricValueOf('$missing', m)).toThrow(/names no field/);
  });

  test('refuses syntax it does not model', () => {
    expect(() => matchFilterPattern('[a, b=5 || b=6]', APACHE)).toThrow(/unsupported/);
    expect(() => matchFilterPattern('[a b]', APACHE)).toThrow(/cannot parse/);
  });
});

describe('JSON filter patterns', () => {
  const event = JSON.stringify({ eventType: 'UpdateTrail', bandwidth: 80, user: { id: 1, name: 'x' }, users: [{ email: 'John.Doe@example.com' }] });
  test.each([
    ['{ $.eventType = "UpdateTrail" }', true],
    ['{ $.eventType = "Update*" }', true],
    ['{ $.eventType = "CreateTrail" }', false],
    ['{ $.bandwidth > 75 }', true],
    ['{ $.bandwidth > 80 }', false],
    ['{ $.missing > 0 }', false],
    ['{ $.eventType > 0 }', false],
    ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', true],
    ['{ $.user.id = 2 || $.bandwidth >= 80 }', true],
    ['{ $.user.id = 2 && $.bandwidth >= 80 }', false],
  ])('%s matches: %s', (pattern, expected) => {
    expect(matchFilterPattern(pattern, event).matched).toBe(expected);
  });

  test('non-JSON events never match; values are selected by path', () => {
    expect(matchFilterPattern('{ $.bandwidth > 75 }', APACHE).matched).toBe(false);
    expect(metricValueOf('$.bandwidth', matchFilterPattern('{ $.bandwidth > 75 }', event))).toBe(80);
  });
});

describe('Logs Insights subset', () => {
  const recs = [
    toInsightsRecord('REPORT RequestId: a\tDuration: 2.00 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 50 MB\tInit Duration: 100.00 ms\t', '/g'),
    toInsightsRecord('REPORT RequestId: b\tDuration: 4.00 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\tMax Memory Used: 50 MB\t', '/g'),
    toInsightsRecord('START RequestId: c Version: $LATEST', '/g'),
  ];

  test('discovers REPORT fields the way CloudWatch documents them', () => {
    expect(recs[0]).toMatchObject({ '@type': 'REPORT', '@duration': 2, '@initDuration': 100 });
    expect(recs[1]['@initDuration']).toBeUndefined();
    expect(recs[2]['@type']).toBe('START');
  });

  test('filter, count(field), arithmetic on aggregates', () => {
    const rows = runInsightsQuery('filter @type = "REPORT"\n| stats count(@initDuration) * 100 / count(*) as pct, max(@duration) as m by bin(5m)', recs);
    expect(rows).toEqual([{ _group: '', pct: 50, m: 4 }]);
  });

  test('a misspelt field fails instead of silently matching nothing', () => {
    expect(() => runInsightsQuery('filter @type = "REPORT"\n| stats count(@initDurations) as n', recs)).toThrow(/no sample record/);
    expect(() => runInsightsQuery('filter @type = "INIT"\n| stats count(*) as n', recs)).not.toThrow();
    expect(runInsightsQuery('filter @type = "INIT"\n| stats count(*) as n', recs)).toEqual([]);
  });
});
