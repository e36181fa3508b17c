// What the daily digest says, derived from one session's run records only (pure): no dashboard or ECS
// call, so the digest costs nothing the checks did not already pay for.
import { SEVERITY_RANK } from '../detector/lifecycle';
import { DEFAULT_PAGE_FLOOR, meetsFloor, pageLevel } from '../detector/routing';
import { etWallToUtc } from '../detector/time';
import type { Decision, Level, RunRecord, SessionInfo, Severity } from '../detector/types';
import { checkGaps, GAP_GRACE_MINUTES, type GapReport } from '../shared/gap';
import type { ScheduleDefinition } from '../shared/schedules';
import { proofDueAt } from '../shared/session-rhythm';
import { kpiTrend, sessionKpis, type SessionKpis, type Trend, type KpiName } from './kpi';

/** One event from first to last seen, and how it ended. */
export interface DigestEpisode {
  readonly code: string;
  readonly signature: string;
  readonly severity: Severity;
  readonly escalate: boolean;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** resolved (told), resolved before it could be told, cleared while a silence held it, or still open. */
  readonly ended: {
    readonly kind: 'resolved' | 'undelivered' | 'silenced' | 'open';
    readonly at?: string;
  };
  /** The silence that held it back (a deploy window): it was recorded, not told. */
  readonly silencedBy?: string;
}

export type ProofState =
  | { readonly kind: 'seen'; readonly summary: string; readonly seenAt: string }
  | { readonly kind: 'missing'; readonly summary: string; readonly seenAt: string }
  | { readonly kind: 'not_yet_due'; readonly dueAt: string };

export interface DigestInput {
  readonly session: SessionInfo;
  /** The session's run records (its ET day), up to the digest. */
  readonly records: readonly RunRecord[];
  readonly nowMs: number;
  readonly definitions: readonly ScheduleDefinition[];
  readonly postCloseSec: number;
  /** Earlier sessions' KPIs (from their digests), oldest first. */
  readonly previous: readonly SessionKpis[];
  readonly next: SessionInfo | null;
  /** Weekdays between this session and the next on which the market is closed. */
  readonly closedDays: readonly string[];
  /** The page route's floor: runs told at or above it also went to the pager. */
  readonly pageFloor?: Level;
  /** Earlier sessions whose digest was claimed but never reached every audience, each with why. */
  readonly unsent?: readonly string[];
}

export interface DigestData extends DigestInput {
  readonly checksByTrigger: Readonly<Record<string, number>>;
  readonly coverage: GapReport;
  readonly notifications: Readonly<Record<'CRITICAL' | 'WARN' | 'RESOLVED', number>>;
  /** Notifications per audience: email and chat take every one, the pager those at its floor. */
  readonly audiences: Readonly<Record<'email' | 'chat' | 'page', number>>;
  /** The audiences any run could tell (the records' `routed`); undefined when no record says. */
  readonly routed?: readonly ('email' | 'chat' | 'page')[];
  readonly decisions: Readonly<Record<Decision, number>>;
  readonly episodes: readonly DigestEpisode[];
  readonly proof: ProofState;
  readonly kpis: SessionKpis;
  readonly trend: Readonly<Record<KpiName, Trend>> | null;
}

const DAY_MS = 86_400_000;

function episodesOf(records: readonly RunRecord[]): DigestEpisode[] {
  const byKey = new Map<string, DigestEpisode>();
  for (const r of records) {
    for (const e of r.events) {
      const key = `${e.signature}@${e.first_seen_at}`;
      const prior = byKey.get(key);
      byKey.set(key, {
        code: e.code,
        signature: e.signature,
        severity:
          prior && SEVERITY_RANK[prior.severity] > SEVERITY_RANK[e.severity] ? prior.severity : e.severity,
        escalate: (prior?.escalate ?? false) || e.escalate,
        firstSeen: e.first_seen_at,
        lastSeen: r.checked_at,
        ended: { kind: 'open', at: r.checked_at },
        ...((prior?.silencedBy ?? e.silenced_by) ? { silencedBy: prior?.silencedBy ?? e.silenced_by } : {}),
      });
    }
    // An event that cleared while silenced has no resolution in the records (it was never told):
    // it ended at the first run that no longer saw it.
    const seen = new Set(r.events.map((e) => `${e.signature}@${e.first_seen_at}`));
    for (const [key, ep] of byKey)
      if (ep.ended.kind === 'open' && ep.silencedBy && !seen.has(key))
        byKey.set(key, { ...ep, ended: { kind: 'silenced', at: r.checked_at } });
    for (const e of r.resolved_events) {
      const key = `${e.signature}@${e.first_seen_at}`;
      const prior = byKey.get(key);
      if (!prior) continue;
      const undelivered = (e as { undelivered?: boolean }).undelivered === true;
      byKey.set(key, {
        ...prior,
        ended: { kind: undelivered ? 'undelivered' : 'resolved', at: e.resolved_at ?? r.checked_at },
      });
    }
  }
  return [...byKey.values()].sort(
    (a, b) => a.firstSeen.localeCompare(b.firstSeen) || a.code.localeCompare(b.code),
  );
}

function proofOf(records: readonly RunRecord[], session: SessionInfo, postCloseSec: number): ProofState {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i];
    const seen = r.info.find((x) => x.code === 'post_close_reconcile_seen');
    if (seen) return { kind: 'seen', summary: seen.summary, seenAt: r.checked_at };
    const missing = r.events.find((e) => e.code === 'post_close_reconcile_missing');
    if (missing) return { kind: 'missing', summary: missing.summary, seenAt: r.checked_at };
  }
  return { kind: 'not_yet_due', dueAt: new Date(proofDueAt(session, postCloseSec)).toISOString() };
}

function headline(r: RunRecord): 'CRITICAL' | 'WARN' | 'RESOLVED' {
  if (r.new_events.some((e) => e.severity === 'critical')) return 'CRITICAL';
  return r.new_events.length > 0 ? 'WARN' : 'RESOLVED';
}

export function digestData(input: DigestInput): DigestData {
  const records = [...input.records].sort((a, b) => a.checked_at.localeCompare(b.checked_at));
  const checksByTrigger: Record<string, number> = {};
  const notifications = { CRITICAL: 0, WARN: 0, RESOLVED: 0 };
  const decisions: Record<Decision, number> = { observe: 0, notify: 0, escalate: 0 };
  const audiences = { email: 0, chat: 0, page: 0 };
  const routed = new Set<'email' | 'chat' | 'page'>();
  let routedSaid = false;
  const floor = input.pageFloor ?? DEFAULT_PAGE_FLOOR;
  for (const r of records) {
    checksByTrigger[r.trigger.trigger] = (checksByTrigger[r.trigger.trigger] ?? 0) + 1;
    decisions[r.decision]++;
    if (Array.isArray(r.routed)) {
      routedSaid = true;
      for (const a of r.routed) if (a in audiences) routed.add(a);
    }
    if (r.notifications) {
      // The record says who was told: count those publishes that got through.
      const told = r.notifications.filter((n) => n.kind === 'alert' && n.outcome === 'told');
      if (told.length > 0) notifications[headline(r)]++;
      for (const n of told) audiences[n.audience]++;
    } else if (r.new_events.length > 0 || r.resolved_events.length > 0) {
      notifications[headline(r)]++;
      audiences.email++;
      audiences.chat++;
      if (meetsFloor(pageLevel(r), floor)) audiences.page++;
    }
  }
  const dayStart = etWallToUtc(input.session.date, 0, 0);
  const dayEnd =
    etWallToUtc(
      new Date(Date.parse(`${input.session.date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10),
      0,
      0,
    ) - 1;
  const coverage = checkGaps(
    records,
    input.definitions,
    dayStart,
    Math.min(input.nowMs, dayEnd),
    GAP_GRACE_MINUTES,
    input.nowMs,
  );
  const kpis = sessionKpis(input.session, records);
  return {
    ...input,
    records,
    checksByTrigger,
    coverage,
    notifications,
    audiences,
    ...(routedSaid ? { routed: [...routed] } : {}),
    decisions,
    episodes: episodesOf(records),
    proof: proofOf(records, input.session, input.postCloseSec),
    kpis,
    trend: kpis.kpis ? kpiTrend(kpis.kpis, input.previous) : null,
  };
}
