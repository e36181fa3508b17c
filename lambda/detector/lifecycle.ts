// Dedup, persistence and resolution against the previous output (contract section 4).
import type { DetectorConfig } from './config';
import type { PreviousRun } from './previous';
import type { Finding } from './rules/rule';
import { silenceFor, type SilenceEntry } from './silences';
import { parseTimestamp } from './time';
import type { DetectorEvent, Level, Severity } from './types';

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { warn: 1, critical: 2 };
export const LEVEL_RANK: Readonly<Record<Level, number>> = { warn: 1, critical: 2, escalate: 3 };

export function levelOf(event: Pick<DetectorEvent, 'severity' | 'escalate'>): Level {
  return event.escalate ? 'escalate' : event.severity;
}

function higher(a: Level | undefined, b: Level): Level {
  return a !== undefined && LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;
}

export interface Lifecycle {
  readonly events: DetectorEvent[];
  readonly newEvents: DetectorEvent[];
  readonly resolvedEvents: DetectorEvent[];
}

function isNew(
  event: DetectorEvent,
  prior: DetectorEvent | undefined,
  nowMs: number,
  config: DetectorConfig,
): boolean {
  if (!prior || prior.notified_at === undefined || prior.silence_held) return true;
  if (SEVERITY_RANK[event.severity] > SEVERITY_RANK[prior.severity]) return true;
  if (event.escalate && !prior.escalate) return true;
  if (config.renotifyCriticalSec > 0 && event.severity === 'critical') {
    const notified = parseTimestamp(prior.notified_at);
    if (notified === undefined || nowMs - notified >= config.renotifyCriticalSec * 1000) return true;
  }
  return false;
}

/**
 * Since when a carried-over condition has been open: its `first_seen_at`, which cannot be later than the
 * previous run that already saw it. A `first_seen_at` that does not parse, or lies after that run (a
 * hand-edited or skewed snapshot), falls back to the run: a bad stamp must never hold an escalation
 * back for ever.
 */
function openSinceMs(before: DetectorEvent, previous: PreviousRun): number {
  const first = parseTimestamp(before.first_seen_at);
  return first === undefined || first > previous.checkedAtMs ? previous.checkedAtMs : first;
}

/**
 * "Persisted" (contract 4): in two consecutive runs and open at least PERSIST_MIN_SEC since first seen.
 * The runbook's "no self-recovery" is a span of time, so a one-minute cadence or an ECS-event run
 * seconds after a scheduled one neither escalates nor raises a severity sooner than two runs five
 * minutes apart did.
 */
function hasPersisted(
  consecutive: number,
  openSince: number,
  nowMs: number,
  config: DetectorConfig,
): boolean {
  return consecutive >= 2 && nowMs - openSince >= config.persistMinSec * 1000;
}

/** "Open longer than X since first_seen_at": age > X, as everywhere in the contract. */
function openTooLong(f: Finding, openSince: number, nowMs: number): boolean {
  return f.escalateAfterOpenSec !== undefined && nowMs - openSince > f.escalateAfterOpenSec * 1000;
}

/**
 * A previous output checked at this same instant (or later, by clock skew) is this run repeated,
 * not an earlier run: it carries `consecutive` over instead of counting again, so that re-running
 * one observation is idempotent and never invents persistence.
 */
export function applyLifecycle(
  findings: readonly Finding[],
  previous: PreviousRun | undefined,
  checkedAt: string,
  nowMs: number,
  config: DetectorConfig,
  silences: readonly SilenceEntry[] = [],
): Lifecycle {
  const prior = new Map<string, DetectorEvent>();
  if (previous?.fresh) for (const e of previous.output.events) prior.set(e.signature, e);
  const repeat = previous !== undefined && previous.ageMs <= 0;

  const events: DetectorEvent[] = [];
  const newEvents: DetectorEvent[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    if (seen.has(f.signature)) continue;
    seen.add(f.signature);
    const before = prior.get(f.signature);
    const consecutive = before ? (repeat ? before.consecutive : before.consecutive + 1) : 1;
    const openSince = before && previous ? openSinceMs(before, previous) : nowMs;
    const persisted = hasPersisted(consecutive, openSince, nowMs, config);
    const severity = persisted && f.persistedSeverity ? f.persistedSeverity : f.severity;
    const firstSeenAt = before?.first_seen_at ?? checkedAt;
    const escalate =
      f.escalate === 'always' ||
      (f.escalate === 'when_persisted' && persisted) ||
      openTooLong(f, openSince, nowMs);
    const draft: DetectorEvent = {
      code: f.code,
      severity,
      signature: f.signature,
      summary: f.summary,
      details: f.details,
      first_seen_at: firstSeenAt,
      consecutive,
      escalate,
    };
    // A silenced event is not told; a notice that fell due meanwhile is held until the silence ends.
    const silence = silenceFor(draft, silences);
    // An event told, then silenced (acknowledged), and still open when its silence ends or is expired
    // is told again, saying so: the silence was the only thing keeping it quiet.
    const released =
      silence === undefined && before?.silenced_by !== undefined && before.notified_at !== undefined;
    const due = isNew(draft, before, nowMs, config) || released;
    const notify = due && silence === undefined;
    const event: DetectorEvent = {
      ...draft,
      notified_at: notify ? checkedAt : before?.notified_at,
      ...(notify
        ? { notified_level: higher(before?.notified_level, levelOf(draft)) }
        : before?.notified_level
          ? { notified_level: before.notified_level }
          : {}),
      ...(silence ? { silenced_by: silence.id } : {}),
      ...(silence && due ? { silence_held: true } : {}),
      ...(released && notify ? { silence_ended: before.silenced_by } : {}),
    };
    events.push(event);
    if (notify) newEvents.push(event);
  }

  // Resolution looks at any valid previous, even one too old to de-duplicate against. Every previous
  // event was told or due to be told (contract 4, "Delivery"); one without `notified_at` never got
  // through (the runtime strips it when a publish failed): it is resolved as `undelivered`.
  // A silence's whole point: an event it held back and that cleared meanwhile was never due to anyone.
  const resolvedEvents = (previous?.output.events ?? [])
    .filter((e) => !seen.has(e.signature))
    .filter((e) => !(e.silenced_by !== undefined && e.notified_at === undefined))
    .map((e) =>
      e.notified_at === undefined
        ? { ...e, resolved_at: checkedAt, undelivered: true }
        : { ...e, resolved_at: checkedAt },
    );
  return { events, newEvents, resolvedEvents };
}
