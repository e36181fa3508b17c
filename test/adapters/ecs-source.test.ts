// Container health and deployment rollout states are not modelled by moto, so these tests use
// aws-sdk-client-mock with response shapes recorded from the ECS API reference (DescribeServices,
// ListTasks, DescribeTasks). The SDK hands Date objects to callers; the recorded shapes do too.
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { EcsApiSource } from '../../lambda/adapters/ecs-source';

const ecsMock = mockClient(ECSClient);
const CLUSTER = 'aegis-pt';
const ARN = (id: string) => `arn:aws:ecs:ap-northeast-1:123456789012:task/aegis-pt/${id}`;

const service: Service = {
  serviceName: 'aegis-pt-core',
  serviceArn: 'arn:aws:ecs:ap-northeast-1:123456789012:service/aegis-pt/aegis-pt-core',
  clusterArn: 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/aegis-pt',
  status: 'ACTIVE',
  desiredCount: 1,
  runningCount: 1,
  pendingCount: 0,
  launchType: 'FARGATE' as const,
  deployments: [
    {
      id: 'ecs-svc/1234567890',
      status: 'PRIMARY',
      desiredCount: 1,
      runningCount: 1,
      pendingCount: 0,
      failedTasks: 0,
      rolloutState: 'COMPLETED' as const,
      createdAt: new Date('2026-06-01T13:20:00Z'),
      updatedAt: new Date('2026-06-01T13:27:00Z'),
    },
  ],
  events: [
    {
      id: 'e1',
      createdAt: new Date('2026-06-01T13:57:00Z'),
      message: '(service aegis-pt-core) has reached a steady state.',
    },
  ],
};

const runningTask = (id: string): Task => ({
  taskArn: ARN(id),
  lastStatus: 'RUNNING',
  desiredStatus: 'RUNNING',
  healthStatus: 'HEALTHY' as const,
  startedAt: new Date('2026-06-01T13:25:00Z'),
  group: 'service:aegis-pt-core',
  containers: [
    { name: 'ibkr-gateway', lastStatus: 'RUNNING', healthStatus: 'HEALTHY' as const },
    { name: 'lt-ibkr-trader', lastStatus: 'RUNNING', healthStatus: 'UNKNOWN' as const },
  ],
});

const stoppedTask = (id: string): Task => ({
  taskArn: ARN(id),
  lastStatus: 'STOPPED',
  desiredStatus: 'STOPPED',
  stoppedAt: new Date('2026-06-01T13:41:07.014Z'),
  stopCode: 'EssentialContainerExited' as const,
  stoppedReason: 'Essential container in task exited',
  containers: [{ name: 'lt-ibkr-trader', lastStatus: 'STOPPED', exitCode: 1 }],
});

const source = () =>
  new EcsApiSource({
    client: new ECSClient({ region: 'ap-northeast-1' }),
    cluster: CLUSTER,
    service: 'aegis-pt-core',
  });

beforeEach(() => ecsMock.reset());

describe('EcsApiSource', () => {
  it('maps DescribeServices / ListTasks / DescribeTasks to the observation with ISO timestamps', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service], failures: [] });
    ecsMock.on(ListTasksCommand, { desiredStatus: 'RUNNING' }).resolves({ taskArns: [ARN('run1')] });
    ecsMock.on(ListTasksCommand, { desiredStatus: 'STOPPED' }).resolves({ taskArns: [ARN('old1')] });
    ecsMock.on(DescribeTasksCommand, { tasks: [ARN('run1')] }).resolves({ tasks: [runningTask('run1')] });
    ecsMock.on(DescribeTasksCommand, { tasks: [ARN('old1')] }).resolves({ tasks: [stoppedTask('old1')] });
    const result = await source().observe();
    expect(result).toEqual({
      ecs: expect.objectContaining({
        service: expect.objectContaining({
          status: 'ACTIVE',
          runningCount: 1,
          deployments: [
            expect.objectContaining({ createdAt: '2026-06-01T13:20:00.000Z', rolloutState: 'COMPLETED' }),
          ],
        }),
        tasks: [
          expect.objectContaining({
            taskArn: ARN('run1'),
            startedAt: '2026-06-01T13:25:00.000Z',
            containers: expect.arrayContaining([
              { name: 'ibkr-gateway', lastStatus: 'RUNNING', healthStatus: 'HEALTHY' },
            ]),
          }),
        ],
        stopped_tasks: [
          expect.objectContaining({
            taskArn: ARN('old1'),
            stoppedAt: '2026-06-01T13:41:07.014Z',
            stopCode: 'EssentialContainerExited',
          }),
        ],
      }),
      // No ENI attachment in this recorded task: the address is simply absent.
      addresses: [
        {
          taskArn: ARN('run1'),
          lastStatus: 'RUNNING',
          healthStatus: 'HEALTHY',
          startedAt: '2026-06-01T13:25:00.000Z',
        },
      ],
    });
    expect(ecsMock.commandCalls(ListTasksCommand).map((c) => c.args[0].input)).toEqual(
      expect.arrayContaining([
        { cluster: CLUSTER, serviceName: 'aegis-pt-core', desiredStatus: 'RUNNING' },
        { cluster: CLUSTER, serviceName: 'aegis-pt-core', desiredStatus: 'STOPPED' },
      ]),
    );
  });

  it('lists the cluster RUNNING tasks without a service filter as cluster_tasks, minus the service own', async () => {
    const byHand: Task = { ...runningTask('hand1'), group: 'family:aegis-pt-core', startedBy: 'ops-user' };
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service] });
    ecsMock
      .on(ListTasksCommand, { cluster: CLUSTER, serviceName: 'aegis-pt-core', desiredStatus: 'RUNNING' })
      .resolves({ taskArns: [ARN('run1')] });
    ecsMock.on(ListTasksCommand, { cluster: CLUSTER, desiredStatus: 'STOPPED' }).resolves({ taskArns: [] });
    ecsMock
      .on(ListTasksCommand, { cluster: CLUSTER, desiredStatus: 'RUNNING' })
      .callsFake((input) =>
        input.serviceName ? { taskArns: [ARN('run1')] } : { taskArns: [ARN('run1'), ARN('hand1')] },
      );
    ecsMock.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
      tasks: input.tasks.map((a) => (a === ARN('hand1') ? byHand : runningTask('run1'))),
    }));
    const result = await source().observe();
    expect('ecs' in result && result.ecs.cluster_tasks?.map((t) => t.taskArn)).toEqual([ARN('hand1')]);
    expect('ecs' in result && result.ecs.tasks.map((t) => t.taskArn)).toEqual([ARN('run1')]);
    expect(ecsMock.commandCalls(ListTasksCommand).map((c) => c.args[0].input)).toContainEqual({
      cluster: CLUSTER,
      desiredStatus: 'RUNNING',
    });
  });

  it('lists as cluster_tasks every task not yet stopped: desired STOPPED ones still running too', async () => {
    // ListTasks filters by desired status: a task told to stop is listed under STOPPED at once, while
    // it (and its gateway) may still be RUNNING, DEACTIVATING or STOPPING.
    const told = (id: string, lastStatus: string): Task => ({
      ...runningTask(id),
      lastStatus,
      desiredStatus: 'STOPPED',
      group: 'family:aegis-pt-core',
    });
    const described: Record<string, Task> = {
      [ARN('run1')]: runningTask('run1'),
      [ARN('old1')]: stoppedTask('old1'),
      [ARN('hand1')]: told('hand1', 'RUNNING'),
      [ARN('hand2')]: told('hand2', 'DEACTIVATING'),
      [ARN('gone1')]: { ...stoppedTask('gone1'), group: 'family:aegis-pt-core' },
      [ARN('boot1')]: { ...runningTask('boot1'), lastStatus: 'ACTIVATING', group: 'family:x' },
    };
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service] });
    ecsMock.on(ListTasksCommand).callsFake((input: { serviceName?: string; desiredStatus?: string }) => {
      if (input.serviceName)
        return { taskArns: input.desiredStatus === 'RUNNING' ? [ARN('run1')] : [ARN('old1')] };
      return input.desiredStatus === 'RUNNING'
        ? { taskArns: [ARN('run1'), ARN('boot1')] }
        : { taskArns: [ARN('old1'), ARN('hand1'), ARN('hand2'), ARN('gone1')] };
    });
    ecsMock.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
      tasks: input.tasks.map((a) => described[a]),
    }));
    const result = await source().observe();
    expect('ecs' in result && result.ecs.cluster_tasks?.map((t) => t.taskArn)).toEqual([
      ARN('boot1'),
      ARN('hand1'),
      ARN('hand2'),
    ]);
    expect(ecsMock.commandCalls(ListTasksCommand).map((c) => c.args[0].input)).toContainEqual({
      cluster: CLUSTER,
      desiredStatus: 'STOPPED',
    });
  });

  it('follows ListTasks pagination and describes tasks in batches of 100', async () => {
    const arns = Array.from({ length: 150 }, (_, i) => ARN(`s${i}`));
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service] });
    ecsMock.on(ListTasksCommand, { desiredStatus: 'RUNNING' }).resolves({ taskArns: [] });
    ecsMock.on(ListTasksCommand, { desiredStatus: 'STOPPED' }).resolves({ taskArns: [] });
    ecsMock
      .on(ListTasksCommand, { serviceName: 'aegis-pt-core', desiredStatus: 'STOPPED' })
      .resolves({ taskArns: arns.slice(0, 100), nextToken: 'p2' });
    ecsMock
      .on(ListTasksCommand, { serviceName: 'aegis-pt-core', desiredStatus: 'STOPPED', nextToken: 'p2' })
      .resolves({ taskArns: arns.slice(100) });
    ecsMock.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
      tasks: input.tasks.map((a) => stoppedTask(a.split('/').pop() as string)),
    }));
    const result = await source().observe();
    expect('ecs' in result && result.ecs.stopped_tasks).toHaveLength(150);
    expect(ecsMock.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input.tasks?.length)).toEqual([
      100, 50,
    ]);
  });

  it('reports a missing service as an ECS error with the failure reason', async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .resolves({ services: [], failures: [{ arn: 'x', reason: 'MISSING' }] });
    expect(await source().observe()).toEqual({
      error: 'service aegis-pt-core not found in cluster aegis-pt (MISSING)',
    });
  });

  it('reports AccessDenied as an ECS error, not a throw', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform: ecs:DescribeServices'), {
      name: 'AccessDeniedException',
    });
    ecsMock.on(DescribeServicesCommand).rejects(denied);
    expect(await source().observe()).toEqual({
      error: 'AccessDeniedException: User is not authorized to perform: ecs:DescribeServices',
    });
  });

  it('reports throttling that outlasts the SDK retries as an ECS error', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service] });
    ecsMock.on(ListTasksCommand).rejects(throttled);
    expect(await source().observe()).toEqual({ error: 'ThrottlingException: Rate exceeded' });
  });

  it('makes only read-only ECS calls', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
    await source().observe();
    const names = ecsMock.calls().map((c) => (c.args[0] as object).constructor.name);
    expect(new Set(names)).toEqual(new Set(['DescribeServicesCommand', 'ListTasksCommand']));
  });
});
