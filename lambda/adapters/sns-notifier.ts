// The SNS Publish input of a notification: a body per protocol (MessageStructure=json).
import type { NotificationMessage } from '../detector/types';

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
