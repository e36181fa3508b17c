// The pre-deploy gate: one row per criterion and per false GO the issue reproduced (and others of the same kinds).
import { TASK_ARN } from '../helpers/bundle';
import { formatGateReport } from '../../lib/ops/gate';
import { failing, judge, pre, warning } from './gate-fixtures';

const stop = (at: string) => ({
  stoppedAt: at,
  stoppedReason: 'Essential container in task exited',
  lastStatus: 'STOPPED',
});
const task = (changes: Record<string, unknown> = {}) => ({
  taskArn: TASK_ARN,
  lastStatus: 'RUNNING',
  startedAt: '2026-06-01T13:25:00Z',
  containers: [
    { name: 'ibkr-gateway', lastStatus: 'RUNNING', healthStatus: 'HEALTHY' },
    { name: 'lt-ibkr-trader', lastStatus: 'RUNNING' },
  ],
  ...changes,
});

describe('gate pre: GO only on positive evidence', () => {
  it('GO on a clean runtime; the GO says it is not an approval and states the market', () => {
    const r = judge(pre());
    expect(failing(r)).toEqual([]);
    expect(warning(r)).toEqual([]);
    expect(r.verdict).toBe('go');
    expect(r.note).toMatch(/not an approval.*action time/);
    expect(r.market.state).toBe('open');
    const text = formatGateReport(r);
    expect(text).toContain('market: open (2026-06-01T10:05:00-04:00 ET, session until 2026-06-01T20:00:00Z)');
    expect(text).toContain('PASS  detector: no open event');
    expect(text).toMatch(/VERDICT: GO\nGO is not an approval/);
  });

  it('WAIT on one normal-age entry order (the spec example)', () => {
    const r = judge(
      pre({
        status: {
          pending_orders: 1,
          pending_order_details: [
            { order_id: '4711', symbol: 'COIN', purpose: 'entry', submitted_at: '2026-06-01T14:03:40Z' },
          ],
        },
      }),
    );
    expect(r.verdict).toBe('wait');
    expect(warning(r)).toEqual(['pending orders (0 preferred)']);
  });

  // [name, changes, a criterion that must fail]
  const STOPS: [string, Parameters<typeof pre>[0], string][] = [
    ['an unknown fill', { status: { unknown_fill: true } }, 'detector: unknown_fill'],
    [
      'a heartbeat from a Synology platform',
      { status: { runtime_platform: 'synology' } },
      'detector: dual_primary',
    ],
    [
      'a heartbeat from a task that is not running',
      { status: { runtime_task_arn: `${TASK_ARN}x` } },
      'heartbeat from the running task',
    ],
    [
      'a failed position reconciliation (8 vs 9)',
      {
        status: {
          last_position_reconcile: {
            at: '2026-06-01T14:03:30Z',
            ok: false,
            internal_count: 8,
            broker_count: 9,
          },
        },
      },
      'detector: position_mismatch',
    ],
    [
      'a reconciliation ok=true but 8 vs 9',
      { status: { last_position_reconcile: { ok: true, internal_count: 8, broker_count: 9 } } },
      'reconciliation OK',
    ],
    [
      'IBKR 1100 three times',
      { status: { log_signals: { existing_session_detected: 0, ibkr_1100: 3 } } },
      'detector: ibkr_connectivity',
    ],
    [
      'three task stops in an hour',
      { stopped: [stop('2026-06-01T13:10:00Z'), stop('2026-06-01T13:40:00Z'), stop('2026-06-01T14:00:00Z')] },
      'detector: task_restart_loop',
    ],
    [
      'a FAILED deployment',
      { service: { deployments: [{ id: 'd1', status: 'PRIMARY', rolloutState: 'FAILED' }] } },
      'detector: deployment_failed',
    ],
    ['a DRAINING service', { service: { status: 'DRAINING' } }, 'exactly one AWS runtime task'],
    [
      'broker confirmation required',
      { status: { broker_confirmation_required: true } },
      'detector: broker_confirmation_required',
    ],
    [
      'the gateway UNHEALTHY',
      {
        containers: [
          { name: 'ibkr-gateway', lastStatus: 'RUNNING', healthStatus: 'UNHEALTHY' },
          { name: 'lt-ibkr-trader', lastStatus: 'RUNNING' },
        ],
      },
      'detector: gateway_unhealthy',
    ],
    [
      'the trader STOPPED inside the RUNNING task',
      {
        containers: [
          { name: 'ibkr-gateway', lastStatus: 'RUNNING', healthStatus: 'HEALTHY' },
          { name: 'lt-ibkr-trader', lastStatus: 'STOPPED' },
        ],
      },
      'detector: trader_not_running',
    ],
    [
      'a second service task ACTIVATING while the counters say 1/1/0',
      { tasks: [task(), task({ taskArn: `${TASK_ARN}2`, lastStatus: 'ACTIVATING' })] },
      'exactly one AWS runtime task',
    ],
    ['a send outcome unknown', { status: { send_outcome_unknown: true } }, 'no send_outcome_unknown'],
    ['stuck exits', { status: { stuck_exits: 1 } }, 'stuck_exits = 0'],
    ['an exit working', { status: { pending_exits: 1 } }, 'pending_exits = 0'],
    [
      'an exit order pending',
      {
        status: {
          pending_orders: 1,
          pending_order_details: [
            { order_id: '9', symbol: 'NVDA', purpose: 'exit', submitted_at: '2026-06-01T14:04:00Z' },
          ],
        },
      },
      'pending orders (0 preferred)',
    ],
    ['two entry orders', { status: { pending_orders: 2 } }, 'pending orders (0 preferred)'],
    ['a reconcile flag', { status: { entry_blocking_reconcile_pending: true } }, 'reconcile flags all false'],
    [
      'a session conflict',
      { status: { log_signals: { existing_session_detected: 1 } } },
      'no session conflict',
    ],
    [
      'Synology containers running',
      { status: { synology_ibkr_containers_running: 1 } },
      'Synology containers exited',
    ],
    [
      'a heartbeat an hour in the future',
      { status: { heartbeat_at: '2026-06-01T15:05:00Z' } },
      'fresh heartbeat (under 300s)',
    ],
    [
      'a heartbeat 6 minutes old with AEGIS_PT_HEARTBEAT_STALE_SEC=900',
      { status: { heartbeat_at: '2026-06-01T13:59:00Z' }, config: { AEGIS_PT_HEARTBEAT_STALE_SEC: 900 } },
      'fresh heartbeat (under 300s)',
    ],
    [
      'a stale heartbeat after the close (the detector is silent then)',
      { now: '2026-06-01T20:30:00Z', status: { heartbeat_at: '2026-06-01T20:00:00Z' } },
      'fresh heartbeat (under 300s)',
    ],
    ['stuck_exits not reported', { drop: ['stuck_exits'] }, 'stuck_exits = 0'],
    ['unknown_fill not reported', { drop: ['unknown_fill'] }, 'no unknown_fill'],
    ['runtime_platform not reported', { drop: ['runtime_platform'] }, 'runtime on aws-fargate'],
    ['no reconciliation proof', { drop: ['last_position_reconcile'] }, 'reconciliation OK'],
    ['a payload that is not an object', { top: { status_v3: 'oops' } }, 'detector: dashboard_invalid'],
    [
      'an IBKR task started by hand outside the service',
      {
        top: {
          ecs: {
            ...(pre().ecs as object),
            cluster_tasks: [
              task({ taskArn: 'arn:aws:ecs:ap-northeast-1:123456789012:task/aegis-pt/byhand' }),
            ],
          },
        },
      },
      'detector: dual_primary',
    ],
  ];

  it.each(STOPS)('STOP on %s', (_name, changes, criterion) => {
    const r = judge(pre(changes));
    expect(failing(r)).toContain(criterion);
    expect(r.verdict).toBe('stop');
    expect(r.note).toMatch(/^STOP: do not deploy/);
  });

  it('every open critical or escalating detector event is a STOP, printed beside the gate criteria', () => {
    const r = judge(pre({ status: { unknown_fill: true, stuck_exits: 1 } }));
    const text = formatGateReport(r);
    expect(text).toContain('FAIL  detector: unknown_fill: [CRITICAL, ESCALATE]');
    expect(text).toContain('FAIL  detector: stuck_exits: [CRITICAL, ESCALATE]');
    expect(text).toContain('FAIL  stuck_exits = 0: stuck_exits=1');
  });

  it('a warning-only detector event is at least WAIT', () => {
    const r = judge(pre({ status: { recent_trades: [{ trade_id: 't1', symbol: 'X', pnl_unknown: true }] } }));
    expect(warning(r)).toEqual(['detector: pnl_unknown_trades:t1']);
    expect(r.verdict).toBe('wait');
  });

  it('WAIT while a deployment is under way', () => {
    const r = judge(
      pre({
        service: {
          deployments: [
            { id: 'd2', status: 'PRIMARY', rolloutState: 'IN_PROGRESS' },
            { id: 'd1', status: 'ACTIVE', rolloutState: 'COMPLETED' },
          ],
        },
      }),
    );
    expect(warning(r)).toContain('no deployment under way');
    expect(r.verdict).not.toBe('go');
  });

  it('shows the reason when ECS is unreadable', () => {
    const b = pre();
    delete b.ecs;
    const r = judge({
      ...b,
      ecs_error: 'AccessDeniedException: not authorized to perform ecs:DescribeServices',
    });
    expect(r.criteria.find((c) => c.name === 'exactly one AWS runtime task')?.seen).toBe(
      'no evidence: ECS not readable: AccessDeniedException: not authorized to perform ecs:DescribeServices',
    );
    expect(r.verdict).toBe('stop');
  });

  describe('freshness of the observation', () => {
    it('refuses an observation older than 5 minutes, unless told it is a replay', () => {
      const old = judge(pre(), { wall: '2026-06-01T14:10:01Z' });
      expect(failing(old)).toEqual(['observation is current']);
      expect(old.criteria[0].seen).toContain('301s ago (limit 300s)');
      expect(judge(pre(), { wall: '2026-06-01T14:10:00Z' }).verdict).toBe('go');
      const replay = judge(pre(), { wall: '2026-06-04T00:00:00Z', replay: true });
      expect(replay.verdict).toBe('go');
      expect(formatGateReport(replay)).toMatch(/REPLAY: not live evidence[\s\S]*VERDICT: GO \(replay\)/);
    });

    it('refuses an observation from the future of this clock, even as a replay', () => {
      expect(failing(judge(pre(), { wall: '2026-06-01T14:04:00Z', replay: true }))).toEqual([
        'observation is current',
      ]);
      expect(judge(pre(), { wall: '2026-06-01T14:04:31Z' }).verdict).toBe('go');
    });
  });

  it.each([
    [
      '2026-06-01T13:00:00Z',
      'pre_open',
      /no session yet; the deploy must be complete and the post gate GO before the open/,
    ],
    ['2026-06-01T20:30:00Z', 'after_close', /no trading until the next session/],
    ['2026-06-06T15:00:00Z', 'closed', /no session today/],
  ])('states the market at %s (%s) and what it means for the deploy', (now, state, text) => {
    const b = pre({
      now,
      task: { startedAt: '2026-06-01T12:25:00Z' },
      status: {
        generated_at: now,
        heartbeat_at: now,
        last_position_reconcile: { at: now, ok: true, matched: 8, internal_count: 8, broker_count: 8 },
      },
    });
    const r = judge(b);
    expect(r.market.state).toBe(state);
    expect(r.market.statement).toMatch(text);
    expect(r.verdict).toBe('go');
  });
});

describe('gate pre: the runbook says under 5 minutes', () => {
  it('a heartbeat exactly 300 s old is not under 5 minutes; 299 s is', () => {
    expect(failing(judge(pre({ status: { heartbeat_at: '2026-06-01T14:00:00Z' } })))).toContain(
      'fresh heartbeat (under 300s)',
    );
    expect(judge(pre({ status: { heartbeat_at: '2026-06-01T14:00:01Z' } })).verdict).toBe('go');
  });
});

describe('gate: an IBKR task outside the service that is still starting', () => {
  const hand = (lastStatus: string, containers?: unknown[]) => ({
    taskArn: 'arn:aws:ecs:ap-northeast-1:123456789012:task/aegis-pt/ffffffffffffffffffffffffffffffff',
    lastStatus,
    desiredStatus: 'RUNNING',
    group: 'family:aegis-pt-core',
    ...(containers ? { containers } : {}),
  });
  const ibkr = [
    { name: 'ibkr-gateway', lastStatus: 'PENDING' },
    { name: 'lt-ibkr-trader', lastStatus: 'PENDING' },
  ];
  it.each([
    ['PROVISIONING', ibkr],
    ['PENDING', ibkr],
    ['ACTIVATING', ibkr],
    ['RUNNING', undefined],
  ])('STOP beside a hand-started task %s (containers %j)', (lastStatus, containers) => {
    const b = pre();
    (b.ecs as Record<string, unknown>).cluster_tasks = [hand(lastStatus, containers)];
    const r = judge(b);
    expect(failing(r)).toContain('no IBKR task outside the service');
    expect(r.verdict).toBe('stop');
  });
  it('GO beside an unrelated task', () => {
    const b = pre();
    (b.ecs as Record<string, unknown>).cluster_tasks = [
      hand('RUNNING', [{ name: 'migrate', lastStatus: 'RUNNING' }]),
    ];
    expect(judge(b).verdict).toBe('go');
  });
});
