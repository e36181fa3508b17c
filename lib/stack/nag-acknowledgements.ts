// cdk-nag AwsSolutions findings this design accepts, each with its reason, kept in one place so a
// reviewer reads them together. Anything not acknowledged here fails synthesis.
import { Token, Validations, type CfnElement, type Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { CHAT_GUARDRAIL_ACTIONS } from './constructs/chat-channel';

interface Acknowledgement {
  /** Construct path below the stack; a trailing '-' matches generated names by prefix. */
  readonly path: string;
  /** The rule, or a function giving the exact findings (cdk-nag names them with logical IDs). */
  readonly ids: (stack: Stack) => string[];
  readonly reason: string;
}

/** How cdk-nag writes the pseudo parameters of an environment-agnostic stack (or the literal values). */
function pseudo(stack: Stack): { partition: string; region: string; account: string } {
  return {
    region: Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region,
    account: Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account,
    partition: Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition,
  };
}

function stackArnFinding(stack: Stack): string {
  const p = pseudo(stack);
  return `AwsSolutions-IAM5[Resource::arn:${p.partition}:cloudformation:${p.region}:${p.account}:stack/${stack.stackName}/*]`;
}

function logicalId(stack: Stack, path: string): string {
  const node = find(stack, path)[0];
  return stack.getLogicalId(node?.node.defaultChild as CfnElement);
}

/** The chat channel's read-only CloudWatch permissions, as cdk-nag names them. */
const CHAT_READ_FINDINGS = [
  'AwsSolutions-IAM5[Resource::*]',
  ...CHAT_GUARDRAIL_ACTIONS.map((a) => `AwsSolutions-IAM5[Action::${a}]`),
];

export const NAG_ACKNOWLEDGEMENTS: readonly Acknowledgement[] = [
  {
    path: 'State/Bucket',
    ids: () => ['AwsSolutions-S1'],
    reason:
      "Writes to the state bucket are recorded by the stack's own CloudTrail trail (Audit/Trail: S3 data events, write-only, with the caller's IAM identity and the version written), which unlike server access logs is not best-effort; its bucket policy names the writers (the monitor's role; silences only the operator roles).",
  },
  {
    path: 'Audit/Logs',
    ids: () => ['AwsSolutions-S1'],
    reason:
      "The audit trail's own log bucket: CloudTrail alone writes it (its bucket policy denies every object write and delete by a principal of the account, and delivery for another account's trail), log file validation detects any change to a delivered file, and logging its reads would need yet another bucket.",
  },
  {
    path: 'Operators/Read',
    ids: (stack) => [
      'AwsSolutions-IAM5[Resource::*]',
      `AwsSolutions-IAM5[Resource::<${logicalId(stack, 'State/Bucket')}.Arn>/*]`,
      stackArnFinding(stack),
      `AwsSolutions-IAM5[Resource::arn:${pseudo(stack).partition}:cloudwatch:${pseudo(stack).region}:${pseudo(stack).account}:alarm:${stack.stackName}-*]`,
    ],
    reason:
      "The operators' read policy: <bucket>/* is the one state bucket; stack/<name>/* is this stack under any stack id; alarm:<stack>-* are this stack's alarms; Resource * carries the SMS sandbox reads (no resource type) and ecs:ListTasks/DescribeTasks confined to the one cluster by ecs:cluster.",
  },
  {
    path: 'Operators/Silence',
    ids: (stack) => [stackArnFinding(stack)],
    reason:
      'Finding the stack (DescribeStacks) under any stack id of this stack name; the write is on the silences file only.',
  },
  {
    path: 'Operators/Invoke',
    ids: (stack) => [stackArnFinding(stack)],
    reason:
      'Finding the stack (DescribeStacks) under any stack id of this stack name; the invoke is on the monitor function only.',
  },
  {
    path: 'Monitor/Policy',
    ids: (stack) => [
      'AwsSolutions-IAM5[Resource::*]',
      `AwsSolutions-IAM5[Resource::<${logicalId(stack, 'State/Bucket')}.Arn>/*]`,
      `AwsSolutions-IAM5[Resource::<${logicalId(stack, 'State/Bucket')}.Arn>/runs/*]`,
      `AwsSolutions-IAM5[Resource::<${logicalId(stack, 'State/Bucket')}.Arn>/digests/*]`,
      `AwsSolutions-IAM5[Resource::<${logicalId(stack, 'State/Bucket')}.Arn>/state/handoff/*]`,
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
    ],
    reason:
      'Resource * carries ecs:ListTasks / ecs:DescribeTasks (ListTasks has no resource type; both are confined by an ecs:cluster condition) and, in a VPC, the ENI actions Lambda needs; <bucket>/* (read) and <bucket>/runs/*, <bucket>/digests/* and <bucket>/state/handoff/* (its run records, digest markers and hand-offs) are the one state bucket; kms:GenerateDataKey* on the topic key is what SNS requires to publish to an encrypted topic.',
  },
  {
    path: 'DeadLetters',
    ids: () => ['AwsSolutions-SQS3'],
    reason:
      'This queue is the dead-letter queue of the schedules and the ECS event rules; it needs no DLQ of its own.',
  },
  {
    path: 'Chat/Guardrail',
    ids: () => CHAT_READ_FINDINGS,
    reason:
      "The Slack channel's guardrail: the most a channel member could do is read CloudWatch (cloudwatch:Describe*, Get*, List*, Chatbot's notification permissions template). Those reads list across the account, so they have no narrower resource.",
  },
  {
    path: 'Chat/Role',
    ids: () => CHAT_READ_FINDINGS,
    reason:
      "The Slack channel's role: the same CloudWatch reads as the guardrail, which the alarm notifications' metric charts need; nothing that changes anything.",
  },
  {
    path: 'SchedulerRoleForTarget-',
    ids: (stack) => [`AwsSolutions-IAM5[Resource::<${logicalId(stack, 'Monitor/Function')}.Arn>:*]`],
    reason:
      'Generated by the Scheduler LambdaInvoke target: lambda:InvokeFunction on the monitor function and its versions, nothing else.',
  },
  {
    path: 'SmsDeliveryStatus/Role',
    ids: (stack) => {
      const { partition, region, account } = pseudo(stack);
      return [
        `AwsSolutions-IAM5[Resource::arn:${partition}:logs:${region}:${account}:log-group:sns/${region}/${account}/*]`,
      ];
    },
    reason:
      'SNS names its SMS delivery-status log groups itself (sns/<region>/<account>/DirectPublishToPhoneNumber and its /Failure twin); the grant is confined to that prefix.',
  },
];

function find(stack: Stack, path: string): IConstruct[] {
  if (path.endsWith('-')) return stack.node.children.filter((c) => c.node.id.startsWith(path));
  let node: IConstruct | undefined = stack;
  for (const id of path.split('/')) node = node?.node.tryFindChild(id);
  return node ? [node] : [];
}

/**
 * Acknowledges each finding of `NAG_ACKNOWLEDGEMENTS` on its construct, with its reason.
 * @param stack the monitor stack, before synthesis runs cdk-nag
 */
export function acknowledgeNagFindings(stack: Stack): void {
  for (const ack of NAG_ACKNOWLEDGEMENTS) {
    for (const construct of find(stack, ack.path)) {
      for (const id of ack.ids(stack)) Validations.of(construct).acknowledge({ id, reason: ack.reason });
    }
  }
}
