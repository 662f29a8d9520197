/** JSON and CSV reports. Internal. */
import { ColdStartFinding } from '../types';

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
  const widths = header.slice(0, 4).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i < 4 ? c.padEnd(widths[i]) : c)).join('  ');
  return [fmt(header), ...rows.map(fmt)].join('\n') + '\n';
}
