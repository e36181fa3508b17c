import { codes, event, infoCodes, run, IN_SESSION, TASK_ARN } from '../helpers/bundle';
import { detect } from '../../lambda/detector/detect';
import { bundle } from '../helpers/bundle';

const minutesBefore = (iso: string, min: number) => new Date(Date.parse(iso) - min * 60_000).toISOString();

describe('healthy baseline', () => {
  it('raises nothing on the spec example', () => {
    const out = run();
    expect(out.events).toEqual([]);
    expect(out.new_events).toEqual([]);
    expect(out.decision).toBe('observe');
  });
});

describe('ecs_unavailable', () => {
  it('raises on ecs_error and skips the other ECS rules', () => {
    const b = bundle();
    delete b.ecs;
    const out = detect({ ...b, ecs_error: 'AccessDeniedException: not authorized' });
    expect(codes(out)).toEqual(['ecs_unavailable']);
    expect(event(out, 'ecs_unavailable')).toMatchObject({ severity: 'critical', escalate: false });
    expect(event(out, 'ecs_unavailable')?.summary).toContain('AccessDenied');
  });

  it('raises when neither ecs nor ecs_error is present', () => {
    const b = bundle();
    delete b.ecs;
    expect(codes(detect(b))).toEqual(['ecs_unavailable']);
  });

  it('raises when the service is missing or not ACTIVE', () => {
    expect(codes(run({ top: { ecs: { tasks: [], stopped_tasks: [] } } }))).toEqual(['ecs_unavailable']);
    expect(codes(run({ service: { status: 'DRAINING' } }))).toContain('ecs_unavailable');
    expect(codes(run({ service: { status: 'ACTIVE' } }))).not.toContain('ecs_unavailable');
  });

  it('treats a malformed ECS observation as unavailable', () => {
    expect(codes(run({ top: { ecs: 'nonsense' } }))).toEqual(['ecs_unavailable']);
  });
});

describe('ecs_primary_count', () => {
  it.each([[{ desiredCount: 0 }], [{ runningCount: 0 }], [{ runningCount: 2 }], [{ pendingCount: 1 }]])(
    'raises on %j',
    (service) => {
      expect(codes(run({ service }))).toContain('ecs_primary_count');
    },
  );

  it('raises when no task or two tasks are RUNNING', () => {
    expect(codes(run({ task: { lastStatus: 'PENDING' } }))).toContain('ecs_primary_count');
    const task = (bundle().ecs as { tasks: Record<string, unknown>[] }).tasks[0];
    const two = run({ tasks: [task, { ...task, taskArn: `${TASK_ARN}2` }] });
    expect(codes(two)).toContain('ecs_primary_count');
  });

  it('escalates only when persisted', () => {
    const first = run({ service: { runningCount: 0 } });
    expect(event(first, 'ecs_primary_count')?.escalate).toBe(false);
    const second = run({ now: '2026-06-01T14:15:00Z', service: { runningCount: 0 }, previous: first });
    expect(event(second, 'ecs_primary_count')).toMatchObject({ escalate: true, consecutive: 2 });
    expect(second.decision).toBe('escalate');
  });
});

const healthyContainers = [
  { name: 'ibkr-gateway', lastStatus: 'RUNNING', healthStatus: 'HEALTHY' },
  { name: 'lt-ibkr-trader', lastStatus: 'RUNNING', healthStatus: 'UNKNOWN' },
];

describe('gateway_unhealthy', () => {
  it('raises when the gateway is missing, not RUNNING or UNHEALTHY', () => {
    expect(codes(run({ containers: [healthyContainers[1]] }))).toContain('gateway_unhealthy');
    expect(
      codes(run({ containers: [{ ...healthyContainers[0], lastStatus: 'STOPPED' }, healthyContainers[1]] })),
    ).toContain('gateway_unhealthy');
    expect(
      codes(
        run({ containers: [{ ...healthyContainers[0], healthStatus: 'UNHEALTHY' }, healthyContainers[1]] }),
      ),
    ).toContain('gateway_unhealthy');
  });

  it('tolerates UNKNOWN (or absent) health for the startup grace, counted from startedAt', () => {
    const unknown = [{ name: 'ibkr-gateway', lastStatus: 'RUNNING' }, healthyContainers[1]];
    expect(
      codes(run({ containers: unknown, task: { startedAt: minutesBefore(IN_SESSION, 5) } })),
    ).not.toContain('gateway_unhealthy');
    expect(
      codes(
        run({
          containers: unknown,
          task: { startedAt: new Date(Date.parse(IN_SESSION) - 301_000).toISOString() },
        }),
      ),
    ).toContain('gateway_unhealthy');
    expect(
      codes(
        run({
          containers: unknown,
          task: { startedAt: minutesBefore(IN_SESSION, 2) },
          config: { AEGIS_PT_TASK_STARTUP_GRACE_SEC: 60 },
        }),
      ),
    ).toContain('gateway_unhealthy');
  });

  it('does not tolerate UNHEALTHY within the grace', () => {
    const sick = [{ ...healthyContainers[0], healthStatus: 'UNHEALTHY' }, healthyContainers[1]];
    expect(codes(run({ containers: sick, task: { startedAt: minutesBefore(IN_SESSION, 1) } }))).toContain(
      'gateway_unhealthy',
    );
  });

  it('raises when no task runs at all', () => {
    expect(codes(run({ tasks: [] }))).toEqual(
      expect.arrayContaining(['gateway_unhealthy', 'trader_not_running']),
    );
  });
});

describe('trader_not_running', () => {
  it('raises when the trader is missing or not RUNNING, whatever its health', () => {
    expect(codes(run({ containers: [healthyContainers[0]] }))).toContain('trader_not_running');
    expect(
      codes(run({ containers: [healthyContainers[0], { name: 'lt-ibkr-trader', lastStatus: 'PENDING' }] })),
    ).toContain('trader_not_running');
    expect(codes(run({ containers: healthyContainers }))).not.toContain('trader_not_running');
  });
});

const stopped = (minAgo: number, reason = 'Essential container in task exited') => ({
  taskArn: `arn:aws:ecs:ap-northeast-1:123456789012:task/aegis-pt/old${minAgo}`,
  lastStatus: 'STOPPED',
  stoppedAt: minutesBefore(IN_SESSION, minAgo),
  stopCode: 'EssentialContainerExited',
  stoppedReason: reason,
});

describe('task_restart_loop', () => {
  it('is info task_replaced below the loop count', () => {
    const out = run({ stopped: [stopped(10)] });
    expect(codes(out)).toEqual([]);
    expect(infoCodes(out)).toEqual(['task_replaced']);
  });

  it('raises and escalates at RESTART_LOOP_COUNT stops within the window', () => {
    const out = run({ stopped: [stopped(10), stopped(50)] });
    expect(event(out, 'task_restart_loop')).toMatchObject({ severity: 'critical', escalate: true });
    expect(out.decision).toBe('escalate');
  });

  it('does not count stops older than the window (age > window)', () => {
    expect(codes(run({ stopped: [stopped(10), stopped(61)] }))).toEqual([]);
    expect(codes(run({ stopped: [stopped(10), stopped(60)] }))).toEqual(['task_restart_loop']);
  });

  it('does not count stops a deployment caused (info deployment_replacement)', () => {
    const out = run({
      stopped: [stopped(10, 'Scaling activity initiated by (deployment ecs-svc/123)'), stopped(20)],
    });
    expect(codes(out)).toEqual([]);
    expect(infoCodes(out)).toEqual(['deployment_replacement', 'task_replaced']);
  });

  it('follows RESTART_LOOP_COUNT', () => {
    expect(codes(run({ stopped: [stopped(10)], config: { AEGIS_PT_RESTART_LOOP_COUNT: 1 } }))).toEqual([
      'task_restart_loop',
    ]);
  });
});

describe('deployment_failed', () => {
  const deployment = (rolloutState: string) => ({
    id: 'ecs-svc/999',
    status: 'PRIMARY',
    rolloutState,
    rolloutStateReason: 'ECS deployment circuit breaker: task failed to start.',
  });

  it('raises on a FAILED rollout', () => {
    const out = run({ service: { deployments: [deployment('FAILED')] } });
    expect(event(out, 'deployment_failed')?.summary).toContain('circuit breaker');
  });

  it('is info deployment_in_progress while IN_PROGRESS, nothing when COMPLETED', () => {
    const out = run({ service: { deployments: [deployment('IN_PROGRESS')] } });
    expect(codes(out)).toEqual([]);
    expect(infoCodes(out)).toEqual(['deployment_in_progress']);
    expect(infoCodes(run({ service: { deployments: [deployment('COMPLETED')] } }))).toEqual([]);
  });
});

describe('dual_primary', () => {
  it('raises and escalates on Synology containers running', () => {
    const out = run({ status: { synology_ibkr_containers_running: 1 } });
    expect(event(out, 'dual_primary')).toMatchObject({ escalate: true, severity: 'critical' });
  });

  it('raises when runtime_platform is not aws-fargate', () => {
    expect(codes(run({ status: { runtime_platform: 'synology' } }))).toEqual(['dual_primary']);
  });

  it('raises when the heartbeat task is not a RUNNING task of the service', () => {
    expect(
      codes(
        run({ status: { runtime_task_arn: 'arn:aws:ecs:ap-northeast-1:123456789012:task/aegis-pt/other' } }),
      ),
    ).toEqual(['dual_primary']);
  });

  it('matches task ARNs exactly or by task id', () => {
    expect(codes(run({ status: { runtime_task_arn: TASK_ARN.split('/').pop() } }))).toEqual([]);
  });

  it('skips the task check when ECS cannot be read', () => {
    const b = bundle({ status: { runtime_task_arn: 'arn:x/other' } });
    delete b.ecs;
    expect(codes(detect({ ...b, ecs_error: 'throttled' }))).toEqual(['ecs_unavailable']);
  });
});

describe('dual_primary from ecs.cluster_tasks (an IBKR runtime outside the service)', () => {
  const foreign = (containers: string[], extra: Record<string, unknown> = {}) => ({
    taskArn: 'arn:aws:ecs:ap-northeast-1:123456789012:task/aegis-pt/byhand1',
    lastStatus: 'RUNNING',
    group: 'family:aegis-pt-core',
    containers: containers.map((name) => ({ name, lastStatus: 'RUNNING' })),
    ...extra,
  });
  const withCluster = (cluster_tasks: unknown[], changes: Parameters<typeof bundle>[0] = {}) => {
    const b = bundle(changes);
    return detect({ ...b, ecs: { ...(b.ecs as object), cluster_tasks } });
  };

  it.each([[['ibkr-gateway']], [['lt-ibkr-trader']], [['ibkr-gateway', 'lt-ibkr-trader']]])(
    'raises and escalates on a RUNNING cluster task with %j',
    (containers) => {
      const out = withCluster([foreign(containers)]);
      expect(codes(out)).toEqual(['dual_primary']);
      expect(event(out, 'dual_primary')).toMatchObject({ severity: 'critical', escalate: true });
      expect(event(out, 'dual_primary')?.summary).toContain('byhand1 (family:aegis-pt-core)');
      expect(out.decision).toBe('escalate');
    },
  );

  it('raises even when the service counts are 1/1/0 and the dashboard is unreachable', () => {
    const b = bundle();
    delete b.status_v3;
    const out = detect({
      ...b,
      dashboard_error: 'timeout',
      ecs: { ...(b.ecs as object), cluster_tasks: [foreign(['ibkr-gateway'])] },
    });
    expect(codes(out)).toContain('dual_primary');
  });

  it('ignores other workloads, stopped tasks and the service own task listed again', () => {
    const own = (bundle().ecs as { tasks: Record<string, unknown>[] }).tasks[0];
    expect(
      codes(
        withCluster([
          foreign(['nginx', 'log-router']),
          foreign(['ibkr-gateway'], { lastStatus: 'STOPPED' }),
          { ...own, taskArn: TASK_ARN.split('/').pop() },
        ]),
      ),
    ).toEqual([]);
    expect(codes(withCluster([]))).toEqual([]);
  });

  // The spec: a task not yet STOPPED that still (or already) has an IBKR container RUNNING is a second
  // primary, whether ECS lists it under the service's stopped tasks or the cluster's tasks.
  const notStopped = (lastStatus: string, desiredStatus: string, containers: Record<string, string>) => ({
    taskArn: 'arn:aws:ecs:ap-northeast-1:123456789012:task/aegis-pt/oldone',
    lastStatus,
    desiredStatus,
    group: 'service:aegis-pt-core',
    containers: Object.entries(containers).map(([name, status]) => ({ name, lastStatus: status })),
  });
  const both = { 'ibkr-gateway': 'RUNNING', 'lt-ibkr-trader': 'RUNNING' };
  it.each([
    [
      'the issue: desired STOPPED, still RUNNING, both containers RUNNING',
      'stopped',
      'RUNNING',
      'STOPPED',
      both,
    ],
    [
      'DEACTIVATING with the gateway RUNNING',
      'stopped',
      'DEACTIVATING',
      'STOPPED',
      { 'ibkr-gateway': 'RUNNING' },
    ],
    [
      'STOPPING with the trader RUNNING',
      'stopped',
      'STOPPING',
      'STOPPED',
      { 'lt-ibkr-trader': 'RUNNING', 'ibkr-gateway': 'STOPPED' },
    ],
    ['lastStatus not reported, gateway RUNNING', 'stopped', '', 'STOPPED', { 'ibkr-gateway': 'RUNNING' }],
    ['a hand-started task ACTIVATING with both RUNNING', 'cluster', 'ACTIVATING', 'RUNNING', both],
    [
      'a cluster task told to stop, DEPROVISIONING, trader RUNNING',
      'cluster',
      'DEPROVISIONING',
      'STOPPED',
      { 'lt-ibkr-trader': 'RUNNING' },
    ],
  ])('raises and escalates on %s', (_name, where, lastStatus, desiredStatus, containers) => {
    const t = notStopped(lastStatus, desiredStatus, containers);
    if (lastStatus === '') delete (t as Record<string, unknown>).lastStatus;
    const b = bundle(where === 'stopped' ? { stopped: [t] } : {});
    const out = detect(where === 'cluster' ? { ...b, ecs: { ...(b.ecs as object), cluster_tasks: [t] } } : b);
    expect(codes(out)).toEqual(['dual_primary']);
    expect(event(out, 'dual_primary')).toMatchObject({ severity: 'critical', escalate: true });
    expect(event(out, 'dual_primary')?.summary).toContain('still RUNNING in task(s) not yet STOPPED: oldone');
  });

  it.each([
    ['STOPPED with containers still marked RUNNING (it has stopped)', 'STOPPED', both],
    [
      'DEACTIVATING with every IBKR container STOPPED',
      'DEACTIVATING',
      { 'ibkr-gateway': 'STOPPED', 'lt-ibkr-trader': 'STOPPED' },
    ],
    [
      'PENDING with the IBKR containers PENDING',
      'PENDING',
      { 'ibkr-gateway': 'PENDING', 'lt-ibkr-trader': 'PENDING' },
    ],
    ['STOPPING with only another container RUNNING', 'STOPPING', { 'log-router': 'RUNNING' }],
  ])('stays quiet on a stopping service task %s', (_name, lastStatus, containers) => {
    expect(codes(run({ stopped: [notStopped(lastStatus, 'STOPPED', containers)] }))).toEqual([]);
  });

  it('drops a malformed cluster_tasks entry instead of crashing', () => {
    expect(codes(withCluster(['nonsense', null, 7] as unknown[]))).toEqual([]);
  });
});
