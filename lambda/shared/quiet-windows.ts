// When the liveness alarm must be muted, derived from the deployed check schedules: every gap between
// consecutive scheduled runs long enough to breach the alarm (nights, weekends, a lunch break in a
// custom cron) becomes one weekly window. CDK-free so the stack, `gap` and the tests share it.
import { CronError, parseCron } from './cron';
import type { ScheduleDefinition } from './schedules';

/** The liveness alarm's shape: periods of this many minutes, ALARM after this many empty in a row. */
export const LIVENESS_PERIOD_MIN = 5;
export const LIVENESS_EMPTY_PERIODS = 3;
/** How long the schedules may stay silent before the liveness alarm breaches. */
export const LIVENESS_DETECTION_MIN = LIVENESS_PERIOD_MIN * LIVENESS_EMPTY_PERIODS;

const WEEK_MIN = 7 * 24 * 60;
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
/** A night and one break a day: more gaps mean the checks are too sparse for the alarm to watch. */
const MAX_GAPS_PER_WEEK = 14;

/** One recurring mute: starts at minute:hour UTC on the listed days and lasts durationMin. */
export interface QuietWindow {
  readonly minute: number;
  readonly hours: readonly number[];
  /** Day names, SUN..SAT, as five-field crons accept them. */
  readonly weekDays: readonly string[];
  readonly durationMin: number;
}

/** Minutes of the week (Sunday 00:00 UTC = 0) at which any of the schedules fires. */
export function weeklyFirings(definitions: readonly ScheduleDefinition[]): number[] {
  const out = new Set<number>();
  for (const def of definitions) {
    const cron = parseCron(def.cron);
    // A weekly pattern is what the mute rules can follow; day-of-month, month or year limits are not.
    if (cron.daysOfWeek === null || cron.months.size !== 12 || cron.years !== null) {
      throw new CronError(
        `${def.cron}: the ${def.name} schedule must repeat weekly (day-of-month ?, every month and year)`,
      );
    }
    for (const day of cron.daysOfWeek)
      for (const h of cron.hours) for (const m of cron.minutes) out.add((day - 1) * 1440 + h * 60 + m);
  }
  return [...out].sort((a, b) => a - b);
}

const floorPeriod = (t: number) => t - (t % LIVENESS_PERIOD_MIN);

/**
 * The windows in which no scheduled run is due for LIVENESS_EMPTY_PERIODS periods or more. A window
 * starts one period before the alarm could first breach (so the evening's end never pages) and ends
 * that long after the first run's period closes (so the morning's OK is muted too, and a schedule
 * still dead then pages when the mute ends: CloudWatch runs the ALARM action of an alarm still in
 * ALARM at the end of a mute).
 */
export function quietWindows(definitions: readonly ScheduleDefinition[]): QuietWindow[] {
  const runs = weeklyFirings(definitions);
  if (runs.length === 0) throw new CronError('the schedules never fire');
  const raw: { start: number; duration: number }[] = [];
  runs.forEach((a, i) => {
    const b = i + 1 < runs.length ? runs[i + 1] : runs[0] + WEEK_MIN;
    const empty = (floorPeriod(b) - floorPeriod(a)) / LIVENESS_PERIOD_MIN - 1;
    if (empty < LIVENESS_EMPTY_PERIODS) return;
    const start = floorPeriod(a) + LIVENESS_DETECTION_MIN;
    const end = floorPeriod(b) + LIVENESS_PERIOD_MIN + LIVENESS_DETECTION_MIN;
    raw.push({ start: start % WEEK_MIN, duration: end - start });
  });
  if (raw.length > MAX_GAPS_PER_WEEK) {
    throw new CronError(
      `the schedules leave ${raw.length} gaps of ${LIVENESS_DETECTION_MIN} minutes or more a week ` +
        `(at most ${MAX_GAPS_PER_WEEK}); run a check at least every ` +
        `${LIVENESS_DETECTION_MIN - LIVENESS_PERIOD_MIN} minutes within a session`,
    );
  }
  return group(raw);
}

/** Same start time of day and duration -> one rule over several days; then merge hours. */
function group(raw: readonly { start: number; duration: number }[]): QuietWindow[] {
  const byTime = new Map<string, { minute: number; hour: number; duration: number; days: number[] }>();
  for (const w of raw) {
    const [day, hour, minute] = [Math.floor(w.start / 1440), Math.floor((w.start % 1440) / 60), w.start % 60];
    const key = `${minute}/${hour}/${w.duration}`;
    const entry = byTime.get(key) ?? { minute, hour, duration: w.duration, days: [] };
    entry.days.push(day);
    byTime.set(key, entry);
  }
  const byDays = new Map<string, { minute: number; hours: number[]; duration: number; days: number[] }>();
  for (const e of byTime.values()) {
    const days = [...e.days].sort((a, b) => a - b);
    const key = `${e.minute}/${e.duration}/${days.join(',')}`;
    const entry = byDays.get(key) ?? { minute: e.minute, hours: [], duration: e.duration, days };
    entry.hours.push(e.hour);
    byDays.set(key, entry);
  }
  return [...byDays.values()].map((e) => ({
    minute: e.minute,
    hours: [...e.hours].sort((a, b) => a - b),
    weekDays: e.days.map((d) => DAY_NAMES[d]),
    durationMin: e.duration,
  }));
}

/** Whether minute-of-week t falls inside one of the windows (for tests and `gap`). */
export function isQuiet(windows: readonly QuietWindow[], t: number): boolean {
  const m = ((t % WEEK_MIN) + WEEK_MIN) % WEEK_MIN;
  for (const w of windows) {
    for (const dayName of w.weekDays) {
      for (const h of w.hours) {
        const start = DAY_NAMES.indexOf(dayName) * 1440 + h * 60 + w.minute;
        const since = (((m - start) % WEEK_MIN) + WEEK_MIN) % WEEK_MIN;
        if (since < w.durationMin) return true;
      }
    }
  }
  return false;
}
