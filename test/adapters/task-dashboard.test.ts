// Task discovery end to end below the handler: ECS answers with recorded DescribeTasks shapes (ENI
// attachment details as the ECS API reference shows them, the address moved to loopback) and the
// dashboard is a real HTTP server on that loopback address.
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { EcsApiSource } from '../../lambda/adapters/ecs-source';
import { chooseTask, TaskIpDashboard } from '../../lambda/adapters/task-dashboard';
import { collect } from '../../lambda/check/collect';
import { startDashboard, type LocalDashboard } from '../../lib/demo/fakes/dashboard-server';

const ecsMock = mockClient(ECSClient);
const ARN = (id: string) => `arn:aws:ecs:ap-northeast-1:123456789012:task/aegis-pt/${id}`;

/** The DescribeTasks task shape of a Fargate (awsvpc) task, as recorded in the API reference. */
const task = (id: string, ip: string | undefined, extra: Partial<Task> = {}): Task => ({
  taskArn: ARN(id),
  lastStatus: 'RUNNING',
  desiredStatus: 'RUNNING',
  healthStatus: 'HEALTHY',
  startedAt: new Date('2026-06-01T13:25:00Z'),
  launchType: 'FARGATE',
  attachments: [
    {
      id: 'a1b2c3d4-5678-90ab-cdef-11111EXAMPLE',
      type: 'ElasticNetworkInterface',
      status: 'ATTACHED',
      details: [
        { name: 'subnetId', value: 'subnet-0aaaaaaaaaaaaaaa1' },
        { name: 'networkInterfaceId', value: 'eni-0103a2f01bad57d71' },
        { name: 'macAddress', value: '0e:50:d1:c1:77:81' },
        { name: 'privateDnsName', value: `ip-${(ip ?? '0.0.0.0').replace(/\./g, '-')}.ec2.internal` },
        ...(ip ? [{ name: 'privateIPv4Address', value: ip }] : []),
      ],
    },
  ],
  containers: [{ name: 'ibkr-gateway', lastStatus: 'RUNNING', healthStatus: 'HEALTHY' }],
  ...extra,
});

function ecsAnswers(running: Task[]) {
  ecsMock.reset();
  ecsMock.on(DescribeServicesCommand).resolves({
    services: [{ serviceName: 'aegis-pt-core', desiredCount: 1, runningCount: running.length }],
  });
  ecsMock.on(ListTasksCommand, { desiredStatus: 'RUNNING' }).resolves({
    taskArns: running.map((t) => t.taskArn!),
  });
  ecsMock.on(ListTasksCommand, { desiredStatus: 'STOPPED' }).resolves({ taskArns: [] });
  ecsMock.on(DescribeTasksCommand).resolves({ tasks: running });
}

let a: LocalDashboard;
let b: LocalDashboard;
beforeAll(async () => {
  a = await startDashboard('127.0.0.1');
  b = await startDashboard('127.0.0.2');
});
afterAll(async () => {
  await a.close();
  await b.close();
});

const port = (d: LocalDashboard) => new URL(d.url).port;

async function collectWith(template: string) {
  const notes: string[] = [];
  const bundle = await collect({
    dashboard: new TaskIpDashboard({ baseUrl: template, timeoutMs: 2000 }),
    ecs: new EcsApiSource({
      client: new ECSClient({ region: 'ap-northeast-1' }),
      cluster: 'c',
      service: 'aegis-pt-core',
    }),
    clock: { now: () => new Date('2026-06-01T14:00:00Z') },
    log: { info: (m) => notes.push(m), warn: () => undefined, error: () => undefined },
  });
  return { bundle, notes };
}

describe('task discovery ({taskIp})', () => {
  it("reads the dashboard at the RUNNING task's private IPv4 address from its ENI attachment", async () => {
    a.serve({ kind: 'json', body: { from: 'a' } });
    ecsAnswers([task('t1', '127.0.0.1')]);
    const { bundle, notes } = await collectWith(`http://{taskIp}:${port(a)}`);
    expect(bundle.status_v3).toEqual({ from: 'a' });
    expect((bundle.ecs as { tasks: unknown[] }).tasks).toHaveLength(1);
    expect(notes).toEqual([]);
  });

  it('with several RUNNING tasks reads the healthy one and says which it read', async () => {
    a.serve({ kind: 'json', body: { from: 'a' } });
    b.serve({ kind: 'json', body: { from: 'b' } });
    // Same port on both loopback addresses is not guaranteed, so b's port goes in the template and a
    // is unhealthy: the choice must be b.
    ecsAnswers([
      task('old', '127.0.0.1', { healthStatus: 'UNHEALTHY', startedAt: new Date('2026-06-01T15:00:00Z') }),
      task('new', '127.0.0.2'),
    ]);
    const { bundle, notes } = await collectWith(`http://{taskIp}:${port(b)}`);
    expect(bundle.status_v3).toEqual({ from: 'b' });
    expect(notes).toEqual([
      expect.stringContaining('2 RUNNING tasks; read the dashboard of task new at 127.0.0.2'),
    ]);
    expect(notes[0]).toContain('not old');
  });

  it('says the dashboard is unreachable because no task is RUNNING', async () => {
    ecsAnswers([task('p', '127.0.0.1', { lastStatus: 'PENDING' })]);
    const { bundle } = await collectWith(`http://{taskIp}:${port(a)}`);
    expect(bundle.dashboard_error).toBe(
      'task discovery: the service has no RUNNING task, so no dashboard address',
    );
    expect(bundle.status_v3).toBeUndefined();
  });

  it('names the task when its ENI has no address, and the task and address when the fetch fails', async () => {
    ecsAnswers([task('noip', undefined)]);
    expect((await collectWith(`http://{taskIp}:${port(a)}`)).bundle.dashboard_error).toContain(
      'RUNNING task noip has no private IPv4 address',
    );
    a.serve({ kind: 'status', status: 404 });
    ecsAnswers([task('t1', '127.0.0.1')]);
    expect((await collectWith(`http://{taskIp}:${port(a)}`)).bundle.dashboard_error).toBe(
      'HTTP 404 (task t1 at 127.0.0.1)',
    );
  });

  it('does not read anything when ECS itself failed, and says so', async () => {
    ecsMock.reset();
    ecsMock
      .on(DescribeServicesCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const { bundle } = await collectWith(`http://{taskIp}:${port(a)}`);
    expect(bundle.ecs_error).toContain('AccessDeniedException');
    expect(bundle.dashboard_error).toContain('task discovery: ECS could not be read (AccessDeniedException');
  });

  it('refuses an address that is not an IPv4 address instead of putting it in a URL', async () => {
    ecsAnswers([task('evil', '127.0.0.1@attacker.example')]);
    expect((await collectWith(`http://{taskIp}:${port(a)}`)).bundle.dashboard_error).toContain(
      'no private IPv4 address',
    );
  });

  it('chooses healthy first, then the newest, then by ARN (stable)', () => {
    const t = (taskArn: string, healthStatus: string, startedAt: string) => ({
      taskArn,
      healthStatus,
      startedAt,
      lastStatus: 'RUNNING',
    });
    expect(
      chooseTask([t('x', 'UNKNOWN', '2026-06-01T15:00:00Z'), t('y', 'HEALTHY', '2026-06-01T13:00:00Z')])
        .taskArn,
    ).toBe('y');
    expect(
      chooseTask([t('x', 'HEALTHY', '2026-06-01T13:00:00Z'), t('y', 'HEALTHY', '2026-06-01T15:00:00Z')])
        .taskArn,
    ).toBe('y');
    expect(
      chooseTask([t('b', 'HEALTHY', '2026-06-01T13:00:00Z'), t('a', 'HEALTHY', '2026-06-01T13:00:00Z')])
        .taskArn,
    ).toBe('a');
  });
});
