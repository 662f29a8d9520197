// Internal (not exported from the package): the CloudWatch dashboard of ColdStartDashboard and
// InitDurationDashboard, with a body that a 60-function stack can afford to synthesize.
import { Duration, IResolvable, IResolveContext, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';

/**
 * A `cloudwatch.Dashboard` whose body is rendered with `JSON.stringify` and joined around its
 * tokens in one linear pass, when every value in it is plain JSON (strings that may hold string
 * tokens such as `Ref`s of function names, literal numbers, booleans, plain objects and arrays).
 *
 * CDK's own body goes through `Stack.toJsonString`, which resolves every value of every widget,
 * and then concatenates the fragments of the string pairwise (quadratic in the number of tokens),
 * in each of synth's three resolve passes (references, tree metadata, template): with a row per
 * function, that was most of the synth time of a 60-function stack. The result here is the same
 * `Fn::Join` (literals merged, nested joins spliced, as CDK's minimal join does).
 *
 * Anything else (a number token, a list token, an `IResolvable` inside a widget, `undefined` in
 * a list) takes CDK's path unchanged. A string token is embedded as is, exactly as CDK does for
 * deploy-time values (CloudFormation cannot escape them): the tokens of these dashboards are
 * names and ARNs.
 */
export class RenderedDashboard extends cloudwatch.Dashboard {
  // Own names: the base class keeps its rows and variables in private fields of the same object.
  private readonly bodyWidgets: cloudwatch.IWidget[] = [];
  private readonly bodyVariables: cloudwatch.IVariable[] = [];
  private readonly bodyStart: string;

  constructor(scope: Construct, id: string, props: { readonly dashboardName?: string; readonly defaultInterval: Duration }) {
    super(scope, id, props);
    this.bodyStart = `-${props.defaultInterval.toIsoString()}`;
    const cfn = this.node.defaultChild as cloudwatch.CfnDashboard;
    cfn.dashboardBody = Token.asString(new DashboardBody(() => this.body()));
  }

  public addWidgets(...widgets: cloudwatch.IWidget[]): void {
    super.addWidgets(...widgets);
    if (widgets.length > 0) {
      this.bodyWidgets.push(widgets.length > 1 ? new cloudwatch.Row(...widgets) : widgets[0]);
    }
  }

  public addVariable(variable: cloudwatch.IVariable): void {
    super.addVariable(variable);
    this.bodyVariables.push(variable);
  }

  private body(): Record<string, unknown> {
    const column = new cloudwatch.Column(...this.bodyWidgets);
    column.position(0, 0);
    const body: Record<string, unknown> = { start: this.bodyStart, widgets: column.toJson() };
    if (this.bodyVariables.length > 0) {
      body.variables = this.bodyVariables.map((v) => v.toJson());
    }
    return body;
  }
}

/** The dashboard body, rendered at each resolve from the widgets as they are then. */
class DashboardBody implements IResolvable {
  public readonly creationStack: string[] = [];

  constructor(private readonly body: () => Record<string, unknown>) {}

  public resolve(context: IResolveContext): unknown {
    const body = this.body();
    // Each string with tokens is resolved where it stands (as CDK resolves it): a literal goes back
    // into the JSON (escaped by JSON.stringify), undefined drops its key, an intrinsic (or a join of
    // literals and intrinsics) is kept aside and stands in the JSON as a marker until the final join.
    const nonce = `${process.pid}${Date.now()}${Math.random()}`.replace(/\D/g, '');
    const pieces: unknown[][] = [];
    // A row per function repeats its name a dozen times: each distinct string is resolved once per pass.
    const memo = new Map<string, unknown>();
    const plain = plainJson(body, (str) => {
      if (memo.has(str)) return memo.get(str);
      const v = context.resolve(str);
      let out: unknown = v;
      if (v !== undefined && typeof v !== 'string') {
        const inString = intrinsicInString(v);
        if (inString === undefined) {
          out = NOT_PLAIN;
        } else {
          pieces.push(inString);
          out = `@@cpc${nonce}:${pieces.length - 1}@@`;
        }
      }
      memo.set(str, out);
      return out;
    });
    if (plain === NOT_PLAIN) {
      return context.resolve(Stack.of(context.scope).toJsonString(body));
    }
    const json = JSON.stringify(plain);
    const parts: unknown[] = [];
    let last = 0;
    for (const m of json.matchAll(new RegExp(`@@cpc${nonce}:(\\d+)@@`, 'g'))) {
      appendJoined(parts, json.slice(last, m.index));
      for (const piece of pieces[Number(m[1])]) appendJoined(parts, piece);
      last = m.index! + m[0].length;
    }
    appendJoined(parts, json.slice(last));
    if (parts.length === 0) return '';
    return parts.length === 1 && typeof parts[0] === 'string' ? parts[0] : { 'Fn::Join': ['', parts] };
  }

  public toString(): string {
    return Token.asString(this);
  }
}

/**
 * What stands inside a JSON string for a resolved string value: the intrinsic itself, or the parts of
 * an `Fn::Join ''` with its literals JSON-escaped (as CDK escapes the literal fragments around tokens).
 * Undefined for anything else (CDK's path renders it).
 */
function intrinsicInString(v: unknown): unknown[] | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.keys(v).length !== 1) return undefined;
  const key = Object.keys(v)[0];
  if (key === 'Fn::Join') {
    const [delimiter, list] = (v as { 'Fn::Join': unknown[] })['Fn::Join'];
    if (delimiter !== '' || !Array.isArray(list)) return undefined;
    const out: unknown[] = [];
    for (const item of list) {
      if (typeof item === 'string' || typeof item === 'number') {
        out.push(JSON.stringify(String(item)).slice(1, -1));
      } else if (intrinsicInString(item) !== undefined) {
        out.push(...intrinsicInString(item)!);
      } else {
        return undefined;
      }
    }
    return out;
  }
  return key === 'Ref' || key.startsWith('Fn::') ? [v] : undefined;
}

/** Appends to the parts of an `Fn::Join` with delimiter '': literals merged, nested ''-joins spliced. */
function appendJoined(parts: unknown[], value: unknown): void {
  if (value === '' || value === undefined) return;
  const join = typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1
    ? (value as Record<string, unknown>)['Fn::Join'] : undefined;
  if (Array.isArray(join) && join[0] === '' && Array.isArray(join[1])) {
    for (const v of join[1]) appendJoined(parts, v);
    return;
  }
  const literal = typeof value === 'string' || typeof value === 'number';
  const prev = parts[parts.length - 1];
  if (literal && (typeof prev === 'string' || typeof prev === 'number')) {
    parts[parts.length - 1] = `${prev}${value}`;
  } else {
    parts.push(value);
  }
}

/** What `plainJson` returns for a value only CDK's resolver can render. */
const NOT_PLAIN = Symbol('not plain JSON');

/**
 * A copy of `value` that `JSON.stringify` renders as CloudFormation should see it, or NOT_PLAIN.
 * `resolveString` replaces each string with tokens (its result: a string, undefined to drop an
 * object key, or NOT_PLAIN); without it such strings are kept as they are. Graph widgets wrap each metric line in CDK's
 * `DropEmptyObjectAtTheEndOfAnArray` token (drops a trailing `{}` of rendering options): applied here.
 */
export function plainJson(value: unknown, resolveString?: (s: string) => unknown): unknown {
  switch (typeof value) {
    case 'string':
      // list tokens only mean something as a whole list
      if (value.includes('#{Token[')) return NOT_PLAIN;
      return resolveString !== undefined && Token.isUnresolved(value) ? resolveString(value) : value;
    case 'number':
      return Number.isFinite(value) && !Token.isUnresolved(value) ? value : NOT_PLAIN;
    case 'boolean':
      return value;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        const out: unknown[] = [];
        for (const v of value) {
          const p = v === undefined ? NOT_PLAIN : plainJson(v, resolveString);
          if (p === NOT_PLAIN) return NOT_PLAIN;
          out.push(p);
        }
        return out;
      }
      if (isDropEmptyLastObject(value)) {
        const list = plainJson(value.value, resolveString);
        if (!Array.isArray(list)) return NOT_PLAIN;
        const last = list[list.length - 1];
        return typeof last === 'object' && last !== null && !Array.isArray(last) && Object.keys(last).length === 0
          ? list.slice(0, -1) : list;
      }
      const proto = Object.getPrototypeOf(value);
      if ((proto !== Object.prototype && proto !== null) || Token.isUnresolved(value)) return NOT_PLAIN;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (Token.isUnresolved(k)) return NOT_PLAIN;
        if (v === undefined) continue;
        const p = plainJson(v, resolveString);
        if (p === NOT_PLAIN) return NOT_PLAIN;
        if (p !== undefined) out[k] = p;
      }
      return out;
    }
    default:
      return NOT_PLAIN;
  }
}

/** CDK's aws-cloudwatch `DropEmptyObjectAtTheEndOfAnArray` token (private to aws-cdk-lib, so matched by shape). */
function isDropEmptyLastObject(v: object): v is { value: unknown } {
  const o = v as { constructor?: { name?: string }; value?: unknown; resolve?: unknown; postProcess?: unknown };
  return o.constructor?.name === 'DropEmptyObjectAtTheEndOfAnArray' && Array.isArray(o.value)
    && typeof o.resolve === 'function' && typeof o.postProcess === 'function';
}
