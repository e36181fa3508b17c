// Writes run records (real detector outputs with their trigger) into a directory laid out like the bucket.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsStore } from '../../lambda/adapters/fs-store';
import { detect } from '../../lambda/detector/detect';
import type { RunRecord, Trigger } from '../../lambda/detector/types';
import { firings, parseCron } from '../../lambda/shared/cron';
import { scheduleDefinitions } from '../../lambda/shared/schedules';
import { bundle } from './bundle';

export function record(at: string, trigger: Trigger): RunRecord {
  const output = detect(bundle({ now: at }));
  return { ...output, trigger: { trigger } };
}

/** Every scheduled run of the default crons between two instants, on time (+30 s). */
export function scheduledRecords(from: string, to: string): RunRecord[] {
  return scheduleDefinitions().flatMap((d) =>
    firings(parseCron(d.cron), Date.parse(from), Date.parse(to)).map((t) =>
      record(new Date(t + 30_000).toISOString(), d.trigger),
    ),
  );
}

export async function runsDir(records: RunRecord[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'aegis-runs-'));
  const store = new FsStore(dir);
  for (const r of records) await store.writeRun(r);
  return dir;
}
