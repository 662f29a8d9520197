/** JSON and CSV reports. Internal. */
import * as path from 'path';
import { ALL_RULES } from '../rules';
import { ColdStartFinding, FindingLevel, FindingStatus } from '../types';

export const CSV_COLUMNS = ['ruleId', 'level', 'status', 'resourcePath', 'logicalId', 'message', 'suppressionReason'] as const;

function csvCell(v: string | undefined): string {
  const s = v ?? '';
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(findings: ColdStartFinding[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const f of findings) {
    lines.push(CSV_COLUMNS.map((c) => csvCell(f[c] as string | undefined)).join(','));
  }
  return lines.join('\n') + '\n';
}

export function toJson(stackName: string, findings: ColdStartFinding[]): string {
  return JSON.stringify({
    stack: stackName,
    findings: findings.map((f) => ({
      ruleId: f.ruleId,
      level: f.level,
      status: f.status,
      resourcePath: f.resourcePath,
      logicalId: f.logicalId,
      message: f.message,
      ...(f.suppressionReason !== undefined ? { suppressionReason: f.suppressionReason } : {}),
    })),
  }, undefined, 2) + '\n';
}

/** File-name-safe stack name. */
export function reportBaseName(stackName: string): string {
  return `cdk-python-coldstart-${stackName.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/** Plain-text table for the CLI. */
export function toTable(findings: ColdStartFinding[]): string {
  const rows = findings.map((f) => [f.ruleId, f.level, f.status, f.resourcePath, f.message + (f.suppressionReason ? ` [suppressed: ${f.suppressionReason}]` : '')]);
  const header = ['RULE', 'LEVEL', 'STATUS', 'RESOURCE', 'MESSAGE'];
  // (a loop, not Math.max(...rows): 100,000 findings must not overflow the argument stack)
  const widths = header.slice(0, 4).map((h, i) => rows.reduce((w, r) => Math.max(w, r[i].length), h.length));
  const fmt = (r: string[]) => r.map((c, i) => (i < 4 ? c.padEnd(widths[i]) : c)).join('  ');
  return [fmt(header), ...rows.map(fmt)].join('\n') + '\n';
}

const SARIF_LEVEL: Record<string, string> = { ERROR: 'error', WARNING: 'warning', INFO: 'note' };

/**
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html) for code-scanning
 * upload: one run, the rules as reportingDescriptors (with their AWS documentation link), one result
 * per non-compliant, unknown or suppressed finding located in its template file, with the logical
 * ID and construct path as logical locations. Suppressed findings carry their justification.
 */
export function toSarif(findings: ColdStartFinding[], fileOf: (f: ColdStartFinding) => string | undefined, toolVersion: string,
  notifications: string[] = []): string {
  const rules = ALL_RULES.map((r) => ({
    id: r.id,
    name: r.title.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')),
    shortDescription: { text: r.title },
    fullDescription: { text: r.explanation },
    help: { text: `${r.fix}${r.awsRules.length > 0 ? ` AWS documentation: ${[...new Set(r.awsRules.map((a) => a.docUrl))].join(' ')}` : ''}` },
    ...(r.awsRules.length > 0 ? { helpUri: r.awsRules[0].docUrl } : {}),
    defaultConfiguration: { level: SARIF_LEVEL[r.defaultLevel] },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const cwd = process.cwd();
  const results = findings.filter((f) => f.status !== FindingStatus.COMPLIANT).map((f) => {
    const file = fileOf(f);
    const uri = file === undefined ? undefined
      : path.isAbsolute(file) && !path.relative(cwd, file).startsWith('..') ? path.relative(cwd, file) : file;
    return {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: f.status === FindingStatus.UNKNOWN && f.level === FindingLevel.INFO ? 'note' : SARIF_LEVEL[f.level],
      kind: f.status === FindingStatus.UNKNOWN ? 'review' : 'fail',
      message: { text: `${f.status === FindingStatus.UNKNOWN ? 'Could not check: ' : ''}${f.message}` },
      locations: [{
        ...(uri !== undefined ? { physicalLocation: { artifactLocation: { uri: uri.split(path.sep).join('/') } } } : {}),
        logicalLocations: [{ name: f.logicalId, fullyQualifiedName: f.resourcePath, kind: 'resource' }],
      }],
      partialFingerprints: { 'coldstartFinding/v1': `${f.ruleId}:${f.stackName}:${f.logicalId}` },
      ...(f.status === FindingStatus.SUPPRESSED ? { suppressions: [{ kind: 'external', justification: f.suppressionReason ?? '' }] } : {}),
    };
  });
  const run = {
    tool: { driver: { name: 'cdk-python-coldstart', version: toolVersion, informationUri: 'https://github.com/cdk-python-coldstart/cdk-python-coldstart', rules } },
    results,
    invocations: [{
      executionSuccessful: notifications.length === 0,
      toolExecutionNotifications: notifications.map((text) => ({ level: 'error', message: { text } })),
    }],
  };
  return JSON.stringify({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] }, undefined, 2) + '\n';
}
