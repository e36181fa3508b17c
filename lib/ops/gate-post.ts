// After the deploy: evidence that a new task of a new, completed deployment of the same runtime is what
// was judged, and that nothing is worse than at the baseline. Evidence from before the deploy, from the
// old task or from another service proves nothing.
import { taskId } from '../../lambda/detector/rules/rule';
import { MAX_DEPLOY_WINDOW_MS } from '../../lambda/detector/silence-schema';
import { formatUtc, parseTimestamp } from '../../lambda/detector/time';
import type { EcsDeployment } from '../../lambda/detector/types';
import { criterion, serviceTask, type Criterion, type GateContext } from './gate';
import type { GateRule } from './gate-evidence';
import type { ObservationView } from './observation-view';
import { taskDefinitionChange } from './gate-task-definition';
import { containers, noNewImports } from './gate-post-task';

const ROLLBACK = /roll(?:ing|ed)?[\s-]?back/i;

export function primary(view: ObservationView | undefined): EcsDeployment | undefined {
  return view?.ecs?.service?.deployments?.find((d) => d.status === 'PRIMARY');
}

/** When the deploy started: the operator's --deployed-at, else the new PRIMARY deployment's creation. */
export function deployStart(ctx: GateContext): number | undefined {
  const ms = ctx.deployedAtMs ?? parseTimestamp(primary(ctx.view)?.createdAt);
  return ms !== undefined && Number.isFinite(ms) ? ms : undefined;
}

/** Evidence must be later than this: the deploy's start and the new task's start, whichever is later. */
export function evidenceSince(ctx: GateContext): number | undefined {
  const start = deployStart(ctx);
  if (start === undefined) return undefined;
  return Math.max(start, parseTimestamp(serviceTask(ctx)?.startedAt) ?? start);
}

export const at = (ms: number | undefined) =>
  ms === undefined || !Number.isFinite(ms) ? '?' : formatUtc(ms);

const baselineGo: GateRule = {
  name: 'the baseline was GO',
  checks:
    'the baseline judged again by the pre gate at its own time: a deploy made on a baseline that was not GO is STOP',
  needs: { baseline: true },
  judge: ({ baselineReport, baseline }) => {
    if (!baselineReport)
      return criterion(
        'the baseline was GO',
        false,
        `the baseline's time ${String(baseline?.now)} is not a time`,
      );
    const wrong = baselineReport.criteria.filter((c) => c.outcome !== 'pass');
    return criterion(
      'the baseline was GO',
      baselineReport.verdict === 'go',
      wrong.length
        ? `pre said ${baselineReport.verdict.toUpperCase()} at ${baseline?.now}: ${wrong.map((c) => `${c.name}: ${c.seen}`).join('; ')}`
        : `GO at ${baseline?.now}`,
    );
  },
};

const sameRuntime: GateRule = {
  name: 'same runtime as the baseline',
  checks: 'the baseline and this observation are of the same service ARN and cluster',
  needs: { baseline: true, ecs: ['service'] },
  judge: ({ view, baseView }) => {
    const now = view.ecs!.service!;
    const before = baseView?.ecs?.service;
    return criterion(
      'same runtime as the baseline',
      before?.serviceArn !== undefined &&
        before.serviceArn === now.serviceArn &&
        before.clusterArn === now.clusterArn,
      `baseline ${before?.serviceArn ?? 'no service'} (${before?.clusterArn ?? 'cluster not reported'}), now ${now.serviceArn ?? '?'} (${now.clusterArn ?? 'cluster not reported'})`,
    );
  },
};

const afterDeploy: GateRule = {
  name: 'observation after the baseline and the deploy',
  checks:
    'baseline < deploy start (--deployed-at, default the PRIMARY deployment createdAt) < observation, the deploy at most 2 h (the longest deploy window) after the baseline; with --deployed-at, the PRIMARY createdAt too',
  needs: { baseline: true, ecs: ['service'] },
  judge: (ctx) => {
    const name = 'observation after the baseline and the deploy';
    const base = parseTimestamp(ctx.baseline?.now);
    const start = deployStart(ctx);
    if (base === undefined) return criterion(name, false, 'the baseline has no valid time');
    if (start === undefined)
      return criterion(
        name,
        false,
        'deploy start unknown (no PRIMARY deployment createdAt): pass --deployed-at',
      );
    const seen = `baseline ${at(base)}, deploy ${at(start)}, observation ${at(ctx.nowMs)}`;
    const hours = MAX_DEPLOY_WINDOW_MS / 3_600_000;
    if (start <= base)
      return criterion(name, false, `${seen}: the deploy started before the baseline was taken`);
    // The pre gate's GO was about the runtime then: a deploy started later than the longest approved
    // deploy window after it was made on evidence nobody judged (a stuck exit at 11:00 for a 14:00 deploy).
    if (start - base > MAX_DEPLOY_WINDOW_MS)
      return criterion(
        name,
        false,
        `${seen}: the deploy started more than ${hours} h after the baseline, on a pre verdict that had gone stale`,
      );
    // --deployed-at is the operator's word; ECS's createdAt of the running deployment must agree with the
    // same baseline, or the deployment judged is not the one that baseline was taken for.
    const deployment = primary(ctx.view);
    const created = parseTimestamp(deployment?.createdAt);
    if (ctx.deployedAtMs !== undefined && created !== undefined) {
      const ecs = `the PRIMARY deployment ${deployment?.id ?? '?'} was created ${at(created)}`;
      if (created <= base) return criterion(name, false, `${seen}: ${ecs}, before the baseline`);
      if (created - base > MAX_DEPLOY_WINDOW_MS)
        return criterion(
          name,
          false,
          `${seen}: ${ecs}, more than ${hours} h after the baseline, on a pre verdict that had gone stale`,
        );
    }
    return criterion(name, ctx.nowMs > start && ctx.nowMs > base, seen);
  },
};

const newDeployment: GateRule = {
  name: 'a new deployment',
  checks:
    'a PRIMARY deployment other than the baseline one, its rollout COMPLETED, no rollback, a task definition not older than the baseline one (unless --expect-task-definition names it)',
  needs: { baseline: true, ecs: ['service'] },
  judge: (ctx) => {
    const now = primary(ctx.view);
    const before = primary(ctx.baseView);
    const deployments = ctx.view.ecs!.service!.deployments ?? [];
    const listed = deployments
      .map((d) => `${d.id ?? '?'} ${d.status ?? '?'} ${d.rolloutState ?? '?'}`)
      .join(', ');
    const since = parseTimestamp(ctx.baseline?.now) ?? 0;
    const rollback = [
      ...deployments.map((d) => d.rolloutStateReason ?? ''),
      ...(ctx.view.ecs?.service?.events ?? [])
        .filter((e) => (parseTimestamp(e.createdAt) ?? Infinity) > since)
        .map((e) => e.message ?? ''),
    ].find((m) => ROLLBACK.test(m));
    const out: Criterion[] = [
      criterion(
        'a new deployment',
        now?.id !== undefined && now.id !== before?.id,
        `PRIMARY ${now?.id ?? 'none'} (baseline ${before?.id ?? 'none'})`,
      ),
      criterion(
        'rollout COMPLETED',
        deployments.length === 1 && now?.rolloutState === 'COMPLETED',
        listed || 'no deployment listed',
        deployments.some((d) => d.rolloutState === 'FAILED') || !now ? 'fail' : 'warn',
      ),
      criterion('no rollback', rollback === undefined, rollback ?? 'none reported'),
      taskDefinitionChange(before?.taskDefinition, now?.taskDefinition, ctx.expectTaskDefinition),
    ];
    return out;
  },
};

const newTask: GateRule = {
  name: 'a new task, started after the deploy',
  checks:
    "the one RUNNING task is not a baseline task (full ARN), started after the deploy start, and runs the PRIMARY deployment's task definition",
  needs: { baseline: true, ecs: ['service', 'tasks'] },
  judge: (ctx) => {
    const task = serviceTask(ctx);
    const name = 'a new task, started after the deploy';
    if (!task?.taskArn) return criterion(name, false, 'no single RUNNING service task');
    const old = (ctx.baseView?.ecs?.tasks ?? []).some((t) => t.taskArn === task.taskArn);
    const started = parseTimestamp(task.startedAt);
    const start = deployStart(ctx);
    const definition = primary(ctx.view)?.taskDefinition;
    const seen = `${taskId(task.taskArn)} started ${task.startedAt ?? '?'} running ${task.taskDefinitionArn ?? 'a task definition not reported'}`;
    if (old) return criterion(name, false, `${seen}: the same task as at the baseline`);
    if (definition === undefined || task.taskDefinitionArn !== definition)
      return criterion(
        name,
        false,
        `${seen}: not the PRIMARY deployment's ${definition ?? '(not reported)'}`,
      );
    return criterion(name, started !== undefined && start !== undefined && started > start, seen);
  },
};

const heartbeatAfterDeploy: GateRule = {
  name: 'heartbeat after the deploy, from the new task',
  checks: 'heartbeat_at later than the deploy start and the new task start',
  needs: { fields: ['heartbeat_at', 'runtime_task_arn'], ecs: ['service', 'tasks'] },
  judge: (ctx) => {
    const since = evidenceSince(ctx);
    const hb = parseTimestamp(ctx.view.status!.heartbeat_at);
    return criterion(
      'heartbeat after the deploy, from the new task',
      hb !== undefined && since !== undefined && hb > since,
      `heartbeat_at ${ctx.view.status!.heartbeat_at} (evidence since ${at(since)})`,
    );
  },
};

export const POST_ONLY_RULES: readonly GateRule[] = [
  baselineGo,
  sameRuntime,
  afterDeploy,
  newDeployment,
  newTask,
  heartbeatAfterDeploy,
  containers,
  noNewImports,
];
