import { ProvisionedConcurrencyOptions } from '../concurrency/cold-start-strategy';

/**
 * An additional alias of an `OptimizedPythonFunction`, pointing at the same current version.
 */
export interface AliasOptions {
  /**
   * The alias name (letters, digits, `-` and `_`; not only digits; not `$LATEST`).
   */
  readonly aliasName: string;

  /**
   * A description of the alias.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * Provisioned concurrency for this alias, auto-scaled like the default alias. Only allowed when the
   * function's strategy is `ColdStartStrategy.provisionedConcurrency()`.
   *
   * @default - no provisioned concurrency on this alias
   */
  readonly provisionedConcurrency?: ProvisionedConcurrencyOptions;
}
