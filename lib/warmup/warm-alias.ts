// Internal: the warmup wiring of OptimizedPythonFunction (not exported from the package).
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { WarmupOptions } from './options';
import { StackWarmer } from './stack-warmer';
import { ColdStartConfigError } from '../shared/errors';

/** Adds `alias` to the stack's warmer; the warmer, or undefined when provisioned concurrency covers it. */
export function warmAlias(scope: Construct, warmup: WarmupOptions, alias: lambda.IAlias, pcCovered: boolean): StackWarmer | undefined {
  const warmer = StackWarmer.of(scope);
  if (warmup.warmerLogRetention !== undefined && warmup.warmerLogRetention !== warmer.logRetention) {
    throw new ColdStartConfigError(scope, 'warmup.warmerLogRetention',
      `is ${warmup.warmerLogRetention} days, but the functions of a stack share one warmer (${warmer.node.path}) whose log group keeps ${warmer.logRetention} days`,
      'one warmer per stack replaced the warmer per function',
      "set the retention once, before the functions: new StackWarmer(stack, 'ColdStartWarmer', { logRetention }), and drop warmup.warmerLogRetention");
  }
  return warmer.addTarget({ ...warmup, alias, provisionedConcurrencyCovered: pcCovered }, 'warmup.') ? warmer : undefined;
}
