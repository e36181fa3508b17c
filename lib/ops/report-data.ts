// What a session report shows, derived from one day's run records: series, event episodes, runs.
import type { DetectorOutput, RunRecord, Severity } from '../../lambda/detector/types';

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
}

export interface RunMark {
  readonly t: number;
  readonly decision: DetectorOutput['decision'];
  readonly trigger: string;
  readonly notified: number;
}

export interface ReportData {
  readonly series: Readonly<Record<string, Point[]>>;
  readonly episodes: Episode[];
  readonly runs: RunMark[];
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

export function reportData(records: readonly RunRecord[]): ReportData {
  const sorted = [...records].sort((a, b) => a.checked_at.localeCompare(b.checked_at));
  const series: Record<string, Point[]> = Object.fromEntries(SERIES.map((s) => [s, [] as Point[]]));
  const episodes = new Map<string, Episode>();
  const runs: RunMark[] = [];
  for (const r of sorted) {
    const t = Date.parse(r.checked_at);
    for (const name of SERIES) {
      const v = r.signals[name];
      if (typeof v === 'number') series[name].push({ t, v });
    }
    runs.push({
      t,
      decision: r.decision,
      trigger: r.trigger.trigger,
      notified: r.new_events.length + r.resolved_events.length,
    });
    for (const e of r.events) {
      const key = `${e.signature}@${e.first_seen_at}`;
      const prior = episodes.get(key);
      const severity: Severity =
        prior?.severity === 'critical' || e.severity === 'critical' ? 'critical' : 'warn';
      episodes.set(key, {
        code: e.code,
        signature: e.signature,
        severity,
        escalate: (prior?.escalate ?? false) || e.escalate,
        firstSeen: Date.parse(e.first_seen_at),
        lastSeen: t,
        summary: e.summary,
      });
    }
    for (const e of r.resolved_events) {
      const key = `${e.signature}@${e.first_seen_at}`;
      const prior = episodes.get(key);
      if (prior) episodes.set(key, { ...prior, resolvedAt: Date.parse(e.resolved_at ?? r.checked_at) });
    }
  }
  return { series, episodes: [...episodes.values()].sort((a, b) => a.firstSeen - b.firstSeen), runs };
}
