// Notifier that prints exactly what SNS would deliver: the demo's and the CLI's stand-in for email/SMS.
import type { Audience } from '../detector/audiences';
import type { NotificationMessage } from '../detector/types';
import type { Notifier } from '../ports';

export class ConsoleNotifier implements Notifier {
  readonly sent: NotificationMessage[] = [];
  /** One printed notification per message: the email's, with the SMS text it renders beside it. */
  readonly audiences: readonly Audience[] = ['email'];

  constructor(private readonly write: (text: string) => void) {}

  async publish(_audience: Audience, message: NotificationMessage): Promise<void> {
    this.sent.push(message);
    this.write(
      [
        '----- notification -----',
        `Subject: ${message.subject}`,
        // No paging level (the daily digest): the page route never takes it.
        message.page_level === null
          ? 'SMS: none (not for the pager)'
          : `SMS (${Buffer.byteLength(message.sms)} bytes): ${message.sms}`,
        'Email:',
        message.email,
        '------------------------',
        '',
      ].join('\n'),
    );
  }
}
