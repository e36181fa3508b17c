// Notifier on SNS: one publish per run, a body per protocol (MessageStructure=json).
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { NotificationMessage } from '../detector/types';
import type { Notifier } from '../ports';

export interface SnsNotifierProps {
  readonly client: SNSClient;
  readonly topicArn: string;
}

export function snsPublishInput(topicArn: string, message: NotificationMessage) {
  return {
    TopicArn: topicArn,
    Subject: message.subject,
    MessageStructure: 'json',
    // `default` is required; email-json, SQS and HTTPS subscribers get the full body too.
    Message: JSON.stringify({ default: message.email, email: message.email, sms: message.sms }),
    MessageAttributes: {
      severity: { DataType: 'String', StringValue: message.severity },
      decision: { DataType: 'String', StringValue: message.decision },
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
    },
  };
}

export class SnsNotifier implements Notifier {
  constructor(private readonly props: SnsNotifierProps) {}

  async publish(message: NotificationMessage): Promise<void> {
    await this.props.client.send(new PublishCommand(snsPublishInput(this.props.topicArn, message)));
  }
}
