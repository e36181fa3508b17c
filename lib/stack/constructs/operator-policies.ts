// The operators' permissions, offered as managed policies so that a deployment grants exactly these and
// nothing broader: read (every reading command), silence (write the silences file) and invoke (run the
// deployed function: doctor's probe, a manual check). Attach them to the roles named in
// `operatorRoleArns` / `readerRoleArns`: the bucket policy admits no one else (state-access.ts).
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SILENCES_KEY } from '../../../lambda/shared/state-layout';
import type { SecretRef } from '../secret-arn';

export interface OperatorPoliciesProps {
  readonly bucket: s3.IBucket;
  readonly fn: lambda.IFunction;
  readonly logGroup: logs.ILogGroup;
  /** Every topic doctor checks the subscriptions of (page, email, chat, health). */
  readonly topics: readonly sns.ITopic[];
  readonly deadLetterQueue: sqs.IQueue;
  readonly clusterName: string;
  readonly serviceName: string;
  /**
   * The dashboard token's secret, for the live commands (detect, gate, snapshot).
   * @default - no token to read
   */
  readonly dashboardSecret?: SecretRef;
  /**
   * The secret's customer managed key.
   * @default - the secret is under the AWS managed key
   */
  readonly dashboardSecretKmsKeyArn?: string;
}

/** The read, silence and invoke policies. */
export class OperatorPolicies extends Construct {
  readonly read: iam.ManagedPolicy;
  readonly silence: iam.ManagedPolicy;
  readonly invoke: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: OperatorPoliciesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const findStack = new iam.PolicyStatement({
      sid: 'FindTheStack',
      actions: ['cloudformation:DescribeStacks', 'cloudformation:GetTemplate'],
      resources: [
        stack.formatArn({
          service: 'cloudformation',
          resource: 'stack',
          resourceName: `${stack.stackName}/*`,
        }),
      ],
    });
    const clusterArn = stack.formatArn({
      service: 'ecs',
      resource: 'cluster',
      resourceName: props.clusterName,
    });
    const read = [
      findStack,
      // doctor maps the subscriptions the template asks for to their topics' ARNs.
      new iam.PolicyStatement({
        sid: 'ListTheStacksResources',
        actions: ['cloudformation:ListStackResources'],
        resources: findStack.resources,
      }),
      // gap, prove-deploy and report judge against the crons the deployed function runs with.
      new iam.PolicyStatement({
        sid: 'ReadTheMonitorsSchedules',
        actions: ['lambda:GetFunctionConfiguration'],
        resources: [props.fn.functionArn],
      }),
      new iam.PolicyStatement({
        sid: 'ReadState',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [props.bucket.arnForObjects('*')],
      }),
      new iam.PolicyStatement({
        sid: 'ListState',
        actions: ['s3:ListBucket'],
        resources: [props.bucket.bucketArn],
      }),
      new iam.PolicyStatement({
        sid: 'ReadMonitorLogs',
        actions: ['logs:FilterLogEvents'],
        resources: [props.logGroup.logGroupArn],
      }),
      new iam.PolicyStatement({
        sid: 'ReadTheStacksAlarms',
        actions: ['cloudwatch:DescribeAlarms'],
        resources: [
          stack.formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: `${stack.stackName}-*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
      new iam.PolicyStatement({
        sid: 'ReadSubscriptions',
        actions: ['sns:ListSubscriptionsByTopic'],
        resources: props.topics.map((t) => t.topicArn),
      }),
      // Account-wide SMS settings: these two calls take no resource.
      new iam.PolicyStatement({
        sid: 'ReadSmsSandbox',
        actions: ['sns:GetSMSSandboxAccountStatus', 'sns:ListSMSSandboxPhoneNumbers'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'ReadDeadLetters',
        actions: ['sqs:GetQueueAttributes'],
        resources: [props.deadLetterQueue.queueArn],
      }),
      // The live commands read the runtime as the monitor does: the one service, the cluster's tasks.
      new iam.PolicyStatement({
        sid: 'ReadTheService',
        actions: ['ecs:DescribeServices'],
        resources: [
          stack.formatArn({
            service: 'ecs',
            resource: 'service',
            resourceName: `${props.clusterName}/${props.serviceName}`,
          }),
        ],
      }),
      new iam.PolicyStatement({
        sid: 'ReadTheClustersTasks',
        actions: ['ecs:ListTasks', 'ecs:DescribeTasks'],
        resources: ['*'],
        conditions: { ArnEquals: { 'ecs:cluster': clusterArn } },
      }),
    ];
    if (props.dashboardSecret) {
      read.push(
        new iam.PolicyStatement({
          sid: 'ReadTheDashboardToken',
          actions: ['secretsmanager:GetSecretValue'],
          resources: [props.dashboardSecret.iamResource],
        }),
      );
      if (props.dashboardSecretKmsKeyArn)
        read.push(
          new iam.PolicyStatement({
            sid: 'DecryptTheDashboardToken',
            actions: ['kms:Decrypt'],
            resources: [props.dashboardSecretKmsKeyArn],
            conditions: {
              StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` },
            },
          }),
        );
    }
    this.read = new iam.ManagedPolicy(this, 'Read', {
      description: `${stack.stackName}: read the monitor's records, logs, alarms and subscriptions, and the runtime`,
      statements: read,
    });
    this.silence = new iam.ManagedPolicy(this, 'Silence', {
      description: `${stack.stackName}: write the silences file (silence, gate --window)`,
      statements: [
        findStack,
        new iam.PolicyStatement({
          sid: 'ReadAndWriteSilences',
          // Conditional writes (If-Match) need the read as well as the write.
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: [props.bucket.arnForObjects(SILENCES_KEY)],
        }),
      ],
    });
    this.invoke = new iam.ManagedPolicy(this, 'Invoke', {
      description: `${stack.stackName}: invoke the deployed monitor (doctor's probe, a manual check)`,
      statements: [
        findStack,
        new iam.PolicyStatement({
          sid: 'InvokeTheMonitor',
          actions: ['lambda:InvokeFunction'],
          resources: [props.fn.functionArn],
        }),
      ],
    });
  }
}
