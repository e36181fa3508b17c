// What a session report shows, derived from one day's run records: series, event episodes, runs.
import { silenceEndMs, type Silence } from '../../lambda/detector/silences';
import { parseTimestamp } from '../../lambda/detector/time';
import type { DetectorOutput, RunRecord, Severity } from '../../lambda/detector/types';
import { notificationsOfRun, type Notification } from './report-notifications';
import { readRun, type ReadRun } from './report-record';

export interface Point {
  readonly t: number;
  readonly v: number;
}

/** One event from its first-seen time until it resolved (or the last run, if still open). */
export interface Episode {
  readonly code: string;
  readonly signature: string;
  readonly severity: Severity;
  readonly escalate: boolean;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly resolvedAt?: number;
  readonly summary: string;
  /** The silence that held it back (not told) at some run of the episode: the first one. */
  readonly silencedBy?: string;
  /** Every silence that held it back at some run. */
  readonly heldBy: readonly string[];
  /**
   * Open and held back by no silence at some run: due to be told then, so an alert whatever a silence
   * did before or after (an escalation paged, then silenced while someone works on it, is an alert).
   */
  readonly alerted: boolean;
  /**
   * A later run holds a new episode of the same signature and no resolution for this one (the detector
   * starts afresh after a gap in its previous output): this one ended there, how is not recorded.
   */
  readonly replacedAt?: number;
}

/**
 * Not known to have ended: neither resolved nor replaced. One that a later run merely lacks, with no
 * resolution recorded, stays open: absent evidence is never a resolution.
 */
export const isOpen = (e: Episode): boolean => e.resolvedAt === undefined && e.replacedAt === undefined;
/** When the episode stopped being open, or the last run that saw it. */
export const endOf = (e: Episode): number => e.resolvedAt ?? e.replacedAt ?? e.lastSeen;

/** A silence active during the day: drawn as a shaded band (a deploy window or a manual silence). */
export interface SilenceSpan {
  readonly id: string;
  readonly kind: 'manual' | 'deploy-window';
  readonly start: number;
  readonly end: number;
  readonly by: string;
  readonly reason: string;
  /** The most open events it held back at one run. */
  readonly held: number;
}

export interface RunMark {
  readonly t: number;
  readonly decision: DetectorOutput['decision'];
  readonly trigger: string;
  readonly notified: number;
}

/** An info item over the day: how often it was seen, first and last time, its first summary. */
export interface InfoGroup {
  readonly code: string;
  readonly summary: string;
  readonly first: number;
  readonly last: number;
  readonly runs: number;
}

export interface ReportData {
  readonly series: Readonly<Record<string, Point[]>>;
  readonly episodes: Episode[];
  readonly runs: RunMark[];
  readonly notifications: Notification[];
  readonly info: InfoGroup[];
  readonly silences: SilenceSpan[];
}

export const SERIES = [
  'heartbeat_age_sec',
  'pending_orders',
  'pending_exits',
  'stuck_exits',
  'market_data_10197_recent',
  'market_data_status',
  'ecs_running',
  'ecs_desired',
] as const;

/** Stored silences are unvalidated: one without an id and parseable times draws nothing. */
function usable(list: unknown): Silence[] {
  if (!Array.isArray(list)) return [];
  return (list as Partial<Silence>[]).filter(
    (s): s is Silence =>
      typeof s === 'object' &&
      s !== null &&
      typeof s.id === 'string' &&
      parseTimestamp(s.starts_at) !== undefined &&
      parseTimestamp(s.ends_at) !== undefined,
  );
}

/** A stored silence's end (expired by hand, or its end), when it is a time. */
function endMs(def: Silence): number | undefined {
  const end = silenceEndMs(def);
  return Number.isFinite(end) ? end : undefined;
}

/**
 * Each silence a run says was active, from its start to its end. The definitions come from the runs'
 * observations, or from `stored` (the bucket's list, which also knows when one was expired by hand).
 */
function silenceSpans(sorted: readonly ReadRun[], given: readonly Silence[]): SilenceSpan[] {
  const stored = usable(given);
  const spans = new Map<string, SilenceSpan>();
  for (const r of sorted) {
    const t = r.t;
    for (const n of r.silences) {
      const def = stored.find((s) => s.id === n.id) ?? usable(r.definitions).find((s) => s.id === n.id);
      const start = parseTimestamp(def?.starts_at) ?? t;
      const end = (def ? endMs(def) : n.until) ?? t;
      const prior = spans.get(n.id);
      spans.set(n.id, {
        id: n.id,
        kind: n.kind,
        start: Math.min(prior?.start ?? start, start),
        end: stored.some((s) => s.id === n.id) ? end : Math.min(prior?.end ?? end, end),
        by: n.by,
        reason: n.reason,
        held: Math.max(prior?.held ?? 0, n.events),
      });
    }
  }
  return [...spans.values()].sort((a, b) => a.start - b.start);
}

export function reportData(records: readonly RunRecord[], stored: readonly Silence[] = []): ReportData {
  const sorted = records.map(readRun).sort((a, b) => a.t - b.t);
  const series: Record<string, Point[]> = Object.fromEntries(SERIES.map((s) => [s, [] as Point[]]));
  const episodes = new Map<string, Episode>();
  const runs: RunMark[] = [];
  const notifications: Notification[] = [];
  const info: InfoGroup[] = [];
  let openInfo = new Map<string, number>();
  for (const r of sorted) {
    const t = r.t;
    notifications.push(...notificationsOfRun(r));
    // An info item seen run after run is one entry; seen again after a run without it, a new one.
    const open = new Map<string, number>();
    for (const i of r.info) {
      if (open.has(i.code)) continue;
      const at = openInfo.get(i.code);
      const prior = at === undefined ? undefined : info[at];
      if (prior) info[at as number] = { ...prior, last: t, runs: prior.runs + 1 };
      else info.push({ code: i.code, summary: i.summary, first: t, last: t, runs: 1 });
      open.set(i.code, prior ? (at as number) : info.length - 1);
    }
    openInfo = open;
    for (const name of SERIES) {
      const v = r.signals[name];
      if (v !== undefined) series[name].push({ t, v });
    }
    runs.push({
      t,
      decision: r.decision as DetectorOutput['decision'],
      trigger: r.trigger,
      notified: r.newEvents.length + r.resolved.length,
    });
    for (const e of r.events) {
      const prior = episodes.get(e.key);
      const severity: Severity =
        prior?.severity === 'critical' || e.severity === 'critical' ? 'critical' : 'warn';
      const silencedBy = prior?.silencedBy ?? e.silencedBy;
      const heldBy = prior?.heldBy ?? [];
      episodes.set(e.key, {
        code: e.code,
        signature: e.signature,
        severity,
        escalate: (prior?.escalate ?? false) || e.escalate,
        firstSeen: e.firstSeen,
        lastSeen: t,
        summary: e.summary,
        ...(silencedBy ? { silencedBy } : {}),
        heldBy: e.silencedBy && !heldBy.includes(e.silencedBy) ? [...heldBy, e.silencedBy] : heldBy,
        alerted: (prior?.alerted ?? false) || e.silencedBy === undefined,
      });
    }
    const resolved = new Map(r.resolved.map((e) => [e.key, e.resolvedAt]));
    const seen = new Set(r.events.map((e) => e.key));
    const signatures = new Set(r.events.map((e) => e.signature));
    for (const [key, ep] of episodes) {
      if (!isOpen(ep) || seen.has(key)) continue;
      const at = resolved.get(key);
      if (at !== undefined) episodes.set(key, { ...ep, resolvedAt: at });
      // Cleared while silenced and never told: no resolution in the records; it ended at this run.
      else if (ep.silencedBy && !ep.alerted) episodes.set(key, { ...ep, resolvedAt: t });
      else if (signatures.has(ep.signature)) episodes.set(key, { ...ep, replacedAt: t });
    }
  }
  return {
    series,
    episodes: [...episodes.values()].sort((a, b) => a.firstSeen - b.firstSeen),
    runs,
    notifications,
    info,
    silences: silenceSpans(sorted, stored),
  };
}
