// Dashboard family: reachability, payload validity, the heartbeat and the cutover guard.
import { parseTimestamp } from '../time';
import { runningTasks } from './runtime';
import { finding, olderThan, sameTask, type Rule } from './rule';

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
  const summary =
    ctx.status === null
      ? 'status_v3 is not a JSON object'
      : `wrong-typed fields: ${ctx.invalidFields.slice(0, 8).join(', ')}${ctx.invalidFields.length > 8 ? ', ...' : ''}`;
  emit.event(
    finding('dashboard_invalid', { severity: 'critical', summary, details: { fields: ctx.invalidFields } }),
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

export const dualPrimary: Rule = (ctx, emit) => {
  const s = ctx.status;
  if (s === null) return;
  const reasons: string[] = [];
  if ((s.synology_ibkr_containers_running ?? 0) > 0) {
    reasons.push(`${s.synology_ibkr_containers_running} aegis-lt-ibkr-* container(s) running on Synology`);
  }
  if (s.runtime_platform !== undefined && s.runtime_platform !== 'aws-fargate') {
    reasons.push(`runtime_platform is ${s.runtime_platform}, not aws-fargate`);
  }
  if (s.runtime_task_arn !== undefined && ctx.ecs?.service) {
    const arn = s.runtime_task_arn;
    if (!runningTasks(ctx.ecs).some((t) => t.taskArn !== undefined && sameTask(t.taskArn, arn))) {
      reasons.push(`heartbeat task ${arn} is not a RUNNING task of the service`);
    }
  }
  if (reasons.length === 0) return;
  emit.event(
    finding('dual_primary', {
      severity: 'critical',
      escalate: 'always',
      summary: reasons.join('; '),
      details: {
        synology_ibkr_containers_running: s.synology_ibkr_containers_running ?? null,
        runtime_platform: s.runtime_platform ?? null,
        runtime_task_arn: s.runtime_task_arn ?? null,
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
