// The gate's own criteria: positive evidence the detector does not demand (a field not reported is no
// evidence; the heartbeat must be fresh outside the session too) and what a deploy needs on top.
import { RECONCILE_FLAGS } from '../../lambda/detector/rules/reconcile';
import { GATEWAY_CONTAINER, TRADER_CONTAINER } from '../../lambda/detector/rules/runtime';
import { sameTask, taskId } from '../../lambda/detector/rules/rule';
import { parseTimestamp } from '../../lambda/detector/time';
import {
  criterion,
  detectorEvents,
  GATE_FRESH_SEC,
  GATE_SKEW_SEC,
  observationFresh,
  serviceTask,
  type Criterion,
  type GateCriterion,
} from './gate';
import { POST_ONLY_CRITERIA } from './gate-post';

const reported = (v: unknown) => (v === undefined ? 'not reported' : String(v));

const runtimeTask: GateCriterion = (ctx) => {
  const name = 'exactly one AWS runtime task';
  const ecs = ctx.view.ecs;
  if (!ecs)
    return criterion(name, false, `ECS not readable: ${ctx.bundle.ecs_error ?? 'no ECS observation'}`);
  const svc = ecs.service;
  if (!svc) return criterion(name, false, 'the service is missing from DescribeServices');
  const tasks = ecs.tasks.map((t) => `${taskId(t.taskArn)} ${t.lastStatus ?? '?'}`).join(', ') || 'none';
  // ListTasks files a task told to stop under STOPPED at once; until it is STOPPED its containers
  // (a second gateway session, a second trader) may still be running.
  const stopping = ecs.stopped_tasks.filter((t) => t.lastStatus !== 'STOPPED');
  const ok =
    stopping.length === 0 &&
    svc.status === 'ACTIVE' &&
    svc.desiredCount === 1 &&
    svc.runningCount === 1 &&
    svc.pendingCount === 0 &&
    serviceTask(ctx) !== undefined;
  return criterion(
    name,
    ok,
    `status=${svc.status ?? '?'} desired=${svc.desiredCount ?? '?'} running=${svc.runningCount ?? '?'} pending=${svc.pendingCount ?? '?'} tasks: ${tasks}${stopping.map((t) => `; told to stop but ${t.lastStatus ?? 'status not reported'}: ${taskId(t.taskArn)}`).join('')}`,
  );
};

/**
 * The detector's dual_primary sees a RUNNING IBKR task outside the service; a deploy must not start while
 * one is still starting (PROVISIONING, PENDING, ACTIVATING) either, nor beside a task whose containers
 * were not reported.
 */
const noOtherRuntime: GateCriterion = (ctx) => {
  const ecs = ctx.view.ecs;
  const own = (ecs?.tasks ?? []).flatMap((t) => t.taskArn ?? []);
  const others = (ecs?.cluster_tasks ?? [])
    .filter((t) => t.lastStatus !== 'STOPPED')
    .filter((t) => !own.some((arn) => t.taskArn !== undefined && sameTask(arn, t.taskArn)))
    .filter(
      (t) =>
        !t.containers?.length ||
        t.containers.some((c) => c.name === GATEWAY_CONTAINER || c.name === TRADER_CONTAINER),
    );
  return criterion(
    'no IBKR task outside the service',
    others.length === 0,
    others.length
      ? others
          .map(
            (t) =>
              `${taskId(t.taskArn)} ${t.lastStatus ?? '?'}${t.containers?.length ? '' : ' (containers not reported)'}`,
          )
          .join(', ')
      : ecs?.cluster_tasks === undefined
        ? 'cluster tasks not listed'
        : 'none',
  );
};

const cutover: GateCriterion = ({ view }) => {
  const s = view.status;
  return [
    criterion(
      'Synology containers exited',
      s?.synology_ibkr_containers_running === 0,
      `synology_ibkr_containers_running=${reported(s?.synology_ibkr_containers_running)}`,
    ),
    criterion(
      'runtime on aws-fargate',
      s?.runtime_platform === 'aws-fargate',
      `runtime_platform=${reported(s?.runtime_platform)}`,
    ),
  ];
};

const heartbeatTask: GateCriterion = (ctx) => {
  const arn = ctx.view.status?.runtime_task_arn;
  const task = serviceTask(ctx);
  const ok = arn !== undefined && task?.taskArn !== undefined && sameTask(arn, task.taskArn);
  return criterion(
    'heartbeat from the running task',
    ok,
    `runtime_task_arn=${arn === undefined ? 'not reported' : taskId(arn)}, RUNNING task ${taskId(task?.taskArn)}`,
  );
};

/** Reads the detector's own heartbeat age; the limit is the runbook's, not the configured one. */
const heartbeatFresh: GateCriterion = ({ output }) => {
  const age = output.signals.heartbeat_age_sec;
  const name = `fresh heartbeat (under ${GATE_FRESH_SEC}s)`;
  if (age === undefined) return criterion(name, false, 'heartbeat not reported');
  if (age < -GATE_SKEW_SEC) return criterion(name, false, `heartbeat ${-age}s in the future: not evidence`);
  // "Under 5 minutes": a heartbeat exactly 300 s old is not under it.
  return criterion(name, age < GATE_FRESH_SEC, `age ${age}s`);
};

const exits: GateCriterion = ({ view }) => [
  criterion(
    'pending_exits = 0',
    view.status?.pending_exits === 0,
    `pending_exits=${reported(view.status?.pending_exits)}`,
  ),
  criterion(
    'stuck_exits = 0',
    view.status?.stuck_exits === 0,
    `stuck_exits=${reported(view.status?.stuck_exits)}`,
  ),
];

const reconciliation: GateCriterion = ({ view }) => {
  const s = view.status;
  const r = s?.last_position_reconcile;
  return [
    criterion(
      'reconcile flags all false',
      !!s && RECONCILE_FLAGS.every((f) => s[f] === false),
      RECONCILE_FLAGS.map((f) => `${f}=${reported(s?.[f])}`).join(' '),
    ),
    criterion(
      'reconciliation OK',
      r?.ok === true && r.internal_count !== undefined && r.internal_count === r.broker_count,
      r
        ? `ok=${reported(r.ok)} internal=${reported(r.internal_count)} broker=${reported(r.broker_count)} at ${r.at ?? '?'}`
        : 'not reported',
    ),
  ];
};

const brokerCertainty: GateCriterion = ({ view }) =>
  (['unknown_fill', 'send_outcome_unknown', 'broker_confirmation_required'] as const).map((f) =>
    criterion(`no ${f}`, view.status?.[f] === false, `${f}=${reported(view.status?.[f])}`),
  );

const sessionConflict: GateCriterion = ({ view }) => {
  const n = view.status?.log_signals?.existing_session_detected;
  return criterion('no session conflict', n === 0, `existing_session_detected=${reported(n)}`);
};

const pendingOrders: GateCriterion = ({ view, nowMs, config }): Criterion => {
  const name = 'pending orders (0 preferred)';
  const s = view.status;
  if (!s || (s.pending_orders === undefined && s.pending_order_details === undefined))
    return criterion(name, false, 'not reported');
  const details = s.pending_order_details ?? [];
  const n = Math.max(s.pending_orders ?? 0, details.length);
  if (n === 0) return criterion(name, true, 'pending_orders=0');
  const exitOrders = details.filter((o) => o.purpose === 'exit');
  if (exitOrders.length > 0)
    return criterion(
      name,
      false,
      `exit order working: ${exitOrders.map((o) => `${o.order_id} ${o.symbol}`).join(', ')}: stop`,
    );
  const only = details[0];
  const at = parseTimestamp(only?.submitted_at);
  const ageSec = at === undefined ? undefined : Math.floor((nowMs - at) / 1000);
  if (
    n === 1 &&
    only?.purpose === 'entry' &&
    ageSec !== undefined &&
    ageSec >= -GATE_SKEW_SEC &&
    ageSec <= config.pendingOrderStaleSec
  )
    return criterion(
      name,
      false,
      `one entry order ${only.order_id} ${only.symbol}, ${ageSec}s old: wait for it to clear, reprice or cancel (202)`,
      'warn',
    );
  return criterion(
    name,
    false,
    `pending_orders=${n}${only ? `, oldest ${only.order_id} ${only.purpose ?? '?'}` : ''}`,
  );
};

/** Pre only: a rollout already under way is someone else's deploy. */
const noRollout: GateCriterion = ({ view }) => {
  const deployments = view.ecs?.service?.deployments ?? [];
  const busy = deployments.filter((d) => d.rolloutState !== 'COMPLETED');
  return criterion(
    'no deployment under way',
    deployments.length === 1 && busy.length === 0,
    deployments.map((d) => `${d.id ?? '?'} ${d.status ?? '?'} ${d.rolloutState ?? '?'}`).join(', ') ||
      'no deployment listed',
    busy.some((d) => d.rolloutState === 'FAILED') || deployments.length === 0 ? 'fail' : 'warn',
  );
};

const SHARED: readonly GateCriterion[] = [
  observationFresh,
  runtimeTask,
  noOtherRuntime,
  cutover,
  heartbeatTask,
  heartbeatFresh,
  exits,
  reconciliation,
  brokerCertainty,
  sessionConflict,
  pendingOrders,
];

/** Before the deploy: the detector's events beside the gate's own criteria. */
export const PRE_CRITERIA: readonly GateCriterion[] = [...SHARED, noRollout, detectorEvents];
/** After the deploy: the same on the new observation, plus the evidence that the new task is the one judged. */
export const POST_CRITERIA: readonly GateCriterion[] = [...SHARED, ...POST_ONLY_CRITERIA, detectorEvents];

export const GATE_CRITERIA = { pre: PRE_CRITERIA, post: POST_CRITERIA } as const;
