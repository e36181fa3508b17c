// Renders what SNS delivers (email body, subject, SMS) from a detector output. Pure, so every word an
// operator reads is tested without SNS.
import { SEVERITY_RANK } from './lifecycle';
import { formatEt, formatJst, parseTimestamp } from './time';
import type { DetectorEvent, DetectorOutput, NotificationMessage, Severity } from './types';

export const SUBJECT_MAX = 99; // SNS: under 100 characters
export const SMS_MAX_BYTES = 140; // one SMS segment

function headline(output: DetectorOutput): string {
  const top = output.new_events.reduce<Severity | null>(
    (acc, e) => (acc === null || SEVERITY_RANK[e.severity] > SEVERITY_RANK[acc] ? e.severity : acc),
    null,
  );
  return top === null ? 'RESOLVED' : top.toUpperCase();
}

/** ASCII only and one line: SNS subjects reject control characters, SMS counts bytes. */
function ascii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

function times(iso: string | undefined): string {
  const ms = parseTimestamp(iso);
  if (ms === undefined) return iso ?? '?';
  return `${formatEt(ms)} ET / ${formatJst(ms)} JST`;
}

function eventLines(e: DetectorEvent, resolved: boolean): string[] {
  const lines = [
    `- [${e.severity.toUpperCase()}${e.escalate ? ', ESCALATE' : ''}] ${e.code}: ${e.summary}`,
    `    since ${times(e.first_seen_at)}${resolved ? `, resolved ${times(e.resolved_at)}` : ` (${e.consecutive} consecutive run(s))`}`,
  ];
  if (e.signature !== e.code) lines.push(`    signature: ${e.signature}`);
  return lines;
}

function codesOf(events: readonly DetectorEvent[]): string {
  return [...new Set(events.map((e) => e.code))].join(',');
}

export function renderSubject(output: DetectorOutput): string {
  const parts = [headline(output), 'aegis-pt'];
  if (output.new_events.length > 0)
    parts.push(`${output.new_events.length} new: ${codesOf(output.new_events)}`);
  if (output.resolved_events.length > 0) parts.push(`${output.resolved_events.length} resolved`);
  parts.push(`-> ${output.decision}`);
  return fit(ascii(parts.join(' ')), SUBJECT_MAX);
}

export function renderSms(output: DetectorOutput): string {
  const et = parseTimestamp(output.checked_at);
  const clock = et === undefined ? '' : ` ${formatEt(et).slice(11, 16)}ET`;
  const parts = [`${headline(output)} aegis-pt${clock} ${output.decision.toUpperCase()}`];
  if (output.new_events.length > 0) parts.push(`new:${codesOf(output.new_events)}`);
  if (output.resolved_events.length > 0) parts.push(`ok:${codesOf(output.resolved_events)}`);
  const text = ascii(parts.join(' '));
  // ASCII, so characters are bytes.
  return fit(text, SMS_MAX_BYTES);
}

export function renderEmail(output: DetectorOutput): string {
  const lines: string[] = [];
  lines.push(`aegis-pt-health: ${output.decision.toUpperCase()}`);
  lines.push(`Decision: ${output.decision} (${output.decision_reason})`);
  lines.push(`Checked at: ${output.clock.et} ET / ${output.clock.jst} JST (${output.checked_at})`);
  const s = output.clock.session;
  lines.push(
    `Market: ${output.clock.market}${s ? ` (session ${s.date} ${s.open} - ${s.close}${s.early_close ? ', early close' : ''})` : ''}`,
  );
  if (output.trigger) {
    lines.push(
      `Trigger: ${output.trigger.trigger}${output.trigger.reason ? `: ${output.trigger.reason}` : ''}`,
    );
  }
  if (output.new_events.length > 0) {
    lines.push('', `New (${output.new_events.length}):`);
    for (const e of output.new_events) lines.push(...eventLines(e, false));
  }
  if (output.resolved_events.length > 0) {
    lines.push('', `Resolved (${output.resolved_events.length}):`);
    for (const e of output.resolved_events) lines.push(...eventLines(e, true));
  }
  const stillOpen = output.events.filter((e) => !output.new_events.some((n) => n.signature === e.signature));
  if (stillOpen.length > 0) {
    lines.push('', `Still open (${stillOpen.length}, already notified):`);
    for (const e of stillOpen) lines.push(...eventLines(e, false));
  }
  if (output.info.length > 0) {
    lines.push('', 'Info:');
    for (const i of output.info) lines.push(`- ${i.code}: ${i.summary}`);
  }
  const signals = Object.entries(output.signals);
  if (signals.length > 0) {
    lines.push('', 'Signals:');
    for (const [name, value] of signals) lines.push(`  ${name} = ${value}`);
  }
  lines.push(
    '',
    'Runbook: escalate = stop and escalate to the on-call lead; notify = investigate; observe = no action.',
  );
  return lines.join('\n');
}

export function renderMessage(output: DetectorOutput): NotificationMessage {
  return {
    subject: renderSubject(output),
    email: renderEmail(output),
    sms: renderSms(output),
    severity: headline(output),
    decision: output.decision,
  };
}

/** Whether a run has anything to tell: new or resolved events. */
export function hasNews(output: DetectorOutput): boolean {
  return output.new_events.length > 0 || output.resolved_events.length > 0;
}
