// Who was actually told what: the report's notification table, one row per message a run sent (an
// alert, the digest, a silence announcement), with what each audience (page, email, chat) got. It reads
// the run record's notification log (`notifications`, written by the check after each audience's own
// publish); a record without it predates that log and says so: never "all subscribers".
import { AUDIENCES, type Audience } from '../../lambda/detector/audiences';
import type { DetectorOutput, RunNotification, RunRecord, Severity } from '../../lambda/detector/types';
import { readRun, list, text, type ReadRun } from './report-record';
import { joinHtml, markup, type Html } from './report-html';
import { COLORS, etJst } from './report-sections';

export type NotificationKind = RunNotification['kind'];
const KINDS: readonly NotificationKind[] = ['alert', 'digest', 'silence'];

/** What one audience got from one message, as the run recorded it. */
export interface AudienceOutcome {
  readonly outcome: 'told' | 'failed';
  readonly subject: string;
  readonly signatures: readonly string[];
  readonly error?: string;
}

/** One message a run sent (or tried to), with its outcome per audience. */
export interface Notification {
  readonly t: number;
  readonly trigger: string;
  readonly kind: NotificationKind;
  readonly decision: DetectorOutput['decision'];
  readonly reason: string;
  readonly newEvents: readonly { code: string; severity: Severity; escalate: boolean }[];
  readonly resolved: readonly string[];
  /** Per audience; an audience absent was not due this message. Null: the record predates the log. */
  readonly audiences: Readonly<Partial<Record<Audience, AudienceOutcome>>> | null;
  /** The audiences the run could tell (a topic each); null: the record predates saying so. */
  readonly routed: readonly Audience[] | null;
  readonly redelivery: boolean;
}

/** The record's notification log, entries of other shapes dropped; null when it has none. */
function logOf(
  log: unknown,
): { kind: NotificationKind; audience: Audience; entry: AudienceOutcome }[] | null {
  if (!Array.isArray(log)) return null;
  return log.flatMap((raw: unknown) => {
    const e = (raw ?? {}) as Record<string, unknown>;
    const kind = KINDS.find((k) => k === e.kind);
    const audience = AUDIENCES.find((a) => a === e.audience);
    if (!kind || !audience || (e.outcome !== 'told' && e.outcome !== 'failed')) return [];
    const entry: AudienceOutcome = {
      outcome: e.outcome,
      subject: text(e.subject),
      signatures: list(e.signatures).flatMap((s) => (typeof s === 'string' ? [text(s, 120)] : [])),
      ...(typeof e.error === 'string' ? { error: text(e.error) } : {}),
    };
    return [{ kind, audience, entry }];
  });
}

/** The messages one run sent: its alert (new or resolved events), and any digest or silence notice. */
export function notificationsOf(r: RunRecord, t: number): Notification[] {
  return notificationsOfRun({ ...readRun(r), t });
}

export function notificationsOfRun(run: ReadRun): Notification[] {
  const log = logOf(run.log);
  const routed = Array.isArray(run.routed)
    ? AUDIENCES.filter((a) => (run.routed as unknown[]).includes(a))
    : null;
  const base = {
    routed,
    t: run.t,
    trigger: run.trigger,
    decision: run.decision as DetectorOutput['decision'],
    reason: run.reason,
    redelivery: run.redelivery,
  };
  const out: Notification[] = [];
  for (const kind of KINDS) {
    const entries = log?.filter((e) => e.kind === kind) ?? [];
    const news = kind === 'alert' && (run.newEvents.length > 0 || run.resolved.length > 0);
    if (!news && entries.length === 0) continue;
    out.push({
      ...base,
      kind,
      newEvents: kind === 'alert' ? run.newEvents : [],
      resolved: kind === 'alert' ? run.resolved.map((e) => e.code) : [],
      audiences: log === null ? null : Object.fromEntries(entries.map((e) => [e.audience, e.entry])),
    });
  }
  return out;
}

function toldCodes(n: Notification): Html {
  if (n.kind !== 'alert') {
    const subject = Object.values(n.audiences ?? {}).find((a) => a?.subject)?.subject ?? n.kind;
    return markup`<span class="kind-${n.kind}">${n.kind}: ${subject}</span>`;
  }
  const fresh = n.newEvents.map(
    (e) =>
      markup`<span class="sev-${e.severity}">${e.severity}${e.escalate ? ' ESCALATE' : ''} ${e.code}</span>`,
  );
  const resolved = n.resolved.map((c) => markup`<span class="resolved">resolved ${c}</span>`);
  return joinHtml([...fresh, ...resolved], ', ');
}

function audienceCell(n: Notification, a: Audience): Html {
  const o = n.audiences?.[a];
  if (!o && n.routed && !n.routed.includes(a))
    return markup`<td class="audience audience-unrouted" data-audience="${a}" title="no ${a} topic: this audience is not routed">not routed</td>`;
  if (!o) return markup`<td class="audience audience-none" data-audience="${a}" title="not due">-</td>`;
  const detail = `${o.subject}${o.signatures.length ? ` (${o.signatures.join(', ')})` : ''}`;
  return o.outcome === 'told'
    ? markup`<td class="audience audience-told" data-audience="${a}" style="color:${COLORS.ok}" title="${detail}">&#10003; told</td>`
    : markup`<td class="audience audience-failed" data-audience="${a}" style="color:${COLORS.critical}" title="${detail}">&#10007; failed${o.error ? `: ${o.error}` : ''}</td>`;
}

function row(n: Notification): Html {
  const to =
    n.audiences === null
      ? markup`<td class="audience audience-unrecorded" colspan="3">not recorded: this record predates the notification log</td>`
      : AUDIENCES.map((a) => audienceCell(n, a));
  const again = n.redelivery ? markup` <i>(told again: the earlier delivery was not confirmed)</i>` : '';
  return markup`<tr class="notification notification-${n.decision} notification-kind-${n.kind}"><td>${etJst(n.t)}</td><td>${n.trigger}</td><td class="decision-${n.decision}">${n.decision}</td>${to}<td>${toldCodes(n)}${again}</td><td class="reason">${n.reason}</td></tr>`;
}

/** Each message the records say went out, and to whom: page, email and chat each told, failed or not due. */
export function notificationsTable(notifications: readonly Notification[]): Html {
  const head = AUDIENCES.map((a) => markup`<th>${a}</th>`);
  const rows = notifications.length
    ? notifications.map(row)
    : markup`<tr><td colspan="8">none went out</td></tr>`;
  return markup`<h2>Notifications (${notifications.length})</h2><div class="scroll"><table class="notifications"><tr><th>when</th><th>trigger</th><th>decision</th>${head}<th>what</th><th>decision reason</th></tr>${rows}</table></div>`;
}
