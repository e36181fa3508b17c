// The daily digest step of a check: once per trading day, when it is due, exactly one digest. A marker
// object per day, written with If-None-Match / If-Match, decides which run sends it; a failed publish
// marks the day failed so the next check sends it again, like any notification.
import { randomUUID } from 'node:crypto';
import { sessionOn } from '../detector/market-clock';
import { etWallToUtc, formatUtc, parseTimestamp } from '../detector/time';
import type { SessionInfo } from '../detector/types';
import { CLAIM_TTL_MS } from '../check/claim';
import { WriteConflictError, type CheckDeps, type MarkerStore } from '../ports';
import { scheduleDefinitions, type ScheduleDefinition } from '../shared/schedules';
import { digestSessionAt, nextSessionAfter } from '../shared/session-rhythm';
import { digestKey } from '../shared/state-layout';
import { digestData } from './digest-data';
import type { Kpis, SessionKpis } from './kpi';
import { renderDigest } from './render-digest';

/** How many earlier sessions the digest compares the KPIs with (their markers carry them). */
export const DIGEST_HISTORY = 5;

export interface DigestMarker {
  readonly state: 'pending' | 'sent' | 'failed';
  readonly session_date: string;
  readonly run_id: string;
  readonly claimed_at: string;
  readonly sent_at?: string;
  readonly subject?: string;
  /** This session's KPIs, so later digests compare without reading old run records. */
  readonly kpis?: SessionKpis;
}

export type DigestOutcome =
  | { readonly state: 'sent'; readonly session: string; readonly subject: string }
  | { readonly state: 'not_due' | 'unsupported' | 'skipped' }
  | { readonly state: 'already_sent' | 'in_flight' | 'lost_race'; readonly session: string };

export interface DigestOptions {
  readonly definitions?: readonly ScheduleDefinition[];
  /** The command an operator runs to open the session report. */
  readonly reportCommand?: (date: string) => string;
  /** The run's own deadline (wall clock ms): too close to it, the digest waits for the next check. */
  readonly deadlineMs?: number;
}

/** What a digest needs at most: list and read one day of run records, publish, write the marker. */
export const DIGEST_TIME_MS = 15_000;

export const defaultReportCommand = (date: string) =>
  `aegis-pt-health report --date ${date} --profile <ops profile>   (offline: --runs-dir DIR)`;

function decodeMarker(text: string): DigestMarker | null {
  try {
    const m = JSON.parse(text) as DigestMarker;
    return typeof m === 'object' && m !== null && typeof m.state === 'string' ? m : null;
  } catch {
    return null;
  }
}

const DAY_MS = 86_400_000;
const shift = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

async function previousKpis(markers: MarkerStore, session: SessionInfo, closures: readonly string[]) {
  const sessions: SessionInfo[] = [];
  for (
    let d = shift(session.date, -1), i = 0;
    sessions.length < DIGEST_HISTORY && i < 30;
    d = shift(d, -1), i++
  ) {
    const s = sessionOn(d, closures);
    if (s) sessions.unshift(s);
  }
  const read = await Promise.all(
    sessions.map((s) => markers.readMarker(digestKey(s.date)).catch(() => null)),
  );
  return sessions.map((s, i): SessionKpis => {
    const m = read[i] ? decodeMarker(read[i].text) : null;
    const kpis: Kpis | null = m?.state === 'sent' && m.kpis?.kpis ? m.kpis.kpis : null;
    return { date: s.date, early_close: s.early_close, runs: 0, kpis, trades: [], positions: [], tasks: [] };
  });
}

export async function sendDigestIfDue(deps: CheckDeps, options: DigestOptions = {}): Promise<DigestOutcome> {
  const markers = deps.markers;
  if (!markers) return { state: 'unsupported' };
  if (options.deadlineMs !== undefined && options.deadlineMs - Date.now() < DIGEST_TIME_MS) {
    deps.log.warn('too little time left in this run for the daily digest; the next check sends it');
    return { state: 'skipped' };
  }
  const config = deps.config;
  const definitions = options.definitions ?? scheduleDefinitions();
  const nowMs = deps.clock.now().getTime();
  const session = digestSessionAt(nowMs, config.postCloseReconcileSec, definitions, config.marketClosures);
  if (!session) return { state: 'not_due' };
  const key = digestKey(session.date);
  const current = await markers.readMarker(key);
  const marker = current ? decodeMarker(current.text) : null;
  if (marker?.state === 'sent') return { state: 'already_sent', session: session.date };
  if (marker?.state === 'pending' && nowMs - (parseTimestamp(marker.claimed_at) ?? 0) < CLAIM_TTL_MS)
    return { state: 'in_flight', session: session.date };
  // The session's own ET day only: a digest retried the next morning still describes its day.
  const from = etWallToUtc(session.date, 0, 0);
  const to = Math.min(nowMs, etWallToUtc(shift(session.date, 1), 0, 0) - 1);
  const listing = await deps.store.listRuns({
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
  });
  // A day the monitor did not watch (before its first deploy) has nothing to digest.
  if (listing.records.length === 0) return { state: 'not_due' };
  const claim: DigestMarker = {
    state: 'pending',
    session_date: session.date,
    run_id: randomUUID(),
    claimed_at: formatUtc(nowMs),
  };
  let etag: string;
  try {
    etag = await markers.writeMarker(key, JSON.stringify(claim), current?.etag ?? null);
  } catch (err) {
    if (err instanceof WriteConflictError) return { state: 'lost_race', session: session.date };
    throw err;
  }
  try {
    const next = nextSessionAfter(session.date, config.marketClosures);
    const closedDays: string[] = [];
    for (let d = shift(session.date, 1); next && d < next.date; d = shift(d, 1)) {
      const day = new Date(`${d}T00:00:00Z`).getUTCDay();
      if (day !== 0 && day !== 6) closedDays.push(d);
    }
    const data = digestData({
      session,
      records: listing.records,
      nowMs: to,
      definitions,
      postCloseSec: config.postCloseReconcileSec,
      previous: await previousKpis(markers, session, config.marketClosures),
      next,
      closedDays,
    });
    const message = renderDigest(data, (options.reportCommand ?? defaultReportCommand)(session.date));
    await deps.notifier.publish(message);
    const sent: DigestMarker = {
      ...claim,
      state: 'sent',
      sent_at: formatUtc(deps.clock.now().getTime()),
      subject: message.subject,
      kpis: data.kpis,
    };
    await markers.writeMarker(key, JSON.stringify(sent), etag).catch((err: unknown) => {
      // Sent already: the pending claim expires and the digest may go once more, never zero times.
      deps.log.warn('could not confirm the daily digest on its marker', {
        key,
        error: (err as Error).message,
      });
    });
    deps.log.info('daily digest sent', { session: session.date, subject: message.subject });
    return { state: 'sent', session: session.date, subject: message.subject };
  } catch (err) {
    deps.log.error('daily digest failed; the next check sends it again', {
      key,
      error: (err as Error).message,
    });
    await markers
      .writeMarker(key, JSON.stringify({ ...claim, state: 'failed' }), etag)
      .catch((markErr: unknown) =>
        deps.log.warn('could not mark the digest failed', { key, error: (markErr as Error).message }),
      );
    // Never a WriteConflictError: the check's own loop would take it for a snapshot race and re-run.
    throw err instanceof WriteConflictError ? new Error(`daily digest: ${err.message}`) : err;
  }
}
