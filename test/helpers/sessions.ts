// Multi-day run records from the real detector: each run chained on the previous one, as the Lambda does.
import { detect } from '../../lambda/detector/detect';
import type { DetectorOutput, RunRecord, Trigger } from '../../lambda/detector/types';
import { bundle, type BundleChanges } from './bundle';

export interface RunStep {
  readonly now: string;
  readonly status?: Record<string, unknown>;
  readonly stopped?: Record<string, unknown>[];
  readonly trigger?: Trigger;
  /** The dashboard did not answer: no payload at this run. */
  readonly dashboardDown?: boolean;
}

/** A clean healthy payload at `now`: fresh heartbeat, no open orders. */
export function healthyStatus(now: string): Record<string, unknown> {
  return { heartbeat_at: now, generated_at: now, pending_orders: 0, pending_order_details: [] };
}

export function chainRecords(steps: readonly RunStep[]): RunRecord[] {
  const out: RunRecord[] = [];
  let previous: DetectorOutput | null = null;
  for (const s of steps) {
    const changes: BundleChanges = {
      now: s.now,
      status: { ...healthyStatus(s.now), ...s.status },
      previous,
      ...(s.stopped ? { stopped: s.stopped } : {}),
    };
    const b = bundle(changes);
    const observation = s.dashboardDown ? { ...b, status_v3: undefined, dashboard_error: 'HTTP 502' } : b;
    const output = detect(observation as never);
    previous = output;
    const trigger = s.trigger ?? 'schedule:primary';
    // A scheduled run carries EventBridge Scheduler's identity, as the schedules' input fills it in.
    const scheduled = `${s.now.slice(0, 16)}:00Z`;
    // The Lambda keeps the observation in the run record (replayable), as here.
    out.push({
      ...output,
      observation: { ...observation, previous: null } as never,
      trigger: trigger.startsWith('schedule:')
        ? { trigger, execution_id: `exec-${trigger}-${scheduled}`, scheduled_time: scheduled }
        : { trigger },
    });
  }
  return out;
}

export const trade = (id: string, unknown: boolean) => ({
  trade_id: id,
  symbol: 'COIN',
  closed_at: '2026-05-28T14:00:00Z',
  pnl: unknown ? null : 1.5,
  pnl_unknown: unknown,
  exit_reason: 'stop',
});

export const importPosition = (symbol: string, tag = 'Broker', exitAttempts = 0, qty = 5) => ({
  symbol,
  qty,
  tags: [tag],
  exit_attempt_count: exitAttempts,
});
