// "Of this runtime": the ECS observation names the configured service and cluster, and every ARN in it
// agrees. A name alone can be copied from anywhere: the service's, the cluster's and every task's ARN
// must name the same partition, region, account and cluster (the configured ARN's, when the cluster is
// configured as one), the service's tasks must be of that service and on Fargate, and a listing that
// holds entries which are not tasks is not a listing. Any disagreement is no evidence, never a PASS.
import type { EcsObservation, EcsTask } from '../../lambda/detector/types';
import type { GateContext } from './gate';

interface Arn {
  /** `arn:PARTITION:ecs:REGION:ACCOUNT`: where the resource lives. */
  readonly home: string;
  /** The resource's path after its type: `CLUSTER/ID`, `ID`, `CLUSTER/NAME`, `family:rev`. */
  readonly path: readonly string[];
}

const ECS_ARN = /^(arn:[a-z-]+:ecs:[a-z0-9-]+:\d{12}):([a-z-]+)\/(.+)$/;

function parseArn(arn: string | undefined, type: string): Arn | undefined {
  const m = ECS_ARN.exec(arn ?? '');
  return m && m[2] === type ? { home: m[1], path: m[3].split('/') } : undefined;
}

const shortName = (nameOrArn: string) => nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1);
const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
const LISTS = ['tasks', 'stopped_tasks', 'cluster_tasks'] as const;
const SERVICE_LISTS = ['deployments', 'events'] as const;

/** Why a task's ARN is not of the cluster at `home` (long form `task/CLUSTER/ID`, or the old `task/ID`). */
function foreignTask(task: EcsTask, home: string, cluster: string): string | undefined {
  const arn = parseArn(task.taskArn, 'task');
  if (!arn) return `task ARN ${task.taskArn ?? 'not reported'} is not an ECS task ARN`;
  if (arn.home !== home) return `task ${task.taskArn} is not in ${home}`;
  if (arn.path.length > 2 || (arn.path.length === 2 && arn.path[0] !== cluster))
    return `task ${task.taskArn} is not of the cluster ${cluster}`;
  return undefined;
}

function definitionProblem(definition: string | undefined, home: string, what: string): string | undefined {
  if (definition === undefined) return undefined;
  const arn = parseArn(definition, 'task-definition');
  return arn && arn.home !== home ? `${what} ${definition} is not in ${home}` : undefined;
}

/** Why the ECS observation is not of the configured runtime, or undefined when every ARN in it agrees. */
export function runtimeProblem(ctx: GateContext): string | undefined {
  const ecs = ctx.view.ecs;
  if (!ecs) return `ECS not readable: ${ctx.bundle.ecs_error ?? 'no ECS observation'}`;
  const svc = ecs.service;
  if (!svc) return 'the service is missing from DescribeServices';
  const { service, cluster: configured } = ctx.runtime;
  if (svc.serviceName !== service)
    return `service ${svc.serviceName ?? 'not reported'}, not the configured ${service}`;
  if (configured === undefined)
    return 'the cluster is not configured (AEGIS_PT_CLUSTER): no observation can be shown to be of this runtime';
  const cluster = shortName(configured);
  const serviceArn = parseArn(svc.serviceArn, 'service');
  if (!serviceArn || serviceArn.path.length > 2)
    return `service ARN ${svc.serviceArn ?? 'not reported'} is not an ECS service ARN`;
  // DescribeServices reports clusterArn; a long-form service ARN names the cluster too, and both must agree.
  const longForm = serviceArn.path.length === 2;
  const clusterArn =
    svc.clusterArn !== undefined
      ? parseArn(svc.clusterArn, 'cluster')
      : longForm
        ? { home: serviceArn.home, path: [serviceArn.path[0]] }
        : undefined;
  if (!clusterArn || clusterArn.path.length !== 1)
    return `cluster ARN ${svc.clusterArn ?? 'not reported'}: the service's cluster cannot be shown`;
  if (clusterArn.path[0] !== cluster) return `cluster ${clusterArn.path[0]}, not the configured ${cluster}`;
  const home = clusterArn.home;
  if (configured.startsWith('arn:') && `${home}:cluster/${cluster}` !== configured)
    return `cluster ${home}:cluster/${clusterArn.path[0]}, not the configured ${configured}`;
  const named = longForm ? serviceArn.path[1] : serviceArn.path[0];
  if (serviceArn.home !== home || named !== service || (longForm && serviceArn.path[0] !== cluster))
    return `service ARN ${svc.serviceArn} is not ${service} in ${home}:cluster/${cluster}`;
  return taskProblem(ctx, ecs, home, cluster) ?? definitionsProblem(ecs, home);
}

function taskProblem(
  ctx: GateContext,
  ecs: EcsObservation,
  home: string,
  cluster: string,
): string | undefined {
  const raw = ctx.bundle.ecs as Record<string, unknown> | undefined;
  for (const list of LISTS) {
    const entries = raw?.[list];
    const bad = Array.isArray(entries) ? entries.filter((e) => !isObject(e)).length : 0;
    if (bad > 0) return `ecs.${list} holds ${bad} entr${bad === 1 ? 'y' : 'ies'} that are not tasks`;
  }
  // The service's own lists too: a deployment or event that is not an object would be dropped unread,
  // hiding a second (IN_PROGRESS) deployment or a rollback behind a listing that looks complete.
  const service = raw?.service as Record<string, unknown>;
  for (const list of SERVICE_LISTS) {
    const entries = service[list];
    if (entries === undefined) continue;
    if (!Array.isArray(entries)) return `ecs.service.${list} is not a list`;
    const bad = entries.filter((e) => !isObject(e)).length;
    if (bad > 0)
      return `ecs.service.${list} holds ${bad} entr${bad === 1 ? 'y' : 'ies'} that ${bad === 1 ? 'is not an object' : 'are not objects'}`;
  }
  for (const task of [...ecs.tasks, ...ecs.stopped_tasks, ...(ecs.cluster_tasks ?? [])]) {
    if (task.taskArn === undefined && !ecs.tasks.includes(task)) continue;
    const foreign = foreignTask(task, home, cluster);
    if (foreign) return foreign;
  }
  const group = `service:${ctx.runtime.service}`;
  const notOurs = ecs.tasks.filter((t) => t.group !== group);
  if (notOurs.length > 0)
    return `task(s) not of the service ${ctx.runtime.service}: ${notOurs.map((t) => `${shortName(t.taskArn ?? '?')} group ${t.group ?? 'not reported'}`).join(', ')}`;
  const notFargate = ecs.tasks.filter((t) => t.launchType !== 'FARGATE');
  if (notFargate.length > 0)
    return `task(s) not on Fargate: ${notFargate.map((t) => `${shortName(t.taskArn ?? '?')} ${t.launchType ?? 'launch type not reported'}`).join(', ')}`;
  return undefined;
}

function definitionsProblem(ecs: EcsObservation, home: string): string | undefined {
  for (const d of ecs.service?.deployments ?? []) {
    const p = definitionProblem(d.taskDefinition, home, `deployment ${d.id ?? '?'} task definition`);
    if (p) return p;
  }
  for (const t of ecs.tasks) {
    const p = definitionProblem(
      t.taskDefinitionArn,
      home,
      `task ${shortName(t.taskArn ?? '?')} task definition`,
    );
    if (p) return p;
  }
  return undefined;
}
