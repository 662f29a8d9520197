import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ColdStartConfigError } from '../shared/errors';

/** Where CloudWatch Logs documents a log group's retention. */
const LOG_RETENTION_DOC = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention';

/**
 * The retention of the explicit log group. `logRetention` (from `lambda.FunctionOptions`) is read as
 * `logGroupRetention`: CDK's `logRetention` would create a custom resource for Lambda's implicit log group,
 * and CDK rejects it together with `logGroup`, which this construct always sets.
 */
export function resolveLogRetention(scope: Construct, props: {
  readonly logRetention?: logs.RetentionDays;
  readonly logGroupRetention?: logs.RetentionDays;
  readonly logGroup?: logs.ILogGroupRef;
}): logs.RetentionDays | undefined {
  if (props.logRetention === undefined) {
    return props.logGroupRetention;
  }
  const rule = `A log group's retention is a setting of the log group itself (see ${LOG_RETENTION_DOC})`;
  if (props.logGroup !== undefined) {
    throw new ColdStartConfigError(scope, 'logRetention',
      'logRetention is set together with your own logGroup, whose retention this construct cannot change', rule,
      'set the retention on the log group you pass as logGroup (logs.LogGroup retention), and remove logRetention');
  }
  if (props.logGroupRetention !== undefined && props.logGroupRetention !== props.logRetention) {
    throw new ColdStartConfigError(scope, 'logRetention',
      `logRetention (${props.logRetention} days) and logGroupRetention (${props.logGroupRetention} days) disagree`, rule,
      'set only logGroupRetention (the retention of the function\'s log group); logRetention is accepted as its alias');
  }
  return props.logRetention;
}

/**
 * The props without `logRetention` and its options: retention is the explicit log group's (see
 * resolveLogRetention), and CDK rejects `logRetention` together with `logGroup`. The keys are removed,
 * not set to undefined (jsii warns about a deprecated key that is present).
 */
export function withoutLogRetention<T extends lambda.FunctionOptions>(props: T): Omit<T, 'logRetention' | 'logRetentionRole' | 'logRetentionRetryOptions'> {
  const { logRetention: _retention, logRetentionRole: _role, logRetentionRetryOptions: _retry, ...rest } = props;
  void _retention; void _role; void _retry;
  return rest;
}

/**
 * The execution role when the user gives none: trusted by Lambda, allowed to write to the function's own
 * log group only (logs:CreateLogStream and logs:PutLogEvents), instead of CDK's default managed policy
 * AWSLambdaBasicExecutionRole, which grants those actions and logs:CreateLogGroup on every log group
 * (`*`) although this construct creates the log group itself.
 *
 * A function in a VPC also gets AWSLambdaVPCAccessExecutionRole, as CDK would give it: Lambda needs it to
 * create the network interfaces (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html). Functions with `durableConfig`
 * keep CDK's role (its managed policy carries the durable-execution permissions).
 *
 * @returns undefined to let `lambda.Function` create its default role
 */
export function leastPrivilegeRole(scope: Construct, props: lambda.FunctionOptions, logGroup: logs.ILogGroup): iam.IRole | undefined {
  if (props.role !== undefined || props.durableConfig !== undefined) {
    return undefined;
  }
  const role = new iam.Role(scope, 'ServiceRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    managedPolicies: props.vpc
      ? [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole')]
      : undefined,
  });
  logGroup.grantWrite(role);
  return role;
}
