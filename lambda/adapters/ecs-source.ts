// EcsSource over the ECS API: DescribeServices, ListTasks (the service's tasks by desired status, and the
// cluster's tasks not yet stopped, every page) and DescribeTasks, mapped to the contract's ECS
// observation. Read-only calls only.
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  paginateListTasks,
  type DesiredStatus,
  type ECSClient,
  type Task,
} from '@aws-sdk/client-ecs';
import { readEcsObservation } from '../detector/ecs-observation';
import { errorReason } from './error-reason';
import type { EcsResult, EcsSource, TaskAddress } from '../ports';

export interface EcsApiSourceProps {
  readonly client: ECSClient;
  readonly cluster: string;
  readonly service: string;
}

const DESCRIBE_BATCH = 100; // DescribeTasks takes at most 100 tasks

/** SDK shapes carry Date objects; the contract's observation carries ISO strings. */
function isoDates(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(isoDates);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = isoDates(v);
    return out;
  }
  return value;
}

/** The awsvpc ENI's private IPv4 address: attachments[type=ElasticNetworkInterface].details. */
export function taskAddress(task: Task): TaskAddress {
  const eni = task.attachments?.find((a) => a.type === 'ElasticNetworkInterface');
  const ip = eni?.details?.find((d) => d.name === 'privateIPv4Address')?.value;
  return {
    taskArn: task.taskArn ?? '?',
    ...(task.lastStatus ? { lastStatus: task.lastStatus } : {}),
    ...(task.healthStatus ? { healthStatus: task.healthStatus } : {}),
    ...(task.startedAt ? { startedAt: task.startedAt.toISOString() } : {}),
    ...(ip ? { privateIpv4Address: ip } : {}),
  };
}

export { errorReason };

export class EcsApiSource implements EcsSource {
  constructor(private readonly props: EcsApiSourceProps) {}

  /** `signal` ends every call still under way when the run's collect budget is spent. */
  async observe(signal?: AbortSignal): Promise<EcsResult> {
    try {
      const { client, cluster, service } = this.props;
      const described = await client.send(new DescribeServicesCommand({ cluster, services: [service] }), {
        abortSignal: signal,
      });
      const svc = described.services?.find(
        (s) => s.serviceName === service || s.serviceArn?.endsWith(`/${service}`),
      );
      if (!svc) {
        const failure = described.failures?.[0];
        return {
          error: `service ${service} not found in cluster ${cluster}${failure?.reason ? ` (${failure.reason})` : ''}`,
        };
      }
      // The cluster-wide listings (no service filter) find a second IBKR runtime started outside the
      // service; IAM still confines them to the one cluster. ListTasks filters on the *desired* status:
      // a task told to stop is listed under STOPPED at once, while its containers may still be running
      // (DEACTIVATING, STOPPING...), so "not yet stopped" is desired RUNNING plus desired STOPPED whose
      // lastStatus is not STOPPED yet.
      // All four at once: the run's time budget matters more than a few duplicate descriptions.
      const [running, stopped, clusterRunning, clusterStopped] = await Promise.all([
        this.tasks(signal, 'RUNNING', service),
        this.tasks(signal, 'STOPPED', service),
        this.tasks(signal, 'RUNNING'),
        this.tasks(signal, 'STOPPED'),
      ]);
      const runningArns = new Set(running.map((t) => t.taskArn));
      const own = new Set([...running, ...stopped].map((t) => t.taskArn));
      const reading = readEcsObservation({
        service: isoDates(svc),
        tasks: isoDates(running),
        stopped_tasks: isoDates(stopped.filter((t) => !runningArns.has(t.taskArn))),
        cluster_tasks: isoDates(
          [...clusterRunning, ...clusterStopped.filter((t) => t.lastStatus !== 'STOPPED')].filter(
            (t) => !own.has(t.taskArn),
          ),
        ),
      });
      if (!('ecs' in reading)) return { error: reading.error };
      return { ecs: reading.ecs, addresses: running.map(taskAddress) };
    } catch (err) {
      return { error: errorReason(err) };
    }
  }

  private async tasks(
    signal: AbortSignal | undefined,
    desiredStatus: DesiredStatus,
    serviceName?: string,
  ): Promise<Task[]> {
    const { client, cluster } = this.props;
    const arns: string[] = [];
    for await (const page of paginateListTasks(
      { client },
      { cluster, desiredStatus, ...(serviceName ? { serviceName } : {}) },
    )) {
      signal?.throwIfAborted();
      arns.push(...(page.taskArns ?? []));
    }
    const tasks: Task[] = [];
    for (let i = 0; i < arns.length; i += DESCRIBE_BATCH) {
      const out = await client.send(
        new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + DESCRIBE_BATCH) }),
        { abortSignal: signal },
      );
      tasks.push(...(out.tasks ?? []));
    }
    return tasks;
  }
}
