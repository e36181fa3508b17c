// Renders what SNS delivers (email body, subject, SMS) from a detector output. Pure, and bounded by
// construction: each part has an explicit budget (MessageBudget), lists end in "... and N more", and
// every new and resolved event's code is always in the subject (as far as 99 characters allow: see
// renderSubject), the SMS and the body. #11 renders per audience with other budgets.
import { SEVERITY_RANK } from './lifecycle';
import { ascii, BudgetLines, emailLine, fit, listWithin, utf8Bytes } from './message-text';
import { renderChat } from './chat';
import { othersAtZero, signalsThatMatter } from './signal-list';
import { pageLevel, silenceLine } from './routing';
import { formatEt, formatJst, parseTimestamp } from './time';
import type { DetectorEvent, DetectorOutput, NotificationMessage, Severity } from './types';

export const SUBJECT_MAX = 99; // SNS: under 100 characters
export const SMS_MAX_BYTES = 140; // one SMS segment

export interface MessageBudget {
  readonly subjectChars: number;
  /** Bytes of one SMS segment, and of the whole SMS (several segments when the codes need them). */
  readonly smsSegmentBytes: number;
  readonly smsTotalBytes: number;
  /** What SNS prepends to every SMS from a topic: its display name in upper case and `> `. */
  readonly smsPrefix: string;
  /** UTF-8 bytes of the email body. Its JSON form is at most twice this (see emailLine). */
  readonly emailBytes: number;
}

/** The topic's display name (lib/stack/constructs/alert-topic.ts): SNS puts it before every SMS. */
export const ALERT_TOPIC_DISPLAY_NAME = 'aegis-pt-health';

/**
 * SNS takes 256 KiB per publish; the body goes twice into one MessageStructure=json message, each
 * copy at most doubled by JSON escaping: 4 x 56 KiB + the SMS leaves room for attributes.
 */
export const DEFAULT_BUDGET: MessageBudget = {
  subjectChars: SUBJECT_MAX,
  smsSegmentBytes: SMS_MAX_BYTES,
  smsTotalBytes: 1400,
  smsPrefix: `${ALERT_TOPIC_DISPLAY_NAME.toUpperCase()}> `,
  emailBytes: 56 * 1024,
};

const LINE_MAX = 1000;
const SECTION_MAX_ITEMS = 200;
/** Room kept for the closing lines ("... and N more" and the runbook line). */
const TAIL_RESERVE = 1024;

/** Resolutions of events that cleared before they could be told. */
function clearedUntold(output: DetectorOutput): DetectorEvent[] {
  return output.resolved_events.filter((e) => e.undelivered === true);
}

/** The highest severity among what is told: new events, and events that cleared before being told. */
function headline(output: DetectorOutput): string {
  const top = [...output.new_events, ...clearedUntold(output)].reduce<Severity | null>(
    (acc, e) => (acc === null || SEVERITY_RANK[e.severity] > SEVERITY_RANK[acc] ? e.severity : acc),
    null,
  );
  return top === null ? 'RESOLVED' : top.toUpperCase();
}

function times(iso: string | undefined): string {
  const ms = parseTimestamp(iso);
  if (ms === undefined) return iso ?? '?';
  return `${formatEt(ms)} ET / ${formatJst(ms)} JST`;
}

function eventLines(e: DetectorEvent, resolved: boolean): string[] {
  const when = !resolved
    ? `    since ${times(e.first_seen_at)} (${e.consecutive} consecutive run(s))`
    : e.undelivered
      ? `    appeared ${times(e.first_seen_at)} and cleared before it could be told (gone at ${times(e.resolved_at)})`
      : `    since ${times(e.first_seen_at)}, resolved ${times(e.resolved_at)}`;
  const lines = [
    `- [${e.severity.toUpperCase()}${e.escalate ? ', ESCALATE' : ''}${e.silenced_by ? `, SILENCED by ${e.silenced_by}` : ''}] ${e.code}: ${e.summary}`,
    when,
  ];
  if (e.silence_ended)
    lines.push(`    silence ${e.silence_ended} ended (or was expired): still open, told again`);
  if (e.signature !== e.code) lines.push(`    signature: ${e.signature}`);
  return lines.map((l) => emailLine(l, LINE_MAX));
}

function codes(events: readonly DetectorEvent[]): string[] {
  return [...new Set(events.map((e) => ascii(e.code)))];
}

/** The lists each part names: new codes, resolved codes, and which resolved ones were never told. */
function codeLists(output: DetectorOutput) {
  const missed = clearedUntold(output);
  return {
    fresh: codes(output.new_events),
    resolved: codes(output.resolved_events.filter((e) => !e.undelivered)),
    missed: codes(missed),
  };
}

/**
 * `HEADLINE aegis-pt N new: codes; M resolved: codes -> decision`, shortened in steps until it fits:
 * without the decision, then without the product name; only then do codes give way to `+N` (99
 * characters cannot hold every code of the catalog at once).
 */
export function renderSubject(output: DetectorOutput, budget: MessageBudget = DEFAULT_BUDGET): string {
  const max = budget.subjectChars;
  const { fresh, resolved, missed } = codeLists(output);
  const lists = (limit: number) => {
    const parts: string[] = [];
    const each = (label: string, items: string[]) => {
      if (items.length > 0) parts.push(listWithin(`${items.length} ${label}: `, items, limit));
    };
    each('new', fresh);
    each('missed', missed);
    each('resolved', resolved);
    return parts.join('; ');
  };
  const head = headline(output);
  const candidates = [
    `${head} aegis-pt ${lists(1000)} -> ${output.decision}`,
    `${head} aegis-pt ${lists(1000)}`,
    `${head} ${lists(1000)}`,
  ];
  for (const c of candidates) if (ascii(c).length <= max) return ascii(c);
  const groups = [fresh, missed, resolved].filter((g) => g.length > 0).length || 1;
  return fit(ascii(`${head} ${lists(Math.floor((max - head.length - 1) / groups) - 2)}`), max);
}

/** Bytes one SMS segment leaves for the text after the display-name prefix SNS puts before it. */
export function smsSegmentRoom(budget: MessageBudget = DEFAULT_BUDGET): number {
  return budget.smsSegmentBytes - utf8Bytes(budget.smsPrefix);
}

/**
 * One segment when it fits after the display-name prefix (first in full, then without the product
 * name the prefix already gives); otherwise several segments, still naming every code.
 */
export function renderSms(output: DetectorOutput, budget: MessageBudget = DEFAULT_BUDGET): string {
  const et = parseTimestamp(output.checked_at);
  const clock = et === undefined ? '' : ` ${formatEt(et).slice(11, 16)}ET`;
  const { fresh, resolved, missed } = codeLists(output);
  // While silences are active the SMS says so too, in a few bytes.
  const held = output.silences?.length
    ? `(${output.silences.reduce((n, s) => n + s.events, 0)} silenced)`
    : '';
  const tail = (limit: number) =>
    [
      fresh.length > 0 ? listWithin('new:', fresh, limit) : '',
      missed.length > 0 ? listWithin('missed:', missed, limit) : '',
      resolved.length > 0 ? listWithin('ok:', resolved, limit) : '',
      held,
    ].filter((p) => p !== '');
  const head = headline(output);
  const decision = output.decision.toUpperCase();
  const full = ascii([`${head} aegis-pt${clock} ${decision}`, ...tail(10_000)].join(' '));
  const compact = ascii([`${head}${clock} ${decision}`, ...tail(10_000)].join(' '));
  const segment = smsSegmentRoom(budget);
  const total = budget.smsTotalBytes - utf8Bytes(budget.smsPrefix);
  if (full.length <= segment) return full;
  if (compact.length <= segment) return compact;
  if (compact.length <= total) return compact;
  return fit(ascii([`${head}${clock} ${decision}`, ...tail(Math.floor(total / 3) - 1)].join(' ')), total);
}

function section(out: BudgetLines, title: string, events: readonly DetectorEvent[], resolved: boolean): void {
  if (events.length === 0) return;
  out.add('', TAIL_RESERVE);
  out.add(title, TAIL_RESERVE);
  let shown = 0;
  for (const e of events) {
    if (shown >= SECTION_MAX_ITEMS || !out.addAll(eventLines(e, resolved), TAIL_RESERVE)) break;
    shown++;
  }
  if (shown < events.length) out.add(`... and ${events.length - shown} more (codes listed at the top)`);
}

export function renderEmail(output: DetectorOutput, budget: MessageBudget = DEFAULT_BUDGET): string {
  const out = new BudgetLines(budget.emailBytes);
  const line = (text: string) => out.add(emailLine(text, LINE_MAX), TAIL_RESERVE);
  line(`aegis-pt-health: ${output.decision.toUpperCase()}`);
  line(`Decision: ${output.decision} (${output.decision_reason})`);
  line(`Checked at: ${output.clock.et} ET / ${output.clock.jst} JST (${output.checked_at})`);
  const s = output.clock.session;
  line(
    `Market: ${output.clock.market}${s ? ` (session ${s.date} ${s.open} - ${s.close}${s.early_close ? ', early close' : ''})` : ''}`,
  );
  if (output.trigger) {
    line(`Trigger: ${output.trigger.trigger}${output.trigger.reason ? `: ${output.trigger.reason}` : ''}`);
  }
  const silenced = silenceLine(output);
  if (silenced) line(silenced);
  // Every code first, in full (the catalog bounds them), so no cut below can hide one.
  const { fresh, resolved, missed } = codeLists(output);
  if (fresh.length > 0) out.add(`New codes: ${fresh.join(', ')}`);
  if (missed.length > 0) out.add(`Appeared and cleared before they could be told: ${missed.join(', ')}`);
  if (resolved.length > 0) out.add(`Resolved codes: ${resolved.join(', ')}`);
  section(out, `New (${output.new_events.length}):`, output.new_events, false);
  section(out, `Resolved (${output.resolved_events.length}):`, output.resolved_events, true);
  const told = new Set(output.new_events.map((n) => n.signature));
  const stillOpen = output.events.filter((e) => !told.has(e.signature));
  const how = stillOpen.some((e) => e.silenced_by) ? 'already notified or silenced' : 'already notified';
  section(out, `Still open (${stillOpen.length}, ${how}):`, stillOpen, false);
  if (output.info.length > 0) {
    out.add('', TAIL_RESERVE);
    out.add('Info:', TAIL_RESERVE);
    let shown = 0;
    for (const i of output.info) {
      if (shown >= SECTION_MAX_ITEMS || !line(`- ${i.code}: ${i.summary}`)) break;
      shown++;
    }
    if (shown < output.info.length) out.add(`... and ${output.info.length - shown} more`);
  }
  const signals = signalsThatMatter(output);
  if (signals.shown.length > 0 || signals.zeros > 0) {
    out.add('', TAIL_RESERVE);
    out.add('Signals (those not at 0, and those the events name):', TAIL_RESERVE);
    let shown = 0;
    for (const [name, value] of signals.shown) {
      if (shown >= SECTION_MAX_ITEMS || !line(`  ${name} = ${value}`)) break;
      shown++;
    }
    if (shown < signals.shown.length) out.add(`... and ${signals.shown.length - shown} more`);
    const zeros = othersAtZero(signals);
    if (zeros) out.add(`  (${zeros})`);
  }
  out.add('');
  out.add(
    'Runbook: escalate = stop and escalate to the on-call lead; notify = investigate; observe = no action.',
  );
  return out.text();
}

export function renderMessage(
  output: DetectorOutput,
  budget: MessageBudget = DEFAULT_BUDGET,
): NotificationMessage {
  const subject = renderSubject(output, budget);
  return {
    subject,
    email: renderEmail(output, budget),
    sms: renderSms(output, budget),
    severity: headline(output),
    decision: output.decision,
    chat: renderChat(output, subject),
    page_level: pageLevel(output),
  };
}

/** Whether a run has anything to tell: new or resolved events. */
export function hasNews(output: DetectorOutput): boolean {
  return output.new_events.length > 0 || output.resolved_events.length > 0;
}
