// Which of a run's signals a message lists: those that are not zero, and those its events speak of (a
// resolved `stuck_exits` shows `stuck_exits = 0`); the rest are counted as "N others at 0". A run reads
// about 30 signals and most are 0 on a normal day: listed in full they push the events below the fold
// of a phone. Pure; used by the email and the chat rendering alike.
import type { DetectorEvent, DetectorOutput } from './types';

/**
 * Signals an event speaks of besides the one named like its code and the keys of its details (the
 * readings of signals.ts that the rule behind the code looks at).
 */
const EVENT_SIGNALS: Readonly<Record<string, readonly string[]>> = {
  ecs_unavailable: ['ecs_up'],
  ecs_primary_count: ['ecs_desired', 'ecs_running', 'ecs_pending', 'ecs_running_tasks'],
  gateway_unhealthy: ['ecs_running_tasks'],
  trader_not_running: ['ecs_running_tasks'],
  task_restart_loop: ['ecs_stopped_tasks'],
  dual_primary: ['synology_ibkr_containers_running', 'ecs_running_tasks'],
  dashboard_unreachable: ['dashboard_up'],
  dashboard_invalid: ['dashboard_up'],
  heartbeat_stale: ['heartbeat_age_sec'],
  pending_order_buildup: ['pending_orders'],
  pending_order_stale: ['pending_orders'],
  high_exit_attempts: ['max_exit_attempt_count'],
  pnl_unknown_trades: ['recent_trades'],
  broker_import_positions: ['open_positions'],
  market_data_degraded: ['market_data_10197_recent', 'market_data_status'],
  session_conflict: ['existing_session_detected'],
  ibkr_connectivity: ['ibkr_1100', 'ibkr_1101', 'ibkr_1102'],
  severe_log_burst: ['log_fatal', 'log_severe'],
};

export interface SignalList {
  /** In the run's own order. */
  readonly shown: readonly (readonly [string, number])[];
  /** Signals at 0 that no event speaks of. */
  readonly zeros: number;
}

function named(events: readonly DetectorEvent[]): Set<string> {
  const names = new Set<string>();
  for (const e of events) {
    names.add(e.code);
    for (const s of EVENT_SIGNALS[e.code] ?? []) names.add(s);
    const details = e.details;
    if (details && typeof details === 'object') for (const k of Object.keys(details)) names.add(k);
  }
  return names;
}

export function signalsThatMatter(output: DetectorOutput): SignalList {
  const speak = named([...output.events, ...output.new_events, ...output.resolved_events]);
  const shown: (readonly [string, number])[] = [];
  let zeros = 0;
  for (const [name, value] of Object.entries(output.signals ?? {})) {
    if (value !== 0 || speak.has(name)) shown.push([name, value]);
    else zeros++;
  }
  return { shown, zeros };
}

/** "N others at 0", or nothing when no signal was left out. */
export function othersAtZero(list: SignalList): string | null {
  return list.zeros > 0 ? `${list.zeros} other${list.zeros === 1 ? '' : 's'} at 0` : null;
}

/** The chat's one line of signals, names as code so Slack reads no markup in them. */
export function chatSignalLine(output: DetectorOutput): string | null {
  const list = signalsThatMatter(output);
  if (list.shown.length === 0 && list.zeros === 0) return null;
  const shown = list.shown.map(([name, value]) => `\`${name}\` ${value}`).join(', ');
  const zeros = othersAtZero(list);
  return `Signals: ${[shown, zeros].filter((p) => p).join('; ')}`;
}
