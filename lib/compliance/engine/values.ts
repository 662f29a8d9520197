/**
 * Helpers over resolved CloudFormation values (the output of `Stack.resolve()` or a parsed template).
 * Internal: not part of the public API.
 */

/** A value that could not be resolved at synth time (token, parameter, condition, import). */
export class Unresolved {
  constructor(
    /** CloudFormation property that could not be resolved, e.g. `MemorySize`. */
    public readonly property: string,
    /** Short rendering of the unresolved value, e.g. `{"Ref":"MemoryParam"}`. */
    public readonly value: string,
    /** Full description when the value is not a token but cannot be inspected (e.g. code in S3). */
    private readonly text?: string,
  ) {}

  public describe(): string {
    return this.text ?? `${this.property} is not resolvable at synth time (${this.value}): cannot check`;
  }
}

export function isUnresolved(v: unknown): v is Unresolved {
  return v instanceof Unresolved;
}

/** True for `{ Ref: ... }` / `{ "Fn::...": ... }` objects: values only CloudFormation can resolve. */
export function isIntrinsic(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    return false;
  }
  const keys = Object.keys(v as object);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition');
}

/** At most 80 characters of JSON; iterative, so a value nested thousands deep cannot overflow the stack. */
export function short(v: unknown): string {
  if (v === undefined) {
    return 'undefined';
  }
  const LIMIT = 80;
  let out = '';
  // Work list of pending tokens: a value to print or a literal piece of punctuation.
  const work: Array<{ v: unknown } | string> = [{ v }];
  while (work.length > 0 && out.length <= LIMIT) {
    const item = work.pop()!;
    if (typeof item === 'string') {
      out += item;
      continue;
    }
    const x = item.v;
    if (Array.isArray(x)) {
      const pieces: Array<{ v: unknown } | string> = ['['];
      x.forEach((e, i) => pieces.push(...(i > 0 ? [','] : []), { v: e }));
      pieces.push(']');
      work.push(...pieces.reverse());
    } else if (x !== null && typeof x === 'object') {
      const pieces: Array<{ v: unknown } | string> = ['{'];
      Object.entries(x as object).forEach(([k, e], i) => pieces.push(`${i > 0 ? ',' : ''}${JSON.stringify(k)}:`, { v: e }));
      pieces.push('}');
      work.push(...pieces.reverse());
    } else {
      out += JSON.stringify(x) ?? String(x);
    }
  }
  return out.length > LIMIT || work.length > 0 ? out.slice(0, 77) + '...' : out;
}

const NO_VALUE = 'AWS::NoValue';

/**
 * The values a property can take once CloudFormation evaluates `Fn::If`: both branches of every
 * condition (nested ones too); `{ Ref: AWS::NoValue }` is `undefined`. A value without `Fn::If` is
 * its only alternative.
 */
export function alternatives(v: unknown): unknown[] {
  const out: unknown[] = [];
  const work: unknown[] = [v];
  while (work.length > 0 && out.length < 64) {
    const x = work.pop();
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) {
      const o = x as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && keys[0] === 'Fn::If' && Array.isArray(o['Fn::If']) && (o['Fn::If'] as unknown[]).length === 3) {
        const [, a, b] = o['Fn::If'] as unknown[];
        work.push(b, a);
        continue;
      }
      if (keys.length === 1 && keys[0] === 'Ref' && o.Ref === NO_VALUE) {
        out.push(undefined);
        continue;
      }
    }
    out.push(x);
  }
  return out;
}

/** Marker: a property whose value depends on a condition (Fn::If) with different branches. */
export class Conditional {
  constructor(public readonly raw: unknown, public readonly values: unknown[]) {}
}

/**
 * Reads `obj.k1.k2...` through `Fn::If` at any level: the single value when every branch agrees,
 * else a `Conditional` listing what each branch gives (which `str`/`num` report as Unresolved,
 * naming the condition, so a rule can never call such a value compliant).
 */
export function getPath(obj: unknown, keys: string[]): unknown {
  let current: unknown[] = [obj];
  for (const k of keys) {
    const next: unknown[] = [];
    for (const c of current) {
      for (const alt of alternatives(c)) {
        next.push(alt !== null && typeof alt === 'object' && !Array.isArray(alt) ? (alt as Record<string, unknown>)[k] : undefined);
      }
    }
    current = next;
  }
  const finals = current.flatMap((c) => alternatives(c));
  if (finals.length === 0) {
    return undefined;
  }
  const first = short(finals[0]);
  if (finals.every((f) => short(f) === first)) {
    return finals[0];
  }
  return new Conditional(obj, finals);
}

function conditionalUnresolved(property: string, c: Conditional): Unresolved {
  const shown = [...new Set(c.values.map((v) => (v === undefined ? 'absent' : short(v))))].join(' or ');
  return new Unresolved(property, shown, `${property} depends on a condition (Fn::If: ${shown}): every branch must be valid, cannot tell which one deploys`);
}

/** A string-valued property: literal string, `undefined` when absent, Unresolved otherwise. */
export function str(property: string, v: unknown): string | undefined | Unresolved {
  if (v instanceof Conditional) {
    return conditionalUnresolved(property, v);
  }
  if (v === undefined || v === null) {
    return undefined;
  }
  if (typeof v === 'string') {
    return v;
  }
  return new Unresolved(property, short(v));
}

/** A number-valued property (CloudFormation accepts numeric strings too). */
export function num(property: string, v: unknown): number | undefined | Unresolved {
  if (v instanceof Conditional) {
    return conditionalUnresolved(property, v);
  }
  if (v === undefined || v === null) {
    return undefined;
  }
  if (typeof v === 'number') {
    return v;
  }
  if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) {
    return Number(v);
  }
  return new Unresolved(property, short(v));
}

/** A list of strings; Unresolved when the list or any element is an intrinsic. */
export function strList(property: string, v: unknown): string[] | undefined | Unresolved {
  if (v instanceof Conditional) {
    return conditionalUnresolved(property, v);
  }
  if (v === undefined || v === null) {
    return undefined;
  }
  if (!Array.isArray(v) || v.some((e) => typeof e !== 'string')) {
    return new Unresolved(property, short(v));
  }
  return v as string[];
}

const MAX_RENDER_DEPTH = 64;

/**
 * Renders a value to text with references as `${LogicalId}` / `${LogicalId.Attr}`, so that
 * relations can be matched whether a template uses Ref, Fn::GetAtt, Fn::Join or Fn::Sub.
 * Returns undefined when the value cannot be rendered (conditions, Select, imports...).
 */
export function render(v: unknown, vars?: Record<string, unknown>, depth = 0): string | undefined {
  if (depth > MAX_RENDER_DEPTH) {
    return undefined; // deeper than any real reference: unreadable, never a stack overflow
  }
  if (typeof v === 'string') {
    return v;
  }
  if (typeof v === 'number' || typeof v === 'boolean') {
    return String(v);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    return undefined;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length !== 1) {
    return undefined;
  }
  const [k] = keys;
  const arg = o[k];
  if (k === 'Ref' && typeof arg === 'string') {
    return '${' + arg + '}';
  }
  if (k === 'Fn::GetAtt') {
    if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string' && typeof arg[1] === 'string') {
      return '${' + arg[0] + '.' + arg[1] + '}';
    }
    if (typeof arg === 'string') {
      return '${' + arg + '}';
    }
    return undefined;
  }
  if (k === 'Fn::Join' && Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string' && Array.isArray(arg[1])) {
    const parts = arg[1].map((p: unknown) => render(p, vars, depth + 1));
    return parts.some((p) => p === undefined) ? undefined : parts.join(arg[0]);
  }
  if (k === 'Fn::Sub') {
    let template: unknown = arg;
    let subVars: Record<string, unknown> = {};
    if (Array.isArray(arg)) {
      template = arg[0];
      subVars = (arg[1] ?? {}) as Record<string, unknown>;
    }
    if (typeof template !== 'string') {
      return undefined;
    }
    let failed = false;
    const out = template.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
      if (name.startsWith('!')) {
        return '${' + name.slice(1) + '}';
      }
      if (name in subVars) {
        const r = render(subVars[name], vars, depth + 1);
        if (r === undefined) {
          failed = true;
          return whole;
        }
        return r;
      }
      return whole;
    });
    return failed ? undefined : out;
  }
  return undefined;
}

/** Logical IDs referenced anywhere in a value (Ref, Fn::GetAtt, Fn::Sub variables). Iterative. */
export function referencedIds(v: unknown, out: Set<string> = new Set()): Set<string> {
  const work: unknown[] = [v];
  while (work.length > 0) {
    const x = work.pop();
    if (Array.isArray(x)) {
      for (const e of x) {
        work.push(e);
      }
    } else if (x !== null && typeof x === 'object') {
      for (const [k, arg] of Object.entries(x as Record<string, unknown>)) {
        if (k === 'Ref' && typeof arg === 'string') {
          out.add(arg);
        } else if (k === 'Fn::GetAtt') {
          const id = Array.isArray(arg) ? arg[0] : typeof arg === 'string' ? arg.split('.')[0] : undefined;
          if (typeof id === 'string') {
            out.add(id);
          }
        } else if (k === 'Fn::Sub') {
          const t = Array.isArray(arg) ? arg[0] : arg;
          if (typeof t === 'string') {
            for (const m of t.matchAll(/\$\{([^!}][^}.]*)(\.[^}]*)?\}/g)) {
              out.add(m[1]);
            }
          }
          if (Array.isArray(arg)) {
            work.push(arg[1]);
          }
        } else {
          work.push(arg);
        }
      }
    }
  }
  return out;
}
