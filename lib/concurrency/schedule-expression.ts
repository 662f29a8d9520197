/**
 * Checks Application Auto Scaling schedule expressions the way the service parses them (AWS_RULES.SCHEDULE_EXPRESSION):
 * `at(yyyy-mm-ddThh:mm:ss)`, `rate(value unit)` and six-field `cron(...)` with EventBridge's field syntax.
 * Returns what is wrong, or undefined when the expression is accepted. Internal.
 */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const m = /^(at|rate|cron)\((.*)\)$/s.exec(expression.trim());
  if (!m) {
    return `'${expression}' is not at(...), rate(...) or cron(...)`;
  }
  const [, kind, body] = m;
  if (kind === 'at') {
    return atProblem(expression, body);
  }
  if (kind === 'rate') {
    return rateProblem(expression, body);
  }
  return cronProblem(expression, body);
}

function atProblem(expression: string, body: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body);
  if (!m) {
    return `'${expression}' is not at(yyyy-mm-ddThh:mm:ss)`;
  }
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return `'${expression}' is not a real date and time`;
  }
  return undefined;
}

function rateProblem(expression: string, body: string): string | undefined {
  const m = /^(\S+) (\S+)$/.exec(body);
  if (!m) {
    return `'${expression}' is not rate(value unit)`;
  }
  const [, value, unit] = m;
  if (!/^[1-9]\d*$/.test(value)) {
    return `'${expression}' has value '${value}', not a positive whole number`;
  }
  const singular = ['minute', 'hour', 'day'];
  const plural = singular.map((u) => `${u}s`);
  if (!singular.includes(unit) && !plural.includes(unit)) {
    return `'${expression}' has unit '${unit}', not minute(s), hour(s) or day(s)`;
  }
  if (value === '1' && plural.includes(unit)) {
    return `'${expression}' uses the plural unit for 1: write rate(1 ${unit.slice(0, -1)})`;
  }
  if (value !== '1' && singular.includes(unit)) {
    return `'${expression}' uses the singular unit for ${value}: write rate(${value} ${unit}s)`;
  }
  return undefined;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: string[];
  /** `?` allowed (day-of-month, day-of-week). */
  readonly question?: boolean;
}

const CRON_FIELDS: CronField[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, question: true },
  { name: 'year', min: 1970, max: 2199 },
];

function cronProblem(expression: string, body: string): string | undefined {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    return `'${expression}' has ${fields.length} fields; Application Auto Scaling cron has six (minutes hours day-of-month month day-of-week year), e.g. cron(0 8 * * ? *)`;
  }
  for (let i = 0; i < 6; i++) {
    const problem = cronFieldProblem(CRON_FIELDS[i], fields[i]);
    if (problem) {
      return `'${expression}': ${CRON_FIELDS[i].name} '${fields[i]}' ${problem}`;
    }
  }
  return undefined;
}

function cronFieldProblem(f: CronField, value: string): string | undefined {
  if (value === '*') {
    return undefined;
  }
  if (value === '?') {
    return f.question ? undefined : 'cannot be ?';
  }
  if (f.name === 'day-of-month' && /^(L|LW|([1-9]|[12]\d|3[01])W)$/.test(value)) {
    return undefined;
  }
  if (f.name === 'day-of-week') {
    const hash = /^(\w+)#([1-5])$/.exec(value);
    if (hash) {
      return numberProblem(f, hash[1]);
    }
    if (/^(\w+)?L$/.test(value) && value !== 'L') {
      return numberProblem(f, value.slice(0, -1));
    }
    if (value === 'L') {
      return undefined;
    }
  }
  for (const part of value.split(',')) {
    const [range, step, extra] = part.split('/');
    if (extra !== undefined) {
      return 'has more than one /';
    }
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) {
      return `has step '${step}', not a positive whole number`;
    }
    if (range === '*' && step !== undefined) {
      continue;
    }
    const bounds = range.split('-');
    if (bounds.length > 2 || bounds.some((b) => b === '')) {
      return `has '${range}', not a value or a range a-b`;
    }
    for (const b of bounds) {
      const problem = numberProblem(f, b);
      if (problem) {
        return problem;
      }
    }
  }
  return undefined;
}

function numberProblem(f: CronField, token: string): string | undefined {
  const upper = token.toUpperCase();
  if (f.names?.includes(upper)) {
    return undefined;
  }
  if (!/^\d+$/.test(token)) {
    return `has '${token}', not a number${f.names ? ` or ${f.names[0]}-${f.names[f.names.length - 1]}` : ''}`;
  }
  const n = Number(token);
  if (n < f.min || n > f.max) {
    return `is out of range (${f.min}-${f.max})`;
  }
  return undefined;
}
