// The event catalog's codes (detector-contract.md section 5) and whether the runbook says to escalate
// for each: what a silence may name, and what it can hold back without `include_escalations`.

/** `always`: every event of the code escalates; `sometimes`: when persisted or repeated; `never`. */
export type EscalationClass = 'always' | 'sometimes' | 'never';

/** One row per catalog code, in the catalog's order (the spec's "Escalate" column). */
export const EVENT_ESCALATION: Readonly<Record<string, EscalationClass>> = {
  ecs_unavailable: 'never',
  ecs_primary_count: 'sometimes',
  gateway_unhealthy: 'never',
  trader_not_running: 'never',
  task_restart_loop: 'always',
  deployment_failed: 'never',
  dual_primary: 'always',
  dashboard_unreachable: 'sometimes',
  dashboard_invalid: 'never',
  heartbeat_stale: 'sometimes',
  reconcile_pending: 'sometimes',
  position_mismatch: 'always',
  post_close_reconcile_missing: 'never',
  pending_order_buildup: 'sometimes',
  pending_order_stale: 'never',
  pending_exits: 'never',
  stuck_exits: 'always',
  unknown_fill: 'always',
  send_outcome_unknown: 'never',
  broker_confirmation_required: 'never',
  high_exit_attempts: 'never',
  pnl_unknown_trades: 'never',
  broker_import_positions: 'never',
  pnl_anomaly: 'never',
  market_data_degraded: 'never',
  session_conflict: 'sometimes',
  ibkr_connectivity: 'sometimes',
  severe_log_burst: 'never',
  monitor_gap: 'never',
};

export const EVENT_CODES: readonly string[] = Object.keys(EVENT_ESCALATION);

/** Codes the runbook may say to stop and escalate for: holding those back needs `include_escalations`. */
export const ESCALATING_CODES: readonly string[] = EVENT_CODES.filter((c) => EVENT_ESCALATION[c] !== 'never');

/** Codes whose every event escalates: a silence without `include_escalations` holds none of them back. */
export const ALWAYS_ESCALATING_CODES: readonly string[] = EVENT_CODES.filter(
  (c) => EVENT_ESCALATION[c] === 'always',
);

export function isEventCode(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(EVENT_ESCALATION, code);
}
