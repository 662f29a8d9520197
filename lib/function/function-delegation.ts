import { RemovalPolicy, ResourceEnvironment, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, Node } from 'constructs';

/**
 * `lambda.IFunction` by delegation, so an `OptimizedPythonFunction` goes wherever CDK expects a function
 * (API Gateway and Step Functions integrations, event sources, grants, metrics, function URLs).
 *
 * The rule: whatever invokes, goes to the default alias (its ARN is `<function ARN>:<alias>`, so callers hit
 * the published version with SnapStart or provisioned concurrency, never `$LATEST`); whatever concerns the
 * function's own identity (its role, VPC connections, environment) goes to the underlying function.
 *
 * Not exported from the package: jsii copies these members onto `OptimizedPythonFunction`.
 *
 * @internal
 */
export abstract class AliasDelegatingFunction extends Construct implements lambda.IFunction {
  /** The stack the function is defined in. */
  public readonly stack: Stack;

  /** The underlying Lambda function (invoking it directly bypasses SnapStart and provisioned concurrency). */
  public abstract readonly function: lambda.Function;

  /** The default alias: what every invocation through this construct goes to. */
  public abstract readonly alias: lambda.Alias;

  /** The architecture of the function. */
  public abstract readonly architecture: lambda.Architecture;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.stack = Stack.of(this);
  }

  /** The environment (account, region) of the function. */
  public get env(): ResourceEnvironment {
    return this.function.env;
  }

  /**
   * The qualified name of the default alias (`<function name>:<alias>`): Lambda's Invoke API accepts it
   * wherever a function name is expected, and the call goes to the alias.
   */
  public get functionName(): string {
    return this.alias.functionName;
  }

  /** The ARN of the default alias (`<function ARN>:<alias>`), used by integrations and event sources. */
  public get functionArn(): string {
    return this.alias.functionArn;
  }

  /** A reference to the default alias as a function (name and ARN qualified by the alias). */
  public get functionRef(): lambda.FunctionReference {
    return this.alias.functionRef;
  }

  /** The function's execution role: what grants such as `table.grantReadWriteData(fn)` add to. */
  public get role(): iam.IRole | undefined {
    return this.function.role;
  }

  /** The function's execution role as a principal. */
  public get grantPrincipal(): iam.IPrincipal {
    return this.function.grantPrincipal;
  }

  /** The function's network connections (throws when the function is not in a VPC, like `lambda.Function`). */
  public get connections(): ec2.Connections {
    return this.function.connections;
  }

  /** Whether the function is in a VPC. */
  public get isBoundToVpc(): boolean {
    return this.function.isBoundToVpc;
  }

  /** `$LATEST` of the function (invoking it bypasses SnapStart and provisioned concurrency). */
  public get latestVersion(): lambda.IVersion {
    return this.function.latestVersion;
  }

  /** The construct node where permissions of the default alias are attached. */
  public get permissionsNode(): Node {
    return this.alias.permissionsNode;
  }

  /** The function's tenancy configuration. */
  public get tenancyConfig(): lambda.TenancyConfig | undefined {
    return this.function.tenancyConfig;
  }

  /** The ARNs `grantInvoke` covers: the default alias only. */
  public get resourceArnsForGrantInvoke(): string[] {
    return this.alias.resourceArnsForGrantInvoke;
  }

  /** Applies the removal policy to the function (its versions and aliases follow it). */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    this.function.applyRemovalPolicy(policy);
  }

  /** An event source mapping on the default alias. */
  public addEventSourceMapping(id: string, options: lambda.EventSourceMappingOptions): lambda.EventSourceMapping {
    return this.alias.addEventSourceMapping(id, options);
  }

  /** A resource-based permission on the default alias (who may invoke it). */
  public addPermission(id: string, permission: lambda.Permission): void {
    this.alias.addPermission(id, permission);
  }

  /** A statement in the function's execution role. */
  public addToRolePolicy(statement: iam.PolicyStatement): void {
    this.function.addToRolePolicy(statement);
  }

  /** Grants invoke permission on the default alias only (never the unqualified function or `$LATEST`). */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return this.alias.grantInvoke(grantee);
  }

  /** Grants invoke on `$LATEST`, bypassing SnapStart and provisioned concurrency: prefer `grantInvoke`. */
  public grantInvokeLatestVersion(grantee: iam.IGrantable): iam.Grant {
    return this.function.grantInvokeLatestVersion(grantee);
  }

  /** Grants invoke on one version of the function. */
  public grantInvokeVersion(grantee: iam.IGrantable, version: lambda.IVersion): iam.Grant {
    return this.function.grantInvokeVersion(grantee, version);
  }

  /** Grants invoke through the default alias's function URL. */
  public grantInvokeUrl(grantee: iam.IGrantable): iam.Grant {
    return this.alias.grantInvokeUrl(grantee);
  }

  /** Grants invoke on the default alias to every principal of a composite principal. */
  public grantInvokeCompositePrincipal(compositePrincipal: iam.CompositePrincipal): iam.Grant[] {
    return this.alias.grantInvokeCompositePrincipal(compositePrincipal);
  }

  /** A metric of the default alias (dimensions `FunctionName` and `Resource`). */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.alias.metric(metricName, props);
  }

  /** Duration of the default alias's invocations. */
  public metricDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.alias.metricDuration(props);
  }

  /** Invocations of the default alias. */
  public metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.alias.metricInvocations(props);
  }

  /** Throttles of the default alias. */
  public metricThrottles(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.alias.metricThrottles(props);
  }

  /** Errors of the default alias. */
  public metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.alias.metricErrors(props);
  }

  /** An event source (SQS, DynamoDB streams, Kinesis, ...) that invokes the default alias. */
  public addEventSource(source: lambda.IEventSource): void {
    this.alias.addEventSource(source);
  }

  /** Asynchronous invocation settings of the default alias. */
  public configureAsyncInvoke(options: lambda.EventInvokeConfigOptions): void {
    this.alias.configureAsyncInvoke(options);
  }

  /** A function URL that invokes the default alias. */
  public addFunctionUrl(options?: lambda.FunctionUrlOptions): lambda.FunctionUrl {
    return this.alias.addFunctionUrl(options);
  }

  /**
   * Adds an environment variable to the function. A new version is published and the aliases move to it,
   * like any configuration change.
   */
  public addEnvironment(key: string, value: string, options?: lambda.EnvironmentOptions): void {
    this.function.addEnvironment(key, value, options);
  }

  /** Adds layers to the function (after the dependencies layer; at most 5 in total). */
  public addLayers(...layers: lambda.ILayerVersion[]): void {
    this.function.addLayers(...layers);
  }
}
