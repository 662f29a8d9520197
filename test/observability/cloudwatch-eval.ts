// Small, strict evaluators for the two CloudWatch languages the observability area ships:
// metric filter patterns (space-delimited and JSON kinds) and the subset of Logs Insights the
// queries use. Anything outside the supported syntax throws, so a pattern or query can never pass
// a test by being half understood.
//
// Semantics follow the CloudWatch Logs documentation ("Filter pattern syntax for metric filters"):
// - space-delimited: the event is split on whitespace; text inside "" or [] is one field; the
//   pattern's fields match by position; the event must have exactly as many fields as the pattern
//   unless `...` stands for any number (zero or more) of fields; `name="text"` compares a string
//   exactly (`*` is a wildcard), `name>n` etc. compare numbers; `$name` selects the field's value.
// - JSON: `{ $.a.b = "x" && $.c > 0 }`; `&&` / `||` / parentheses; a selector that is missing or of
//   the wrong type makes its comparison false; `$.a.b` selects the value.

// ---------------------------------------------------------------- metric filter patterns

export interface FilterMatch {
  readonly matched: boolean;
  /** Named fields (space-delimited) or the parsed event (JSON). */
  readonly fields: Record<string, unknown>;
  readonly event?: unknown;
}

interface FieldSpec {
  readonly ellipsis: boolean;
  readonly name?: string;
  readonly op?: string;
  readonly value?: string | number;
}

export function tokenizeSpaceDelimited(message: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < message.length) {
    while (i < message.length && /\s/.test(message[i])) i++;
    if (i >= message.length) break;
    if (message[i] === '"' || message[i] === '[') {
      const close = message[i] === '"' ? '"' : ']';
      const end = message.indexOf(close, i + 1);
      if (end < 0) {
        out.push(message.slice(i));
        break;
      }
      out.push(message.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < message.length && !/\s/.test(message[j])) j++;
    out.push(message.slice(i, j));
    i = j;
  }
  return out;
}

function splitTopLevel(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inQuote = false;
  let cur = '';
  for (const ch of s) {
    if (ch === '"') inQuote = !inQuote;
    if (!inQuote && (ch === '(' || ch === '[')) depth++;
    if (!inQuote && (ch === ')' || ch === ']')) depth--;
    if (!inQuote && depth === 0 && ch === sep) {
      parts.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  parts.push(cur);
  return parts;
}

function parseFieldSpec(raw: string): FieldSpec {
  const s = raw.trim();
  if (s === '...') return { ellipsis: true };
  if (s.includes('&&') || s.includes('||')) {
    throw new Error(`unsupported space-delimited condition: ${s}`);
  }
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:(!=|>=|<=|=|>|<)\s*(.+))?$/.exec(s);
  if (!m) throw new Error(`cannot parse space-delimited field: '${s}'`);
  if (m[2] === undefined) return { ellipsis: false, name: m[1] };
  const v = m[3].trim();
  if (v.startsWith('"')) {
    if (!v.endsWith('"') || v.length < 2) throw new Error(`unterminated string in '${s}'`);
    return { ellipsis: false, name: m[1], op: m[2], value: v.slice(1, -1) };
  }
  if (!/^-?\d+(\.\d+)?$/.test(v)) throw new Error(`unquoted non-numeric value in '${s}'`);
  return { ellipsis: false, name: m[1], op: m[2], value: Number(v) };
}

function wildcardRegex(text: string): RegExp {
  return new RegExp('^' + text.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}

function compare(actual: unknown, op: string, expected: string | number): boolean {
  if (typeof expected === 'string') {
    if (typeof actual !== 'string') return false;
    const eq = wildcardRegex(expected).test(actual);
    if (op === '=') return eq;
    if (op === '!=') return !eq;
    throw new Error(`operator ${op} needs a number`);
  }
  const n = typeof actual === 'number' ? actual : (typeof actual === 'string' && /^-?\d+(\.\d+)?$/.test(actual) ? Number(actual) : NaN);
  if (Number.isNaN(n)) return false;
  switch (op) {
    case '=': return n === expected;
    case '!=': return n !== expected;
    case '>': return n > expected;
    case '<': return n < expected;
    case '>=': return n >= expected;
    case '<=': return n <= expected;
    default: throw new Error(`unknown operator ${op}`);
  }
}

function matchSpaceDelimited(pattern: string, message: string): FilterMatch {
  const inner = pattern.trim();
  if (!inner.startsWith('[') || !inner.endsWith(']')) throw new Error(`not a space-delimited pattern: ${pattern}`);
  const specs = splitTopLevel(inner.slice(1, -1), ',').map(parseFieldSpec);
  const tokens = tokenizeSpaceDelimited(message);
  const names = specs.filter((s) => s.name).map((s) => s.name!);
  if (new Set(names).size !== names.length) throw new Error(`duplicate field names in ${pattern}`);

  const go = (si: number, ti: number, acc: Record<string, string>): Record<string, string> | undefined => {
    if (si === specs.length) return ti === tokens.length ? acc : undefined;
    const spec = specs[si];
    if (spec.ellipsis) {
      for (let k = ti; k <= tokens.length; k++) {
        const r = go(si + 1, k, acc);
        if (r) return r;
      }
      return undefined;
    }
    if (ti >= tokens.length) return undefined;
    const tok = tokens[ti];
    if (spec.op !== undefined && !compare(tok, spec.op, spec.value!)) return undefined;
    return go(si + 1, ti + 1, { ...acc, [spec.name!]: tok });
  };
  const fields = go(0, 0, {});
  return { matched: fields !== undefined, fields: fields ?? {} };
}

export function selectJson(event: unknown, selector: string): unknown {
  if (!selector.startsWith('$.')) throw new Error(`bad JSON selector ${selector}`);
  let cur: unknown = event;
  for (const part of selector.slice(2).split('.')) {
    const m = /^([A-Za-z0-9_@-]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) throw new Error(`unsupported selector part '${part}' in ${selector}`);
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[m[1]] : undefined;
    for (const idx of m[2].match(/\d+/g) ?? []) {
      cur = Array.isArray(cur) ? cur[Number(idx)] : undefined;
    }
  }
  return cur;
}

function evalJsonExpr(expr: string, event: unknown): boolean {
  const s = expr.trim();
  const ors = splitTopLevelOp(s, '||');
  if (ors.length > 1) return ors.some((p) => evalJsonExpr(p, event));
  const ands = splitTopLevelOp(s, '&&');
  if (ands.length > 1) return ands.every((p) => evalJsonExpr(p, event));
  if (s.startsWith('(') && s.endsWith(')')) return evalJsonExpr(s.slice(1, -1), event);
  const m = /^(\$\.[A-Za-z0-9_.@\-[\]]+)\s*(!=|>=|<=|=|>|<)\s*(.+)$/.exec(s);
  if (!m) throw new Error(`unsupported JSON condition: '${s}'`);
  const raw = m[3].trim();
  let expected: string | number;
  if (raw.startsWith('"')) {
    if (!raw.endsWith('"') || raw.length < 2) throw new Error(`unterminated string in '${s}'`);
    expected = raw.slice(1, -1);
  } else if (/^-?\d+(\.\d+)?$/.test(raw)) {
    expected = Number(raw);
  } else {
    throw new Error(`unsupported JSON value '${raw}' in '${s}'`);
  }
  const actual = selectJson(event, m[1]);
  if (typeof expected === 'number' && typeof actual !== 'number') return false;
  return compare(actual, m[2], expected);
}

function splitTopLevelOp(s: string, op: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"') inQuote = !inQuote;
    if (inQuote) continue;
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth === 0 && s.startsWith(op, i)) {
      parts.push(s.slice(start, i));
      start = i + op.length;
      i += op.length - 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

function matchJson(pattern: string, message: string): FilterMatch {
  const p = pattern.trim();
  if (!p.startsWith('{') || !p.endsWith('}')) throw new Error(`not a JSON pattern: ${pattern}`);
  let event: unknown;
  try {
    event = JSON.parse(message);
  } catch {
    return { matched: false, fields: {} };
  }
  if (event === null || typeof event !== 'object') return { matched: false, fields: {} };
  return { matched: evalJsonExpr(p.slice(1, -1), event), fields: {}, event };
}

/** Evaluates a metric filter pattern against one log event. */
export function matchFilterPattern(pattern: string, message: string): FilterMatch {
  const p = pattern.trim();
  if (p.startsWith('[')) return matchSpaceDelimited(p, message);
  if (p.startsWith('{')) return matchJson(p, message);
  throw new Error(`unsupported pattern kind: ${pattern}`);
}

/** The metric value a metric filter publishes for a matching event (undefined: no number). */
export function metricValueOf(selector: string, match: FilterMatch): number | undefined {
  if (!match.matched) return undefined;
  let v: unknown;
  if (selector.startsWith('$.')) {
    v = selectJson(match.event, selector);
  } else if (/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(selector)) {
    if (!(selector.slice(1) in match.fields)) throw new Error(`metric value ${selector} names no field of the pattern`);
    v = match.fields[selector.slice(1)];
  } else {
    throw new Error(`unsupported metric value ${selector}`);
  }
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;
  return n;
}

// ---------------------------------------------------------------- Logs Insights subset

export type LogRecord = Record<string, unknown>;

/**
 * Turns a raw Lambda log event into the record Logs Insights would query. Text format: the
 * fields CloudWatch documents for Lambda REPORT lines (`@type`, `@requestId`, `@duration`,
 * `@billedDuration`, `@memorySize`, `@maxMemoryUsed`, `@initDuration` on cold starts; there is no
 * discovered field for Restore Duration). JSON format: the event's keys flattened with dots.
 */
export function toInsightsRecord(message: string, logGroup: string): LogRecord {
  const rec: LogRecord = { '@message': message, '@log': `123456789012:${logGroup}` };
  const trimmed = message.trim();
  if (trimmed.startsWith('{')) {
    const flatten = (obj: unknown, prefix: string) => {
      if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) {
        for (const [k, v] of Object.entries(obj as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k);
      } else {
        rec[prefix] = obj;
      }
    };
    flatten(JSON.parse(trimmed), '');
    return rec;
  }
  const m = /^REPORT RequestId: (\S+)\s+Duration: ([\d.]+) ms\s+Billed Duration: (\d+) ms\s+Memory Size: (\d+) MB\s+Max Memory Used: (\d+) MB(?:\s+Init Duration: ([\d.]+) ms)?/.exec(message);
  if (m) {
    rec['@type'] = 'REPORT';
    rec['@requestId'] = m[1];
    rec['@duration'] = Number(m[2]);
    rec['@billedDuration'] = Number(m[3]);
    rec['@memorySize'] = Number(m[4]) * 1000 * 1000;
    rec['@maxMemoryUsed'] = Number(m[5]) * 1000 * 1000;
    if (m[6] !== undefined) rec['@initDuration'] = Number(m[6]);
    return rec;
  }
  const t = /^(START|END|INIT_START|INIT_REPORT)\b/.exec(message);
  if (t) rec['@type'] = t[1];
  return rec;
}

type Value = number | string | boolean | undefined;

interface Expr {
  kind: 'num' | 'str' | 'field' | 'call' | 'bin' | 'star';
  value?: number | string;
  name?: string;
  args?: Expr[];
  op?: string;
  left?: Expr;
  right?: Expr;
}

function tokenizeExpr(s: string): string[] {
  const re = /\s*(\d+[a-z]+\b|\d+(?:\.\d+)?|"(?:[^"\\]|\\.)*"|[@A-Za-z_][@A-Za-z0-9_.]*|!=|>=|<=|[()+\-*/,=<>])/y;
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (/^\s*$/.test(s.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) throw new Error(`cannot tokenize '${s.slice(i)}' in '${s}'`);
    out.push(m[1]);
    i = re.lastIndex;
  }
  return out;
}

function parseExpr(src: string): Expr {
  const toks = tokenizeExpr(src);
  let pos = 0;
  const peek = () => toks[pos];
  const next = () => toks[pos++];
  const expect = (t: string) => {
    if (next() !== t) throw new Error(`expected '${t}' in '${src}'`);
  };
  const binary = (ops: string[], sub: () => Expr) => (): Expr => {
    let left = sub();
    while (peek() !== undefined && ops.includes(peek()!.toLowerCase())) {
      const op = next().toLowerCase();
      left = { kind: 'bin', op, left, right: sub() };
    }
    return left;
  };
  const primary = (): Expr => {
    const t = next();
    if (t === undefined) throw new Error(`unexpected end of '${src}'`);
    if (t === '(') {
      const e = orExpr();
      expect(')');
      return e;
    }
    if (t === '*') return { kind: 'star' };
    if (/^\d+[a-z]+$/.test(t)) return { kind: 'str', value: t }; // a duration such as 5m
    if (/^\d/.test(t)) return { kind: 'num', value: Number(t) };
    if (t.startsWith('"')) return { kind: 'str', value: JSON.parse(t) };
    if (/^[@A-Za-z_]/.test(t)) {
      if (peek() === '(') {
        next();
        const args: Expr[] = [];
        if (peek() !== ')') {
          args.push(orExpr());
          while (peek() === ',') {
            next();
            args.push(orExpr());
          }
        }
        expect(')');
        return { kind: 'call', name: t.toLowerCase(), args };
      }
      return { kind: 'field', name: t };
    }
    throw new Error(`unexpected '${t}' in '${src}'`);
  };
  const mul = binary(['*', '/'], primary);
  const add = binary(['+', '-'], mul);
  const cmp = binary(['=', '!=', '<', '>', '<=', '>='], add);
  const andExpr = binary(['and'], cmp);
  const orExpr: () => Expr = binary(['or'], andExpr);
  const e = orExpr();
  if (pos !== toks.length) throw new Error(`trailing '${toks.slice(pos).join(' ')}' in '${src}'`);
  return e;
}

const AGGREGATES = new Set(['count', 'pct', 'max', 'min', 'avg', 'sum']);

function num(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

function evalRow(e: Expr, rec: LogRecord, known: Set<string>): Value {
  switch (e.kind) {
    case 'num':
    case 'str':
      return e.value;
    case 'field':
      if (!known.has(e.name!)) throw new Error(`query names field '${e.name}', which no sample record has`);
      return rec[e.name!] as Value;
    case 'bin': {
      const l = evalRow(e.left!, rec, known);
      if (e.op === 'and') return Boolean(l) && Boolean(evalRow(e.right!, rec, known));
      if (e.op === 'or') return Boolean(l) || Boolean(evalRow(e.right!, rec, known));
      const r = evalRow(e.right!, rec, known);
      if (e.op === '=') return l !== undefined && String(l) === String(r);
      if (e.op === '!=') return l !== undefined && String(l) !== String(r);
      const a = num(l);
      const b = num(r);
      if (a === undefined || b === undefined) return undefined;
      switch (e.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return a / b;
        case '<': return a < b;
        case '>': return a > b;
        case '<=': return a <= b;
        case '>=': return a >= b;
      }
      throw new Error(`operator ${e.op}`);
    }
    case 'call': {
      const args = e.args!;
      switch (e.name) {
        case 'ispresent':
          return evalRow(args[0], rec, known) !== undefined;
        case 'coalesce':
          for (const a of args) {
            const v = evalRow(a, rec, known);
            if (v !== undefined) return v;
          }
          return undefined;
        case 'bin':
          return 'bin';
      }
      throw new Error(`unsupported function ${e.name}() outside stats`);
    }
    default:
      throw new Error(`unexpected ${e.kind}`);
  }
}

function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

function evalAgg(e: Expr, recs: LogRecord[], known: Set<string>): Value {
  switch (e.kind) {
    case 'num':
    case 'str':
      return e.value;
    case 'bin': {
      const a = num(evalAgg(e.left!, recs, known));
      const b = num(evalAgg(e.right!, recs, known));
      if (a === undefined || b === undefined) return undefined;
      switch (e.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return a / b;
      }
      throw new Error(`operator ${e.op} between aggregates`);
    }
    case 'call': {
      if (!AGGREGATES.has(e.name!)) throw new Error(`unsupported aggregate ${e.name}()`);
      const arg = e.args![0];
      if (e.name === 'count' && (arg === undefined || arg.kind === 'star')) return recs.length;
      const values = recs.map((r) => evalRow(arg, r, known)).filter((v) => v !== undefined);
      const nums = values.map(num).filter((v): v is number => v !== undefined);
      switch (e.name) {
        case 'count': return values.length;
        case 'sum': return nums.reduce((s, v) => s + v, 0);
        case 'avg': return nums.length ? nums.reduce((s, v) => s + v, 0) / nums.length : undefined;
        case 'max': return nums.length ? Math.max(...nums) : undefined;
        case 'min': return nums.length ? Math.min(...nums) : undefined;
        case 'pct': {
          const p = num(evalAgg(e.args![1], recs, known));
          return percentile(nums, p!);
        }
      }
      throw new Error(`aggregate ${e.name}`);
    }
    default:
      throw new Error(`'${e.kind}' outside an aggregate in stats`);
  }
}

/** Splits `a as x, b as y` at top-level commas into [expression, alias] pairs. */
function aliased(list: string): Array<[string, string]> {
  return splitTopLevel(list, ',').map((part) => {
    const m = /^(.*)\s+as\s+([A-Za-z_][A-Za-z0-9_]*)\s*$/i.exec(part.trim());
    if (!m) throw new Error(`expected '<expression> as <name>' in '${part.trim()}'`);
    return [m[1], m[2]];
  });
}

/**
 * Runs a query (commands separated by `|`) over records and returns the result rows. `bin(...)`
 * groups are collapsed into one group (the samples span one bin); `by <field>` groups by field.
 */
export function runInsightsQuery(query: string, input: LogRecord[]): Array<Record<string, Value>> {
  let recs = input.map((r) => ({ ...r }));
  const known = new Set<string>(input.flatMap((r) => Object.keys(r)));
  let rows: Array<Record<string, Value>> | undefined;
  for (const raw of query.split(/\n?\|\s*/)) {
    const cmd = raw.trim();
    if (cmd === '') continue;
    const m = /^(\w+)\s+([\s\S]*)$/.exec(cmd);
    if (!m) throw new Error(`cannot parse command '${cmd}'`);
    const [, verb, rest] = m;
    switch (verb) {
      case 'filter': {
        const e = parseExpr(rest);
        recs = recs.filter((r) => Boolean(evalRow(e, r, known)));
        break;
      }
      case 'parse': {
        const pm = /^@message\s+\/(.*)\/$/.exec(rest.trim());
        if (!pm) throw new Error(`unsupported parse '${rest}'`);
        const re = new RegExp(pm[1]);
        const groups = [...pm[1].matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((g) => g[1]);
        groups.forEach((g) => known.add(g));
        for (const r of recs) {
          const mm = re.exec(String(r['@message']));
          if (mm?.groups) Object.assign(r, mm.groups);
        }
        break;
      }
      case 'fields': {
        for (const [exprSrc, alias] of aliased(rest)) {
          const e = parseExpr(exprSrc);
          for (const r of recs) r[alias] = evalRow(e, r, known);
          known.add(alias);
        }
        break;
      }
      case 'stats': {
        const bm = /^([\s\S]*?)\s+by\s+([\s\S]+)$/.exec(rest);
        const aggs = aliased(bm ? bm[1] : rest).map(([src, alias]) => [parseExpr(src), alias] as const);
        const by = bm ? parseExpr(bm[2]) : undefined;
        const groups = new Map<string, LogRecord[]>();
        for (const r of recs) {
          const key = by === undefined || (by.kind === 'call' && by.name === 'bin') ? '' : String(evalRow(by, r, known));
          groups.set(key, [...(groups.get(key) ?? []), r]);
        }
        rows = [...groups.entries()].map(([key, g]) => {
          const row: Record<string, Value> = { _group: key };
          for (const [e, alias] of aggs) row[alias] = evalAgg(e, g, known);
          return row;
        });
        break;
      }
      case 'sort': {
        const sm = /^([A-Za-z_@][A-Za-z0-9_.@]*)\s+(asc|desc)$/.exec(rest.trim());
        if (!sm || !rows) throw new Error(`unsupported sort '${rest}'`);
        const [, key, dir] = sm;
        if (!(key in (rows[0] ?? { [key]: 0 }))) throw new Error(`sort by unknown column ${key}`);
        rows.sort((a, b) => ((num(a[key]) ?? 0) - (num(b[key]) ?? 0)) * (dir === 'desc' ? -1 : 1));
        break;
      }
      default:
        throw new Error(`unsupported command '${verb}'`);
    }
  }
  if (!rows) throw new Error('query has no stats command');
  return rows;
}
