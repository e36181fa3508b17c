// Routes one rendered notification to its audiences, one SNS topic each: email (everything, full body),
// chat (everything, Chatbot's custom format) and page (SMS, only at or above the paging floor). Separate
// topics rather than one topic with filter policies: CloudWatch alarm messages carry no message
// attributes, so an attribute filter would drop them (aws-contracts.md).
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Audience } from '../detector/audiences';
import { meetsFloor } from '../detector/routing';
import type { Level, NotificationMessage } from '../detector/types';
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
  readonly pageFloor: Level;
}

/** The Publish input for each audience this message goes to. */
export function routedPublishInputs(
  routes: SnsRoutes,
  pageFloor: Level,
  message: NotificationMessage,
): { audience: Audience; input: ReturnType<typeof snsPublishInput> }[] {
  const out: { audience: Audience; input: ReturnType<typeof snsPublishInput> }[] = [
    { audience: 'email', input: snsPublishInput(routes.email, message) },
  ];
  if (routes.page && meetsFloor(message.page_level, pageFloor)) {
    const base = snsPublishInput(routes.page, message);
    out.push({
      audience: 'page',
      input: { ...base, Message: JSON.stringify({ default: message.sms, sms: message.sms }) },
    });
  }
  if (routes.chat) {
    const base = snsPublishInput(routes.chat, message);
    out.push({
      audience: 'chat',
      input: { ...base, Message: JSON.stringify({ default: message.chat, https: message.chat }) },
    });
  }
  return out;
}

export class RoutedSnsNotifier implements Notifier {
  constructor(private readonly props: RoutedSnsNotifierProps) {}

  /** Publishes to every route; any failure fails the whole delivery, so the next run tells it again. */
  async publish(message: NotificationMessage): Promise<void> {
    const inputs = routedPublishInputs(this.props.routes, this.props.pageFloor, message);
    const results = await Promise.allSettled(
      inputs.map(({ input }) => this.props.client.send(new PublishCommand(input))),
    );
    const failed = results.flatMap((r, i) =>
      r.status === 'rejected' ? [`${inputs[i].audience}: ${(r.reason as Error)?.message ?? r.reason}`] : [],
    );
    if (failed.length > 0) {
      const first = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      throw Object.assign(new Error(`SNS publish failed for ${failed.join('; ')}`), {
        name: (first.reason as Error)?.name ?? 'Error',
      });
    }
  }
}
