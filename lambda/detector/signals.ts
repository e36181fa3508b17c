// Every numeric reading of a run; the Lambda publishes them as CloudWatch metrics.
import { pendingOrderCount } from './rules/orders';
import { maxExitAttempts } from './rules/exits';
import { isBrokerImport } from './rules/attribution';
import { runningTasks } from './rules/runtime';
import type { RuleContext } from './rules/rule';
import { parseTimestamp } from './time';

export const MARKET_DATA_LEVEL = { ok: 0, degraded: 1, down: 2 } as const;

function put(out: Record<string, number>, name: string, value: number | undefined): void {
  if (value !== undefined && Number.isFinite(value)) out[name] = value;
}

export function readSignals(ctx: RuleContext): Record<string, number> {
  const out: Record<string, number> = {};
  out.dashboard_up = ctx.status !== null ? 1 : 0;
  out.ecs_up = ctx.ecs?.service ? 1 : 0;
  const s = ctx.status;
  if (s !== null) {
    const hb = parseTimestamp(s.heartbeat_at);
    put(out, 'heartbeat_age_sec', hb === undefined ? undefined : Math.floor((ctx.nowMs - hb) / 1000));
    put(out, 'pending_orders', pendingOrderCount(ctx));
    put(out, 'pending_exits', s.pending_exits);
    put(out, 'stuck_exits', s.stuck_exits);
    put(out, 'max_exit_attempt_count', maxExitAttempts(s));
    put(out, 'open_positions', s.open_positions?.length);
    put(out, 'broker_import_positions', s.open_positions?.filter(isBrokerImport).length);
    put(out, 'recent_trades', s.recent_trades?.length);
    put(out, 'pnl_unknown_trades', s.recent_trades?.filter((t) => t.pnl_unknown === true).length);
    put(out, 'market_data_10197_recent', s.market_data_10197_recent);
    // 0 ok, 1 degraded, 2 down: a status as a number, so it can be charted and alarmed on.
    put(
      out,
      'market_data_status',
      s.market_data_status === undefined ? undefined : MARKET_DATA_LEVEL[s.market_data_status],
    );
    put(out, 'synology_ibkr_containers_running', s.synology_ibkr_containers_running);
    const log = s.log_signals;
    if (log) {
      put(out, 'existing_session_detected', log.existing_session_detected);
      put(out, 'ibkr_1100', log.ibkr_1100);
      put(out, 'ibkr_1101', log.ibkr_1101);
      put(out, 'ibkr_1102', log.ibkr_1102);
      put(out, 'log_fatal', log.fatal);
      put(out, 'log_severe', log.severe);
    }
  }
  const service = ctx.ecs?.service;
  if (ctx.ecs && service) {
    put(out, 'ecs_desired', service.desiredCount);
    put(out, 'ecs_running', service.runningCount);
    put(out, 'ecs_pending', service.pendingCount);
    out.ecs_running_tasks = runningTasks(ctx.ecs).length;
    out.ecs_stopped_tasks = ctx.ecs.stopped_tasks.length;
  }
  return out;
}
