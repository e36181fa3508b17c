// Slack through AWS Chatbot (Amazon Q Developer in chat applications): the chat topic goes to one
// channel. Notifications only: the channel role has no policies and the guardrail allows nothing but
// reading alarms, so nobody can act on AWS from the channel.
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface ChatChannelProps {
  readonly slackWorkspaceId: string;
  readonly slackChannelId: string;
  readonly topic: sns.ITopic;
}

/** The most a channel member could ever do through Chatbot: look at alarms. */
export const CHAT_GUARDRAIL_ACTIONS = ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'];

/** One Slack channel configuration that receives the chat topic and can only read alarms. */
export class ChatChannel extends Construct {
  readonly channel: chatbot.SlackChannelConfiguration;

  constructor(scope: Construct, id: string, props: ChatChannelProps) {
    super(scope, id);
    const guardrail = new iam.ManagedPolicy(this, 'Guardrail', {
      description: 'aegis-pt-health chat channel: read alarms only, no actions',
      statements: [new iam.PolicyStatement({ actions: CHAT_GUARDRAIL_ACTIONS, resources: ['*'] })],
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('chatbot.amazonaws.com'),
      description: 'aegis-pt-health chat channel: notifications only (no policies)',
    });
    this.channel = new chatbot.SlackChannelConfiguration(this, 'Slack', {
      slackChannelConfigurationName: 'aegis-pt-health',
      slackWorkspaceId: props.slackWorkspaceId,
      slackChannelId: props.slackChannelId,
      notificationTopics: [props.topic],
      role,
      guardrailPolicies: [guardrail],
      loggingLevel: chatbot.LoggingLevel.ERROR,
    });
  }
}
