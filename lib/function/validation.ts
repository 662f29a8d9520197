import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Duration, SizeRoundingBehavior, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { AliasOptions } from './alias-options';
import { moduleNames, PYTHON_KEYWORDS } from './handler-names';
import type { OptimizedPythonFunctionProps } from './optimized-python-function';
import { ColdStartMode, ColdStartStrategy, peakProvisionedConcurrency, validateProvisionedConcurrency } from '../concurrency/cold-start-strategy';
import { InitProfileOptions } from '../profile/types';
import { AWS_RULES, RULE_MINIMUMS, SNAPSTART_UNSUPPORTED_REGIONS } from '../shared/aws-rules';
import { ColdStartConfigError } from '../shared/errors';
import { pythonRuntimeInfo, pythonSupportsSnapStart } from '../shared/python-runtime';

/** Lambda alias names: `(?!^[0-9]+$)([a-zA-Z0-9-_]+)`, 1-128 characters. */
const ALIAS_NAME = /^(?!^[0-9]+$)[a-zA-Z0-9_-]{1,128}$/;
/** Ephemeral storage above this size excludes SnapStart (AWS_RULES.SNAPSTART_EPHEMERAL_STORAGE). */
const SNAPSTART_MAX_EPHEMERAL_MB = AWS_RULES.SNAPSTART_EPHEMERAL_STORAGE.limit!;
/** The warning id for SnapStart in an environment-agnostic stack. */
export const SNAPSTART_REGION_UNKNOWN = 'cdk-python-coldstart:snapStartRegionUnknown';

interface Resolved {
  readonly runtime: lambda.Runtime;
  readonly strategy: ColdStartStrategy;
  readonly aliasName: string;
  readonly index: string;
  readonly handlerName: string;
}

/**
 * Rejects, at synth time, every configuration AWS would reject at deployment (or that would silently
 * defeat the cold-start strategy). Unresolved tokens are skipped: only known values are checked.
 * @internal
 */
export function validateFunctionProps(scope: IConstruct, props: OptimizedPythonFunctionProps, r: Resolved): void {
  validateRuntime(scope, r.runtime);
  validateEntry(scope, props.entry, r.index, r.handlerName);
  validateLimits(scope, props);
  if (props.initProfile) {
    validateInitProfileDurations(scope, props.initProfile);
  }
  validateAliases(scope, r.aliasName, props.additionalAliases ?? []);
  validateBundlingTarget(scope, props, r.runtime);
  switch (r.strategy.mode) {
    case ColdStartMode.SNAP_START:
      validateSnapStart(scope, props, r.runtime, 'coldStart', 'ColdStartStrategy.snapStart()');
      break;
    case ColdStartMode.PROVISIONED_CONCURRENCY:
      validateProvisioned(scope, props, r.strategy);
      break;
    case ColdStartMode.ON_DEMAND:
      if (props.snapStart) {
        // SnapStart arriving through the passthrough prop is honoured, with SnapStart's own rules.
        validateSnapStart(scope, props, r.runtime, 'snapStart', 'snapStart');
      }
      break;
  }
  if (r.strategy.mode !== ColdStartMode.PROVISIONED_CONCURRENCY) {
    for (const a of props.additionalAliases ?? []) {
      if (a.provisionedConcurrency) {
        const snap = r.strategy.mode === ColdStartMode.SNAP_START || props.snapStart !== undefined;
        const property = `additionalAliases['${a.aliasName}'].provisionedConcurrency`;
        const fix = 'use coldStart: ColdStartStrategy.provisionedConcurrency({...}) (SnapStart then stays off), or remove provisionedConcurrency from this alias';
        throw snap
          ? ColdStartConfigError.forRule(scope, property, `is set while coldStart is ${r.strategy.mode}`, AWS_RULES.SNAPSTART_WITHOUT_PROVISIONED_CONCURRENCY, fix)
          : new ColdStartConfigError(scope, property, `is set while coldStart is ${r.strategy.mode}`,
            'Provisioned concurrency per alias is part of the provisioned-concurrency strategy', fix);
      }
    }
  }
}

function validateRuntime(scope: IConstruct, runtime: lambda.Runtime): void {
  if (!pythonRuntimeInfo(runtime)) {
    throw new ColdStartConfigError(scope, 'runtime', `is ${runtime.name}, not a Python runtime`,
      'OptimizedPythonFunction bundles and precompiles Python code for a python3.x runtime',
      'use lambda.Runtime.PYTHON_3_12 (the default) or newer, or lambda.Function for other languages');
  }
}

function validateEntry(scope: IConstruct, entry: string, index: string, handlerName: string): void {
  if (Token.isUnresolved(entry) || !fs.existsSync(entry) || !fs.statSync(entry).isDirectory()) {
    throw new ColdStartConfigError(scope, 'entry', `'${entry}' is not a folder`,
      'The handler code is bundled from a local folder at synth time',
      'pass the folder that holds your handler file (and requirements.txt or a lock file), e.g. path.join(__dirname, "lambda")');
  }
  if (path.isAbsolute(index) || index.split(/[\\/]/).includes('..') || !index.endsWith('.py')) {
    throw new ColdStartConfigError(scope, 'index', `'${index}' is not a .py file inside entry`,
      'Lambda imports the handler module from the deployment package root',
      "give a relative path ending in .py, e.g. 'index.py' or 'app/main.py'");
  }
  if (!fs.existsSync(path.join(entry, index))) {
    const pyFiles = fs.readdirSync(entry).filter(f => f.endsWith('.py')).sort();
    throw new ColdStartConfigError(scope, 'index', `'${index}' does not exist in '${entry}'`,
      'Lambda fails every invocation with Runtime.ImportModuleError when the handler module is missing',
      pyFiles.length ? `set index to one of: ${pyFiles.join(', ')}` : `add ${index} to ${entry}`);
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(handlerName) || PYTHON_KEYWORDS.has(handlerName)) {
    throw ColdStartConfigError.forRule(scope, 'handler', `'${handlerName}' is not a Python function name`, AWS_RULES.PYTHON_HANDLER,
      "give just the function's name, e.g. 'handler' (the module comes from index)");
  }
  const file = path.join(entry, index);
  if (!fs.statSync(file).isFile()) {
    throw ColdStartConfigError.forRule(scope, 'index', `'${index}' in '${entry}' is not a file`, AWS_RULES.PYTHON_HANDLER,
      'point index at the .py file that defines the handler');
  }
  const defined = moduleNames(fs.readFileSync(file, 'utf8'));
  if (!defined.starImport && !defined.names.has(handlerName)) {
    const candidates = defined.functions.filter((f) => !f.startsWith('_'));
    throw ColdStartConfigError.forRule(scope, 'handler', `'${index}' defines no '${handlerName}'`, AWS_RULES.PYTHON_HANDLER,
      candidates.length
        ? `set handler to one of the functions ${index} defines (${candidates.slice(0, 10).join(', ')}), or add def ${handlerName}(event, context) to it`
        : `add def ${handlerName}(event, context) to ${index}`);
  }
}

/** Memory, timeout and reserved concurrency: values Lambda rejects at deployment (tokens skipped). */
function validateLimits(scope: IConstruct, props: OptimizedPythonFunctionProps): void {
  const memory = props.memorySize;
  const memoryRule = AWS_RULES.LAMBDA_MEMORY;
  const memoryOk = (m: number) => Number.isInteger(m) && m >= RULE_MINIMUMS.LAMBDA_MEMORY && m <= memoryRule.limit!;
  if (memory !== undefined && !Token.isUnresolved(memory) && !memoryOk(memory)) {
    throw ColdStartConfigError.forRule(scope, 'memorySize', `is ${memory}`, memoryRule);
  }
  const timeout = props.timeout;
  const timeoutRule = AWS_RULES.LAMBDA_TIMEOUT;
  if (timeout !== undefined && !timeout.isUnresolved()) {
    const ms = timeout.toMilliseconds();
    if (!(ms >= RULE_MINIMUMS.LAMBDA_TIMEOUT * 1000 && ms <= timeoutRule.limit! * 1000 && ms % 1000 === 0)) {
      throw ColdStartConfigError.forRule(scope, 'timeout', `is ${timeout.toHumanString()}`, timeoutRule);
    }
  }
  const reserved = props.reservedConcurrentExecutions;
  if (reserved !== undefined && !Token.isUnresolved(reserved) && !(Number.isInteger(reserved) && reserved >= 0)) {
    throw ColdStartConfigError.forRule(scope, 'reservedConcurrentExecutions', `is ${reserved}`, AWS_RULES.RESERVED_CONCURRENCY);
  }
}

/**
 * The profile runs the handler's import locally: no Lambda init can run longer than Lambda's 900 s timeout,
 * and a value that only makes sense in milliseconds (Duration.seconds(30000)) or below the Python interpreter's
 * own start-up is a unit mistake. Named here so it fails with the property and the fix.
 */
function validateInitProfileDurations(scope: IConstruct, options: InitProfileOptions): void {
  const maxS = AWS_RULES.LAMBDA_TIMEOUT.limit!;
  const check = (name: 'timeout' | 'budget', d: Duration | undefined, minMs: number, example: string) => {
    if (d === undefined || d.isUnresolved()) {
      return;
    }
    const ms = d.toMilliseconds();
    if (ms > maxS * 1000) {
      throw ColdStartConfigError.forRule(scope, `initProfile.${name}`,
        `is ${d.toHumanString()}, longer than any Lambda init can run (was it meant in milliseconds?)`, AWS_RULES.LAMBDA_TIMEOUT,
        `give a Duration in its own unit, e.g. ${example}`);
    }
    if (ms < minMs) {
      throw new ColdStartConfigError(scope, `initProfile.${name}`, `is ${d.toHumanString()}`,
        `The profile starts a fresh Python and imports the handler: ${name === 'timeout' ? 'under a second it always times out' : 'a budget of 0 fails every profile'}`,
        `give a Duration in its own unit, e.g. ${example}`);
    }
  };
  check('timeout', options.timeout, 1000, 'Duration.seconds(30) (the default)');
  check('budget', options.budget, 1, 'Duration.millis(500)');
}

function validateAliases(scope: IConstruct, aliasName: string, additional: AliasOptions[]): void {
  const seen = new Set<string>();
  const all: Array<[string, string]> = [['aliasName', aliasName], ...additional.map((a, i): [string, string] => [`additionalAliases[${i}].aliasName`, a.aliasName])];
  for (const [prop, name] of all) {
    if (Token.isUnresolved(name)) {
      continue;
    }
    if (name === '$LATEST' || !ALIAS_NAME.test(name)) {
      throw new ColdStartConfigError(scope, prop, `'${name}' is not a valid alias name`,
        'Lambda alias names are 1-128 letters, digits, - or _, not only digits, and never $LATEST (provisioned concurrency and warmers must not target $LATEST)',
        "use a name such as 'live', 'prod' or 'dev'");
    }
    if (seen.has(name)) {
      throw new ColdStartConfigError(scope, prop, `alias '${name}' is defined twice`,
        'Lambda rejects a second alias with the same name on one function',
        'give every alias a unique name (the default alias is named by aliasName, default "live")');
    }
    seen.add(name);
  }
}

function validateSnapStart(scope: IConstruct, props: OptimizedPythonFunctionProps, runtime: lambda.Runtime, prop: string, what: string): void {
  if (!pythonSupportsSnapStart(runtime)) {
    throw ColdStartConfigError.forRule(scope, 'runtime', `is ${runtime.name}, but ${prop} enables SnapStart (${what})`, AWS_RULES.SNAPSTART_RUNTIME,
      'use lambda.Runtime.PYTHON_3_12 or newer, or coldStart: ColdStartStrategy.provisionedConcurrency({...}) / onDemand()');
  }
  if (props.filesystem) {
    throw ColdStartConfigError.forRule(scope, 'filesystem', `is set together with SnapStart (${what})`, AWS_RULES.SNAPSTART_NO_EFS,
      'remove filesystem, or use coldStart: ColdStartStrategy.provisionedConcurrency({...}) or onDemand()');
  }
  const eph = props.ephemeralStorageSize;
  const ephMb = eph?.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  if (ephMb !== undefined && !Token.isUnresolved(ephMb) && ephMb > SNAPSTART_MAX_EPHEMERAL_MB) {
    throw ColdStartConfigError.forRule(scope, 'ephemeralStorageSize', `is ${ephMb} MiB together with SnapStart (${what})`, AWS_RULES.SNAPSTART_EPHEMERAL_STORAGE,
      `set ephemeralStorageSize to at most Size.mebibytes(${SNAPSTART_MAX_EPHEMERAL_MB}), or choose another coldStart strategy`);
  }
  validateSnapStartRegion(scope, what);
}

/** SnapStart is missing in some commercial Regions: a known Region fails, an unknown one warns (once per stack). */
function validateSnapStartRegion(scope: IConstruct, what: string): void {
  const stack = Stack.of(scope);
  const rule = AWS_RULES.SNAPSTART_REGIONS;
  if (Token.isUnresolved(stack.region)) {
    Annotations.of(stack).addWarningV2(SNAPSTART_REGION_UNKNOWN,
      `SnapStart is on, but this stack is environment-agnostic: ${rule.rule} (${SNAPSTART_UNSUPPORTED_REGIONS.join(', ')}; see ${rule.docUrl}), `
      + 'where the deployment fails. Set env: { region } on the stack to have this checked at synth.');
    return;
  }
  if (SNAPSTART_UNSUPPORTED_REGIONS.includes(stack.region)) {
    throw ColdStartConfigError.forRule(scope, 'coldStart', `enables SnapStart (${what}) in ${stack.region}`, rule);
  }
}

function validateProvisioned(scope: IConstruct, props: OptimizedPythonFunctionProps, strategy: ColdStartStrategy): void {
  if (props.snapStart) {
    throw ColdStartConfigError.forRule(scope, 'snapStart', 'is set while coldStart is ColdStartStrategy.provisionedConcurrency()',
      AWS_RULES.SNAPSTART_WITHOUT_PROVISIONED_CONCURRENCY,
      'remove snapStart (provisioned environments are already initialised), or use coldStart: ColdStartStrategy.snapStart() without provisioned concurrency');
  }
  validateProvisionedConcurrency(scope, 'coldStart.provisionedConcurrency', strategy.provisionedConcurrencyOptions!);
  const pcs = [strategy.provisionedConcurrencyOptions!];
  for (const a of props.additionalAliases ?? []) {
    if (a.provisionedConcurrency) {
      validateProvisionedConcurrency(scope, `additionalAliases['${a.aliasName}'].provisionedConcurrency`, a.provisionedConcurrency);
      pcs.push(a.provisionedConcurrency);
    }
  }
  const reserved = props.reservedConcurrentExecutions;
  if (reserved !== undefined && !Token.isUnresolved(reserved)) {
    // The highest value any alias can reach: its maxCapacity, or a schedule's raised minimum or maximum.
    const peaks = pcs.map(peakProvisionedConcurrency);
    if (peaks.some((p) => p === undefined)) {
      return;
    }
    const peak = (peaks as number[]).reduce((a, b) => a + b, 0);
    if (peak >= reserved) {
      throw ColdStartConfigError.forRule(scope, 'reservedConcurrentExecutions',
        `(${reserved}) is not above the provisioned concurrency the aliases may scale to (${peak})`, AWS_RULES.PROVISIONED_WITHIN_RESERVED,
        `raise reservedConcurrentExecutions above ${peak}, or lower maxCapacity and the schedules' capacities`);
    }
  }
}


function validateBundlingTarget(scope: IConstruct, props: OptimizedPythonFunctionProps, runtime: lambda.Runtime): void {
  const architecture = props.architecture ?? lambda.Architecture.ARM_64;
  const b = props.bundling;
  if (b?.runtime && b.runtime.name !== runtime.name) {
    throw new ColdStartConfigError(scope, 'bundling.runtime', `is ${b.runtime.name} but the function runs ${runtime.name}`,
      'Bytecode compiled for another minor version is ignored by the runtime (its magic number differs)',
      'remove bundling.runtime: the function\'s runtime is used for bundling');
  }
  if (b?.architecture && b.architecture.name !== architecture.name) {
    throw new ColdStartConfigError(scope, 'bundling.architecture', `is ${b.architecture.name} but the function runs on ${architecture.name}`,
      'Native wheels built for another architecture fail to import on Lambda',
      'remove bundling.architecture: the function\'s architecture is used for bundling');
  }
  const layer = props.dependenciesLayer;
  if (layer && (layer.runtime.name !== runtime.name || layer.architecture.name !== architecture.name)) {
    throw new ColdStartConfigError(scope, 'dependenciesLayer', `was built for ${layer.runtime.name}/${layer.architecture.name}, the function is ${runtime.name}/${architecture.name}`,
      'Bytecode and native wheels only work on the runtime version and architecture they were built for',
      `build the layer with runtime ${runtime.name} and architecture ${architecture.name}, or change the function to match`);
  }
}
