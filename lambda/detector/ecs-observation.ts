// Reads the ECS observation of a bundle defensively: it may be any JSON value. Only the fields the
// rules use are kept, each only when it has the type AWS documents for it.
import type {
  EcsContainer,
  EcsDeployment,
  EcsObservation,
  EcsService,
  EcsServiceEvent,
  EcsTask,
} from './types';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pick<T>(source: Json, strings: readonly string[], numbers: readonly string[] = []): T {
  const out: Json = {};
  for (const k of strings) if (typeof source[k] === 'string') out[k] = source[k];
  for (const k of numbers)
    if (typeof source[k] === 'number' && Number.isFinite(source[k])) out[k] = source[k];
  return out as T;
}

function objects(v: unknown): Json[] {
  return Array.isArray(v) ? v.filter(isObject) : [];
}

function readContainer(c: Json): EcsContainer {
  return pick<EcsContainer>(c, ['name', 'lastStatus', 'healthStatus', 'reason'], ['exitCode']);
}

export function readTask(t: Json): EcsTask {
  const task = pick<EcsTask>(t, [
    'taskArn',
    'lastStatus',
    'desiredStatus',
    'healthStatus',
    'startedAt',
    'stoppingAt',
    'stoppedAt',
    'stopCode',
    'stoppedReason',
    'startedBy',
    'group',
    'taskDefinitionArn',
    'launchType',
  ]);
  return { ...task, containers: objects(t.containers).map(readContainer) };
}

function readService(s: Json): EcsService {
  const service = pick<EcsService>(
    s,
    ['serviceName', 'serviceArn', 'clusterArn', 'status', 'launchType', 'taskDefinition'],
    ['desiredCount', 'runningCount', 'pendingCount'],
  );
  const deployments = objects(s.deployments).map((d) =>
    pick<EcsDeployment>(
      d,
      ['id', 'status', 'rolloutState', 'rolloutStateReason', 'taskDefinition', 'createdAt', 'updatedAt'],
      ['desiredCount', 'runningCount', 'pendingCount', 'failedTasks'],
    ),
  );
  const events = objects(s.events).map((e) => pick<EcsServiceEvent>(e, ['id', 'createdAt', 'message']));
  return { ...service, deployments, events };
}

export type EcsReading = { readonly ecs: EcsObservation } | { readonly error: string };

export function readEcsObservation(value: unknown): EcsReading {
  if (!isObject(value)) return { error: 'malformed ECS observation: not an object' };
  const service = isObject(value.service) ? readService(value.service) : null;
  return {
    ecs: {
      service,
      tasks: objects(value.tasks).map(readTask),
      stopped_tasks: objects(value.stopped_tasks).map(readTask),
      ...(value.cluster_tasks !== undefined
        ? { cluster_tasks: objects(value.cluster_tasks).map(readTask) }
        : {}),
    },
  };
}
