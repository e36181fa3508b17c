// Task discovery: a dashboardUrl such as http://{taskIp}:8080 names the service's RUNNING task, whose
// private IPv4 address ECS reports on the task's ENI attachment. The dashboard follows every task
// replacement without a load balancer or a DNS name.
import type { DashboardResult, DashboardSource, EcsResult, TaskAddress } from '../ports';
import { HttpDashboard, type HttpDashboardProps } from './dashboard-http';

export const TASK_IP = '{taskIp}';

function taskId(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** Several RUNNING tasks (a deployment, a dual primary): prefer a healthy one, then the newest. */
export function chooseTask(running: readonly TaskAddress[]): TaskAddress {
  const rank = (t: TaskAddress) => (t.healthStatus === 'HEALTHY' ? 1 : 0);
  return [...running].sort(
    (a, b) =>
      rank(b) - rank(a) ||
      (b.startedAt ?? '').localeCompare(a.startedAt ?? '') ||
      a.taskArn.localeCompare(b.taskArn),
  )[0];
}

export class TaskIpDashboard implements DashboardSource {
  readonly needsEcs = true;

  constructor(private readonly props: HttpDashboardProps) {}

  async fetch(ecs?: EcsResult): Promise<DashboardResult> {
    if (!ecs || 'error' in ecs)
      return { error: `task discovery: ECS could not be read (${ecs?.error ?? 'not observed'})` };
    const running = (ecs.addresses ?? []).filter((t) => t.lastStatus === 'RUNNING');
    if (running.length === 0)
      return { error: 'task discovery: the service has no RUNNING task, so no dashboard address' };
    const task = chooseTask(running);
    const id = taskId(task.taskArn);
    const ip = task.privateIpv4Address;
    if (!ip || !/^\d{1,3}(\.\d{1,3}){3}$/.test(ip))
      return {
        error: `task discovery: RUNNING task ${id} has no private IPv4 address on an ENI attachment (awsvpc)`,
      };
    const baseUrl = this.props.baseUrl.replace(TASK_IP, ip);
    const result = await new HttpDashboard({ ...this.props, baseUrl }).fetch();
    if ('error' in result) return { error: `${result.error} (task ${id} at ${ip})` };
    const others = running.filter((t) => t !== task).map((t) => taskId(t.taskArn));
    return running.length > 1
      ? {
          ...result,
          note: `task discovery: ${running.length} RUNNING tasks; read the dashboard of task ${id} at ${ip} (healthy first, then newest), not ${others.join(', ')}`,
        }
      : result;
  }
}
