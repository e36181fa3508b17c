// Renders the daily digest (pure): one message for email and chat, never the pager.
import { chatbotNotification } from '../detector/chat';
import { emailLine } from '../detector/message-text';
import { DEFAULT_PAGE_FLOOR } from '../detector/routing';
import { formatEt, parseTimestamp } from '../detector/time';
import type { NotificationMessage, SessionInfo } from '../detector/types';
import type { DigestData, DigestEpisode } from './digest-data';

/** The digest lists at most this many episodes, each line at most LINE_MAX: far under SNS's 256 KiB. */
export const EPISODES_MAX = 100;
const LINE_MAX = 600;
import { KPI_LABELS, KPI_NAMES } from './kpi';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const dow = (date: string) => WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()];
const hhmm = (iso: string | undefined) => {
  const ms = parseTimestamp(iso);
  return ms === undefined ? '?' : formatEt(ms).slice(11, 16);
};
/** ET time, with the date when it is not the session's own day. */
const etAt = (iso: string | undefined, date: string) => {
  const ms = parseTimestamp(iso);
  if (ms === undefined) return '?';
  const et = formatEt(ms);
  return et.slice(0, 10) === date ? `${et.slice(11, 16)} ET` : `${et.slice(0, 10)} ${et.slice(11, 16)} ET`;
};

export function sessionHours(s: SessionInfo): string {
  return `${dow(s.date)} ${s.date} ${hhmm(s.open)}-${hhmm(s.close)} ET (${s.open.slice(11, 16)}Z-${s.close.slice(11, 16)}Z)${s.early_close ? ', EARLY CLOSE' : ''}`;
}

function episodeLine(e: DigestEpisode, date: string): string {
  const ended =
    e.ended.kind === 'resolved'
      ? `resolved ${etAt(e.ended.at, date)}`
      : e.ended.kind === 'undelivered'
        ? `cleared ${etAt(e.ended.at, date)} before it could be told`
        : e.ended.kind === 'silenced'
          ? `cleared ${etAt(e.ended.at, date)} while silenced by ${e.silencedBy ?? '?'} (not told)`
          : `STILL OPEN at ${etAt(e.ended.at, date)}`;
  const sig = e.signature !== e.code ? ` (${e.signature})` : '';
  return `  - ${e.code}${sig} [${e.severity.toUpperCase()}${e.escalate ? ', ESCALATE' : ''}]: first ${etAt(e.firstSeen, date)}, last ${etAt(e.lastSeen, date)}, ${ended}`;
}

function countList(counts: Readonly<Record<string, number>>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

export function renderDigestEmail(d: DigestData, reportCommand: string): string {
  const date = d.session.date;
  const lines: string[] = [];
  lines.push(`aegis-pt-health: daily digest for the session of ${dow(date)} ${date}`);
  lines.push(`Session: ${sessionHours(d.session)}; digest at ${etAt(new Date(d.nowMs).toISOString(), date)}`);
  lines.push('', 'The session in numbers:');
  lines.push(`  Checks run: ${d.records.length} (${countList(d.checksByTrigger)})`);
  const c = d.coverage;
  lines.push(
    `  Schedule windows so far: ${c.expected} expected, ${c.covered} covered, ${c.missing_windows.length} missing${c.pending_windows.length ? `, ${c.pending_windows.length} pending` : ''}`,
  );
  for (const m of c.missing_windows.slice(0, 10)) lines.push(`    MISSING ${m.schedule} ${etAt(m.at, date)}`);
  const sent = d.notifications.CRITICAL + d.notifications.WARN + d.notifications.RESOLVED;
  lines.push(`  Notifications sent: ${sent} (${countList(d.notifications)})`);
  lines.push(
    `    per audience: ${(['email', 'chat', 'page'] as const).map((a) => `${a} ${d.routed && !d.routed.includes(a) ? 'not routed' : d.audiences[a]}`).join(', ')} (floor ${d.pageFloor ?? DEFAULT_PAGE_FLOOR})`,
  );
  lines.push(`  Decisions: ${countList(d.decisions)}`);
  lines.push('', d.episodes.length > 0 ? `Events (${d.episodes.length}):` : 'Events: none');
  // Bounded by construction: the report has every episode.
  for (const e of d.episodes.slice(0, EPISODES_MAX)) lines.push(emailLine(episodeLine(e, date), LINE_MAX));
  const held = d.episodes.filter((e) => e.silencedBy);
  if (held.length > 0) {
    const by = [...new Set(held.map((e) => e.silencedBy))];
    lines.push(
      emailLine(
        `  Silences held back ${held.length} event(s) today (${by.slice(0, 10).join(', ')}${by.length > 10 ? ', ...' : ''}); ${held.filter((e) => e.ended.kind === 'silenced').length} cleared while silenced, never told`,
        LINE_MAX,
      ),
    );
  }
  if (d.episodes.length > EPISODES_MAX)
    lines.push(`  ... and ${d.episodes.length - EPISODES_MAX} more (the session report lists every one)`);
  lines.push('', 'Post-close proof:');
  const p = d.proof;
  if (p.kind === 'seen') lines.push(`  ${p.summary} (seen ${etAt(p.seenAt, date)})`);
  else if (p.kind === 'missing') lines.push(`  MISSING: ${p.summary} (at ${etAt(p.seenAt, date)})`);
  else lines.push(`  not seen yet; due by ${etAt(p.dueAt, date)} (the checks keep watching for it)`);
  const known = d.previous.filter((s) => s.kpis !== null).length;
  lines.push(
    '',
    `KPIs (to drive to zero), this session against the mean of the ${known} previous with records:`,
  );
  for (const name of KPI_NAMES) {
    const now = d.kpis.kpis ? String(d.kpis.kpis[name]) : '-';
    const history = d.previous.map((s) => (s.kpis ? String(s.kpis[name]) : '-')).join(', ');
    lines.push(
      `  ${KPI_LABELS[name].padEnd(36)}${now.padStart(5)}  ${(d.trend?.[name] ?? '-').padEnd(5)}${history ? ` previous: ${history}` : ''}`,
    );
  }
  const named = [
    d.kpis.trades.length ? `trades ${d.kpis.trades.join(', ')}` : '',
    d.kpis.positions.length ? `positions ${d.kpis.positions.join(', ')}` : '',
    d.kpis.tasks.length ? `tasks ${d.kpis.tasks.join(', ')}` : '',
  ].filter(Boolean);
  if (named.length > 0) lines.push(`  (${named.join('; ')})`);
  lines.push('', 'Next session:');
  for (const closed of d.closedDays) lines.push(`  market closed ${dow(closed)} ${closed}`);
  lines.push(d.next ? `  ${sessionHours(d.next)}` : '  none in the next three weeks');
  lines.push('', 'Session report:', `  ${reportCommand}`);
  if (d.unsent?.length)
    lines.push(
      '',
      'Earlier digests that could not be sent to every audience:',
      ...d.unsent.slice(0, 5).map((u) => emailLine(`  ${u}`, LINE_MAX)),
    );
  return lines.join('\n');
}

/** Chatbot's custom notification (aws-contracts.md): the numbers in short, the email has the rest. */
export function renderDigestChat(d: DigestData, title: string, reportCommand: string): string {
  const sent = d.notifications.CRITICAL + d.notifications.WARN + d.notifications.RESOLVED;
  const kpis = d.kpis.kpis;
  const lines = [
    `Checks: ${d.records.length}; windows missed: ${d.coverage.missing_windows.length}; notifications: ${sent}`,
    `Events: ${d.episodes.length} (${d.episodes.filter((e) => e.ended.kind === 'open').length} still open)`,
    `Post-close proof: ${d.proof.kind === 'seen' ? d.proof.summary : d.proof.kind === 'missing' ? 'MISSING' : 'not seen yet'}`,
    ...(kpis ? KPI_NAMES.map((n) => `${KPI_LABELS[n]}: ${kpis[n]} (${d.trend?.[n] ?? '-'})`) : []),
    `Next session: ${d.next ? sessionHours(d.next) : 'none in the next three weeks'}`,
  ];
  return chatbotNotification({
    title,
    description: lines.join('\n'),
    nextSteps: [`Session report: ${reportCommand}`],
    keywords: ['digest'],
    threadId: `aegis-pt-${d.session.date}`,
  });
}

export function renderDigest(d: DigestData, reportCommand: string): NotificationMessage {
  const sent = d.notifications.CRITICAL + d.notifications.WARN + d.notifications.RESOLVED;
  const open = d.episodes.filter((e) => e.ended.kind === 'open').length;
  const proof =
    d.proof.kind === 'seen' ? 'proof ok' : d.proof.kind === 'missing' ? 'PROOF MISSING' : 'proof pending';
  const subject = `DIGEST aegis-pt ${d.session.date}: ${d.records.length} checks, ${sent} alerts, ${open} open, ${d.coverage.missing_windows.length} missed, ${proof}`;
  return {
    subject: subject.slice(0, 99),
    email: renderDigestEmail(d, reportCommand),
    sms: `DIGEST aegis-pt ${d.session.date}: see email`,
    severity: 'DIGEST',
    decision: 'observe',
    chat: renderDigestChat(d, subject.slice(0, 99), reportCommand),
    // No paging level: the page route (sns-routes.ts) never takes the digest; email and chat do.
    page_level: null,
  };
}
