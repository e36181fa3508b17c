// One SNS topic per audience: email (the full body), chat (Chatbot's custom format) and page (the SMS).
// What each audience is due (the page floor included) is decided in the core (notification-log.ts).
// Separate topics rather than one topic with filter policies: CloudWatch alarm messages carry no message
// attributes, so an attribute filter would drop them (aws-contracts.md).
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Audience } from '../detector/audiences';
import type { NotificationMessage } from '../detector/types';
import type { Notifier } from '../ports';
import { snsPublishInput } from './sns-notifier';

export interface SnsRoutes {
  readonly email: string;
  readonly page?: string;
  readonly chat?: string;
}

export interface RoutedSnsNotifierProps {
  readonly client: SNSClient;
  readonly routes: SnsRoutes;
}

/** The Publish input of a message for one audience's topic: the SMS for the pager, Chatbot's JSON for chat. */
export function audiencePublishInput(topicArn: string, audience: Audience, message: NotificationMessage) {
  const base = snsPublishInput(topicArn, message);
  if (audience === 'page')
    return { ...base, Message: JSON.stringify({ default: message.sms, sms: message.sms }) };
  if (audience === 'chat')
    return { ...base, Message: JSON.stringify({ default: message.chat, https: message.chat }) };
  return base;
}

export class RoutedSnsNotifier implements Notifier {
  readonly audiences: readonly Audience[];

  constructor(private readonly props: RoutedSnsNotifierProps) {
    const { routes } = props;
    this.audiences = [
      ...(routes.page ? ['page' as const] : []),
      'email',
      ...(routes.chat ? ['chat' as const] : []),
    ];
  }

  /** One topic: its failure is this audience's alone (the others are published separately). */
  async publish(audience: Audience, message: NotificationMessage): Promise<void> {
    const topic = this.props.routes[audience];
    if (!topic) throw new Error(`no topic for the ${audience} audience`);
    await this.props.client.send(new PublishCommand(audiencePublishInput(topic, audience, message)));
  }
}
