/**
 * Identity of this library, as recorded in reports and asset hashes.
 */
export class CdkPythonColdstart {
  /**
   * The npm package name.
   */
  public static readonly PACKAGE_NAME = 'cdk-python-coldstart';

  private constructor() {}
}
