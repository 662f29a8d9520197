import * as fs from 'fs';
import * as path from 'path';
import { SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { AliasOptions } from './alias-options';
import type { OptimizedPythonFunctionProps } from './optimized-python-function';
import { ColdStartMode, ColdStartStrategy, validateProvisionedConcurrency } from '../concurrency/cold-start-strategy';
import { ColdStartConfigError } from '../shared/errors';
import { pythonRuntimeInfo, pythonSupportsSnapStart } from '../shared/python-runtime';

/** Lambda alias names: `(?!^[0-9]+$)([a-zA-Z0-9-_]+)`, 1-128 characters. */
const ALIAS_NAME = /^(?!^[0-9]+$)[a-zA-Z0-9_-]{1,128}$/;
/** Ephemeral storage above this size excludes SnapStart (aws-facts: SnapStart). */
const SNAPSTART_MAX_EPHEMERAL_MB = 512;

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
        throw new ColdStartConfigError(scope, `additionalAliases['${a.aliasName}'].provisionedConcurrency`,
          `is set while coldStart is ${r.strategy.mode}`,
          snap
            ? 'Lambda does not support SnapStart together with provisioned concurrency: the deployment fails'
            : 'Provisioned concurrency per alias is part of the provisioned-concurrency strategy',
          'use coldStart: ColdStartStrategy.provisionedConcurrency({...}) (SnapStart then stays off), or remove provisionedConcurrency from this alias');
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
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(handlerName)) {
    throw new ColdStartConfigError(scope, 'handler', `'${handlerName}' is not a Python function name`,
      'Lambda resolves the handler as <module>.<function>',
      "give just the function's name, e.g. 'handler' (the module comes from index)");
  }
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
    throw new ColdStartConfigError(scope, 'runtime', `is ${runtime.name}, but ${prop} enables SnapStart (${what})`,
      'SnapStart for Python needs a managed python3.12 runtime or newer',
      'use lambda.Runtime.PYTHON_3_12 or newer, or coldStart: ColdStartStrategy.provisionedConcurrency({...}) / onDemand()');
  }
  if (props.filesystem) {
    throw new ColdStartConfigError(scope, 'filesystem', `is set together with SnapStart (${what})`,
      'Lambda does not support SnapStart with an EFS file system',
      'remove filesystem, or use coldStart: ColdStartStrategy.provisionedConcurrency({...}) or onDemand()');
  }
  const eph = props.ephemeralStorageSize;
  const ephMb = eph?.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  if (ephMb !== undefined && !Token.isUnresolved(ephMb) && ephMb > SNAPSTART_MAX_EPHEMERAL_MB) {
    throw new ColdStartConfigError(scope, 'ephemeralStorageSize', `is ${ephMb} MiB together with SnapStart (${what})`,
      `Lambda does not support SnapStart with ephemeral storage above ${SNAPSTART_MAX_EPHEMERAL_MB} MB`,
      `set ephemeralStorageSize to at most Size.mebibytes(${SNAPSTART_MAX_EPHEMERAL_MB}), or choose another coldStart strategy`);
  }
}

function validateProvisioned(scope: IConstruct, props: OptimizedPythonFunctionProps, strategy: ColdStartStrategy): void {
  if (props.snapStart) {
    throw new ColdStartConfigError(scope, 'snapStart', 'is set while coldStart is ColdStartStrategy.provisionedConcurrency()',
      'Lambda does not support SnapStart together with provisioned concurrency: the deployment fails',
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
    const peaks = pcs.map(pc => Math.max(pc.maxCapacity, ...(pc.schedules ?? []).map(s => s.maxCapacity ?? 0)));
    if (peaks.some(p => Token.isUnresolved(p))) {
      return;
    }
    const peak = peaks.reduce((a, b) => a + b, 0);
    if (peak >= reserved) {
      throw new ColdStartConfigError(scope, 'reservedConcurrentExecutions',
        `(${reserved}) is not above the provisioned concurrency the aliases may scale to (${peak})`,
        'Provisioned concurrency counts against reserved concurrency: Lambda rejects more, and equal leaves no on-demand capacity so every other request is throttled',
        `raise reservedConcurrentExecutions above ${peak}, or lower maxCapacity`);
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
