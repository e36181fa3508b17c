// The daily digest step of a check: once per trading day, when it is due, one digest per audience
// (email and chat; never the pager). A marker object per day, written with If-None-Match / If-Match,
// decides which run sends it and records which audiences got it; a failed audience is sent again by
// the next check, alone. A side job: its failure is its outcome, never the check's.
import { randomUUID } from 'node:crypto';
import type { Audience } from '../detector/audiences';
import { sessionOn } from '../detector/market-clock';
import { etWallToUtc, formatUtc, parseTimestamp } from '../detector/time';
import type { RunNotification, RunRecord, SessionInfo } from '../detector/types';
import { claimHoldMs, LEGACY_CLAIM_TTL_MS } from '../check/claim';
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
  /** `empty`: the monitor has no record of that day (it was deployed after it): nothing to digest. */
  readonly state: 'pending' | 'sent' | 'failed' | 'empty';
  readonly session_date: string;
  readonly run_id: string;
  readonly claimed_at: string;
  /** Until when the claiming run may still be sending (absent in older markers). */
  readonly expires_at?: string;
  /** When each audience got this day's digest. */
  readonly told?: Partial<Record<Audience, string>>;
  /** Why the last attempt failed, for the next digest to say. */
  readonly error?: string;
  /** MARKER_WRITER when the check wrote it. */
  readonly writer?: string;
  readonly sent_at?: string;
  readonly subject?: string;
  /** This session's KPIs, so later digests compare without reading old run records. */
  readonly kpis?: SessionKpis;
}

export type DigestOutcome =
  | { readonly state: 'sent'; readonly session: string; readonly subject: string }
  | { readonly state: 'not_due' | 'unsupported' | 'skipped' }
  | { readonly state: 'already_sent' | 'in_flight' | 'lost_race'; readonly session: string }
  | { readonly state: 'failed'; readonly session?: string; readonly error: string };

export interface DigestOptions {
  readonly definitions?: readonly ScheduleDefinition[];
  /** The command an operator runs to open the session report. */
  readonly reportCommand?: (date: string) => string;
  /** The run's own deadline (wall clock ms): too close to it, the digest waits for the next check. */
  readonly deadlineMs?: number;
  /** Receives one entry per audience the digest was published to (the run record's notifications). */
  readonly notifications?: RunNotification[];
}

/** What a digest needs at most: list and read one day of run records, publish, write the marker. */
export const DIGEST_TIME_MS = 15_000;

export const defaultReportCommand = (date: string) =>
  `aegis-pt-health report --date ${date} --profile <ops profile>   (offline: --runs-dir DIR)`;

/**
 * Written into every marker the check writes. A marker that would stop a digest (sent, empty) without
 * it was not written by the monitor (a hand-made one, or one from before markers carried it): it is
 * ignored and the digest goes out, saying so. The bucket policy is what keeps others from writing
 * markers at all; this field makes a marker written around it visible instead of silencing the digest.
 */
export const MARKER_WRITER = 'aegis-pt-health check';

/** A marker that would stop the day's digest but was not written by the monitor. */
function untrusted(m: DigestMarker | null): boolean {
  return (m?.state === 'sent' || m?.state === 'empty') && m.writer !== MARKER_WRITER;
}

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
  const previous = sessions.map((s, i): SessionKpis => {
    const m = read[i] ? decodeMarker(read[i].text) : null;
    const kpis: Kpis | null = m?.state === 'sent' && m.kpis?.kpis ? m.kpis.kpis : null;
    return { date: s.date, early_close: s.early_close, runs: 0, kpis, trades: [], positions: [], tasks: [] };
  });
  // A digest that was claimed but never went out to everyone is said in the next one, never dropped.
  // An `empty` marker (a day with no records) owed nothing: it is settled, not unsent.
  const unsent = sessions.flatMap((s, i) => {
    const m = read[i] ? decodeMarker(read[i].text) : null;
    return m && m.state !== 'sent' && m.state !== 'empty'
      ? [`${s.date}${m.error ? ` (${m.error})` : ''}`]
      : [];
  });
  return { previous, unsent };
}

/** What the digest needs of a record: the observation only for the trades and positions it lists. */
function slim(record: RunRecord): RunRecord {
  const status = record.observation?.status_v3 as
    { recent_trades?: unknown; open_positions?: unknown } | undefined;
  if (!record.observation) return record;
  return {
    ...record,
    observation: {
      ...record.observation,
      status_v3: status
        ? { recent_trades: status.recent_trades, open_positions: status.open_positions }
        : undefined,
      ecs: undefined,
      silences: undefined,
    } as RunRecord['observation'],
  };
}

/**
 * Sends the day's digest when it is due. Throws when an audience could not be told (after marking the
 * day failed, so the next check sends it again); the check's side-jobs stage turns that into the
 * step's outcome, so it never fails the check.
 */
export function sendDigestIfDue(deps: CheckDeps, options: DigestOptions = {}): Promise<DigestOutcome> {
  return digestStep(deps, options, options.notifications ?? []);
}

/**
 * Days whose marker this container already saw settled (sent, or empty), per marker store: a warm
 * container then asks S3 nothing more about them. Markers are only ever settled once.
 */
const settledDays = new WeakMap<MarkerStore, Set<string>>();

function settled(markers: MarkerStore): Set<string> {
  let days = settledDays.get(markers);
  if (!days) settledDays.set(markers, (days = new Set()));
  return days;
}

async function digestStep(
  deps: CheckDeps,
  options: DigestOptions,
  notifications: RunNotification[],
): Promise<DigestOutcome> {
  const markers = deps.markers;
  if (!markers) return { state: 'unsupported' };
  if (options.deadlineMs !== undefined && options.deadlineMs - Date.now() < DIGEST_TIME_MS) {
    deps.log.warn('too little time left in this run for the daily digest; the next check sends it');
    return { state: 'skipped' };
  }
  const config = deps.config;
  // The deployed crons (the Lambda's environment), so due time and coverage follow them.
  const definitions = options.definitions ?? deps.schedules ?? scheduleDefinitions();
  const nowMs = deps.clock.now().getTime();
  const session = digestSessionAt(nowMs, config.postCloseReconcileSec, definitions, config.marketClosures);
  if (!session) return { state: 'not_due' };
  const audiences = deps.notifier.audiences.filter((a) => a !== 'page');
  const key = digestKey(session.date);
  if (settled(markers).has(key)) return { state: 'already_sent', session: session.date };
  const current = await markers.readMarker(key);
  const read = current ? decodeMarker(current.text) : null;
  const forged = untrusted(read);
  if (forged)
    deps.log.warn('a digest marker not written by the monitor was ignored; the digest goes out', { key });
  const marker = forged ? null : read;
  const told = { ...(marker?.told ?? {}) };
  if (marker?.state === 'sent' || marker?.state === 'empty') {
    settled(markers).add(key);
    return marker.state === 'sent' ? { state: 'already_sent', session: session.date } : { state: 'not_due' };
  }
  const expires = marker?.expires_at
    ? (parseTimestamp(marker.expires_at) ?? 0)
    : (parseTimestamp(marker?.claimed_at) ?? 0) + LEGACY_CLAIM_TTL_MS;
  if (marker?.state === 'pending' && nowMs < expires) return { state: 'in_flight', session: session.date };
  // The session's own ET day only: a digest retried the next morning still describes its day.
  const from = etWallToUtc(session.date, 0, 0);
  const to = Math.min(nowMs, etWallToUtc(shift(session.date, 1), 0, 0) - 1);
  const listing = await deps.store.listRuns(
    { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    slim,
  );
  // A day the monitor did not watch (before its first deploy) has nothing to digest: said once on its
  // marker, so later checks do not list that day again.
  if (listing.records.length === 0) {
    if (!current) {
      const empty: DigestMarker = {
        writer: MARKER_WRITER,
        state: 'empty',
        session_date: session.date,
        run_id: randomUUID(),
        claimed_at: formatUtc(nowMs),
      };
      await markers.writeMarker(key, JSON.stringify(empty), null).catch(() => undefined);
    }
    return { state: 'not_due' };
  }
  const claim: DigestMarker = {
    writer: MARKER_WRITER,
    state: 'pending',
    session_date: session.date,
    run_id: randomUUID(),
    claimed_at: formatUtc(nowMs),
    expires_at: formatUtc(nowMs + claimHoldMs(Date.now(), options.deadlineMs ?? Date.now() + DIGEST_TIME_MS)),
    told,
  };
  let etag: string;
  try {
    etag = await markers.writeMarker(key, JSON.stringify(claim), current?.etag ?? null);
  } catch (err) {
    if (err instanceof WriteConflictError) return { state: 'lost_race', session: session.date };
    throw err;
  }
  const next = nextSessionAfter(session.date, config.marketClosures);
  const closedDays: string[] = [];
  for (let d = shift(session.date, 1); next && d < next.date; d = shift(d, 1)) {
    const day = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (day !== 0 && day !== 6) closedDays.push(d);
  }
  const history = await previousKpis(markers, session, config.marketClosures);
  const data = digestData({
    session,
    records: listing.records,
    nowMs: to,
    definitions,
    postCloseSec: config.postCloseReconcileSec,
    previous: history.previous,
    next,
    closedDays,
    pageFloor: deps.pageFloor,
    unsent: forged
      ? [...history.unsent, `${session.date}: its marker was not written by the monitor and was ignored`]
      : history.unsent,
  });
  const message = renderDigest(data, (options.reportCommand ?? defaultReportCommand)(session.date));
  const due = audiences.filter((a) => told[a] === undefined);
  const results = await Promise.allSettled(due.map((a) => deps.notifier.publish(a, message)));
  const errors: string[] = [];
  results.forEach((r, i) => {
    const base = { audience: due[i], kind: 'digest' as const, signatures: [], subject: message.subject };
    if (r.status === 'fulfilled') {
      told[due[i]] = formatUtc(deps.clock.now().getTime());
      notifications.push({ ...base, outcome: 'told' });
    } else {
      const error = `${due[i]}: ${(r.reason as Error)?.message ?? r.reason}`.slice(0, 300);
      errors.push(error);
      notifications.push({ ...base, outcome: 'failed', error });
    }
  });
  const done: DigestMarker =
    errors.length === 0
      ? {
          ...claim,
          state: 'sent',
          told,
          sent_at: formatUtc(deps.clock.now().getTime()),
          subject: message.subject,
          kpis: data.kpis,
        }
      : { ...claim, state: 'failed', told, error: errors.join('; ') };
  await markers.writeMarker(key, JSON.stringify(done), etag).catch((err: unknown) => {
    // Sent already: the pending claim expires and the digest may go once more, never zero times.
    deps.log.warn('could not confirm the daily digest on its marker', { key, error: (err as Error).message });
  });
  if (errors.length > 0) throw new Error(`daily digest: ${errors.join('; ')}`);
  deps.log.info('daily digest sent', { session: session.date, subject: message.subject });
  return { state: 'sent', session: session.date, subject: message.subject };
}
