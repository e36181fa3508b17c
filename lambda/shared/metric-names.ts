// The EMF metrics the Lambda emits and the stack's alarms and dashboard read: the one list of them.
// Each custom metric series (name + dimensions) costs $0.30 a month, so only what an alarm or a key
// dashboard graph needs is a metric; every other signal stays in the run's JSON log line (`signals`),
// which the dashboard's Logs Insights widgets chart at query cost.
import { DEFAULT_STACK_NAME } from './stack-outputs';

export const METRICS_NAMESPACE = 'AegisPtHealth';
export const SERVICE_NAME = 'aegis-pt-health';

/**
 * The `service` dimension of one deployment's metrics. Every stack writes the same namespace, so the
 * dimension carries the stack's name: two stacks in one account and region would otherwise read each
 * other's scheduled runs (one's liveness alarm kept green by the other's checks) and deploy windows
 * (one's running-tasks alarm held off by the other's deploy). The default stack keeps the series it
 * always had.
 * @param stackName the monitor stack's name
 */
export function metricsServiceName(stackName: string): string {
  return stackName === DEFAULT_STACK_NAME ? SERVICE_NAME : stackName;
}

/** At most this many distinct series per deployment (a test counts them over the demo's day). */
export const METRIC_SERIES_BUDGET = 8;

export const METRIC = {
  /** One per run (service dimension only); liveness reads the per-trigger series below. */
  run: 'DetectorRun',
  /** ECS graph (the detector's ecs_primary_count judges the count; no alarm duplicates it). */
  ecsRunning: 'ecs_running',
  /** Key graphs. */
  heartbeatAge: 'heartbeat_age_sec',
  eventsCritical: 'events_critical',
  pendingOrders: 'pending_orders',
  /**
   * 1 on every run while an approved deploy window is open (a `deploy-window` silence is active): the
   * running-tasks alarm holds off while it is present. Emitted only then, so it costs the hours of
   * deploy windows, not a month; absent (a broken Lambda) never holds the alarm off.
   */
  deployWindow: 'DeployWindowOpen',
} as const;

/** Signals emitted as metrics with the service dimension, when the run has them. */
export const SIGNAL_METRICS: readonly string[] = [
  METRIC.ecsRunning,
  METRIC.heartbeatAge,
  METRIC.eventsCritical,
  METRIC.pendingOrders,
];

/**
 * `DetectorRun` is also emitted with a `Trigger` dimension, for the scheduled triggers only: each
 * schedule's own liveness. ECS-event, manual and probe runs are counted in the log line.
 */
export const PER_TRIGGER_RUN_TRIGGERS: readonly string[] = ['schedule:primary', 'schedule:fallback'];

/** The dimension of the per-trigger `DetectorRun` series (the liveness alarm reads them). */
export const TRIGGER_DIMENSION = 'Trigger';
