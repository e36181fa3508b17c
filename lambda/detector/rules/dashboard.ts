// Dashboard family: reachability, payload validity, the heartbeat and the cutover guard.
import { parseTimestamp } from '../time';
import { GATEWAY_CONTAINER, runningTasks, TRADER_CONTAINER } from './runtime';
import type { EcsTask } from '../types';
import { finding, olderThan, sameTask, taskId, type Rule, type RuleContext } from './rule';

const IBKR_CONTAINERS: readonly string[] = [GATEWAY_CONTAINER, TRADER_CONTAINER];

export const dashboardUnreachable: Rule = (ctx, emit) => {
  if (ctx.dashboardError === undefined) return;
  emit.event(
    finding('dashboard_unreachable', {
      severity: ctx.inSession ? 'critical' : 'warn',
      escalate: ctx.inSession ? 'when_persisted' : 'never',
      summary: `dashboard unreachable: ${ctx.dashboardError} (heartbeat unknown)`,
      details: { error: ctx.dashboardError },
    }),
  );
};

export const dashboardInvalid: Rule = (ctx, emit) => {
  if (ctx.invalidFields.length === 0) return;
  const total = Math.max(ctx.invalidFieldsTotal ?? 0, ctx.invalidFields.length);
  const reasons = ctx.invalidReasons;
  // A field over a size limit is named by its limit, not as wrong-typed (its type was right).
  const listed = ctx.invalidFields
    .slice(0, 8)
    .map((f) => (reasons ? `${f} (${reasons[f] ?? 'wrong type'})` : f))
    .join(', ');
  const more = total > 8 ? `, ... (${total} in all)` : '';
  const summary =
    ctx.status === null
      ? 'status_v3 is not a JSON object'
      : reasons
        ? `invalid fields: ${listed}${more}`
        : `wrong-typed fields: ${listed}${more}`;
  emit.event(
    finding('dashboard_invalid', {
      severity: 'critical',
      summary,
      details: {
        fields: ctx.invalidFields,
        ...(reasons ? { reasons } : {}),
        ...(total > ctx.invalidFields.length ? { fields_total: total } : {}),
      },
    }),
  );
};

export const signalUnavailable: Rule = (ctx, emit) => {
  if (ctx.status === null || ctx.unavailableFields.length === 0) return;
  emit.info({
    code: 'signal_unavailable',
    summary: `not reported: ${ctx.unavailableFields.join(', ')}`,
    details: { fields: ctx.unavailableFields },
  });
};

export const heartbeatStale: Rule = (ctx, emit) => {
  if (!ctx.inSession || ctx.status === null) return;
  if (ctx.invalidFields.includes('heartbeat_at')) return; // dashboard_invalid names it
  const limit = ctx.config.heartbeatStaleSec;
  const at = parseTimestamp(ctx.status.heartbeat_at);
  let summary: string;
  if (at === undefined) {
    summary = 'heartbeat_at not reported during the session';
  } else if (olderThan(ctx.nowMs, at, limit)) {
    summary = `heartbeat ${Math.floor((ctx.nowMs - at) / 1000)}s old (stale after ${limit}s)`;
  } else {
    return;
  }
  emit.event(
    finding('heartbeat_stale', {
      severity: 'critical',
      escalate: 'when_persisted',
      summary,
      details: { heartbeat_at: ctx.status.heartbeat_at ?? null, stale_after_sec: limit },
    }),
  );
};

const runsIbkr = (t: EcsTask, running?: boolean) =>
  (t.containers ?? []).some(
    (c) => IBKR_CONTAINERS.includes(c.name ?? '') && (!running || c.lastStatus === 'RUNNING'),
  );
const describeTask = (t: EcsTask) => `${taskId(t.taskArn)}${t.group ? ` (${t.group})` : ''}`;

/** RUNNING cluster tasks outside the service that run an IBKR container: each one is a second primary. */
function foreignIbkrTasks(ctx: RuleContext): string[] {
  const ecs = ctx.ecs;
  if (!ecs?.cluster_tasks) return [];
  const own = ecs.tasks.map((t) => t.taskArn).filter((a): a is string => a !== undefined);
  return ecs.cluster_tasks
    .filter((t) => t.lastStatus === 'RUNNING')
    .filter((t) => !own.some((arn) => t.taskArn !== undefined && sameTask(arn, t.taskArn)))
    .filter((t) => runsIbkr(t))
    .map(describeTask);
}

/**
 * Tasks not yet STOPPED (a task told to stop, or one still PROVISIONING..ACTIVATING) whose IBKR
 * container is already or still RUNNING: the old task of a rolling deploy keeps its gateway session
 * and trader until ECS reports it STOPPED, so it is a second primary until then. ECS files a task under
 * desired STOPPED as soon as it is told to stop, so these come from stopped_tasks as well as cluster_tasks.
 */
function notYetStoppedIbkrTasks(ctx: RuleContext, foreign: readonly string[]): string[] {
  const ecs = ctx.ecs;
  if (!ecs) return [];
  const own = runningTasks(ecs).flatMap((t) => t.taskArn ?? []);
  return [...ecs.stopped_tasks, ...(ecs.cluster_tasks ?? [])]
    .filter((t) => t.lastStatus !== 'STOPPED')
    .filter((t) => !own.some((arn) => t.taskArn !== undefined && sameTask(arn, t.taskArn)))
    .filter((t) => runsIbkr(t, true))
    .map(describeTask)
    .filter((d, i, all) => all.indexOf(d) === i && !foreign.includes(d));
}

export const dualPrimary: Rule = (ctx, emit) => {
  const s = ctx.status;
  const reasons: string[] = [];
  if ((s?.synology_ibkr_containers_running ?? 0) > 0) {
    reasons.push(`${s?.synology_ibkr_containers_running} aegis-lt-ibkr-* container(s) running on Synology`);
  }
  if (s?.runtime_platform !== undefined && s.runtime_platform !== 'aws-fargate') {
    reasons.push(`runtime_platform is ${s.runtime_platform}, not aws-fargate`);
  }
  // Whether the heartbeat names a task ECS lists for this service that is no longer RUNNING (a
  // replaced task): only that one is what a deploy causes (a deploy window holds nothing else).
  let replaced = false;
  if (s?.runtime_task_arn !== undefined && ctx.ecs?.service) {
    const arn = s.runtime_task_arn;
    if (!runningTasks(ctx.ecs).some((t) => t.taskArn !== undefined && sameTask(t.taskArn, arn))) {
      reasons.push(`heartbeat task ${arn} is not a RUNNING task of the service`);
      replaced = [...ctx.ecs.tasks, ...ctx.ecs.stopped_tasks].some(
        (t) => t.taskArn !== undefined && t.taskArn === arn,
      );
    }
  }
  const foreign = foreignIbkrTasks(ctx);
  if (foreign.length > 0) {
    reasons.push(`IBKR task(s) running in the cluster outside the service: ${foreign.join(', ')}`);
  }
  const stopping = notYetStoppedIbkrTasks(ctx, foreign);
  if (stopping.length > 0) {
    reasons.push(`IBKR container(s) still RUNNING in task(s) not yet STOPPED: ${stopping.join(', ')}`);
  }
  if (reasons.length === 0) return;
  emit.event(
    finding('dual_primary', {
      severity: 'critical',
      escalate: 'always',
      summary: reasons.join('; '),
      details: {
        synology_ibkr_containers_running: s?.synology_ibkr_containers_running ?? null,
        runtime_platform: s?.runtime_platform ?? null,
        runtime_task_arn: s?.runtime_task_arn ?? null,
        runtime_task_replaced: replaced,
        cluster_ibkr_tasks: foreign,
        not_stopped_ibkr_tasks: stopping,
      },
    }),
  );
};

export const DASHBOARD_RULES: readonly Rule[] = [
  dashboardUnreachable,
  dashboardInvalid,
  signalUnavailable,
  heartbeatStale,
  dualPrimary,
];
