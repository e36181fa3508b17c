// The gate's criteria, each a rule with the evidence it needs (gate-evidence.ts): the runbook's golden
// signals and gate steps, judged only on what is reported, fresh and of this runtime.
import { GATEWAY_CONTAINER, TRADER_CONTAINER } from '../../lambda/detector/rules/runtime';
import { sameTask, taskId } from '../../lambda/detector/rules/rule';
import { criterion, GATE_FRESH_SEC, GATE_SKEW_SEC, serviceTask } from './gate';
import { formatAge, formatDuration } from './ages';
import type { GateRule } from './gate-evidence';
import {
  field,
  heartbeatFresh,
  logSignals,
  marketData,
  positionsAndTrades,
  reconcileFlags,
} from './gate-signals';
import { reconciliation } from './gate-reconcile';
import { POST_ONLY_RULES } from './gate-post';
import { ROLLOUT_RULES } from './gate-rollout';
import { pendingOrders } from './gate-orders';

const TASK_ECS = ['service', 'tasks', 'stopped_tasks'] as const;
/** Ages near the freshness limit stay in seconds, as the limit is; beyond an hour they read humanly. */
const SECONDS_UP_TO = 3600;

const observationFresh: GateRule = {
  name: 'observation is current',
  checks: `observed at most ${GATE_FRESH_SEC}s before this clock and not in its future (--replay re-judges a saved one at its own time, and says so)`,
  needs: {},
  judge: ({ nowMs, wallNowMs, replay, bundle }) => {
    const name = 'observation is current';
    const ageMs = wallNowMs - nowMs;
    const age = Math.floor(ageMs / 1000);
    if (!Number.isFinite(age)) return criterion(name, false, `observation time ${bundle.now} is not a time`);
    if (ageMs < -GATE_SKEW_SEC * 1000)
      return criterion(
        name,
        false,
        `observation ${bundle.now} is ${formatDuration(-age, SECONDS_UP_TO)} in the future of this clock`,
      );
    if (replay)
      return criterion(
        name,
        true,
        `REPLAY of ${bundle.now} (${formatAge(age, SECONDS_UP_TO)}), judged at its own time: not live evidence`,
      );
    // In milliseconds: 300.9 s is older than the 300 s limit, though it reads as 300 s.
    const fresh = ageMs <= GATE_FRESH_SEC * 1000;
    return criterion(
      name,
      fresh,
      fresh
        ? `observed ${bundle.now} (${formatAge(age, SECONDS_UP_TO)})`
        : `observed ${bundle.now}, ${formatAge(age, SECONDS_UP_TO)} (limit ${GATE_FRESH_SEC}s): re-collect, or pass --replay to re-judge a saved observation`,
    );
  },
};

const runtimeTask: GateRule = {
  name: 'exactly one AWS runtime task',
  checks:
    'the configured service and cluster, ACTIVE, 1/1/0, one RUNNING Fargate task, no task told to stop still not STOPPED',
  needs: { ecs: TASK_ECS },
  judge: (ctx) => {
    const ecs = ctx.view.ecs!;
    const svc = ecs.service!;
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
      'exactly one AWS runtime task',
      ok,
      `status=${svc.status ?? '?'} desired=${svc.desiredCount ?? '?'} running=${svc.runningCount ?? '?'} pending=${svc.pendingCount ?? '?'} tasks: ${tasks}${stopping.map((t) => `; told to stop but ${t.lastStatus ?? 'status not reported'}: ${taskId(t.taskArn)}`).join('')}`,
    );
  },
};

/**
 * The detector's dual_primary sees an IBKR task outside the service that is running; a deploy must not
 * start while one is still starting (PROVISIONING, PENDING, ACTIVATING) either, nor beside a task whose
 * containers were not reported.
 */
const noOtherRuntime: GateRule = {
  name: 'no IBKR task outside the service',
  checks:
    'no task of the cluster outside the service, not yet STOPPED, runs ibkr-gateway or lt-ibkr-trader (or hides its containers)',
  needs: { ecs: ['service', 'tasks', 'cluster_tasks'] },
  judge: (ctx) => {
    const ecs = ctx.view.ecs!;
    const own = ecs.tasks.flatMap((t) => t.taskArn ?? []);
    const others = (ecs.cluster_tasks ?? [])
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
      others
        .map(
          (t) =>
            `${taskId(t.taskArn)} ${t.lastStatus ?? '?'}${t.containers?.length ? '' : ' (containers not reported)'}`,
        )
        .join(', ') || `none among ${ecs.cluster_tasks?.length ?? 0} other task(s)`,
    );
  },
};

const heartbeatTask: GateRule = {
  name: 'heartbeat from the running task',
  checks: "runtime_task_arn is the full ARN of the service's one RUNNING task",
  needs: { fields: ['runtime_task_arn'], ecs: ['service', 'tasks'] },
  judge: (ctx) => {
    const arn = ctx.view.status!.runtime_task_arn!;
    const task = serviceTask(ctx);
    return criterion(
      'heartbeat from the running task',
      task?.taskArn !== undefined && arn === task.taskArn,
      `runtime_task_arn=${arn}, RUNNING task ${task?.taskArn ?? 'none'}`,
    );
  },
};

/** One criterion per open detector event: critical or escalating is STOP, warn is WAIT. */
const detectorEvents: GateRule = {
  name: 'detector: no open event',
  checks: 'every open detector event is a criterion: critical or escalating is STOP, warn is WAIT',
  needs: {},
  judge: ({ output }) => {
    if (output.events.length === 0)
      return criterion(
        'detector: no open event',
        true,
        `decision ${output.decision}: ${output.decision_reason}`,
      );
    return output.events.map((e) => ({
      name: `detector: ${e.signature}`,
      outcome: e.escalate || e.severity === 'critical' ? 'fail' : 'warn',
      seen: `[${e.severity.toUpperCase()}${e.escalate ? ', ESCALATE' : ''}] ${e.summary}`,
    }));
  },
};

/** Pre only: a rollout already under way is someone else's deploy. */
const noRollout: GateRule = {
  name: 'no deployment under way',
  checks: 'one deployment, COMPLETED (IN_PROGRESS: WAIT; FAILED or none: STOP)',
  needs: { ecs: ['service'] },
  judge: ({ view }) => {
    const deployments = view.ecs!.service!.deployments ?? [];
    const busy = deployments.filter((d) => d.rolloutState !== 'COMPLETED');
    return criterion(
      'no deployment under way',
      deployments.length === 1 && busy.length === 0,
      deployments.map((d) => `${d.id ?? '?'} ${d.status ?? '?'} ${d.rolloutState ?? '?'}`).join(', ') ||
        'no deployment listed',
      busy.some((d) => d.rolloutState === 'FAILED') || deployments.length === 0 ? 'fail' : 'warn',
    );
  },
};

const SHARED: readonly GateRule[] = [
  observationFresh,
  runtimeTask,
  noOtherRuntime,
  field('Synology containers exited', 'synology_ibkr_containers_running', 0),
  field('runtime on aws-fargate', 'runtime_platform', 'aws-fargate'),
  heartbeatTask,
  heartbeatFresh,
  field('pending_exits = 0', 'pending_exits', 0),
  field('stuck_exits = 0', 'stuck_exits', 0),
  reconcileFlags,
  reconciliation,
  field('no unknown_fill', 'unknown_fill', false),
  field('no send_outcome_unknown', 'send_outcome_unknown', false),
  field('no broker_confirmation_required', 'broker_confirmation_required', false),
  field('no session conflict', 'log_signals.existing_session_detected', 0),
  logSignals,
  marketData,
  positionsAndTrades,
  pendingOrders,
];

/** Before the deploy: the detector's events beside the gate's own criteria. */
export const PRE_CRITERIA: readonly GateRule[] = [...SHARED, noRollout, detectorEvents];
/** After the deploy: the same on the new observation, plus the deploy judged as a transition. */
export const POST_CRITERIA: readonly GateRule[] = [
  ...SHARED,
  ...POST_ONLY_RULES,
  ...ROLLOUT_RULES,
  detectorEvents,
];

export const GATE_CRITERIA = { pre: PRE_CRITERIA, post: POST_CRITERIA } as const;
