// Silences are announced (issue #22): the first check that sees a silence tells email and chat (and
// the pager when it holds escalations) who set it, over what, until when and why; the same when it
// ends or is expired; a refused silence is told with why; a deploy window that ended without a post
// gate is told with what it held back. Pure: what is due per audience against what each was told
// (the runtime keeps that log in the snapshot and advances it only after that audience's publish).
import type { Audience } from './audiences';
import { chatbotNotification } from './chat';
import { ascii, fit } from './message-text';
import { smsSegmentRoom } from './messages';
import { ESCALATING_CODES } from './silences';
import { etTime } from './routing';
import type { DetectorOutput, NotificationMessage } from './types';

/** One thing to announce, keyed so that each is told once per audience. */
export interface Notice {
  /** `active:<id>@<until>`, `refused:<id>`, `unclosed:<id>`. */
  readonly key: string;
  readonly text: string;
  /** The few words an SMS has room for (what, until when); the text itself when that is short already. */
  readonly brief?: string;
  /** Whether the pager hears it too: a silence that holds escalations back. */
  readonly page: boolean;
}

/** What an audience was told is in force (active silences, refusals, unclosed windows). */
export type AnnouncedLog = Readonly<Record<string, { readonly told_at: string; readonly text: string }>>;
export type Announced = Readonly<Partial<Record<Audience, AnnouncedLog>>>;

export interface NoticePlan {
  readonly audience: Audience;
  /** Started (or refused, or unclosed) now, and ended since the last telling. */
  readonly lines: readonly string[];
  /** The same, each in the few words of its `brief` (the SMS's). */
  readonly briefs: readonly string[];
  /** The audience's log once this plan is told. */
  readonly next: AnnouncedLog;
}

const LINE_MAX = 400;
const NOTICES_MAX = 20;

function bounded(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length <= LINE_MAX ? clean : `${clean.slice(0, LINE_MAX - 1)}…`;
}

/**
 * What is in force at this run: each active silence (the pager hears those that hold escalations),
 * each refused one with why, each deploy window that ended without a post gate.
 */
export function currentNotices(output: DetectorOutput, holdsEscalations: (id: string) => boolean): Notice[] {
  const out: Notice[] = [];
  for (const s of output.silences ?? []) {
    const what = s.kind === 'deploy-window' ? 'deploy window' : 'silence';
    const escalations = holdsEscalations(s.id) && s.codes.some((c) => ESCALATING_CODES.includes(c));
    out.push({
      key: `active:${s.id}@${s.until}`,
      text: bounded(
        `${what} ${s.id} by ${s.by} holds back ${s.codes.join(', ')}${escalations ? ' (escalations included)' : ''} until ${etTime(s.until)} (${s.until}): ${s.reason}`,
      ),
      brief: bounded(`${what} ${s.id} until ${etTime(s.until)}${escalations ? ', escalations held' : ''}`),
      page: escalations,
    });
  }
  for (const i of output.info) {
    const id = (i.details as { id?: unknown; index?: unknown } | undefined)?.id;
    if (i.code === 'silence_refused')
      out.push({
        key: `refused:${typeof id === 'string' ? id : i.summary}`,
        text: bounded(i.summary),
        page: false,
      });
    if (i.code === 'deploy_window_unclosed')
      out.push({
        key: `unclosed:${typeof id === 'string' ? id : i.summary}`,
        text: bounded(i.summary),
        page: false,
      });
    if (i.code === 'silences_ignored') out.push({ key: 'ignored', text: bounded(i.summary), page: false });
  }
  return out;
}

/** What `audience` is due: notices it was not told yet, and the end of active silences it was told. */
export function noticesFor(
  audience: Audience,
  current: readonly Notice[],
  told: AnnouncedLog | undefined,
  at: string,
): NoticePlan {
  const log = told ?? {};
  const mine = current.filter((n) => audience !== 'page' || n.page);
  const lines: string[] = [];
  const briefs: string[] = [];
  const next: Record<string, { told_at: string; text: string }> = {};
  for (const n of mine) {
    if (log[n.key]) {
      next[n.key] = log[n.key];
      continue;
    }
    // No room in this message: left out of the log, so the next run tells it (never told as told).
    if (lines.length >= NOTICES_MAX) continue;
    const prefix = n.key.startsWith('active:')
      ? 'STARTED: '
      : n.key.startsWith('refused:')
        ? 'REFUSED: '
        : '';
    lines.push(`${prefix}${n.text}`);
    briefs.push(`${prefix}${n.brief ?? n.text}`);
    next[n.key] = { told_at: at, text: n.text };
  }
  const now = new Set(mine.map((n) => n.key));
  const inForce = new Set(current.map((n) => n.key));
  for (const [key, entry] of Object.entries(log)) {
    if (!key.startsWith('active:') || now.has(key)) continue;
    // Still in force, only not this audience's now (its escalations unknown while the silences file
    // cannot be read): not ended, and kept so it is not told as started again. An end this message has
    // no room for is kept too: the next run tells it.
    if (inForce.has(key) || lines.length >= NOTICES_MAX) next[key] = entry;
    else {
      // The stored text is the snapshot's, which may have been tampered with: bounded like every line.
      lines.push(`ENDED (ran out or expired): ${bounded(entry.text)}`);
      // The key is `active:<id>@<until>`: enough for the SMS without the stored text.
      const at = key.lastIndexOf('@');
      const id = key.slice('active:'.length, at < 0 ? undefined : at);
      briefs.push(bounded(`ENDED: ${id}${at < 0 ? '' : ` (until ${etTime(key.slice(at + 1))})`}`));
    }
  }
  return { audience, lines, briefs, next };
}

/** The message of a plan: the lines, in full in email and chat, the first one's brief in the SMS. */
export function renderNotices(plan: NoticePlan, output: DetectorOutput): NotificationMessage {
  const started = plan.lines.filter((l) => l.startsWith('STARTED')).length;
  const ended = plan.lines.filter((l) => l.startsWith('ENDED')).length;
  const other = plan.lines.length - started - ended;
  const parts = [
    started ? `${started} started` : '',
    ended ? `${ended} ended` : '',
    other ? `${other} refused or unclosed` : '',
  ].filter(Boolean);
  const subject = `SILENCE aegis-pt: ${parts.join(', ')}`.slice(0, 99);
  const email = [
    'aegis-pt-health: silences changed',
    `Checked at: ${output.clock.et} ET (${output.checked_at})`,
    '',
    ...plan.lines.map((l) => `- ${l}`),
    '',
    'Silences hold notifications back; the checks still run and record every event.',
    'List them: aegis-pt-health silence list --profile <ops profile>',
  ].join('\n');
  const chat = chatbotNotification({
    title: subject,
    description: plan.lines.map((l) => `• ${l.replace(/[*_`~<>]/g, ' ')}`).join('\n'),
    nextSteps: ['List them: aegis-pt-health silence list'],
    keywords: ['silence'],
    threadId: `aegis-pt-${output.clock.session?.date ?? output.checked_at.slice(0, 10)}`,
  });
  return {
    subject,
    email,
    // One segment after the display-name prefix, like the alerts' SMS: email and chat carry the rest.
    sms: fit(ascii(`${subject}: ${plan.briefs[0] ?? ''}`), smsSegmentRoom()),
    severity: 'SILENCE',
    decision: output.decision,
    chat,
    page_level: null,
  };
}
