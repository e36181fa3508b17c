// The contract types (shared/spec/detector-contract.md), defined once for the whole project.
import type { SilenceNote } from './silences';

export const OUTPUT_SCHEMA = 'aegis-pt-health/v1';

export type Severity = 'warn' | 'critical';
export type Decision = 'observe' | 'notify' | 'escalate';
/** How urgent an event is for routing: its severity, or `escalate` when the runbook says so. */
export type Level = 'warn' | 'critical' | 'escalate';
export type MarketState = 'open' | 'pre_open' | 'after_close' | 'closed';
export type MarketDataStatus = 'ok' | 'degraded' | 'down';

/** How a run was started; stored with every run record. */
export type Trigger = 'schedule:primary' | 'schedule:fallback' | 'ecs-event' | 'manual' | 'cli';

// ---- status_v3 (section 2.1), after validation: every field optional, wrong-typed leaves dropped ----

export interface PositionReconcile {
  readonly at?: string;
  readonly ok?: boolean;
  readonly matched?: number;
  readonly internal_count?: number;
  readonly broker_count?: number;
}

export interface PendingOrderDetail {
  readonly order_id?: string;
  readonly symbol?: string;
  readonly purpose?: 'entry' | 'exit';
  readonly submitted_at?: string;
  readonly last_tws_code?: number;
}

export interface OpenPosition {
  readonly symbol?: string;
  readonly qty?: number;
  readonly tags?: readonly string[];
  readonly exit_attempt_count?: number;
}

export interface RecentTrade {
  readonly trade_id?: string;
  readonly symbol?: string;
  readonly closed_at?: string;
  /** Left unvalidated on purpose: a non-finite pnl is the `pnl_anomaly` rule's business. */
  readonly pnl?: unknown;
  readonly pnl_unknown?: boolean;
  readonly exit_reason?: string;
}

export interface LogSignals {
  readonly window_sec?: number;
  readonly existing_session_detected?: number;
  readonly ibkr_1100?: number;
  readonly ibkr_1101?: number;
  readonly ibkr_1102?: number;
  readonly fatal?: number;
  readonly severe?: number;
}

export interface StatusV3 {
  readonly generated_at?: string;
  readonly heartbeat_at?: string;
  readonly runtime_platform?: string;
  readonly runtime_task_arn?: string;
  readonly synology_ibkr_containers_running?: number;
  readonly broker_reconcile_pending?: boolean;
  readonly position_reconcile_pending?: boolean;
  readonly entry_blocking_reconcile_pending?: boolean;
  readonly last_position_reconcile?: PositionReconcile;
  readonly pending_orders?: number;
  readonly pending_order_details?: readonly PendingOrderDetail[];
  readonly pending_exits?: number;
  readonly stuck_exits?: number;
  readonly broker_confirmation_required?: boolean;
  readonly send_outcome_unknown?: boolean;
  readonly unknown_fill?: boolean;
  readonly max_exit_attempt_count?: number;
  readonly open_positions?: readonly OpenPosition[];
  readonly recent_trades?: readonly RecentTrade[];
  readonly market_data_status?: MarketDataStatus;
  readonly market_data_10197_recent?: number;
  readonly log_signals?: LogSignals;
}

// ---- ECS observation (section 2.2): AWS's DescribeServices / DescribeTasks shapes, ISO timestamps ----

export interface EcsContainer {
  readonly name?: string;
  readonly lastStatus?: string;
  readonly healthStatus?: string;
  readonly exitCode?: number;
  readonly reason?: string;
}

export interface EcsTask {
  readonly taskArn?: string;
  readonly lastStatus?: string;
  readonly desiredStatus?: string;
  readonly healthStatus?: string;
  readonly startedAt?: string;
  readonly stoppingAt?: string;
  readonly stoppedAt?: string;
  readonly stopCode?: string;
  readonly stoppedReason?: string;
  readonly startedBy?: string;
  readonly group?: string;
  readonly taskDefinitionArn?: string;
  /** FARGATE for this runtime (the gate refuses evidence from any other launch type). */
  readonly launchType?: string;
  readonly containers?: readonly EcsContainer[];
}

export interface EcsDeployment {
  readonly id?: string;
  readonly status?: string;
  readonly desiredCount?: number;
  readonly runningCount?: number;
  readonly pendingCount?: number;
  readonly failedTasks?: number;
  readonly rolloutState?: string;
  readonly rolloutStateReason?: string;
  readonly taskDefinition?: string;
  readonly createdAt?: string;
  readonly updatedAt?: string;
}

export interface EcsServiceEvent {
  readonly id?: string;
  readonly createdAt?: string;
  readonly message?: string;
}

export interface EcsService {
  readonly serviceName?: string;
  readonly serviceArn?: string;
  readonly clusterArn?: string;
  readonly status?: string;
  readonly desiredCount?: number;
  readonly runningCount?: number;
  readonly pendingCount?: number;
  readonly launchType?: string;
  readonly taskDefinition?: string;
  readonly deployments?: readonly EcsDeployment[];
  readonly events?: readonly EcsServiceEvent[];
}

export interface EcsObservation {
  readonly service?: EcsService | null;
  readonly tasks: readonly EcsTask[];
  readonly stopped_tasks: readonly EcsTask[];
  /** The cluster's tasks not yet stopped, outside the service (optional: a second IBKR runtime started by hand). */
  readonly cluster_tasks?: readonly EcsTask[];
}

// ---- The observation bundle (section 2.3) ----

/** What started the run, when it came from an event: carried into the output and the messages. */
export interface TriggerContext {
  readonly trigger: Trigger;
  readonly source_event?: string;
  readonly reason?: string;
  readonly resource?: string;
  readonly at?: string;
  /** EventBridge Scheduler's context attributes, present only when the scheduler invoked the run. */
  readonly execution_id?: string;
  readonly scheduled_time?: string;
  readonly schedule_arn?: string;
  readonly attempt?: string;
  /** The code that ran: a hash baked in at build, and the Lambda version ($LATEST when unqualified). */
  readonly code_version?: string;
  readonly function_version?: string;
}

export interface ObservationBundle {
  readonly now: string;
  readonly status_v3?: unknown;
  readonly dashboard_error?: string;
  readonly ecs?: unknown;
  readonly ecs_error?: string;
  readonly previous?: unknown;
  /** The operators' silences (silences.ts), like `previous` an input: the detector stays pure. */
  readonly silences?: unknown;
  /**
   * Why the silences file could not be read at this run (an S3 error): the silences the previous
   * output applied still hold until their end (silence-carry.ts), and none is told as ended.
   */
  readonly silences_unreadable?: string;
  readonly config?: Readonly<Record<string, unknown>>;
  readonly trigger?: TriggerContext;
}

// ---- Output (section 4) ----

export interface SessionInfo {
  readonly date: string;
  readonly open: string;
  readonly close: string;
  readonly early_close: boolean;
}

export interface ClockInfo {
  readonly utc: string;
  readonly et: string;
  readonly jst: string;
  readonly market: MarketState;
  readonly past_open_grace: boolean;
  readonly session: SessionInfo | null;
}

export type Details = Readonly<Record<string, unknown>>;

export interface DetectorEvent {
  readonly code: string;
  readonly severity: Severity;
  readonly signature: string;
  readonly summary: string;
  readonly details: Details;
  readonly first_seen_at: string;
  readonly consecutive: number;
  readonly escalate: boolean;
  readonly notified_at?: string;
  readonly resolved_at?: string;
  /** On a resolved event: it was due to be told but no notification got through before it cleared. */
  readonly undelivered?: boolean;
  /** The highest level this event was told at: routes its resolution to whoever was paged. */
  readonly notified_level?: Level;
  /** The silence that held this event back at this run. */
  readonly silenced_by?: string;
  /** A notice is owed: it became due while silenced, so it is told when the silence ends. */
  readonly silence_held?: boolean;
  /** The silence that held this event at the previous run and no longer does: it is told again. */
  readonly silence_ended?: string;
}

export interface InfoItem {
  readonly code: string;
  readonly summary: string;
  readonly details?: Details;
}

export type Signals = Readonly<Record<string, number>>;

export interface DetectorOutput {
  readonly schema: typeof OUTPUT_SCHEMA;
  readonly checked_at: string;
  readonly clock: ClockInfo;
  readonly signals: Signals;
  readonly events: readonly DetectorEvent[];
  readonly new_events: readonly DetectorEvent[];
  readonly resolved_events: readonly DetectorEvent[];
  readonly info: readonly InfoItem[];
  readonly decision: Decision;
  readonly decision_reason: string;
  readonly trigger?: TriggerContext;
  /** The silences active at this run, each with how many open events it held back. */
  readonly silences?: readonly SilenceNote[];
}

/** A run record: one detector output as stored under runs/, with what started it. */
export interface RunRecord extends DetectorOutput {
  readonly trigger: TriggerContext;
  /** What the run saw; absent in records written before runs kept it. */
  readonly observation?: RunObservation;
  /** The run's own id: makes its key unique (absent in older records). */
  readonly run_id?: string;
  /**
   * Who was told what by this run, one entry per publish (absent in records written before runs
   * kept it: those are older records, never "every subscriber").
   */
  readonly notifications?: readonly RunNotification[];
  /**
   * The audiences this run could tell (a topic each, in the order published): an audience absent
   * here was not routed, one routed with no entry in `notifications` had nothing due. Absent in
   * records written before runs kept it.
   */
  readonly routed?: readonly RunNotification['audience'][];
}

/** One publish of a run to one audience, and whether it got through. */
export interface RunNotification {
  readonly audience: 'page' | 'email' | 'chat';
  readonly kind: 'alert' | 'digest' | 'silence';
  readonly outcome: 'told' | 'failed';
  readonly signatures: readonly string[];
  readonly subject: string;
  readonly error?: string;
}

/**
 * A run's observation bundle as stored with its record: everything but `previous`, with the settings in
 * force spelled out in full, so the run can be judged again (`detect --observation`, `replay`).
 */
export interface RunObservation extends ObservationBundle {
  readonly config: Readonly<Record<string, number | string>>;
  /** checked_at of the output this run de-duplicated against; null when it had none. */
  readonly previous_checked_at: string | null;
}

/** What one notification says, per protocol (rendered by messages.ts, sent by a Notifier). */
export interface NotificationMessage {
  readonly subject: string;
  readonly email: string;
  readonly sms: string;
  /** CRITICAL, WARN or RESOLVED: the highest severity among what is new. */
  readonly severity: string;
  readonly decision: string;
  /** The chat body: Chatbot's custom notification JSON (routing.ts). */
  readonly chat: string;
  /** The run's paging level (routing.ts): the page route compares it with its floor. */
  readonly page_level: Level | null;
}
