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

export function short(v: unknown): string {
  const s = JSON.stringify(v);
  if (s === undefined) {
    return String(v);
  }
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}

/** A string-valued property: literal string, `undefined` when absent, Unresolved otherwise. */
export function str(property: string, v: unknown): string | undefined | Unresolved {
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
  if (v === undefined || v === null) {
    return undefined;
  }
  if (!Array.isArray(v) || v.some((e) => typeof e !== 'string')) {
    return new Unresolved(property, short(v));
  }
  return v as string[];
}

/**
 * Renders a value to text with references as `${LogicalId}` / `${LogicalId.Attr}`, so that
 * relations can be matched whether a template uses Ref, Fn::GetAtt, Fn::Join or Fn::Sub.
 * Returns undefined when the value cannot be rendered (conditions, Select, imports...).
 */
export function render(v: unknown, vars?: Record<string, unknown>): string | undefined {
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
    const parts = arg[1].map((p: unknown) => render(p, vars));
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
        const r = render(subVars[name], vars);
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

/** Logical IDs referenced anywhere in a value (Ref, Fn::GetAtt, Fn::Sub variables). */
export function referencedIds(v: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(v)) {
    v.forEach((e) => referencedIds(e, out));
  } else if (v !== null && typeof v === 'object') {
    for (const [k, arg] of Object.entries(v as Record<string, unknown>)) {
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
          referencedIds(arg[1], out);
        }
      } else {
        referencedIds(arg, out);
      }
    }
  }
  return out;
}
