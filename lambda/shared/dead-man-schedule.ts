// The dead-man's switch's schedule outside AWS, derived from the deployed crons: a Healthchecks.io
// "Cron" check expects a ping at each scheduled run (both schedules ping it) and alerts when none came
// within its grace, which is the liveness alarm's detection time. CDK-free: the stack's predeploy
// prints it and the README's example is checked against it.
import { parseCron } from './cron';
import { livenessShape, weeklyFirings } from './quiet-windows';
import type { ScheduleDefinition } from './schedules';

const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export interface DeadManSchedule {
  /** A five-field cron for the check (minute hour day-of-month month day-of-week), in UTC. */
  readonly cron: string;
  readonly timezone: 'UTC';
  /** How long after an expected ping the service waits before it alerts. */
  readonly graceMin: number;
  /** Which schedules' runs the cron lists: both, or the primary alone when their union is no cron. */
  readonly covers: 'both schedules' | 'the primary schedule';
}

/** `13,14,15,17` -> `13-15,17`; every value of the field -> `*`. */
function compress(values: readonly number[], all: number, name: (v: number) => string = String): string {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  if (sorted.length === all) return '*';
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(
      j - i >= 2
        ? `${name(sorted[i])}-${name(sorted[j])}`
        : sorted
            .slice(i, j + 1)
            .map(name)
            .join(','),
    );
    i = j;
  }
  return parts.join(',');
}

/** The firings as one cron when they are every listed minute of every listed hour of every listed day. */
function asCron(firings: readonly number[]): string | undefined {
  const minutes = new Set(firings.map((f) => f % 60));
  const hours = new Set(firings.map((f) => Math.floor((f % 1440) / 60)));
  const days = new Set(firings.map((f) => Math.floor(f / 1440)));
  if (minutes.size * hours.size * days.size !== new Set(firings).size) return undefined;
  return `${compress([...minutes], 60)} ${compress([...hours], 24)} * * ${compress([...days], 7, (d) => DAYS[d])}`;
}

/**
 * The Healthchecks-style cron and grace for the deployed schedules.
 * @param definitions the primary and fallback schedules, in that order
 */
export function deadManSchedule(definitions: readonly ScheduleDefinition[]): DeadManSchedule {
  for (const d of definitions) parseCron(d.cron); // a bad cron throws here, naming itself
  const both = asCron(weeklyFirings(definitions));
  const cron = both ?? asCron(weeklyFirings(definitions.slice(0, 1)));
  if (cron === undefined) throw new Error(`${definitions[0].cron} is not one weekly cron outside AWS`);
  return {
    cron,
    timezone: 'UTC',
    graceMin: Math.max(2, livenessShape(definitions).detectionMin),
    covers: both ? 'both schedules' : 'the primary schedule',
  };
}
