// The runbook's check schedules: one definition for the stack and for `gap`.
import type { Trigger } from '../detector/types';

export interface ScheduleDefinition {
  readonly name: 'primary' | 'fallback';
  readonly trigger: Extract<Trigger, 'schedule:primary' | 'schedule:fallback'>;
  readonly cron: string;
}

/** Weekdays 13:00-21:59 UTC, which covers the NYSE session in both EDT and EST. */
export const DEFAULT_PRIMARY_CRON = 'cron(7,17,27,37,47,57 13-21 ? * MON-FRI *)';
export const DEFAULT_FALLBACK_CRON = 'cron(12,22,32,42,52 13-21 ? * MON-FRI *)';

export function scheduleDefinitions(
  primaryCron = DEFAULT_PRIMARY_CRON,
  fallbackCron = DEFAULT_FALLBACK_CRON,
): ScheduleDefinition[] {
  return [
    { name: 'primary', trigger: 'schedule:primary', cron: primaryCron },
    { name: 'fallback', trigger: 'schedule:fallback', cron: fallbackCron },
  ];
}

/** Keys of the scheduler's context attributes in the schedules' input (filled in by EventBridge Scheduler). */
export const SCHEDULER_INPUT = {
  executionId: 'execution_id',
  scheduledTime: 'scheduled_time',
  scheduleArn: 'schedule_arn',
  attempt: 'attempt',
} as const;
