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
  /** Earlier occurrences of the signature, ended and still owed (told as missed), oldest first. */
  readonly earlier?: readonly Omit<OwedEntry, 'earlier'>[];
}

/** At most this many earlier occurrences per owed signature (each needs a clear and a reopen unheard). */
export const EARLIER_MAX = 10;

/** The entry alone, without earlier occurrences. */
export function withoutEarlier(o: OwedEntry): Omit<OwedEntry, 'earlier'> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'earlier')) as Omit<OwedEntry, 'earlier'>;
}

/** The entry with these earlier occurrences (none: without the field), the newest EARLIER_MAX kept. */
export function withEarlier(
  o: Omit<OwedEntry, 'earlier'>,
  earlier: readonly Omit<OwedEntry, 'earlier'>[],
): OwedEntry {
  const base = withoutEarlier(o);
  return earlier.length > 0 ? { ...base, earlier: earlier.slice(-EARLIER_MAX) } : base;
}

/** Every occurrence an owed entry holds, its earlier ones first. */
export function occurrences(o: OwedEntry | undefined): Omit<OwedEntry, 'earlier'>[] {
  return o ? [...(o.earlier ?? []), withoutEarlier(o)] : [];
}

/** `next` owed for a signature whose owed entry was `prior`: an ended earlier occurrence is kept. */
export function owedOver(prior: OwedEntry | undefined, next: Omit<OwedEntry, 'earlier'>): OwedEntry {
  if (!prior) return next;
  if (prior.first_seen_at === next.first_seen_at) return withEarlier(next, prior.earlier ?? []);
  return withEarlier(next, occurrences(prior));
}

/** An occurrence this audience heard end: a hand-off seen within it is not news (handoff.ts). */
export interface EndedEntry {
  readonly first_seen_at: string;
  readonly level: Level;
  /** checked_at of the run whose publish of the end (or of the missed event) succeeded. */
  readonly ended_at: string;
}

export interface AudienceLog {
  readonly told: Readonly<Record<string, ToldEntry>>;
  readonly owed: Readonly<Record<string, OwedEntry>>;
  /** Absent in logs written before hand-offs existed. */
  readonly ended?: Readonly<Record<string, EndedEntry>>;
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
/** Ended occurrences are remembered as long as a run's hand-off can still be read (handoff.ts). */
export const ENDED_RETENTION_MS = 24 * 3600_000;
export const ENDED_MAX_ENTRIES = 100;
/** Longest text a log entry keeps (a summary, a code); hand-offs carry entries bounded alike. */
export const LOG_TEXT_MAX = 300;

export const EMPTY_LOG: AudienceLog = { told: {}, owed: {} };

/** A text cut to LOG_TEXT_MAX characters, the cut marked. */
export function logText(text: string): string {
  return text.length <= LOG_TEXT_MAX ? text : `${text.slice(0, LOG_TEXT_MAX - 1)}…`;
}

function entryOf(e: DetectorEvent, level: Level): Omit<ToldEntry, 'told_at'> {
  return {
    code: e.code,
    summary: logText(e.summary),
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

/** An owed level above what the event shows now (a rise that failed, or a run that gave up saw it). */
function owedAbove(e: DetectorEvent, owed: Readonly<Record<string, OwedEntry>>): boolean {
  const o = owed[e.signature];
  return !!o && o.first_seen_at === e.first_seen_at && LEVEL_RANK[o.level] > LEVEL_RANK[levelOf(e)];
}

/** The event at the level it is owed at, saying when that was seen: that level is never lost. */
function atOwedLevel(e: DetectorEvent, o: OwedEntry | undefined): DetectorEvent {
  if (!o || !owedAbove(e, { [e.signature]: o })) return e;
  return {
    ...e,
    severity: o.severity,
    escalate: o.escalate,
    summary: logText(`${o.summary} (seen at ${o.due_at}; ${levelOf(e)} now)`),
  };
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
  const declared = new Set(output.new_events.map((e) => e.signature));
  const raisedOpen = output.events.filter(
    (e) => e.silenced_by === undefined && !declared.has(e.signature) && owedAbove(e, owed),
  );
  for (const seen of [...output.new_events, ...raisedOpen]) {
    const e = atOwedLevel(seen, owed[seen.signature]);
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
  const openSince = new Map(output.events.map((e) => [e.signature, e.first_seen_at]));
  const resolvedNow = new Map(output.resolved_events.map((e) => [e.signature, e]));
  const resolvedEvents: DetectorEvent[] = [];
  for (const sig of new Set([...Object.keys(told), ...Object.keys(owed)])) {
    // An occurrence still open is this run's to judge; one that ended is told ended, even when its
    // signature is open again as another occurrence (it cleared between two runs that stored).
    const ended = (x: { first_seen_at: string } | undefined) => !!x && openSince.get(sig) !== x.first_seen_at;
    const o = owed[sig];
    const t = told[sig];
    // Something due that this audience never heard (a new event, or a rise over what it heard) and
    // that cleared first is told as missed, at that level; else the resolution of what it heard.
    const items: [DueReason, Omit<ToldEntry, 'told_at'>][] = [];
    for (const x of o?.earlier ?? []) items.push(['missed', x]);
    if (ended(o)) items.push(['missed', o]);
    const owedToo = occurrences(o).map((x) => x.first_seen_at);
    if (ended(t) && !owedToo.includes(t.first_seen_at)) items.push(['resolved', t]);
    for (const [reason, entry] of items) {
      const fromRun = resolvedNow.get(sig);
      const base = fromRun && fromRun.first_seen_at === entry.first_seen_at ? fromRun : undefined;
      const event = base
        ? { ...strip(base, 'undelivered'), notified_level: entry.level }
        : resolvedFrom(sig, entry, output.checked_at);
      reasons[sig] ??= reason;
      resolvedEvents.push(reason === 'missed' ? { ...event, undelivered: true } : event);
    }
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
  const ended = log?.ended;
  for (const e of plan.newEvents) {
    const prior = owed[e.signature];
    const same = prior && prior.first_seen_at === e.first_seen_at;
    const level = same ? higher(prior.level, levelOf(e)) : levelOf(e);
    owed[e.signature] = owedOver(prior, { ...entryOf(e, level), due_at: same ? prior.due_at : at });
  }
  // A resolution remembers when it fell due, so a retry tells the same time.
  for (const e of plan.resolvedEvents) {
    const at2 = e.resolved_at ?? at;
    const sig = e.signature;
    if (told[sig]?.first_seen_at === e.first_seen_at) told[sig] = { ...told[sig], resolved_at: at2 };
    if (owed[sig]?.first_seen_at === e.first_seen_at) owed[sig] = { ...owed[sig], resolved_at: at2 };
    const earlier = owed[sig]?.earlier;
    if (earlier?.some((x) => x.first_seen_at === e.first_seen_at))
      owed[sig] = withEarlier(
        owed[sig],
        earlier.map((x) => (x.first_seen_at === e.first_seen_at ? { ...x, resolved_at: at2 } : x)),
      );
  }
  return ended ? { told, owed, ended } : { told, owed };
}

/**
 * After this audience's publish succeeded (AM's SetNotifiesStage): what it heard is in its log. An
 * end is dated by the observation at full precision (`endedAt`), as hand-offs are (handoff-merge.ts).
 */
export function recordTold(
  log: AudienceLog | undefined,
  plan: AudiencePlan,
  at: string,
  endedAt = at,
): AudienceLog {
  const told = { ...(log ?? EMPTY_LOG).told };
  const owed = { ...(log ?? EMPTY_LOG).owed };
  const ended: Record<string, EndedEntry> = { ...log?.ended };
  for (const e of plan.newEvents) {
    const prior = told[e.signature];
    const same = prior && prior.first_seen_at === e.first_seen_at;
    told[e.signature] = { ...entryOf(e, same ? higher(prior.level, levelOf(e)) : levelOf(e)), told_at: at };
    delete owed[e.signature];
  }
  for (const e of plan.resolvedEvents) {
    const sig = e.signature;
    const same = (x: { first_seen_at: string } | undefined) => x?.first_seen_at === e.first_seen_at;
    const heard = [...occurrences(owed[sig]), told[sig]].find(same);
    ended[sig] = { first_seen_at: e.first_seen_at, level: heard?.level ?? levelOf(e), ended_at: endedAt };
    // Another occurrence of the signature, told in this same publish, stays.
    if (same(told[sig])) delete told[sig];
    if (same(owed[sig])) delete owed[sig];
    else if (owed[sig]?.earlier?.some(same))
      owed[sig] = withEarlier(
        owed[sig],
        owed[sig].earlier!.filter((x) => !same(x)),
      );
  }
  return Object.keys(ended).length > 0 ? { told, owed, ended } : { told, owed };
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

function newest<T>(
  entries: Record<string, T>,
  at: (t: T) => string,
  max = LOG_MAX_ENTRIES,
): Record<string, T> {
  const keys = Object.keys(entries);
  if (keys.length <= max) return entries;
  const kept = keys.sort((a, b) => at(entries[b]).localeCompare(at(entries[a]))).slice(0, max);
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
    // Ended occurrences only de-duplicate hand-offs: kept as long as a hand-off is, quietly.
    const recent = Object.entries(l.ended ?? {}).filter(
      ([, e]) => nowMs - (parseTimestamp(e.ended_at) ?? 0) <= ENDED_RETENTION_MS,
    );
    const ended = newest(Object.fromEntries(recent), (e) => e.ended_at, ENDED_MAX_ENTRIES);
    out[a] = Object.keys(ended).length > 0 ? { told, owed: kept, ended } : { told, owed: kept };
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
