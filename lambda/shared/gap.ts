// Schedule coverage: did a scheduled check run in every window the schedules define? Shared by the
// operator tools, the post deploy gate and the daily digest the Lambda sends. Only a run EventBridge
// Scheduler started covers a window, matched by the time it was scheduled for: a hand invocation with a
// schedule payload is listed apart and covers nothing.
import { parseTimestamp } from '../detector/time';
import type { TriggerContext } from '../detector/types';
import { firings, parseCron } from './cron';
import type { ScheduleDefinition } from './schedules';

/** How late a scheduled run may start and still cover its window: the one default for every reader. */
export const GAP_GRACE_MINUTES = 8;

/** The Scheduler invokes at or after the scheduled time; beyond this before the run, it was written by hand. */
export const SCHEDULED_SKEW_SEC = 60;

/**
 * What coverage reads of a run: when it ran and what started it. A run record is one; so are the facts
 * a day summary keeps of each record (lambda/records), so a month is judged without reading its records.
 */
export interface RunStamp {
  readonly checked_at: string;
  readonly trigger: Pick<TriggerContext, 'trigger' | 'execution_id' | 'scheduled_time'>;
}

/**
 * The time EventBridge Scheduler scheduled this run for, when it has the Scheduler's identity (a
 * schedule trigger, an execution id and a scheduled time no later than the run); otherwise why not.
 */
export function schedulerIdentity(r: RunStamp): { scheduledMs: number } | { why: string } {
  const t = r.trigger;
  if (!t.trigger.startsWith('schedule:')) return { why: 'not a scheduled trigger' };
  if (!t.execution_id)
    return { why: 'no Scheduler execution id (a hand invocation with a schedule payload)' };
  const scheduledMs = parseTimestamp(t.scheduled_time);
  if (scheduledMs === undefined) return { why: 'no scheduled time' };
  const ran = parseTimestamp(r.checked_at);
  if (ran === undefined || scheduledMs > ran + SCHEDULED_SKEW_SEC * 1000)
    return {
      why: `scheduled ${t.scheduled_time}, after the run at ${r.checked_at}: not started by the scheduler`,
    };
  return { scheduledMs };
}

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
  /** Scheduler runs that fall in no window (late beyond grace, or off-schedule). */
  readonly runs_outside_windows: readonly { checked_at: string; trigger: string }[];
  /** Runs that claim a schedule without the Scheduler's identity: they cover nothing (absent in older reports). */
  readonly hand_invocations?: readonly { checked_at: string; trigger: string; why: string }[];
  readonly covered_windows: readonly CoveredWindow[];
  readonly verdict: 'covered' | 'missing';
  /** Earlier windows left out of the lists above by capWindowLists (the counts above stay whole). */
  readonly not_listed?: { readonly missing: number; readonly covered: number };
}

/** Keeps the most recent `max` missing and covered windows in the lists, with a count of the rest. */
export function capWindowLists(report: GapReport, max: number): GapReport {
  const missing = Math.max(0, report.missing_windows.length - max);
  const covered = Math.max(0, report.covered_windows.length - max);
  if (missing === 0 && covered === 0) return report;
  return {
    ...report,
    missing_windows: report.missing_windows.slice(missing),
    covered_windows: report.covered_windows.slice(covered),
    not_listed: { missing, covered },
  };
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * @param untilMs the end of the range; a window whose grace ends after `nowMs` is not due yet, so it is
 *   pending even when the range reaches past now (snapshot --gap-since ends it at the evidence's time)
 * @param nowMs this clock: a run checked after it (beyond the skew allowance) is dated in the future, so it
 *   was not started by the scheduler and covers nothing. Required: a default taken from the range would
 *   let a record dated up to one grace past the range cover a window (every caller has a clock).
 */
export function checkGaps(
  records: readonly RunStamp[],
  definitions: readonly ScheduleDefinition[],
  fromMs: number,
  untilMs: number,
  graceMinutes: number,
  nowMs: number,
): GapReport {
  const graceMs = graceMinutes * 60_000;
  const hand: NonNullable<GapReport['hand_invocations']>[number][] = [];
  const scheduled: { record: RunStamp; at: number; scheduledMs: number }[] = [];
  for (const record of records) {
    if (!record.trigger.trigger.startsWith('schedule:')) continue;
    const at = Date.parse(record.checked_at);
    const future = at > nowMs + SCHEDULED_SKEW_SEC * 1000;
    const id: ReturnType<typeof schedulerIdentity> = future
      ? { why: `checked at ${record.checked_at}, after this clock ${iso(nowMs)}: not a run that happened` }
      : schedulerIdentity(record);
    if ('why' in id) {
      // One dated after now is listed whatever the range: it was read, and it covers nothing.
      if (at >= fromMs && (at <= untilMs || future))
        hand.push({ checked_at: record.checked_at, trigger: record.trigger.trigger, why: id.why });
    } else scheduled.push({ record, at, scheduledMs: id.scheduledMs });
  }
  scheduled.sort((a, b) => a.scheduledMs - b.scheduledMs || a.at - b.at);
  const windows = definitions
    .flatMap((def) =>
      firings(parseCron(def.cron), fromMs, untilMs).map((at) => ({
        schedule: def.name,
        trigger: def.trigger,
        at,
      })),
    )
    .sort((a, b) => a.at - b.at || a.schedule.localeCompare(b.schedule));
  // Whether a window's grace has ended: by the range's end and by this clock, the earlier.
  const dueBy = Math.min(untilMs, nowMs);
  const used = new Set<number>();
  const inAWindow = new Set<number>();
  const covered: CoveredWindow[] = [];
  const missing: GapWindow[] = [];
  const pending: GapWindow[] = [];
  // The runs each window can take, by schedule and scheduled minute, in order: one lookup per window
  // (a year of one-minute windows would otherwise be every run against every window).
  const byWindow = new Map<string, number[]>();
  scheduled.forEach((s, j) => {
    const key = `${s.record.trigger.trigger}@${Math.floor(s.scheduledMs / 60_000) * 60_000}`;
    const list = byWindow.get(key);
    if (list) list.push(j);
    else byWindow.set(key, [j]);
  });
  for (const w of windows) {
    // Only a run the Scheduler started for this window (its schedule, its scheduled minute) covers it,
    // and only if it ran within the grace: a fallback run near a primary window must not hide a primary
    // schedule that stopped firing. Each run covers one window at most.
    const ofWindow = (byWindow.get(`${w.trigger}@${w.at}`) ?? []).filter(
      (j) => scheduled[j].at <= w.at + graceMs,
    );
    // A retried invocation carries the same scheduled time: it is in a window, not off-schedule.
    ofWindow.forEach((j) => inAWindow.add(j));
    const i = ofWindow.find((j) => !used.has(j)) ?? -1;
    if (i >= 0) {
      used.add(i);
      covered.push({
        schedule: w.schedule,
        at: iso(w.at),
        covered_by: `${scheduled[i].record.checked_at} ${scheduled[i].record.trigger.trigger} execution ${scheduled[i].record.trigger.execution_id}`,
      });
    } else if (w.at + graceMs > dueBy) {
      pending.push({ schedule: w.schedule, at: iso(w.at) });
    } else {
      missing.push({ schedule: w.schedule, at: iso(w.at) });
    }
  }
  const outside = scheduled
    .filter((s, i) => !inAWindow.has(i) && s.at >= fromMs && s.at <= untilMs)
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
    hand_invocations: hand,
    covered_windows: covered,
    verdict: missing.length === 0 ? 'covered' : 'missing',
  };
}

export function formatGapReport(report: GapReport): string {
  const lines = [
    `Schedule coverage ${report.from} .. ${report.until} (grace ${report.grace_minutes} min)`,
    ...report.schedules.map((s) => `  ${s.name}: ${s.cron}`),
    `Expected windows: ${report.expected}, covered: ${report.covered}, missing: ${report.missing_windows.length + (report.not_listed?.missing ?? 0)}, pending: ${report.pending_windows.length}`,
  ];
  if (report.not_listed?.missing)
    lines.push(
      `  ... ${report.not_listed.missing} earlier missing window(s) not listed (give --until to list every one)`,
    );
  for (const m of report.missing_windows) lines.push(`  MISSING ${m.schedule} ${m.at}`);
  for (const r of report.runs_outside_windows)
    lines.push(`  outside any window: ${r.checked_at} ${r.trigger}`);
  for (const r of report.hand_invocations ?? [])
    lines.push(`  covers nothing (${r.why}): ${r.checked_at} ${r.trigger}`);
  lines.push(
    `VERDICT: ${report.verdict === 'covered' ? 'every expected window was covered' : 'scheduled checks were missed'}`,
  );
  return lines.join('\n');
}
