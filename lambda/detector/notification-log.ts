// The notification log per audience (Alertmanager's nflog): what each audience was told of each open
// signature, advanced only after that audience's own publish succeeded. The detector says what is due
// (new_events, resolved_events); this decides, per audience, what of it that audience still has to
// hear. Pure: the runtime (lambda/check/deliver.ts) stores the log in the snapshot and publishes.
import type { Audience } from './audiences';
import { LEVEL_RANK, levelOf } from './lifecycle';
import { parseTimestamp } from './time';
import type { DetectorEvent, DetectorOutput, Level, Severity } from './types';

/** What one audience heard of one signature (AM: a firing alert's hash plus Entry.timestamp). */
export interface ToldEntry {
  readonly code: string;
  readonly summary: string;
  readonly severity: Severity;
  readonly escalate: boolean;
  /** A different first_seen_at is another occurrence: new again. */
  readonly first_seen_at: string;
  /** The highest level this audience heard for this occurrence. */
  readonly level: Level;
  /** checked_at of the run whose publish to this audience succeeded. */
  readonly told_at: string;
  /** Set when its resolution fell due: the resolution is told from here even if the event is gone. */
  readonly resolved_at?: string;
}

/** Due to an audience but not confirmed: written ahead of the publish, cleared by its success. */
export interface OwedEntry extends Omit<ToldEntry, 'told_at'> {
  readonly due_at: string;
}

export interface AudienceLog {
  readonly told: Readonly<Record<string, ToldEntry>>;
  readonly owed: Readonly<Record<string, OwedEntry>>;
}

export type NotificationLog = Readonly<Partial<Record<Audience, AudienceLog>>>;

export type DueReason = 'new' | 'risen' | 'renotify' | 'released' | 'resolved' | 'missed';

/** What one audience is told by this run: a view of the output with only its own items. */
export interface AudiencePlan {
  readonly audience: Audience;
  readonly newEvents: readonly DetectorEvent[];
  readonly resolvedEvents: readonly DetectorEvent[];
  readonly reasons: Readonly<Record<string, DueReason>>;
}

export interface AudiencePolicy {
  /** The lowest level this audience is told (page: the configured floor; email and chat: warn). */
  readonly floor: Level;
  readonly renotifyCriticalSec: number;
}

/** An owed entry older than this is dropped (AM's retention): told as an info item, never silently. */
export const OWED_RETENTION_MS = 24 * 3600_000;
/** At most this many entries per audience and kind: the snapshot stays small whatever happens. */
export const LOG_MAX_ENTRIES = 500;
const SUMMARY_MAX = 300;

export const EMPTY_LOG: AudienceLog = { told: {}, owed: {} };

function bounded(summary: string): string {
  return summary.length <= SUMMARY_MAX ? summary : `${summary.slice(0, SUMMARY_MAX - 1)}…`;
}

function entryOf(e: DetectorEvent, level: Level): Omit<ToldEntry, 'told_at'> {
  return {
    code: e.code,
    summary: bounded(e.summary),
    severity: e.severity,
    escalate: e.escalate,
    first_seen_at: e.first_seen_at,
    level,
  };
}

function higher(a: Level, b: Level): Level {
  return LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;
}

/** The event a resolution is told with when this run's output no longer carries it. */
function resolvedFrom(sig: string, entry: Omit<ToldEntry, 'told_at'>, at: string): DetectorEvent {
  return {
    code: entry.code,
    severity: entry.severity,
    signature: sig,
    summary: entry.summary,
    details: {},
    first_seen_at: entry.first_seen_at,
    consecutive: 1,
    escalate: entry.escalate,
    notified_level: entry.level,
    resolved_at: entry.resolved_at ?? at,
  };
}

function strip(e: DetectorEvent, ...keys: (keyof DetectorEvent)[]): DetectorEvent {
  const copy: Record<string, unknown> = { ...e };
  for (const k of keys) delete copy[k];
  return copy as unknown as DetectorEvent;
}

/**
 * What `audience` is due at this run (AM's DedupStage.needsUpdate, per receiver):
 * - a due event at or above the floor: new when this audience never heard this occurrence; risen when
 *   it heard a lower level; released when a silence that held it ended; renotify when the detector
 *   re-notifies a critical this audience heard long enough ago; else it already has it.
 * - a signature this audience heard (or was owed) that is no longer open: resolved (missed when it
 *   was only owed), whatever the floor, even when the detector no longer carries it (a gap, a silence).
 */
export function dueFor(
  audience: Audience,
  output: DetectorOutput,
  log: AudienceLog | undefined,
  policy: AudiencePolicy,
): AudiencePlan {
  const { told, owed } = log ?? EMPTY_LOG;
  const nowMs = parseTimestamp(output.checked_at) ?? 0;
  const reasons: Record<string, DueReason> = {};
  const newEvents: DetectorEvent[] = [];
  for (const e of output.new_events) {
    const level = levelOf(e);
    if (LEVEL_RANK[level] < LEVEL_RANK[policy.floor]) continue;
    const t = told[e.signature];
    let reason: DueReason | undefined;
    if (!t || t.first_seen_at !== e.first_seen_at) reason = 'new';
    else if (LEVEL_RANK[level] > LEVEL_RANK[t.level]) reason = 'risen';
    else if (e.silence_ended) reason = 'released';
    else if (
      policy.renotifyCriticalSec > 0 &&
      e.severity === 'critical' &&
      nowMs - (parseTimestamp(t.told_at) ?? 0) >= policy.renotifyCriticalSec * 1000
    )
      reason = 'renotify';
    if (!reason) continue;
    reasons[e.signature] = reason;
    newEvents.push(e);
  }
  const open = new Set(output.events.map((e) => e.signature));
  const resolvedNow = new Map(output.resolved_events.map((e) => [e.signature, e]));
  const resolvedEvents: DetectorEvent[] = [];
  for (const sig of new Set([...Object.keys(told), ...Object.keys(owed)])) {
    if (open.has(sig)) continue;
    // Something due that this audience never heard (a new event, or a rise over what it heard) and
    // that cleared first is told as missed, at that level; else the resolution of what it heard.
    const reason: DueReason = owed[sig] ? 'missed' : 'resolved';
    const entry = owed[sig] ?? told[sig];
    const fromRun = resolvedNow.get(sig);
    const base = fromRun && fromRun.first_seen_at === entry.first_seen_at ? fromRun : undefined;
    const event = base
      ? { ...strip(base, 'undelivered'), notified_level: entry.level }
      : resolvedFrom(sig, entry, output.checked_at);
    reasons[sig] = reason;
    resolvedEvents.push(reason === 'missed' ? { ...event, undelivered: true } : event);
  }
  return { audience, newEvents, resolvedEvents, reasons };
}

/** Whether a plan tells its audience anything. */
export function hasDue(plan: AudiencePlan): boolean {
  return plan.newEvents.length > 0 || plan.resolvedEvents.length > 0;
}

/** The output as this audience hears it: only its own new and resolved events. */
export function viewFor(output: DetectorOutput, plan: AudiencePlan): DetectorOutput {
  return { ...output, new_events: plan.newEvents, resolved_events: plan.resolvedEvents };
}

/** Written with the claim, before the publish: the plan's new items are owed until confirmed. */
export function owedAhead(log: AudienceLog | undefined, plan: AudiencePlan, at: string): AudienceLog {
  const told = { ...(log ?? EMPTY_LOG).told };
  const owed = { ...(log ?? EMPTY_LOG).owed };
  for (const e of plan.newEvents) {
    const prior = owed[e.signature];
    const level =
      prior && prior.first_seen_at === e.first_seen_at ? higher(prior.level, levelOf(e)) : levelOf(e);
    owed[e.signature] = { ...entryOf(e, level), due_at: prior?.due_at ?? at };
  }
  // A resolution remembers when it fell due, so a retry tells the same time.
  for (const e of plan.resolvedEvents) {
    const at2 = e.resolved_at ?? at;
    if (told[e.signature]) told[e.signature] = { ...told[e.signature], resolved_at: at2 };
    if (owed[e.signature]) owed[e.signature] = { ...owed[e.signature], resolved_at: at2 };
  }
  return { told, owed };
}

/** After this audience's publish succeeded (AM's SetNotifiesStage): what it heard is in its log. */
export function recordTold(log: AudienceLog | undefined, plan: AudiencePlan, at: string): AudienceLog {
  const told = { ...(log ?? EMPTY_LOG).told };
  const owed = { ...(log ?? EMPTY_LOG).owed };
  for (const e of plan.newEvents) {
    const prior = told[e.signature];
    const same = prior && prior.first_seen_at === e.first_seen_at;
    told[e.signature] = { ...entryOf(e, same ? higher(prior.level, levelOf(e)) : levelOf(e)), told_at: at };
    delete owed[e.signature];
  }
  for (const e of plan.resolvedEvents) {
    delete told[e.signature];
    delete owed[e.signature];
  }
  return { told, owed };
}

/** The signatures still owed to any audience: the detector must not count them as told. */
export function owedSignatures(log: NotificationLog): Set<string> {
  const out = new Set<string>();
  for (const a of Object.values(log)) for (const sig of Object.keys(a?.owed ?? {})) out.add(sig);
  return out;
}

export interface Trimmed {
  readonly log: NotificationLog;
  /** What was dropped and why, for an info item. */
  readonly dropped: readonly string[];
}

function newest<T>(entries: Record<string, T>, at: (t: T) => string): Record<string, T> {
  const keys = Object.keys(entries);
  if (keys.length <= LOG_MAX_ENTRIES) return entries;
  const kept = keys.sort((a, b) => at(entries[b]).localeCompare(at(entries[a]))).slice(0, LOG_MAX_ENTRIES);
  return Object.fromEntries(kept.map((k) => [k, entries[k]]));
}

/** AM's GC: only routed audiences keep a log; owed entries past retention and any excess are dropped. */
export function expireLog(log: NotificationLog, routed: readonly Audience[], nowMs: number): Trimmed {
  const out: Partial<Record<Audience, AudienceLog>> = {};
  const dropped: string[] = [];
  for (const a of routed) {
    const l = log[a];
    if (!l) continue;
    const owed: Record<string, OwedEntry> = {};
    for (const [sig, o] of Object.entries(l.owed)) {
      if (nowMs - (parseTimestamp(o.due_at) ?? nowMs) > OWED_RETENTION_MS)
        dropped.push(`${a}: ${sig} owed since ${o.due_at}`);
      else owed[sig] = o;
    }
    const told = newest(l.told, (t) => t.told_at);
    const kept = newest(owed, (o) => o.due_at);
    const over =
      Object.keys(l.told).length -
      Object.keys(told).length +
      Object.keys(owed).length -
      Object.keys(kept).length;
    if (over > 0) dropped.push(`${a}: ${over} oldest entr(ies) over ${LOG_MAX_ENTRIES}`);
    out[a] = { told, owed: kept };
  }
  return { log: out, dropped };
}

/**
 * A log for a snapshot written before logs existed (its `notified_at` / `notified_level`): every
 * audience heard what the snapshot says was told, the pager only at or above its floor, so a deploy
 * does not re-tell every open event. Events of an unconfirmed delivery are owed instead.
 */
export function seedLog(
  output: DetectorOutput,
  routed: readonly Audience[],
  floors: Readonly<Record<Audience, Level>>,
  unconfirmed: boolean,
): NotificationLog {
  const out: Partial<Record<Audience, AudienceLog>> = {};
  const unconfirmedAt = unconfirmed ? output.checked_at : undefined;
  for (const a of routed) {
    const told: Record<string, ToldEntry> = {};
    const owed: Record<string, OwedEntry> = {};
    for (const e of output.events) {
      if (e.notified_at === undefined) continue;
      const level = e.notified_level ?? levelOf(e);
      if (LEVEL_RANK[level] < LEVEL_RANK[floors[a]]) continue;
      if (e.notified_at === unconfirmedAt)
        owed[e.signature] = { ...entryOf(e, level), due_at: e.notified_at };
      else told[e.signature] = { ...entryOf(e, level), told_at: e.notified_at };
    }
    // Resolutions an unconfirmed delivery carried were not heard either: still due from the log.
    if (unconfirmed)
      for (const e of output.resolved_events) {
        if (e.notified_at === undefined) continue;
        const level = e.notified_level ?? levelOf(e);
        if (LEVEL_RANK[level] < LEVEL_RANK[floors[a]]) continue;
        told[e.signature] = { ...entryOf(e, level), told_at: e.notified_at, resolved_at: e.resolved_at };
      }
    out[a] = { told, owed };
  }
  return out;
}
