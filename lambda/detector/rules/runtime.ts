// Runtime family: the ECS service and its tasks (catalog rows ecs_* , gateway, trader, restarts, deployments).
import { parseTimestamp } from '../time';
import type { EcsObservation, EcsTask } from '../types';
import { finding, olderThan, taskId, type Rule, type RuleContext } from './rule';

export const GATEWAY_CONTAINER = 'ibkr-gateway';
export const TRADER_CONTAINER = 'lt-ibkr-trader';
const DEPLOYMENT_STOP = /deployment/i;

export function runningTasks(ecs: EcsObservation): EcsTask[] {
  return ecs.tasks.filter((t) => t.lastStatus === 'RUNNING');
}

/** ECS is readable and the service exists: the other ECS rules have something to judge. */
function observedService(ctx: RuleContext): EcsObservation | null {
  return ctx.ecs && ctx.ecs.service ? ctx.ecs : null;
}

export const ecsUnavailable: Rule = (ctx, emit) => {
  let reason: string | undefined;
  if (!ctx.ecs) reason = `ECS could not be read: ${ctx.ecsError ?? 'no ECS observation'}`;
  else if (!ctx.ecs.service) reason = 'the service is missing from DescribeServices';
  else if (ctx.ecs.service.status !== 'ACTIVE')
    reason = `service status is ${ctx.ecs.service.status ?? 'unknown'}, not ACTIVE`;
  if (reason === undefined) return;
  emit.event(
    finding('ecs_unavailable', {
      severity: 'critical',
      summary: reason,
      details: { ecs_error: ctx.ecsError ?? null, service_status: ctx.ecs?.service?.status ?? null },
    }),
  );
};

export const ecsPrimaryCount: Rule = (ctx, emit) => {
  const ecs = observedService(ctx);
  if (!ecs?.service) return;
  const { desiredCount, runningCount, pendingCount } = ecs.service;
  const running = runningTasks(ecs).length;
  if (desiredCount === 1 && runningCount === 1 && pendingCount === 0 && running === 1) return;
  emit.event(
    finding('ecs_primary_count', {
      severity: 'critical',
      escalate: 'when_persisted',
      summary: `desired=${desiredCount ?? '?'} running=${runningCount ?? '?'} pending=${pendingCount ?? '?'} RUNNING tasks=${running} (want 1/1/0 and one RUNNING task)`,
      details: {
        desired: desiredCount ?? null,
        running: runningCount ?? null,
        pending: pendingCount ?? null,
        running_tasks: running,
      },
    }),
  );
};

/** The tasks whose containers are judged: the RUNNING ones, else whatever the service wants running. */
function judgedTasks(ecs: EcsObservation): EcsTask[] {
  const running = runningTasks(ecs);
  return running.length > 0 ? running : [...ecs.tasks];
}

function containerProblems(
  ctx: RuleContext,
  ecs: EcsObservation,
  name: string,
  needHealth: boolean,
): string[] {
  const tasks = judgedTasks(ecs);
  if (tasks.length === 0) return [`no task of the service is running ${name}`];
  const problems: string[] = [];
  for (const task of tasks) {
    const id = taskId(task.taskArn);
    const container = task.containers?.find((c) => c.name === name);
    if (!container) {
      problems.push(`${name} missing from task ${id}`);
    } else if (container.lastStatus !== 'RUNNING') {
      problems.push(`${name} is ${container.lastStatus ?? 'UNKNOWN'} in task ${id}`);
    } else if (needHealth) {
      const health = container.healthStatus ?? 'UNKNOWN';
      if (health === 'HEALTHY') continue;
      const started = parseTimestamp(task.startedAt);
      const inGrace =
        health === 'UNKNOWN' &&
        started !== undefined &&
        !olderThan(ctx.nowMs, started, ctx.config.taskStartupGraceSec);
      if (!inGrace) problems.push(`${name} health is ${health} in task ${id}`);
    }
  }
  return problems;
}

export const gatewayUnhealthy: Rule = (ctx, emit) => {
  const ecs = observedService(ctx);
  if (!ecs) return;
  const problems = containerProblems(ctx, ecs, GATEWAY_CONTAINER, true);
  if (problems.length === 0) return;
  emit.event(
    finding('gateway_unhealthy', {
      severity: 'critical',
      summary: problems.join('; '),
      details: { problems },
    }),
  );
};

export const traderNotRunning: Rule = (ctx, emit) => {
  const ecs = observedService(ctx);
  if (!ecs) return;
  const problems = containerProblems(ctx, ecs, TRADER_CONTAINER, false);
  if (problems.length === 0) return;
  emit.event(
    finding('trader_not_running', {
      severity: 'critical',
      summary: problems.join('; '),
      details: { problems },
    }),
  );
};

function stopTime(task: EcsTask): number | undefined {
  return parseTimestamp(task.stoppedAt) ?? parseTimestamp(task.stoppingAt);
}

export const taskRestartLoop: Rule = (ctx, emit) => {
  const ecs = observedService(ctx);
  if (!ecs) return;
  const { restartWindowSec, restartLoopCount } = ctx.config;
  // A stop without a time is counted: ECS lists stopped tasks for about an hour, so it is recent.
  const recent = ecs.stopped_tasks.filter((t) => {
    const at = stopTime(t);
    return at === undefined || !olderThan(ctx.nowMs, at, restartWindowSec);
  });
  const describe = (t: EcsTask) => ({
    task: taskId(t.taskArn),
    stopped_at: t.stoppedAt ?? null,
    stop_code: t.stopCode ?? null,
    reason: t.stoppedReason ?? null,
  });
  const byDeployment = recent.filter((t) => DEPLOYMENT_STOP.test(t.stoppedReason ?? ''));
  const unplanned = recent.filter((t) => !DEPLOYMENT_STOP.test(t.stoppedReason ?? ''));
  if (byDeployment.length > 0) {
    emit.info({
      code: 'deployment_replacement',
      summary: `${byDeployment.length} task(s) stopped by a deployment in the last ${restartWindowSec}s`,
      details: { tasks: byDeployment.map(describe) },
    });
  }
  if (unplanned.length === 0) return;
  if (unplanned.length < restartLoopCount) {
    emit.info({
      code: 'task_replaced',
      summary: `${unplanned.length} task stop(s) in the last ${restartWindowSec}s: ${unplanned.map((t) => t.stoppedReason ?? 'no reason given').join('; ')}`,
      details: { tasks: unplanned.map(describe) },
    });
    return;
  }
  emit.event(
    finding('task_restart_loop', {
      severity: 'critical',
      escalate: 'always',
      summary: `${unplanned.length} tasks stopped in the last ${restartWindowSec}s (loop at ${restartLoopCount}): ${unplanned[0].stoppedReason ?? 'no reason given'}`,
      details: { stopped: unplanned.length, tasks: unplanned.map(describe) },
    }),
  );
};

export const deploymentFailed: Rule = (ctx, emit) => {
  const ecs = observedService(ctx);
  const deployments = ecs?.service?.deployments ?? [];
  const failed = deployments.filter((d) => d.rolloutState === 'FAILED');
  const inProgress = deployments.filter((d) => d.rolloutState === 'IN_PROGRESS');
  if (inProgress.length > 0) {
    emit.info({
      code: 'deployment_in_progress',
      summary: `deployment ${inProgress.map((d) => d.id ?? '?').join(', ')} in progress`,
      details: { deployments: inProgress.map((d) => d.id ?? null) },
    });
  }
  if (failed.length === 0) return;
  emit.event(
    finding('deployment_failed', {
      severity: 'critical',
      summary: `deployment ${failed.map((d) => d.id ?? '?').join(', ')} FAILED: ${failed[0].rolloutStateReason ?? 'no reason given'}`,
      details: {
        deployments: failed.map((d) => ({
          id: d.id ?? null,
          reason: d.rolloutStateReason ?? null,
          failed_tasks: d.failedTasks ?? null,
        })),
      },
    }),
  );
};

export const RUNTIME_RULES: readonly Rule[] = [
  ecsUnavailable,
  ecsPrimaryCount,
  gatewayUnhealthy,
  traderNotRunning,
  taskRestartLoop,
  deploymentFailed,
];
