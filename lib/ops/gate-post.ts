// After the deploy: evidence that a new task of a new, completed deployment is what was judged, and that
// nothing is worse than at the baseline. Evidence from before the deploy or from the old task proves nothing.
import { isBrokerImport } from '../../lambda/detector/rules/attribution';
import { GATEWAY_CONTAINER, TRADER_CONTAINER } from '../../lambda/detector/rules/runtime';
import { sameTask, taskId } from '../../lambda/detector/rules/rule';
import { formatUtc, parseTimestamp } from '../../lambda/detector/time';
import type { EcsDeployment, OpenPosition } from '../../lambda/detector/types';
import { criterion, serviceTask, type GateContext, type GateCriterion } from './gate';
import type { ObservationView } from './observation-view';

const ROLLBACK = /roll(?:ing|ed)?[\s-]?back/i;

function primary(view: ObservationView | undefined): EcsDeployment | undefined {
  return view?.ecs?.service?.deployments?.find((d) => d.status === 'PRIMARY');
}

/** When the deploy started: the operator's --deployed-at, else the new PRIMARY deployment's creation. */
export function deployStart(ctx: GateContext): number | undefined {
  return ctx.deployedAtMs ?? parseTimestamp(primary(ctx.view)?.createdAt);
}

/** Evidence must be later than this: the deploy's start and the new task's start, whichever is later. */
function evidenceSince(ctx: GateContext): number | undefined {
  const start = deployStart(ctx);
  if (start === undefined) return undefined;
  return Math.max(start, parseTimestamp(serviceTask(ctx)?.startedAt) ?? start);
}

const at = (ms: number | undefined) => (ms === undefined || !Number.isFinite(ms) ? '?' : formatUtc(ms));

const afterDeploy: GateCriterion = (ctx) => {
  const name = 'observation after the baseline and the deploy';
  const base = parseTimestamp(ctx.baseline?.now);
  const start = deployStart(ctx);
  if (base === undefined) return criterion(name, false, 'no baseline');
  if (start === undefined)
    return criterion(
      name,
      false,
      'deploy start unknown (no PRIMARY deployment createdAt): pass --deployed-at',
    );
  const seen = `baseline ${at(base)}, deploy ${at(start)}, observation ${at(ctx.nowMs)}`;
  if (start <= base)
    return criterion(name, false, `${seen}: the deploy started before the baseline was taken`);
  return criterion(name, ctx.nowMs > start && ctx.nowMs > base, seen);
};

const newDeployment: GateCriterion = (ctx) => {
  const now = primary(ctx.view);
  const before = primary(ctx.baseView);
  const deployments = ctx.view.ecs?.service?.deployments ?? [];
  const listed = deployments
    .map((d) => `${d.id ?? '?'} ${d.status ?? '?'} ${d.rolloutState ?? '?'}`)
    .join(', ');
  const out = [
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
  ];
  const since = parseTimestamp(ctx.baseline?.now) ?? 0;
  const rollback = [
    ...deployments.map((d) => d.rolloutStateReason ?? ''),
    ...(ctx.view.ecs?.service?.events ?? [])
      .filter((e) => (parseTimestamp(e.createdAt) ?? Infinity) > since)
      .map((e) => e.message ?? ''),
  ].find((m) => ROLLBACK.test(m));
  out.push(criterion('no rollback', rollback === undefined, rollback ?? 'none reported'));
  if (now?.taskDefinition !== undefined && now.taskDefinition === before?.taskDefinition)
    out.push(
      criterion(
        'a new task definition',
        false,
        `${now.taskDefinition} as at the baseline: a forced redeploy, or a rollback to the old one`,
        'warn',
      ),
    );
  return out;
};

const newTask: GateCriterion = (ctx) => {
  const task = serviceTask(ctx);
  const name = 'a new task, started after the deploy';
  if (!task?.taskArn) return criterion(name, false, 'no single RUNNING service task');
  const old = (ctx.baseView?.ecs?.tasks ?? []).some(
    (t) => t.taskArn && sameTask(t.taskArn, task.taskArn as string),
  );
  const started = parseTimestamp(task.startedAt);
  const start = deployStart(ctx);
  const seen = `${taskId(task.taskArn)} started ${task.startedAt ?? '?'}`;
  if (old) return criterion(name, false, `${seen}: the same task as at the baseline`);
  return criterion(name, started !== undefined && start !== undefined && started > start, seen);
};

const freshProofs: GateCriterion = (ctx) => {
  const since = evidenceSince(ctx);
  const s = ctx.view.status;
  const after = (text: string | undefined) => {
    const t = parseTimestamp(text);
    return t !== undefined && since !== undefined && t > since;
  };
  const r = s?.last_position_reconcile;
  return [
    criterion(
      'heartbeat after the deploy, from the new task',
      after(s?.heartbeat_at),
      `heartbeat_at ${s?.heartbeat_at ?? 'not reported'} (evidence since ${at(since)})`,
    ),
    criterion(
      'reconciliation proof after the deploy',
      after(r?.at) && r?.ok === true,
      `last_position_reconcile.at ${r?.at ?? 'not reported'} ok=${r?.ok ?? '?'} (evidence since ${at(since)})`,
    ),
  ];
};

/** The golden signals, strictly: no UNKNOWN health grace after a deploy. */
const containers: GateCriterion = (ctx) => {
  const task = serviceTask(ctx);
  const c = (n: string) => task?.containers?.find((x) => x.name === n);
  const gw = c(GATEWAY_CONTAINER);
  const tr = c(TRADER_CONTAINER);
  return criterion(
    'containers as the golden signals say',
    gw?.lastStatus === 'RUNNING' && gw.healthStatus === 'HEALTHY' && tr?.lastStatus === 'RUNNING',
    `${GATEWAY_CONTAINER} ${gw ? `${gw.lastStatus ?? '?'}/${gw.healthStatus ?? 'UNKNOWN'}` : 'missing'}, ${TRADER_CONTAINER} ${tr?.lastStatus ?? 'missing'}`,
  );
};

/** Each import's key, numbered by occurrence: a second identical import is a new one. */
function imports(view: ObservationView | undefined): Set<string> {
  const key = (p: OpenPosition) =>
    `${p.symbol ?? '?'} qty=${p.qty ?? '?'} [${[...(p.tags ?? [])]
      .map((t) => t.toLowerCase())
      .sort()
      .join(',')}]`;
  const seen = new Map<string, number>();
  return new Set(
    (view?.status?.open_positions ?? []).filter(isBrokerImport).map((p) => {
      const k = key(p);
      const n = (seen.get(k) ?? 0) + 1;
      seen.set(k, n);
      return n === 1 ? k : `${k} #${n}`;
    }),
  );
}

const noNewImports: GateCriterion = (ctx) => {
  const before = imports(ctx.baseView);
  const added = [...imports(ctx.view)].filter((k) => !before.has(k));
  return criterion(
    'no new broker import (symbol, tags, qty)',
    added.length === 0,
    added.length ? `new: ${added.join('; ')}` : `baseline ${[...before].join('; ') || 'none'}`,
  );
};

export const POST_ONLY_CRITERIA: readonly GateCriterion[] = [
  afterDeploy,
  newDeployment,
  newTask,
  freshProofs,
  containers,
  noNewImports,
];
