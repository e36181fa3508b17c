// The monitor Lambda: bundled with esbuild, arm64, its own log group, and a role that can only read
// ECS, use its bucket and topic, and read the one dashboard secret.
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { METRICS_NAMESPACE, metricsServiceName } from '../../../lambda/shared/metric-names';
import { ENV } from '../../../lambda/shared/env-names';
import { DIGESTS_PREFIX, HANDOFF_PREFIX, LATEST_KEY, RUNS_PREFIX } from '../../../lambda/shared/state-layout';
import type { MonitorConfig } from '../config';
import { CODE_VERSION_DEFINE, codeVersion } from '../code-version';
import {
  LAMBDA_ENTRY,
  LAMBDA_MEMORY_MB,
  LAMBDA_NODE_OPTIONS,
  LAMBDA_NODE_TARGET,
  LAMBDA_TIMEOUT_SEC,
} from '../lambda-bundle';

export const LOG_RETENTION = logs.RetentionDays.THREE_MONTHS;
/** Lambda's async retries of a failed check (its default, made explicit), 1 and 2 minutes apart. */
export const ASYNC_RETRY_ATTEMPTS = 2;
export const ASYNC_MAX_EVENT_AGE_MIN = 30;

export interface MonitorFunctionProps {
  readonly config: MonitorConfig;
  readonly bucket: s3.IBucket;
  /** The email topic; page and chat are the other audiences (alert-topic.ts). */
  readonly topic: sns.ITopic;
  readonly pageTopic: sns.ITopic;
  readonly chatTopic: sns.ITopic;
  readonly topicKey: kms.IKey;
}

/** The monitor Lambda with its log group and its least-privilege role. */
export class MonitorFunction extends Construct {
  readonly fn: NodejsFunction;
  /** The function's role: the state bucket's policy names it as the one writer of the monitor's state. */
  readonly role: iam.Role;
  /** Baked into the bundle; every run record carries it as trigger.code_version. */
  readonly codeVersion: string;

  constructor(scope: Construct, id: string, props: MonitorFunctionProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = (this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'aegis-pt-health monitor: read-only on ECS',
    }));
    const vpc = config.vpc
      ? {
          vpc: ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
            vpcId: config.vpc.vpcId,
            availabilityZones: stack.availabilityZones,
          }),
          vpcSubnets: {
            subnets: config.vpc.subnetIds.map((sid, i) => ec2.Subnet.fromSubnetId(this, `Subnet${i}`, sid)),
          },
          securityGroups: config.vpc.securityGroupIds.map((sg, i) =>
            ec2.SecurityGroup.fromSecurityGroupId(this, `Sg${i}`, sg),
          ),
        }
      : {};
    // Code and resolved configuration: a config-only deploy (crons, thresholds, destinations) is a new version.
    this.codeVersion = codeVersion(join(__dirname, '../../..'), config);
    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(__dirname, '../../..', LAMBDA_ENTRY),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: LAMBDA_MEMORY_MB,
      timeout: Duration.seconds(LAMBDA_TIMEOUT_SEC),
      role,
      logGroup,
      description: 'aegis-pt-health: checks the aegis-pt runtime and notifies operators',
      environment: {
        [ENV.cluster]: config.clusterName,
        [ENV.service]: config.serviceName,
        [ENV.dashboardUrl]: config.dashboardUrl,
        ...(config.dashboardSecret ? { [ENV.dashboardSecretArn]: config.dashboardSecret.arn } : {}),
        ...(config.deadMan
          ? { [ENV.deadManUrl]: config.deadMan.url, [ENV.deadManSecretArn]: config.deadMan.secret.arn }
          : {}),
        [ENV.bucket]: props.bucket.bucketName,
        [ENV.topicArn]: props.topic.topicArn,
        [ENV.pageTopicArn]: props.pageTopic.topicArn,
        [ENV.chatTopicArn]: props.chatTopic.topicArn,
        [ENV.pageFloor]: config.pageFloor,
        // The crons the schedules fire at: the digest's due time and coverage, gap, report and
        // prove-deploy read them from here.
        [ENV.primaryCron]: config.primaryCron,
        [ENV.fallbackCron]: config.fallbackCron,
        ...config.thresholds,
        [ENV.metricsService]: metricsServiceName(stack.stackName),
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        define: { [CODE_VERSION_DEFINE]: JSON.stringify(this.codeVersion) },
        target: LAMBDA_NODE_TARGET,
        format: OutputFormat.CJS,
        // Bundle the SDK too: S3 conditional writes need a known client version.
        externalModules: [],
        forceDockerBundling: false,
      },
      ...vpc,
    });
    this.grant(role, props, vpc.vpc !== undefined);
  }

  /**
   * Scheduler and the ECS rules invoke asynchronously: a check that fails is retried by Lambda's own
   * queue, then sent with its error to the dead-letter queue (whose alarm is then in ALARM), never
   * dropped. The retries run a fresh check (collect happens at run time), so an old event is harmless;
   * after MAX_EVENT_AGE the next scheduled check has long since run.
   */
  sendFailuresTo(queue: sqs.IQueue): void {
    this.fn.configureAsyncInvoke({
      retryAttempts: ASYNC_RETRY_ATTEMPTS,
      maxEventAge: Duration.minutes(ASYNC_MAX_EVENT_AGE_MIN),
      // The queue's ARN only: SqsDestination would also grant GetQueueAttributes and GetQueueUrl.
      onFailure: { bind: () => ({ destination: queue.queueArn }) },
    });
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'FailedChecksToDeadLetters',
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
      }),
    );
  }

  private grant(role: iam.Role, props: MonitorFunctionProps, inVpc: boolean): void {
    const { config } = props;
    const stack = Stack.of(this);
    const clusterArn = stack.formatArn({
      service: 'ecs',
      resource: 'cluster',
      resourceName: config.clusterName,
    });
    const statements = [
      new iam.PolicyStatement({
        sid: 'EcsDescribeTheService',
        actions: ['ecs:DescribeServices'],
        resources: [
          stack.formatArn({
            service: 'ecs',
            resource: 'service',
            resourceName: `${config.clusterName}/${config.serviceName}`,
          }),
        ],
      }),
      // ListTasks has no resource type; both are confined to the one cluster by the ecs:cluster key.
      new iam.PolicyStatement({
        sid: 'EcsTasksInTheCluster',
        actions: ['ecs:ListTasks', 'ecs:DescribeTasks'],
        resources: ['*'],
        conditions: { ArnEquals: { 'ecs:cluster': clusterArn } },
      }),
      new iam.PolicyStatement({
        sid: 'StateObjects',
        actions: ['s3:GetObject'],
        resources: [props.bucket.arnForObjects('*')],
      }),
      // It writes its snapshot, run records, digest markers and hand-offs (what a run that could not
      // store its snapshot saw or told) only: the silences file is the operators' to write, so a
      // compromised or buggy Lambda cannot silence itself.
      new iam.PolicyStatement({
        sid: 'StateWrites',
        actions: ['s3:PutObject'],
        resources: [LATEST_KEY, `${RUNS_PREFIX}*`, `${DIGESTS_PREFIX}*`, `${HANDOFF_PREFIX}*`].map((k) =>
          props.bucket.arnForObjects(k),
        ),
      }),
      new iam.PolicyStatement({
        sid: 'StateListing',
        actions: ['s3:ListBucket'],
        resources: [props.bucket.bucketArn],
      }),
      new iam.PolicyStatement({
        sid: 'PublishAlerts',
        actions: ['sns:Publish'],
        resources: [props.topic.topicArn, props.pageTopic.topicArn, props.chatTopic.topicArn],
      }),
      new iam.PolicyStatement({
        sid: 'AlertTopicKey',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: [props.topicKey.keyArn],
      }),
      new iam.PolicyStatement({
        sid: 'OwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        // A log group's ARN attribute ends in :* and so already covers its streams.
        resources: [this.fn.logGroup.logGroupArn],
      }),
    ];
    statements.push(...secretStatements(stack, config));
    if (config.deadMan)
      statements.push(
        new iam.PolicyStatement({
          sid: 'DeadManToken',
          actions: ['secretsmanager:GetSecretValue'],
          resources: [config.deadMan.secret.iamResource],
        }),
      );
    if (inVpc) {
      // The ENI actions Lambda needs to place the function in the operator's subnets (as in the
      // AWSLambdaVPCAccessExecutionRole managed policy); they have no narrower resource.
      statements.push(
        new iam.PolicyStatement({
          sid: 'LambdaVpcNetworkInterfaces',
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
        }),
      );
    }
    const policy = new iam.Policy(this, 'Policy', { statements });
    policy.attachToRole(role);
    // The function must not start before it may write its logs and read ECS.
    this.fn.node.addDependency(policy);
  }
}

/**
 * GetSecretValue on exactly the configured secret (a partial ARN as `<arn>-??????`, decided in
 * secret-arn.ts). A secret under a customer key also needs kms:Decrypt on it, only through Secrets
 * Manager.
 * @param stack the monitor stack (its region names the Secrets Manager endpoint)
 * @param config the parsed context
 * @returns no statement without a secret
 */
export function secretStatements(stack: Stack, config: MonitorConfig): iam.PolicyStatement[] {
  const secret = config.dashboardSecret;
  if (secret === undefined) return [];
  const out = [
    new iam.PolicyStatement({
      sid: 'DashboardToken',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [secret.iamResource],
    }),
  ];
  if (config.dashboardSecretKmsKeyArn) {
    out.push(
      new iam.PolicyStatement({
        sid: 'DashboardTokenKey',
        actions: ['kms:Decrypt'],
        resources: [config.dashboardSecretKmsKeyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` } },
      }),
    );
  }
  return out;
}
