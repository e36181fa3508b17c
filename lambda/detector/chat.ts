// The chat audience's body: Chatbot's custom notification JSON (aws-contracts.md, "Custom
// notifications"), for the alert and the digest alike. Pure, like messages.ts.
import { etTime, silenceLine } from './routing';
import { chatSignalLine } from './signal-list';
import type { DetectorEvent, DetectorOutput } from './types';

/** The runbook's next steps for the decision, shown in chat. */
const NEXT_STEPS: Readonly<Record<DetectorOutput['decision'], string[]>> = {
  escalate: ['Stop and escalate to the on-call lead (runbook: escalate)', 'Do not deploy or restart'],
  notify: ['Investigate the new events (runbook: notify)', 'Check the dashboard and the full email'],
  observe: ['No action: keep observing (runbook: observe)'],
};

/** Markdown without the characters Slack would read as markup in operator-supplied text. */
function plain(text: string): string {
  return text.replace(/[*_`~<>]/g, ' ');
}

function bullet(e: DetectorEvent, resolved: boolean): string {
  const tag = resolved ? 'OK' : `${e.severity.toUpperCase()}${e.escalate ? ', ESCALATE' : ''}`;
  return `• *${tag}* \`${e.code}\`: ${plain(e.summary)}`;
}

// Slack shows about 4,000 characters of a message; the email has the full body.
export const CHAT_DESCRIPTION_MAX = 3500;

/** The `https`/chat body: Chatbot's custom notification JSON (aws-contracts.md, "Custom notifications"). */
export function renderChat(output: DetectorOutput, title: string): string {
  const lines: string[] = [];
  for (const e of output.new_events) lines.push(bullet(e, false));
  for (const e of output.resolved_events) lines.push(bullet(e, true));
  const silenced = silenceLine(output);
  if (silenced) lines.push(`_${plain(silenced)}_`);
  lines.push(`Decision: *${output.decision}* at ${etTime(output.checked_at)} (${output.checked_at})`);
  const signals = chatSignalLine(output);
  if (signals) lines.push(signals);
  let description = lines.join('\n');
  if (description.length > CHAT_DESCRIPTION_MAX)
    description = `${description.slice(0, CHAT_DESCRIPTION_MAX - 40)}\n… (cut; the email has everything)`;
  return chatbotNotification({
    title,
    description,
    nextSteps: NEXT_STEPS[output.decision],
    keywords: [output.decision, ...new Set(output.new_events.map((e) => e.code))].slice(0, 5),
    // One thread per session day keeps a day's notices together in the channel.
    threadId: `aegis-pt-${output.clock.session?.date ?? output.checked_at.slice(0, 10)}`,
  });
}

export interface ChatbotNotificationProps {
  readonly title: string;
  readonly description: string;
  readonly nextSteps: readonly string[];
  readonly keywords: readonly string[];
  readonly threadId: string;
}

/** Chatbot's (Amazon Q Developer in chat applications) custom notification body, one shape for every sender. */
export function chatbotNotification(p: ChatbotNotificationProps): string {
  return JSON.stringify({
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: p.title,
      description: p.description,
      nextSteps: p.nextSteps,
      keywords: p.keywords,
    },
    metadata: { threadId: p.threadId, summary: p.title },
  });
}
