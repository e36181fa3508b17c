// A clean pre-deploy observation and a clean post-deploy one (new deployment, new task, fresh proofs).
import { detect } from '../../lambda/detector/detect';
import { DEFAULT_CONFIG, withBundleConfig } from '../../lambda/detector/config';
import type { ObservationBundle, RunRecord } from '../../lambda/detector/types';
import { parseGateSettings } from '../../lib/ops/gate-settings';
import type { GateReport } from '../../lib/ops/gate';
import { evaluateGate } from '../../lib/ops/gate-evaluate';
import { GATE_CRITERIA } from '../../lib/ops/gate-criteria';
import { bundle, TASK_ARN, type BundleChanges } from '../helpers/bundle';

type Json = Record<string, unknown>;

export const NEW_TASK_ARN =
  'arn:aws:ecs:ap-northeast-1:123456789012:task/aegis-pt/0a0b0c0d0e0f40418283848586878889';
export const OLD_DEF = 'arn:aws:ecs:ap-northeast-1:123456789012:task-definition/aegis-pt-core:41';
export const NEW_DEF = 'arn:aws:ecs:ap-northeast-1:123456789012:task-definition/aegis-pt-core:42';
export const CLEAN = { pending_orders: 0, pending_order_details: [] };

const deployment = (changes: Json = {}): Json => ({
  id: 'ecs-svc/1234567890',
  status: 'PRIMARY',
  desiredCount: 1,
  runningCount: 1,
  pendingCount: 0,
  failedTasks: 0,
  rolloutState: 'COMPLETED',
  taskDefinition: OLD_DEF,
  createdAt: '2026-06-01T13:20:00Z',
  updatedAt: '2026-06-01T13:27:00Z',
  ...changes,
});
export const NEW_DEPLOYMENT = deployment({
  id: 'ecs-svc/2222222222',
  taskDefinition: NEW_DEF,
  createdAt: '2026-06-01T14:10:00Z',
  updatedAt: '2026-06-01T14:14:00Z',
});

/** Pre: the spec example at 14:05 with no order working. */
export function pre(changes: BundleChanges = {}): Json {
  const b = bundle({ ...changes, status: { ...CLEAN, ...changes.status } });
  const ecs = b.ecs as { service: Json };
  if (!changes.service?.deployments) ecs.service.deployments = [deployment()];
  return b;
}

export function newTask(changes: Json = {}): Json {
  return {
    taskArn: NEW_TASK_ARN,
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    healthStatus: 'HEALTHY',
    startedAt: '2026-06-01T14:11:00Z',
    launchType: 'FARGATE',
    taskDefinitionArn: NEW_DEF,
    group: 'service:aegis-pt-core',
    containers: [
      { name: 'ibkr-gateway', lastStatus: 'RUNNING', healthStatus: 'HEALTHY' },
      { name: 'lt-ibkr-trader', lastStatus: 'RUNNING', healthStatus: 'UNKNOWN' },
    ],
    ...changes,
  };
}

/** Post: 14:20, deployment ecs-svc/2222222222 (14:10) completed, its task started 14:11, proofs at 14:19. */
export function post(changes: BundleChanges = {}): Json {
  return bundle({
    now: '2026-06-01T14:20:00Z',
    tasks: [newTask()],
    stopped: [
      {
        taskArn: TASK_ARN,
        lastStatus: 'STOPPED',
        stoppedAt: '2026-06-01T14:12:00Z',
        stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/2222222222)',
      },
    ],
    ...changes,
    service: { deployments: [NEW_DEPLOYMENT], ...changes.service },
    status: {
      ...CLEAN,
      generated_at: '2026-06-01T14:19:58Z',
      runtime_task_arn: NEW_TASK_ARN,
      heartbeat_at: '2026-06-01T14:19:50Z',
      last_position_reconcile: {
        at: '2026-06-01T14:19:00Z',
        ok: true,
        matched: 8,
        internal_count: 8,
        broker_count: 8,
      },
      ...changes.status,
    },
  });
}

export interface Judge {
  phase?: 'pre' | 'post';
  baseline?: Json;
  /** The wall clock; default 30 s after the observation. */
  wall?: string;
  replay?: boolean;
  deployedAt?: string;
  /** Post: the run records between the baseline and now (default: two clean scheduled checks after the deploy). */
  runs?: RunRecord[] | null;
  expectTaskDefinition?: string;
  env?: Record<string, string>;
}

/** A run record of the real detector, started by EventBridge Scheduler (its identity in the trigger). */
export function scheduledRun(
  observation: Json,
  trigger: 'schedule:primary' | 'schedule:fallback' = 'schedule:primary',
): RunRecord {
  const b = observation as unknown as ObservationBundle;
  const scheduled = new Date(Math.floor(Date.parse(b.now) / 60_000) * 60_000).toISOString();
  return {
    ...detect(b),
    observation: b,
    trigger: { trigger, execution_id: `exec-${scheduled}`, scheduled_time: scheduled },
  } as RunRecord;
}

/** Two clean scheduled checks after the post fixture's deploy (14:17 and 14:19, both on task 0a0b...). */
export const CLEAN_RUNS = (): RunRecord[] => [
  scheduledRun(
    post({
      now: '2026-06-01T14:17:20Z',
      status: { generated_at: '2026-06-01T14:17:20Z', heartbeat_at: '2026-06-01T14:17:10Z' },
    }),
  ),
  scheduledRun(
    post({
      now: '2026-06-01T14:19:20Z',
      status: { generated_at: '2026-06-01T14:19:20Z', heartbeat_at: '2026-06-01T14:19:10Z' },
    }),
    'schedule:fallback',
  ),
];

export function judge(observation: Json, opts: Judge = {}): GateReport {
  const b = observation as unknown as ObservationBundle;
  const phase = opts.phase ?? (opts.baseline ? 'post' : 'pre');
  const runs = opts.runs === null ? undefined : (opts.runs ?? (phase === 'post' ? CLEAN_RUNS() : undefined));
  return evaluateGate(
    {
      ...parseGateSettings({ AEGIS_PT_CLUSTER: 'aegis-pt', ...opts.env }),
      phase,
      bundle: b,
      output: detect(b),
      config: withBundleConfig(DEFAULT_CONFIG, b.config),
      wallNowMs: opts.wall ? Date.parse(opts.wall) : Date.parse(b.now) + 30_000,
      replay: opts.replay,
      ...(opts.baseline ? { baseline: opts.baseline as unknown as ObservationBundle } : {}),
      ...(opts.deployedAt ? { deployedAtMs: Date.parse(opts.deployedAt) } : {}),
      ...(opts.expectTaskDefinition ? { expectTaskDefinition: opts.expectTaskDefinition } : {}),
      ...(runs ? { runs: { records: runs, unreadable: [], source: 'the test' } } : {}),
    },
    GATE_CRITERIA[phase],
  );
}

export const failing = (r: GateReport) => r.criteria.filter((c) => c.outcome === 'fail').map((c) => c.name);
export const warning = (r: GateReport) => r.criteria.filter((c) => c.outcome === 'warn').map((c) => c.name);
