// Merging hand-offs (handoff.ts) into each audience's notification log, oldest first. What a run that
// gave up saw becomes owed where the audience has not heard it (told by this run, as missed when it is
// gone); what a run whose confirming write failed told becomes told, so it is never told again.
import type { Audience } from './audiences';
import { LEVEL_RANK, levelOf } from './lifecycle';
import {
  EMPTY_LOG,
  type AudienceLog,
  type EndedEntry,
  type NotificationLog,
  occurrences,
  owedOver,
  withEarlier,
  type OwedEntry,
  type ToldEntry,
} from './notification-log';
import type { Handoff, HandedTold } from './handoff';
import { parseTimestamp } from './time';
import type { DetectorOutput, Level } from './types';

const atLeast = (l: Level, level: Level) => LEVEL_RANK[l] >= LEVEL_RANK[level];
const ms = (iso: string | undefined) => parseTimestamp(iso ?? '') ?? 0;

/**
 * Whether this audience's log already covers an occurrence seen open at `seenMs` at `level`: it heard
 * (or is owed) that occurrence at this level or higher and has not heard it end, or it heard that
 * occurrence end no earlier than that observation (the observation lay within it).
 */
function covered(log: AudienceLog, sig: string, firstSeen: string, level: Level, seenMs: number): boolean {
  const live = [log.told[sig], ...occurrences(log.owed[sig])].some(
    (x) => x !== undefined && x.first_seen_at === firstSeen && atLeast(x.level, level),
  );
  const ended = log.ended?.[sig];
  return (
    live ||
    (!!ended &&
      ended.first_seen_at === firstSeen &&
      atLeast(ended.level, level) &&
      ms(ended.ended_at) >= seenMs)
  );
}

function byTime(handoffs: readonly Handoff[]): Handoff[] {
  return [...handoffs].sort((a, b) => a.observed_at.localeCompare(b.observed_at));
}

/**
 * What runs that gave up saw: an occurrence not covered by what the audience heard becomes owed from
 * the observation that saw it. Gone now, this run tells it as missed; still open at a lower level, it
 * is told at the level that run saw (dueFor). Still open at that level or higher, or open as another
 * occurrence, it is this run's own to judge.
 */
export function mergeHandoffs(
  log: NotificationLog,
  handoffs: readonly Handoff[],
  output: DetectorOutput,
  routed: readonly Audience[],
  floors: Readonly<Record<Audience, Level>>,
): { readonly log: NotificationLog; readonly merged: readonly string[] } {
  const open = new Map(output.events.map((e) => [e.signature, e]));
  const out: Partial<Record<Audience, AudienceLog>> = { ...log };
  const merged = new Set<string>();
  for (const a of routed) {
    let l: AudienceLog = out[a] ?? EMPTY_LOG;
    for (const h of byTime(handoffs)) {
      const seenMs = ms(h.observed_at);
      for (const e of h.events) {
        const level = levelOf(e);
        const now = open.get(e.signature);
        if (now && now.first_seen_at === e.first_seen_at && atLeast(levelOf(now), level)) continue;
        if (!atLeast(level, floors[a]) || covered(l, e.signature, e.first_seen_at, level, seenMs)) continue;
        const prior = l.owed[e.signature];
        const seen: OwedEntry = {
          code: e.code,
          summary: e.summary,
          severity: e.severity,
          escalate: e.escalate,
          first_seen_at: e.first_seen_at,
          level,
          due_at: prior?.first_seen_at === e.first_seen_at ? prior.due_at : h.observed_at,
        };
        // Ended and open again as another occurrence: that one stays owed, this one is told as missed.
        const owed =
          prior && now && now.first_seen_at === prior.first_seen_at && prior.first_seen_at !== e.first_seen_at
            ? withEarlier(prior, [...(prior.earlier ?? []), seen])
            : owedOver(prior, seen);
        l = { ...l, owed: { ...l.owed, [e.signature]: owed } };
        merged.add(e.signature);
      }
    }
    if (out[a] !== undefined || Object.keys(l.owed).length > 0) out[a] = l;
  }
  return { log: out, merged: [...merged] };
}

/** Drops the owed occurrence (or earlier occurrence) heard at `level` or higher (`any`: at any level). */
function drop(
  owed: Record<string, OwedEntry>,
  sig: string,
  firstSeen: string,
  level: Level,
  any = false,
): void {
  const heard = (x: Omit<OwedEntry, 'earlier'>) =>
    x.first_seen_at === firstSeen && (any || atLeast(level, x.level));
  const kept = occurrences(owed[sig]).filter((x) => !heard(x));
  const last = kept.pop();
  if (last) owed[sig] = withEarlier(last, kept);
  else delete owed[sig];
}

/** One audience's log once what a run told it (and the ends it told) is in. */
function withTold(log: AudienceLog, told: HandedTold, at: string): AudienceLog {
  const t: Record<string, ToldEntry> = { ...log.told };
  const owed: Record<string, OwedEntry> = { ...log.owed };
  const ended: Record<string, EndedEntry> = { ...log.ended };
  for (const x of told.told) {
    const { signature: sig, ...entry } = x;
    const end = ended[sig];
    // Its end was told already (by a run that stored after this one told): nothing to add back.
    if (end && end.first_seen_at === x.first_seen_at && ms(end.ended_at) >= ms(x.told_at)) continue;
    const prior = t[sig]?.first_seen_at === x.first_seen_at ? t[sig] : undefined;
    t[sig] = {
      ...entry,
      level: prior && atLeast(prior.level, x.level) ? prior.level : x.level,
      told_at: prior && ms(prior.told_at) > ms(x.told_at) ? prior.told_at : x.told_at,
      ...(prior?.resolved_at ? { resolved_at: prior.resolved_at } : {}),
    };
    drop(owed, sig, x.first_seen_at, x.level);
  }
  for (const x of told.ended) {
    if (t[x.signature]?.first_seen_at === x.first_seen_at) delete t[x.signature];
    drop(owed, x.signature, x.first_seen_at, 'escalate' as Level, true);
    const prev = ended[x.signature];
    if (!prev || prev.first_seen_at !== x.first_seen_at || !atLeast(prev.level, x.level))
      ended[x.signature] = { first_seen_at: x.first_seen_at, level: x.level, ended_at: at };
  }
  return Object.keys(ended).length > 0 ? { told: t, owed, ended } : { told: t, owed };
}

/**
 * What runs whose confirming write failed told, merged into each routed audience's log: told stays
 * told, an end that was told is ended. Applied before the log decides what is owed, so neither is
 * told twice. The `released` run ids: their claims are over (they wrote the hand-off after publishing).
 */
export function mergeTold(
  log: NotificationLog,
  handoffs: readonly Handoff[],
  routed: readonly Audience[],
): { readonly log: NotificationLog; readonly released: readonly string[] } {
  const out: Partial<Record<Audience, AudienceLog>> = { ...log };
  const released: string[] = [];
  for (const h of byTime(handoffs)) {
    if (!h.told) continue;
    released.push(h.run_id);
    for (const a of routed) {
      const told = h.told[a];
      if (told) out[a] = withTold(out[a] ?? EMPTY_LOG, told, h.observed_at);
    }
  }
  return { log: out, released };
}
