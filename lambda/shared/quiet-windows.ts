// The liveness alarm's shape and its mutes, derived from the deployed check schedules: its period
// and how many empty periods breach it follow the crons, and every gap between consecutive scheduled
// runs long enough to breach it (nights, weekends, a lunch break in a custom cron) becomes one weekly
// window. CDK-free so the stack, the benchmarks and the tests share it.
import { CronError, parseCron } from './cron';
import type { ScheduleDefinition } from './schedules';

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

/** A blind monitor is seen within minutes whatever the crons: the period is at most this. */
const MAX_PERIOD_MIN = 5;
/** The fewest empty periods that breach: one late datapoint or a missed run never pages. */
const MIN_EMPTY_PERIODS = 3;
/**
 * The longest the alarm may take to see a blind monitor. Beyond it the schedules are too sparse (or
 * one lane too often alone) for a liveness alarm to mean anything; CloudWatch also caps an alarm's
 * evaluation range.
 */
const MAX_DETECTION_MIN = 60;

export interface LivenessShape {
  /** The alarm's period: the shortest interval between two scheduled runs (1 at a one-minute cadence), at most 5. */
  readonly periodMin: number;
  /** ALARM after this many periods in a row with no scheduled run. */
  readonly emptyPeriods: number;
  /** periodMin x emptyPeriods: how long no scheduled run may happen before the alarm breaches. */
  readonly detectionMin: number;
}

interface Gap {
  readonly a: number;
  readonly b: number;
}

/** Consecutive firings, the last one wrapping to the first of next week. */
function gaps(runs: readonly number[]): Gap[] {
  return runs.map((a, i) => ({ a, b: i + 1 < runs.length ? runs[i + 1] : runs[0] + WEEK_MIN }));
}

const floorTo = (t: number, p: number) => t - (t % p);
const mod = (t: number, m: number) => ((t % m) + m) % m;

/** Periods with no run between two runs; `slipMin` lets the later run's datapoint land that much later. */
function emptyBetween(g: Gap, p: number, slipMin = 0): number {
  return (floorTo(g.b + slipMin, p) - floorTo(g.a, p)) / p - 1;
}

function contains(outer: Gap, inner: Gap): boolean {
  return [-WEEK_MIN, 0, WEEK_MIN].some((s) => outer.a <= inner.a + s && inner.b + s <= outer.b);
}

function firingsOf(definitions: readonly ScheduleDefinition[]): { union: number[]; lanes: number[][] } {
  const lanes = definitions.map((d) => weeklyFirings([d])).filter((l) => l.length > 0);
  const union = weeklyFirings(definitions);
  if (union.length === 0) throw new CronError('the schedules never fire');
  return { union, lanes };
}

/**
 * The alarm watches for a blind monitor (no lane runs), not a slower one: it must stay OK while any
 * one lane still runs, so it waits longer than the longest interval of either lane alone (a 5-minute
 * fallback beside a dead one-minute primary), plus the minute of EventBridge Scheduler's precision
 * (a run scheduled at 10:00 starts between 10:00:00 and 10:00:59). A lane's interval that spans a
 * night of both lanes is not one to wait through: the mutes cover it.
 */
export function livenessShape(definitions: readonly ScheduleDefinition[]): LivenessShape {
  const { union, lanes } = firingsOf(definitions);
  const unionGaps = gaps(union);
  const periodMin = Math.min(MAX_PERIOD_MIN, ...unionGaps.map((g) => g.b - g.a));
  let emptyPeriods = MIN_EMPTY_PERIODS;
  for (;;) {
    const nights = unionGaps.filter((g) => emptyBetween(g, periodMin) >= emptyPeriods);
    let need = emptyPeriods;
    for (const lane of lanes) {
      for (const g of gaps(lane)) {
        if (nights.some((n) => contains(g, n))) continue;
        need = Math.max(need, emptyBetween(g, periodMin, 1) + 1);
      }
    }
    if (need === emptyPeriods) break;
    emptyPeriods = need;
  }
  const detectionMin = periodMin * emptyPeriods;
  if (detectionMin > MAX_DETECTION_MIN) {
    throw new CronError(
      `the liveness alarm would need ${detectionMin} minutes to see that no check runs (at most ` +
        `${MAX_DETECTION_MIN}): within a session, run each schedule at least every ` +
        `${MAX_DETECTION_MIN - 1 - periodMin} minutes`,
    );
  }
  return { periodMin, emptyPeriods, detectionMin };
}

/**
 * The windows in which no scheduled run is due for the alarm's empty periods or more. A window
 * starts one period before the alarm could first breach (so the evening's end never pages, even with
 * only the lane that stops first still running) and ends that long after the first run's period
 * closes (so the morning's OK is muted too, and a schedule still dead then pages when the mute ends:
 * CloudWatch runs the ALARM action of an alarm still in ALARM at the end of a mute).
 */
export function quietWindows(
  definitions: readonly ScheduleDefinition[],
  shape: LivenessShape = livenessShape(definitions),
): QuietWindow[] {
  const { union, lanes } = firingsOf(definitions);
  const { periodMin: p, emptyPeriods, detectionMin } = shape;
  const raw: { start: number; duration: number }[] = [];
  for (const night of gaps(union)) {
    if (emptyBetween(night, p) < emptyPeriods) continue;
    // Each lane's last run before this night (the one whose own interval spans it).
    const lastRuns = lanes.map((l) => gaps(l).find((g) => contains(g, night))?.a ?? night.a);
    const lastA = Math.min(...lastRuns.map((a) => night.a - mod(night.a - a, WEEK_MIN)));
    const start = floorTo(lastA, p) + detectionMin;
    const end = floorTo(night.b, p) + p + detectionMin;
    raw.push({ start: mod(start, WEEK_MIN), duration: end - start });
  }
  if (raw.length > MAX_GAPS_PER_WEEK) {
    throw new CronError(
      `the schedules leave ${raw.length} gaps of ${detectionMin} minutes or more a week ` +
        `(at most ${MAX_GAPS_PER_WEEK}); run a check at least every ` +
        `${detectionMin - p} minutes within a session`,
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
  const m = mod(t, WEEK_MIN);
  for (const w of windows) {
    for (const dayName of w.weekDays) {
      for (const h of w.hours) {
        const start = DAY_NAMES.indexOf(dayName) * 1440 + h * 60 + w.minute;
        const since = mod(m - start, WEEK_MIN);
        if (since < w.durationMin) return true;
      }
    }
  }
  return false;
}
