// Writes run records (real detector outputs with their trigger) into a directory laid out like the bucket.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsStore } from '../../lambda/adapters/fs-store';
import { detect } from '../../lambda/detector/detect';
import type { RunRecord, Trigger } from '../../lambda/detector/types';
import { firings, parseCron } from '../../lambda/shared/cron';
import { cadenceDefinitions, CADENCES, type ScheduleDefinition } from '../../lambda/shared/schedules';
import { bundle } from './bundle';

/**
 * A run record at `at`. A scheduled one carries EventBridge Scheduler's identity, as the schedules'
 * input does: an execution id and the time it was scheduled for (default: the minute it ran in).
 */
export function record(at: string, trigger: Trigger, scheduledFor?: string): RunRecord {
  const output = detect(bundle({ now: at }));
  if (!trigger.startsWith('schedule:')) return { ...output, trigger: { trigger } };
  const scheduled = scheduledFor ?? `${at.slice(0, 16)}:00Z`;
  return {
    ...output,
    trigger: { trigger, execution_id: `exec-${trigger}-${scheduled}`, scheduled_time: scheduled },
  };
}

/** The same run invoked by hand with the schedule's payload: no Scheduler identity. */
export function handInvoked(at: string, trigger: Extract<Trigger, `schedule:${string}`>): RunRecord {
  return { ...detect(bundle({ now: at })), trigger: { trigger } };
}

/**
 * The runbook's 5-minute interleave: the operator-tool tests count its windows (54 + 45 a day), so
 * they pass it to `gap` explicitly (`INTERLEAVE_CRON_ARGS`) rather than follow the default cadence.
 */
export const INTERLEAVE: readonly ScheduleDefinition[] = cadenceDefinitions('5m');
export const INTERLEAVE_CRON_ARGS = [
  '--cron',
  `primary=${CADENCES['5m'].primary}`,
  '--cron',
  `fallback=${CADENCES['5m'].fallback}`,
];

/** Every scheduled run of the crons (the interleave unless given) between two instants, on time (+30 s). */
export function scheduledRecords(
  from: string,
  to: string,
  definitions: readonly ScheduleDefinition[] = INTERLEAVE,
): RunRecord[] {
  return definitions.flatMap((d) =>
    firings(parseCron(d.cron), Date.parse(from), Date.parse(to)).map((t) =>
      record(new Date(t + 30_000).toISOString(), d.trigger, new Date(t).toISOString()),
    ),
  );
}

export async function runsDir(records: RunRecord[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'aegis-runs-'));
  const store = new FsStore(dir);
  for (const r of records) await store.writeRun(r);
  return dir;
}
