// Several trading days of run records from the real detector, chained as the Lambda chains them, with
// what the record readers count: pnl-unknown trades, broker imports, a stuck exit, a replaced task, both
// schedules, an ECS-event run and a run without a payload. For the record reader and sealer tests.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunRecord } from '../../lambda/detector/types';
import { importPosition, trade, chainRecords, type RunStep } from './sessions';

export const DAYS = ['2026-05-27', '2026-05-28', '2026-05-29'] as const;

const stoppedTask = (id: string, at: string) => ({
  taskArn: `arn:aws:ecs:ap-northeast-1:123456789012:task/aegis-pt/${id}`,
  lastStatus: 'STOPPED',
  desiredStatus: 'STOPPED',
  stoppedAt: at,
  stoppedReason: 'Essential container in task exited',
});

/** One day: a run every 10 minutes 13:00-21:50 UTC (primary, fallback at :x5), with that day's trouble. */
function daySteps(date: string, n: number): RunStep[] {
  const steps: RunStep[] = [];
  for (let h = 13; h <= 21; h++)
    for (let m = 0; m < 60; m += 10) {
      const now = `${date}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:20Z`;
      const status: Record<string, unknown> = {};
      if (h === 14 + n && m < 30) status.recent_trades = [trade(`t-${date}-${m}`, m % 20 === 0)];
      if (h === 15 && m >= 20 && m < 50) status.open_positions = [importPosition('COIN', 'Broker', 0, 3 + n)];
      if (h === 16 && m < 30) Object.assign(status, { stuck_exits: 1, max_exit_attempt_count: 4 + n });
      const stopped = h === 17 && m < 20 ? [stoppedTask(`dead${n}`, `${date}T16:55:00Z`)] : undefined;
      steps.push({
        now,
        status,
        ...(stopped ? { stopped } : {}),
        ...(h === 18 && m === 30 ? { dashboardDown: true } : {}),
      });
      if (m === 0) steps.push({ now: now.replace(':00:20Z', ':05:40Z'), trigger: 'schedule:fallback' });
    }
  steps.push({ now: `${date}T19:03:10Z`, trigger: 'ecs-event' });
  return steps.sort((a, b) => a.now.localeCompare(b.now));
}

/** Every run of the three days, chained across them, each with a run id (its key's last part). */
export function recordDays(): RunRecord[] {
  const records = chainRecords(DAYS.flatMap((d, n) => daySteps(d, n)));
  return records.map((r, i) => ({ ...r, run_id: `run${String(i).padStart(6, '0')}abcdef` }));
}

/** A copy of a directory of records, to seal one and keep the other as it was. */
export function copyOf(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'aegis-records-copy-'));
  cpSync(dir, copy, { recursive: true });
  return copy;
}
