// Notifier that prints exactly what SNS would deliver to each audience's topic: the demo's stand-in for
// the page (SMS), email and chat topics. What each audience is due is decided by the check, as in the
// Lambda (notification-log.ts); this only prints what it is given, per audience.
import type { Audience } from '../detector/audiences';
import type { NotificationMessage } from '../detector/types';
import type { Notifier } from '../ports';

/** How each audience's message is printed: scripts/readme-demo.ts reads README's blocks back by these. */
export const CONSOLE_MARKS = {
  /** The email's first line; its last is `end`. */
  email: '----- email -----',
  end: '------------------------',
  /** The start of the page's one line (its SMS) and of the chat's (its headline). */
  page: '----- page: SMS ',
  chat: '----- chat: ',
} as const;

/** The chat body's headline: Chatbot's custom notification `content.title`, else the subject. */
function chatTitle(message: NotificationMessage): string {
  try {
    const title = (JSON.parse(message.chat) as { content?: { title?: unknown } }).content?.title;
    return typeof title === 'string' ? title : message.subject;
  } catch {
    return message.subject;
  }
}

export class ConsoleNotifier implements Notifier {
  /** Every publish, in order, with the audience it went to. */
  readonly published: { readonly audience: Audience; readonly message: NotificationMessage }[] = [];

  /** `audiences`: the topics this stands in for (a deployment with page and chat topics: all three). */
  constructor(
    private readonly write: (text: string) => void,
    readonly audiences: readonly Audience[] = ['email'],
  ) {}

  /** What one audience was sent. */
  sentTo(audience: Audience): NotificationMessage[] {
    return this.published.filter((p) => p.audience === audience).map((p) => p.message);
  }

  async publish(audience: Audience, message: NotificationMessage): Promise<void> {
    this.published.push({ audience, message });
    if (audience === 'page')
      this.write(`${CONSOLE_MARKS.page}(${Buffer.byteLength(message.sms)} bytes): ${message.sms}\n`);
    else if (audience === 'chat') this.write(`${CONSOLE_MARKS.chat}${chatTitle(message)}\n`);
    else
      this.write(
        [
          CONSOLE_MARKS.email,
          `Subject: ${message.subject}`,
          'Email:',
          message.email,
          CONSOLE_MARKS.end,
          '',
        ].join('\n'),
      );
  }
}
