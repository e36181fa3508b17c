// The demo's scripted US session on 2026-06-01 (the runbook's baseline day), with its failure modes.
// Each step is what the dashboard and ECS show at one check, and what invoked the check.
import { firings, parseCron } from '../../lambda/shared/cron';
import { scheduleDefinitions } from '../../lambda/shared/schedules';

export const DEMO_DATE = '2026-06-01';
/** The schedules the demo's day runs on: the default cadence (a check every minute, the fallback every 5). */
export const DEMO_SCHEDULES = scheduleDefinitions();
/**
 * When in its minute each schedule's run starts (EventBridge Scheduler starts a run somewhere in the
 * scheduled minute): fixed here so the day is the same on every run of the demo.
 */
const START_OFFSET_SEC = { primary: 20, fallback: 40 } as const;
const ARN = (id: string) => `arn:aws:ecs:ap-northeast-1:123456789012:task/aegis-pt/${id}`;
const SERVICE_ARN = 'arn:aws:ecs:ap-northeast-1:123456789012:service/aegis-pt/aegis-pt-core';
const TASK_A = ARN('a1f0c2d3e4b5a49788d0e1f2a3b4c5d6');
const TASK_B = ARN('b2e1d3c4f5a6b7c8d9e0f1a2b3c4d5e6');
const TASK_C = ARN('c3d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7');
const TASK_D = ARN('d4e3f5a6b7c8d9e0f1a2b3c4d5e6f7a8');
/** The task definition before the approved deploy, and the one it brings. */
const TASK_DEF = (revision: number) =>
  `arn:aws:ecs:ap-northeast-1:123456789012:task-definition/aegis-pt-core:${revision}`;

/**
 * The approved deploy (runbook #93): the pre gate runs on the 18:27 check's observation and opens a 30m
 * window; ECS replaces task C with D; the post gate runs after two clean scheduled checks.
 */
export const DEMO_DEPLOY = {
  preGateAt: '2026-06-01T18:28:00Z',
  window: '30m',
  windowMs: 30 * 60_000,
  startedAt: '2026-06-01T18:30:00Z',
  postGateAt: '2026-06-01T18:53:00Z',
} as const;
const OLD_STOPPED = '2026-06-01T18:30:40Z';
const NEW_RUNNING = '2026-06-01T18:33:30Z';
const NEW_HEARTBEAT = '2026-06-01T18:38:00Z';
const NEW_GATEWAY_HEALTHY = '2026-06-01T18:39:00Z';

export interface DemoStep {
  readonly at: string;
  readonly event: unknown;
  readonly label?: string;
  /** What the dashboard serves: a payload, or an HTTP status when it is down. */
  readonly dashboard: { readonly status_v3: Record<string, unknown> } | { readonly http: number };
  readonly ecs: Record<string, unknown>;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const before = (at: string, sec: number) => iso(Date.parse(at) - sec * 1000);

function payload(at: string, task: string, changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    generated_at: at,
    heartbeat_at: before(at, 12),
    runtime_platform: 'aws-fargate',
    runtime_task_arn: task,
    synology_ibkr_containers_running: 0,
    broker_reconcile_pending: false,
    position_reconcile_pending: false,
    entry_blocking_reconcile_pending: false,
    last_position_reconcile: { at: before(at, 90), ok: true, matched: 8, internal_count: 8, broker_count: 8 },
    pending_orders: 0,
    pending_order_details: [],
    pending_exits: 0,
    stuck_exits: 0,
    broker_confirmation_required: false,
    send_outcome_unknown: false,
    unknown_fill: false,
    max_exit_attempt_count: 1,
    open_positions: [
      { symbol: 'NVDA', qty: 12, tags: ['strategy:momo'], exit_attempt_count: 1 },
      { symbol: 'AAPL', qty: 20, tags: ['strategy:momo'], exit_attempt_count: 0 },
    ],
    recent_trades: [
      {
        trade_id: 't-20260601-0007',
        symbol: 'COIN',
        closed_at: '2026-06-01T13:58:10Z',
        pnl: 41.5,
        pnl_unknown: false,
        exit_reason: 'take_profit',
      },
    ],
    market_data_status: 'ok',
    market_data_10197_recent: 0,
    log_signals: {
      window_sec: 900,
      existing_session_detected: 0,
      ibkr_1100: 0,
      ibkr_1101: 0,
      ibkr_1102: 0,
      fatal: 0,
      severe: 0,
    },
    ...changes,
  };
}

function task(arn: string, startedAt: string, lastStatus = 'RUNNING', gatewayHealth = 'HEALTHY') {
  return {
    taskArn: arn,
    taskDefinitionArn: TASK_DEF(arn === TASK_D ? 42 : 41),
    lastStatus,
    desiredStatus: 'RUNNING',
    healthStatus: gatewayHealth,
    launchType: 'FARGATE',
    startedAt,
    group: 'service:aegis-pt-core',
    containers: [
      { name: 'ibkr-gateway', lastStatus, healthStatus: gatewayHealth },
      { name: 'lt-ibkr-trader', lastStatus, healthStatus: 'UNKNOWN' },
    ],
  };
}

function stopped(arn: string, at: string, reason: string) {
  return {
    taskArn: arn,
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    stoppedAt: at,
    stopCode: 'EssentialContainerExited',
    stoppedReason: reason,
    group: 'service:aegis-pt-core',
  };
}

function ecs(
  tasks: unknown[],
  stoppedTasks: unknown[],
  counts = { running: 1, pending: 0 },
  deployments: unknown[] = [
    {
      id: 'ecs-svc/1234567890',
      status: 'PRIMARY',
      taskDefinition: TASK_DEF(41),
      rolloutState: 'COMPLETED',
      createdAt: '2026-05-29T21:10:00Z',
      desiredCount: 1,
      runningCount: counts.running,
    },
  ],
) {
  return {
    service: {
      serviceName: 'aegis-pt-core',
      serviceArn: SERVICE_ARN,
      status: 'ACTIVE',
      desiredCount: 1,
      runningCount: counts.running,
      pendingCount: counts.pending,
      launchType: 'FARGATE',
      deployments,
    },
    tasks,
    stopped_tasks: stoppedTasks,
    // The live collector lists the cluster's other tasks not yet stopped: none in the demo.
    cluster_tasks: [],
  };
}

function taskStoppedEvent(at: string, arn: string, reason: string) {
  return {
    version: '0',
    id: `demo-${at}`,
    'detail-type': 'ECS Task State Change',
    source: 'aws.ecs',
    account: '123456789012',
    time: at,
    region: 'ap-northeast-1',
    resources: [arn],
    detail: {
      clusterArn: 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/aegis-pt',
      group: 'service:aegis-pt-core',
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      stoppedReason: reason,
      taskArn: arn,
      containers: [{ name: 'lt-ibkr-trader', lastStatus: 'STOPPED', exitCode: 1 }],
    },
  };
}

/** The state of the world at one instant of the scripted session. */
function world(at: string): Omit<DemoStep, 'at' | 'event'> {
  const t = Date.parse(at);
  const hm = at.slice(11, 16);
  const A = task(TASK_A, '2026-06-01T12:50:00Z');
  const stopA = stopped(TASK_A, '2026-06-01T14:02:30Z', 'Essential container in task exited');
  const B = task(
    TASK_B,
    '2026-06-01T14:02:40Z',
    'RUNNING',
    t < Date.parse('2026-06-01T14:06:00Z') ? 'UNKNOWN' : 'HEALTHY',
  );
  const stopB = stopped(TASK_B, '2026-06-01T17:02:55Z', 'Essential container in task exited');
  // Stopped tasks stay listed for about an hour.
  const recentStops = [
    ...(t >= Date.parse(stopA.stoppedAt) && t < Date.parse(stopA.stoppedAt) + 3_600_000 ? [stopA] : []),
    ...(t >= Date.parse(stopB.stoppedAt) && t < Date.parse(stopB.stoppedAt) + 3_600_000 ? [stopB] : []),
  ];
  if (t < Date.parse(stopA.stoppedAt)) {
    const md =
      hm === '13:37'
        ? { market_data_10197_recent: 4, market_data_status: 'degraded' }
        : hm === '13:42'
          ? { market_data_10197_recent: 2 }
          : {};
    return {
      label: md.market_data_10197_recent ? '10197 after the open, isolated' : undefined,
      dashboard: { status_v3: payload(at, TASK_A, md) },
      ecs: ecs([A], []),
    };
  }
  if (t < Date.parse(stopB.stoppedAt)) {
    let changes: Record<string, unknown> = {};
    let label: string | undefined;
    if (hm < '14:10')
      [changes, label] = [
        {
          log_signals: {
            window_sec: 900,
            ibkr_1102: 1,
            ibkr_1100: 0,
            ibkr_1101: 0,
            existing_session_detected: 0,
            fatal: 0,
            severe: 0,
          },
        },
        'TWS disconnect: ECS replaced the task',
      ];
    else if (hm >= '14:17' && hm < '14:23') {
      const order = {
        order_id: '4711',
        symbol: 'COIN',
        purpose: 'entry',
        submitted_at: '2026-06-01T14:16:30Z',
        last_tws_code: hm >= '14:22' ? 202 : null,
      };
      [changes, label] = [
        { pending_orders: 1, pending_order_details: [order] },
        hm < '14:22' ? 'one normal entry order' : 'the entry order clears (TWS 202)',
      ];
    } else if (hm >= '15:07' && hm < '15:22') {
      const orders = ['5101', '5102'].map((id) => ({
        order_id: id,
        symbol: 'AMD',
        purpose: 'entry',
        submitted_at: before(at, 60),
        last_tws_code: null,
      }));
      [changes, label] = [{ pending_orders: 2, pending_order_details: orders }, 'pending-order buildup'];
    } else if (hm >= '16:07' && hm < '16:22') {
      [changes, label] = [
        { pending_exits: 1, stuck_exits: 1, unknown_fill: true, max_exit_attempt_count: 6 },
        'stuck exit with an unknown fill',
      ];
    } else if (hm === '15:22' || hm === '16:22') {
      label = 'recovered';
    }
    return { label, dashboard: { status_v3: payload(at, TASK_B, changes) }, ecs: ecs([B], recentStops) };
  }
  if (t < Date.parse('2026-06-01T17:05:10Z')) {
    const C = task(TASK_C, '2026-06-01T17:03:40Z', 'PENDING', 'UNKNOWN');
    return {
      label: 'task stopped: the runtime and its dashboard are down',
      dashboard: { http: 502 },
      ecs: ecs([C], recentStops, { running: 0, pending: 1 }),
    };
  }
  if (t >= Date.parse(DEMO_DEPLOY.startedAt)) return deployWorld(at, recentStops);
  const C = task(
    TASK_C,
    '2026-06-01T17:05:10Z',
    'RUNNING',
    t < Date.parse('2026-06-01T17:10:00Z') ? 'UNKNOWN' : 'HEALTHY',
  );
  const label = at.startsWith('2026-06-01T17:05') ? 'runtime back on a new task' : undefined;
  return { label, dashboard: { status_v3: payload(at, TASK_C) }, ecs: ecs([C], recentStops) };
}

/** The approved deploy: C stops, D starts, the heartbeat names C until D's runtime is up. */
function deployWorld(at: string, olderStops: unknown[]): Omit<DemoStep, 'at' | 'event'> {
  const t = Date.parse(at);
  const rolling = t < Date.parse(NEW_GATEWAY_HEALTHY);
  const deployment = {
    id: 'ecs-svc/2233445566',
    status: 'PRIMARY',
    taskDefinition: TASK_DEF(42),
    rolloutState: rolling ? 'IN_PROGRESS' : 'COMPLETED',
    createdAt: DEMO_DEPLOY.startedAt,
    desiredCount: 1,
    runningCount: t >= Date.parse(NEW_RUNNING) ? 1 : 0,
  };
  const stopC = stopped(TASK_C, OLD_STOPPED, 'Scaling activity initiated by (deployment ecs-svc/2233445566)');
  const stops = [...olderStops, ...(t >= Date.parse(OLD_STOPPED) ? [stopC] : [])];
  if (t < Date.parse(OLD_STOPPED)) {
    const C = task(TASK_C, '2026-06-01T17:05:10Z');
    return { dashboard: { status_v3: payload(at, TASK_C) }, ecs: ecs([C], stops, undefined, [deployment]) };
  }
  if (t < Date.parse(NEW_RUNNING)) {
    const D = task(TASK_D, NEW_RUNNING, 'PENDING', 'UNKNOWN');
    return {
      label: 'approved deploy: task C stopped, D starting (silenced: recorded, not told)',
      dashboard: { http: 502 },
      ecs: ecs([D], stops, { running: 0, pending: 1 }, [deployment]),
    };
  }
  const D = task(TASK_D, NEW_RUNNING, 'RUNNING', rolling ? 'UNKNOWN' : 'HEALTHY');
  // Until D's runtime writes its first heartbeat, the dashboard still serves C's last one.
  const status =
    t < Date.parse(NEW_HEARTBEAT)
      ? payload(at, TASK_C, { heartbeat_at: before(OLD_STOPPED, 12) })
      : payload(at, TASK_D);
  const label =
    t < Date.parse(NEW_HEARTBEAT)
      ? 'deploy: heartbeat still names task C (silenced: recorded, not told)'
      : rolling
        ? 'deploy: runtime up on task D'
        : undefined;
  return { label, dashboard: { status_v3: status }, ecs: ecs([D], stops, undefined, [deployment]) };
}

/**
 * Every scheduled check of the day, with the input EventBridge Scheduler gives it (its execution id
 * and scheduled time), plus the three ECS task-stop events.
 */
export function demoSession(): DemoStep[] {
  const from = Date.parse(`${DEMO_DATE}T00:00:00Z`);
  const to = Date.parse(`${DEMO_DATE}T23:59:59Z`);
  const steps: DemoStep[] = DEMO_SCHEDULES.flatMap((d) =>
    firings(parseCron(d.cron), from, to).map((t) => {
      const at = iso(t + START_OFFSET_SEC[d.name] * 1000);
      // The schedules' input as EventBridge Scheduler fills it in (lib/stack check-schedules).
      const event = { trigger: d.trigger, execution_id: `demo-${d.name}-${iso(t)}`, scheduled_time: iso(t) };
      return { at, event, ...world(at) };
    }),
  );
  for (const [at, arn] of [
    ['2026-06-01T14:03:10Z', TASK_A],
    ['2026-06-01T17:03:10Z', TASK_B],
  ] as const) {
    steps.push({ at, event: taskStoppedEvent(at, arn, 'Essential container in task exited'), ...world(at) });
  }
  const deployStop = '2026-06-01T18:30:50Z';
  steps.push({
    at: deployStop,
    event: taskStoppedEvent(
      deployStop,
      TASK_C,
      'Scaling activity initiated by (deployment ecs-svc/2233445566)',
    ),
    ...world(deployStop),
  });
  return steps.sort((a, b) => a.at.localeCompare(b.at));
}
