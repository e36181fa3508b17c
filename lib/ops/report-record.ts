// The report's one reader of a stored run record. Records come from a bucket: a corrupt or forged one
// may hold any JSON where the report expects a text, a time or a number (only `checked_at`, `trigger`
// and the shape of `events` were checked on the way in). Every field the report uses is read here into
// its type: a text is a string (cut at a length a page can show), a time a parsed timestamp (else the
// run's own time), a count a finite number. Nothing a record holds can make the report throw; the
// page escapes the texts (report-html.ts).
import { parseTimestamp } from '../../lambda/detector/time';
import type { RunRecord, Severity } from '../../lambda/detector/types';

/** The longest record text the page shows (a summary, a reason, who): more is cut, saying how much. */
export const TEXT_MAX = 500;
/** The longest name (a code, a signature, an id, a decision). */
export const NAME_MAX = 120;

export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** A record's text: strings only, cut to `max` characters with the length it had. */
export function text(value: unknown, max = TEXT_MAX): string {
  if (typeof value !== 'string') return '';
  return value.length <= max ? value : `${value.slice(0, max)}… (${value.length} characters)`;
}

export const field = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;

const severityOf = (value: unknown): Severity => (value === 'critical' ? 'critical' : 'warn');

/** An event as one run saw it; `key` names its episode (signature and first-seen time, as stored). */
export interface RunEvent {
  readonly key: string;
  readonly code: string;
  readonly signature: string;
  readonly severity: Severity;
  readonly escalate: boolean;
  readonly summary: string;
  /** When it was first seen; the run's own time when the record's is not a timestamp. */
  readonly firstSeen: number;
  readonly silencedBy?: string;
}

export interface RunResolution {
  readonly key: string;
  readonly code: string;
  readonly resolvedAt: number;
}

/** A silence the run says was active: `until` is absent when the record's is not a timestamp. */
export interface RunSilenceNote {
  readonly id: string;
  readonly kind: 'manual' | 'deploy-window';
  readonly until?: number;
  readonly by: string;
  readonly reason: string;
  readonly events: number;
}

/** One run record, every field the report uses read into its type. */
export interface ReadRun {
  readonly t: number;
  readonly decision: string;
  readonly reason: string;
  readonly trigger: string;
  readonly signals: Readonly<Record<string, number>>;
  readonly events: readonly RunEvent[];
  readonly newEvents: readonly { code: string; severity: Severity; escalate: boolean }[];
  readonly resolved: readonly RunResolution[];
  readonly info: readonly { code: string; summary: string }[];
  readonly silences: readonly RunSilenceNote[];
  /** The silences' own definitions as the run read them (unvalidated: report-data checks them). */
  readonly definitions: unknown;
  readonly redelivery: boolean;
  /** The record's notification log as stored (report-notifications reads it). */
  readonly log: unknown;
  /** The audiences the run could tell, as stored (report-notifications reads it); absent in older records. */
  readonly routed: unknown;
}

function eventOf(raw: unknown, t: number): RunEvent | null {
  const e = field(raw);
  if (typeof e.signature !== 'string' && typeof e.code !== 'string') return null;
  const signature = text(e.signature, NAME_MAX) || text(e.code, NAME_MAX);
  const silencedBy = text(e.silenced_by, NAME_MAX);
  return {
    key: `${signature}@${text(e.first_seen_at, NAME_MAX)}`,
    code: text(e.code, NAME_MAX),
    signature,
    severity: severityOf(e.severity),
    escalate: e.escalate === true,
    summary: text(e.summary),
    firstSeen: parseTimestamp(e.first_seen_at) ?? t,
    ...(silencedBy ? { silencedBy } : {}),
  };
}

function noteOf(raw: unknown): RunSilenceNote | null {
  const n = field(raw);
  if (typeof n.id !== 'string') return null;
  const until = parseTimestamp(n.until);
  return {
    id: text(n.id, NAME_MAX),
    kind: n.kind === 'deploy-window' ? 'deploy-window' : 'manual',
    ...(until === undefined ? {} : { until }),
    by: text(n.by),
    reason: text(n.reason),
    events: count(n.events),
  };
}

export function readRun(r: RunRecord): ReadRun {
  const t = parseTimestamp(r.checked_at) ?? Date.parse(r.checked_at);
  const signals: Record<string, number> = {};
  for (const [name, v] of Object.entries(field(r.signals)))
    if (typeof v === 'number' && Number.isFinite(v)) signals[name] = v;
  const info = list(r.info).flatMap((raw) => {
    const i = field(raw);
    return typeof i.code === 'string' ? [{ code: text(i.code, NAME_MAX), summary: text(i.summary) }] : [];
  });
  return {
    t,
    decision: text(r.decision, NAME_MAX),
    reason: text(r.decision_reason),
    trigger: text(field(r.trigger).trigger, NAME_MAX),
    signals,
    events: list(r.events).flatMap((e) => eventOf(e, t) ?? []),
    newEvents: list(r.new_events).flatMap((e) => {
      const n = eventOf(e, t);
      return n ? [{ code: n.code, severity: n.severity, escalate: n.escalate }] : [];
    }),
    resolved: list(r.resolved_events).flatMap((raw) => {
      const e = eventOf(raw, t);
      if (!e) return [];
      return [{ key: e.key, code: e.code, resolvedAt: parseTimestamp(field(raw).resolved_at) ?? t }];
    }),
    info,
    silences: list(r.silences).flatMap((n) => noteOf(n) ?? []),
    definitions: field(r.observation).silences,
    redelivery: info.some((i) => i.code === 'redelivery'),
    log: (r as { notifications?: unknown }).notifications,
    routed: (r as { routed?: unknown }).routed,
  };
}
