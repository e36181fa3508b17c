// Schedule coverage: did a scheduled check run in every window the schedules define?
import type { RunRecord } from '../../lambda/detector/types';
import { firings, parseCron } from '../../lambda/shared/cron';
import type { ScheduleDefinition } from '../../lambda/shared/schedules';

export interface GapWindow {
  readonly schedule: string;
  readonly at: string;
}

export interface CoveredWindow extends GapWindow {
  readonly covered_by: string;
}

export interface GapReport {
  readonly from: string;
  readonly until: string;
  readonly grace_minutes: number;
  readonly schedules: readonly { name: string; cron: string }[];
  readonly expected: number;
  readonly covered: number;
  readonly missing_windows: readonly GapWindow[];
  /** Windows whose grace has not ended yet: neither covered nor missing. */
  readonly pending_windows: readonly GapWindow[];
  /** Scheduled runs that fall in no window (late beyond grace, or off-schedule). */
  readonly runs_outside_windows: readonly { checked_at: string; trigger: string }[];
  readonly covered_windows: readonly CoveredWindow[];
  readonly verdict: 'covered' | 'missing';
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

export function checkGaps(
  records: readonly RunRecord[],
  definitions: readonly ScheduleDefinition[],
  fromMs: number,
  untilMs: number,
  graceMinutes: number,
): GapReport {
  const graceMs = graceMinutes * 60_000;
  const scheduled = records
    .filter((r) => r.trigger.trigger.startsWith('schedule:'))
    .map((r) => ({ record: r, at: Date.parse(r.checked_at) }))
    .sort((a, b) => a.at - b.at);
  const windows = definitions
    .flatMap((def) => firings(parseCron(def.cron), fromMs, untilMs).map((at) => ({ schedule: def.name, at })))
    .sort((a, b) => a.at - b.at || a.schedule.localeCompare(b.schedule));
  const used = new Set<number>();
  const covered: CoveredWindow[] = [];
  const missing: GapWindow[] = [];
  const pending: GapWindow[] = [];
  for (const w of windows) {
    const hit = scheduled.find((s) => s.at >= w.at && s.at <= w.at + graceMs);
    if (hit) {
      covered.push({
        schedule: w.schedule,
        at: iso(w.at),
        covered_by: `${hit.record.checked_at} ${hit.record.trigger.trigger}`,
      });
      scheduled.forEach((s, i) => {
        if (s.at >= w.at && s.at <= w.at + graceMs) used.add(i);
      });
    } else if (w.at + graceMs > untilMs) {
      pending.push({ schedule: w.schedule, at: iso(w.at) });
    } else {
      missing.push({ schedule: w.schedule, at: iso(w.at) });
    }
  }
  const outside = scheduled
    .filter((s, i) => !used.has(i) && s.at >= fromMs && s.at <= untilMs)
    .map((s) => ({ checked_at: s.record.checked_at, trigger: s.record.trigger.trigger }));
  return {
    from: iso(fromMs),
    until: iso(untilMs),
    grace_minutes: graceMinutes,
    schedules: definitions.map((d) => ({ name: d.name, cron: d.cron })),
    expected: windows.length - pending.length,
    covered: covered.length,
    missing_windows: missing,
    pending_windows: pending,
    runs_outside_windows: outside,
    covered_windows: covered,
    verdict: missing.length === 0 ? 'covered' : 'missing',
  };
}

export function formatGapReport(report: GapReport): string {
  const lines = [
    `Schedule coverage ${report.from} .. ${report.until} (grace ${report.grace_minutes} min)`,
    ...report.schedules.map((s) => `  ${s.name}: ${s.cron}`),
    `Expected windows: ${report.expected}, covered: ${report.covered}, missing: ${report.missing_windows.length}, pending: ${report.pending_windows.length}`,
  ];
  for (const m of report.missing_windows) lines.push(`  MISSING ${m.schedule} ${m.at}`);
  for (const r of report.runs_outside_windows)
    lines.push(`  outside any window: ${r.checked_at} ${r.trigger}`);
  lines.push(
    `VERDICT: ${report.verdict === 'covered' ? 'every expected window was covered' : 'scheduled checks were missed'}`,
  );
  return lines.join('\n');
}
