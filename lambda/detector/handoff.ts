// The hand-off of a run that could not store its snapshot: what it saw open (it gave up before telling:
// out of time in a storm of overlapping runs, or a write S3 refused) or what it told (its publishes
// succeeded, the confirming write did not) is left beside the snapshot, and the next run that stores
// merges it into each audience's log (handoff-merge.ts). Pure: the runtime (lambda/check/handoff.ts)
// lists, reads and writes the documents.
import { AUDIENCES, type Audience } from './audiences';
import { LEVEL_RANK, levelOf } from './lifecycle';
import { LOG_TEXT_MAX, logText, type AudienceLog, type AudiencePlan } from './notification-log';
import { parseTimestamp } from './time';
import type { DetectorOutput, Level, Severity } from './types';

export const HANDOFF_SCHEMA = 'aegis-pt-health/handoff/v1';
/** At most this many events per hand-off (the rest counted in `more`, and said). */
export const HANDOFF_MAX_EVENTS = 50;
/** A hand-off larger than this is not read (it cannot be one of ours): told as unreadable. */
export const HANDOFF_MAX_BYTES = 64 * 1024;
/** Hand-offs listed per run, and read per run: the rest wait for the next run, in order. */
export const HANDOFF_LIST_MAX = 50;
export const HANDOFF_READ_MAX = 10;
/** Older than this, a hand-off is no longer listed (the log's own retention of what is owed). */
export const HANDOFF_RETENTION_MS = 24 * 3600_000;

export interface HandedEvent {
  readonly signature: string;
  readonly code: string;
  readonly summary: string;
  readonly severity: Severity;
  readonly escalate: boolean;
  readonly first_seen_at: string;
}

/** What one audience heard from a run whose confirming write failed: occurrences, and their ends. */
export interface HandedTold {
  readonly told: readonly (HandedEvent & { readonly level: Level; readonly told_at: string })[];
  readonly ended: readonly {
    readonly signature: string;
    readonly first_seen_at: string;
    readonly level: Level;
  }[];
}

export interface Handoff {
  readonly schema: typeof HANDOFF_SCHEMA;
  /** The observation's time, at full precision: orders hand-offs and dates what they say. */
  readonly observed_at: string;
  readonly run_id: string;
  readonly events: readonly HandedEvent[];
  /** Open events beyond HANDOFF_MAX_EVENTS, not handed on. */
  readonly more: number;
  /** Per audience, what this run's publishes told (the snapshot still says owed): never told again. */
  readonly told?: Readonly<Partial<Record<Audience, HandedTold>>>;
}

/** What a run that cannot store leaves: its open, unsilenced events, highest level first, bounded. */
export function handoffOf(output: DetectorOutput, observedAt: string, runId: string): Handoff {
  const open = output.events
    .filter((e) => e.silenced_by === undefined)
    .sort((a, b) => LEVEL_RANK[levelOf(b)] - LEVEL_RANK[levelOf(a)]);
  const events = open.slice(0, HANDOFF_MAX_EVENTS).map((e) => ({ signature: e.signature, ...cut(e) }));
  return {
    schema: HANDOFF_SCHEMA,
    observed_at: observedAt,
    run_id: runId,
    events,
    more: open.length - events.length,
  };
}

/**
 * What the audiences whose publish succeeded heard (their log after it), for a run whose confirming
 * write failed. Bounded like the events; what is left out stays owed and is told once more at worst.
 */
export function toldOf(
  plans: readonly AudiencePlan[],
  after: Readonly<Partial<Record<Audience, AudienceLog>>>,
  observedAt: string,
  runId: string,
): Handoff {
  const told: Partial<Record<Audience, HandedTold>> = {};
  for (const p of plans) {
    const log = after[p.audience];
    if (!log) continue;
    const heard = p.newEvents.flatMap((e) => {
      const t = log.told[e.signature];
      return t ? [{ ...cut(t), signature: e.signature, level: t.level, told_at: t.told_at }] : [];
    });
    const ended = p.resolvedEvents.map((e) => ({
      signature: e.signature,
      first_seen_at: e.first_seen_at,
      level: e.notified_level ?? levelOf(e),
    }));
    told[p.audience] = {
      told: heard.slice(0, HANDOFF_MAX_EVENTS),
      ended: ended.slice(0, HANDOFF_MAX_EVENTS),
    };
  }
  return { schema: HANDOFF_SCHEMA, observed_at: observedAt, run_id: runId, events: [], more: 0, told };
}

function cut(e: Omit<HandedEvent, 'signature'>): Omit<HandedEvent, 'signature'> {
  return {
    code: logText(e.code),
    summary: logText(e.summary),
    severity: e.severity,
    escalate: e.escalate,
    first_seen_at: e.first_seen_at,
  };
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isTime = (v: unknown): v is string => isString(v) && parseTimestamp(v) !== undefined;
const isLevel = (v: unknown): v is Level => isString(v) && v in LEVEL_RANK;

function parseEvent(value: unknown): HandedEvent | undefined {
  const e = value as Partial<Record<keyof HandedEvent, unknown>> | null;
  const ok =
    typeof e === 'object' &&
    e !== null &&
    isString(e.signature) &&
    isString(e.code) &&
    isString(e.summary) &&
    (e.severity === 'warn' || e.severity === 'critical') &&
    typeof e.escalate === 'boolean' &&
    isTime(e.first_seen_at);
  if (!ok) return undefined;
  return {
    signature: (e.signature as string).slice(0, LOG_TEXT_MAX),
    ...cut(e as Omit<HandedEvent, 'signature'>),
  };
}

/** The per-audience told part of a hand-off, or a problem: every entry whole, or none of it. */
function parseTold(value: unknown): Partial<Record<Audience, HandedTold>> | string {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'told is not an object';
  const out: Partial<Record<Audience, HandedTold>> = {};
  for (const [a, v] of Object.entries(value as Record<string, unknown>)) {
    if (!(AUDIENCES as readonly string[]).includes(a)) return `told names no audience ${a.slice(0, 20)}`;
    const t = v as { told?: unknown; ended?: unknown } | null;
    if (!t || !Array.isArray(t.told) || !Array.isArray(t.ended)) return `told.${a} is malformed`;
    if (t.told.length > HANDOFF_MAX_EVENTS || t.ended.length > HANDOFF_MAX_EVENTS)
      return `told.${a} holds more than ${HANDOFF_MAX_EVENTS} entries`;
    const told = [];
    for (const x of t.told as { level?: unknown; told_at?: unknown }[]) {
      const e = parseEvent(x);
      if (!e || !isLevel(x.level) || !isTime(x.told_at)) return `told.${a} entry ${told.length} is malformed`;
      told.push({ ...e, level: x.level, told_at: x.told_at });
    }
    const ended = [];
    for (const x of t.ended as { signature?: unknown; first_seen_at?: unknown; level?: unknown }[]) {
      if (!x || !isString(x.signature) || !isTime(x.first_seen_at) || !isLevel(x.level))
        return `told.${a} end ${ended.length} is malformed`;
      ended.push({
        signature: x.signature.slice(0, LOG_TEXT_MAX),
        first_seen_at: x.first_seen_at,
        level: x.level,
      });
    }
    out[a as Audience] = { told, ended };
  }
  return out;
}

/** A stored hand-off, validated field by field; or why it cannot be used (forged, foreign, corrupt). */
export function parseHandoff(value: unknown): Handoff | { readonly problem: string } {
  const doc = value as Partial<Record<keyof Handoff, unknown>> | null;
  if (typeof doc !== 'object' || doc === null || doc.schema !== HANDOFF_SCHEMA)
    return { problem: `not a hand-off (schema ${HANDOFF_SCHEMA})` };
  if (!isTime(doc.observed_at)) return { problem: 'no observation time' };
  if (!Array.isArray(doc.events) || doc.events.length > HANDOFF_MAX_EVENTS)
    return { problem: `events is not a list of at most ${HANDOFF_MAX_EVENTS}` };
  const events: HandedEvent[] = [];
  for (const value of doc.events as unknown[]) {
    const e = parseEvent(value);
    if (!e) return { problem: `event ${events.length} is malformed` };
    events.push(e);
  }
  const told = parseTold(doc.told);
  if (typeof told === 'string') return { problem: told };
  return {
    schema: HANDOFF_SCHEMA,
    observed_at: doc.observed_at,
    run_id: isString(doc.run_id) ? doc.run_id.slice(0, 64) : 'unknown',
    events,
    more: typeof doc.more === 'number' && doc.more > 0 ? Math.floor(doc.more) : 0,
    ...(Object.keys(told).length > 0 ? { told } : {}),
  };
}
