// Slack through AWS Chatbot (Amazon Q Developer in chat applications): the chat topic goes to one
// channel. Notifications only: the channel role may read CloudWatch (what the alarm notifications'
// charts need) and the guardrail allows nothing more, so nobody can act on AWS from the channel.
import { Stack } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { boundedName, REGION_MAX_LENGTH } from '../names';

/** Chatbot configuration names: at most 128 characters of `A-Za-z0-9-_`. */
const CONFIGURATION_NAME_MAX = 128;

export interface ChatChannelProps {
  readonly slackWorkspaceId: string;
  readonly slackChannelId: string;
  readonly topic: sns.ITopic;
}

/**
 * The most a channel member could ever do through Chatbot: read CloudWatch. These are the actions of
 * Chatbot's "Notification permissions" policy template, which the alarm notifications' metric charts
 * need; every one of them reads.
 */
export const CHAT_GUARDRAIL_ACTIONS = ['cloudwatch:Describe*', 'cloudwatch:Get*', 'cloudwatch:List*'];

/**
 * The configuration's name: unique per account across regions, so it carries the stack name and the
 * region (a second stack, or the same stack in another region, would otherwise fail with "already
 * exists").
 * @param stack the monitor stack
 */
export function chatConfigurationName(stack: Stack): string {
  const base = boundedName(stack.stackName, 'chat', CONFIGURATION_NAME_MAX, REGION_MAX_LENGTH + 1);
  return `${base}-${stack.region}`;
}

/** One Slack channel configuration that receives the chat topic and can only read CloudWatch. */
export class ChatChannel extends Construct {
  readonly channel: chatbot.SlackChannelConfiguration;

  constructor(scope: Construct, id: string, props: ChatChannelProps) {
    super(scope, id);
    const read = () => new iam.PolicyStatement({ actions: CHAT_GUARDRAIL_ACTIONS, resources: ['*'] });
    const guardrail = new iam.ManagedPolicy(this, 'Guardrail', {
      description: 'aegis-pt-health chat channel: read CloudWatch only, no actions',
      statements: [read()],
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('chatbot.amazonaws.com'),
      description: 'aegis-pt-health chat channel: reads CloudWatch for the alarm charts, nothing else',
    });
    role.addToPolicy(read());
    this.channel = new chatbot.SlackChannelConfiguration(this, 'Slack', {
      slackChannelConfigurationName: chatConfigurationName(Stack.of(this)),
      slackWorkspaceId: props.slackWorkspaceId,
      slackChannelId: props.slackChannelId,
      notificationTopics: [props.topic],
      role,
      guardrailPolicies: [guardrail],
      loggingLevel: chatbot.LoggingLevel.ERROR,
    });
  }
}
