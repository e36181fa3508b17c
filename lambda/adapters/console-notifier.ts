// Notifier that prints exactly what SNS would deliver: the demo's and the CLI's stand-in for email/SMS.
import type { NotificationMessage } from '../detector/types';
import type { Notifier } from '../ports';

export class ConsoleNotifier implements Notifier {
  readonly sent: NotificationMessage[] = [];

  constructor(private readonly write: (text: string) => void) {}

  async publish(message: NotificationMessage): Promise<void> {
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
