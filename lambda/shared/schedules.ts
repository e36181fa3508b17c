// The check schedules: one definition for the stack, the Lambda (the digest) and the operator tools.
import type { Trigger } from '../detector/types';

export interface ScheduleDefinition {
  readonly name: 'primary' | 'fallback';
  readonly trigger: Extract<Trigger, 'schedule:primary' | 'schedule:fallback'>;
  readonly cron: string;
}

/**
 * The cadences one context setting away (`-c cadence=5m`), all in the runbook's monitoring window:
 * weekdays 13:00-21:59 UTC, which covers the NYSE session and its buffers in both EDT and EST.
 *
 * `1m` (the default): the primary checks every minute. The fallback is the independent second lane
 * every 5 minutes: should the primary schedule stop, checks go on at the cadence the runbook ran on
 * for years (whose persistence and latency are the measured baseline), the liveness alarm stays
 * quiet (it watches for a blind monitor, not a slower one) and `gap` and the digest show the missing
 * primary windows. A faster fallback would double most runs for a lane that is idle while the
 * primary works; a slower one would leave a dead primary with 10-minute checks.
 *
 * `5m`: the runbook's 07/12/17... interleave (each lane every 10 minutes, a check every 5), kept for
 * a deployment that wants it and as the latency benchmark's baseline.
 */
export const CADENCES = {
  '1m': {
    primary: 'cron(* 13-21 ? * MON-FRI *)',
    fallback: 'cron(2/5 13-21 ? * MON-FRI *)',
  },
  '5m': {
    primary: 'cron(7,17,27,37,47,57 13-21 ? * MON-FRI *)',
    fallback: 'cron(12,22,32,42,52 13-21 ? * MON-FRI *)',
  },
} as const satisfies Record<string, { primary: string; fallback: string }>;

export type CadenceName = keyof typeof CADENCES;
export const CADENCE_NAMES = Object.keys(CADENCES) as CadenceName[];
export const DEFAULT_CADENCE: CadenceName = '1m';

export const DEFAULT_PRIMARY_CRON: string = CADENCES[DEFAULT_CADENCE].primary;
export const DEFAULT_FALLBACK_CRON: string = CADENCES[DEFAULT_CADENCE].fallback;

export function scheduleDefinitions(
  primaryCron = DEFAULT_PRIMARY_CRON,
  fallbackCron = DEFAULT_FALLBACK_CRON,
): ScheduleDefinition[] {
  return [
    { name: 'primary', trigger: 'schedule:primary', cron: primaryCron },
    { name: 'fallback', trigger: 'schedule:fallback', cron: fallbackCron },
  ];
}

/** The two schedules of a named cadence. */
export function cadenceDefinitions(cadence: CadenceName): ScheduleDefinition[] {
  return scheduleDefinitions(CADENCES[cadence].primary, CADENCES[cadence].fallback);
}

/** Keys of the scheduler's context attributes in the schedules' input (filled in by EventBridge Scheduler). */
export const SCHEDULER_INPUT = {
  executionId: 'execution_id',
  scheduledTime: 'scheduled_time',
  scheduleArn: 'schedule_arn',
  attempt: 'attempt',
} as const;
