import { IConstruct } from 'constructs';
import { ColdStartConfigError } from '../shared/errors';
import { redactUrls } from '../shared/redact';

/**
 * A stand-in scope for errors raised where no construct exists yet (`PythonHandlerCode.fromEntry`,
 * spec detection, bundling inside CDK's staging): its path is the label the user recognises.
 * Internal.
 */
export function labelScope(label: string): IConstruct {
  return { node: { path: label } } as unknown as IConstruct;
}

/** A ColdStartConfigError for bundling, every URL in it redacted. Internal. */
export function bundlingError(label: string, property: string, problem: string, why: string, fix: string): ColdStartConfigError {
  const e = new ColdStartConfigError(labelScope(label), property, redactUrls(problem), redactUrls(why), redactUrls(fix));
  e.message = redactUrls(e.message);
  return e;
}
