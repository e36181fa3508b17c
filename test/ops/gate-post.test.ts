// The post-deploy gate: evidence must be from after the deploy and from the new task. One row per false GO.
import { TASK_ARN } from '../helpers/bundle';
import { formatGateReport } from '../../lib/ops/gate';
import {
  CLEAN,
  failing,
  judge,
  NEW_DEPLOYMENT,
  NEW_TASK_ARN,
  newTask,
  OLD_DEF,
  post,
  pre,
  warning,
} from './gate-fixtures';

const BASE = pre();
const gw = (healthStatus: string) => ({ name: 'ibkr-gateway', lastStatus: 'RUNNING', healthStatus });
const trader = (lastStatus: string) => ({ name: 'lt-ibkr-trader', lastStatus });
const broker = (symbol: string, qty: number, tags: string[]) => ({
  symbol,
  qty,
  tags,
  exit_attempt_count: 0,
});

describe('gate post: GO only on evidence from the new deployment', () => {
  it('GO on a new completed deployment whose new task wrote a fresh heartbeat and reconciliation', () => {
    const r = judge(post(), { baseline: BASE });
    expect(failing(r)).toEqual([]);
    expect(warning(r)).toEqual([]);
    expect(r.verdict).toBe('go');
    expect(formatGateReport(r)).toContain(
      'PASS  observation after the baseline and the deploy: baseline 2026-06-01T14:05:00Z, deploy 2026-06-01T14:10:00Z, observation 2026-06-01T14:20:00Z',
    );
    expect(r.note).toMatch(/not an approval/);
  });

  const oldStatus = {
    runtime_task_arn: TASK_ARN,
    heartbeat_at: '2026-06-01T14:04:51Z',
    last_position_reconcile: { at: '2026-06-01T14:03:30Z', ok: true, internal_count: 8, broker_count: 8 },
  };

  // [name, observation, criteria that must fail (all of them)]
  const STOPS: [string, () => Record<string, unknown>, string[]][] = [
    [
      'the baseline itself passed again as the observation',
      () => pre(),
      [
        'observation after the baseline and the deploy',
        'a new deployment',
        'a new task, started after the deploy',
      ],
    ],
    [
      'an observation older than the baseline',
      () => post({ now: '2026-06-01T14:04:00Z' }),
      ['observation after the baseline and the deploy'],
    ],
    [
      'the same task ARN and deployment as before (nothing rolled out)',
      () => pre({ now: '2026-06-01T14:20:00Z', status: { heartbeat_at: '2026-06-01T14:19:50Z' } }),
      ['a new deployment', 'a new task, started after the deploy'],
    ],
    [
      'a FAILED rollout with a rollback under way',
      () =>
        post({
          service: {
            deployments: [
              {
                ...NEW_DEPLOYMENT,
                id: 'ecs-svc/3',
                status: 'PRIMARY',
                rolloutState: 'IN_PROGRESS',
                rolloutStateReason:
                  'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1234567890.',
              },
              { ...NEW_DEPLOYMENT, status: 'ACTIVE', rolloutState: 'FAILED' },
            ],
          },
        }),
      ['rollout COMPLETED', 'no rollback'],
    ],
    [
      'a rollback that completed (old task definition back)',
      () =>
        post({
          service: {
            deployments: [
              {
                ...NEW_DEPLOYMENT,
                taskDefinition: 'arn:aws:ecs:ap-northeast-1:123456789012:task-definition/aegis-pt-core:41',
              },
            ],
            events: [
              {
                id: 'e9',
                createdAt: '2026-06-01T14:15:00Z',
                message:
                  '(service aegis-pt-core) deployment ecs-svc/2222222222 deployment failed: tasks failed to start. Rolling back to ecs-svc/1234567890.',
              },
            ],
          },
        }),
      ['no rollback'],
    ],
    [
      'a reconciliation proof from three days earlier',
      () =>
        post({
          status: {
            last_position_reconcile: {
              at: '2026-05-29T14:19:00Z',
              ok: true,
              internal_count: 8,
              broker_count: 8,
            },
          },
        }),
      ['reconciliation OK'],
    ],
    [
      'a heartbeat and reconciliation from before the deploy',
      () => post({ status: { heartbeat_at: '2026-06-01T14:09:00Z' } }),
      ['heartbeat after the deploy, from the new task'],
    ],
    [
      'a heartbeat from the old task',
      () => post({ status: oldStatus }),
      [
        'heartbeat from the running task',
        'heartbeat after the deploy, from the new task',
        'reconciliation OK',
      ],
    ],
    [
      'the trader container STOPPED inside a RUNNING task',
      () => post({ tasks: [newTask({ containers: [gw('HEALTHY'), trader('STOPPED')] })] }),
      ['containers as the golden signals say', 'detector: trader_not_running'],
    ],
    [
      'the gateway health UNKNOWN (startup grace is no evidence after a deploy)',
      () => post({ tasks: [newTask({ containers: [gw('UNKNOWN'), trader('RUNNING')] })] }),
      ['containers as the golden signals say'],
    ],
    [
      'a second service task ACTIVATING while the counters say 1/1/0',
      () => post({ tasks: [newTask(), newTask({ taskArn: `${NEW_TASK_ARN}2`, lastStatus: 'ACTIVATING' })] }),
      ['exactly one AWS runtime task'],
    ],
    [
      'an unknown fill already open at the baseline',
      () => post({ status: { unknown_fill: true } }),
      ['no unknown_fill', 'detector: unknown_fill'],
    ],
    [
      'a task that started before the deploy began',
      () => post({ tasks: [newTask({ startedAt: '2026-06-01T14:09:00Z' })] }),
      ['a new task, started after the deploy'],
    ],
    [
      'a deploy start (--deployed-at) after the observation',
      () => post(),
      ['observation after the baseline and the deploy'],
    ],
    [
      'a heartbeat in the future of the observation',
      () => post({ status: { heartbeat_at: '2026-06-01T15:20:00Z' } }),
      ['fresh heartbeat (under 300s)'],
    ],
  ];

  it.each(STOPS)('STOP on %s', (name, observation, criteria) => {
    const deployedAt = name.includes('--deployed-at') ? '2026-06-01T14:21:00Z' : undefined;
    const r = judge(observation(), { baseline: BASE, deployedAt });
    expect(failing(r)).toEqual(expect.arrayContaining(criteria));
    expect(r.verdict).toBe('stop');
  });

  it('STOP on an unknown fill that was already open at the baseline (no unknown fill at all)', () => {
    const base = pre({ status: { unknown_fill: true } });
    const r = judge(post({ status: { unknown_fill: true } }), { baseline: base });
    expect(failing(r)).toEqual(expect.arrayContaining(['no unknown_fill', 'detector: unknown_fill']));
    expect(r.verdict).toBe('stop');
  });

  it('is never GO while the rollout is IN_PROGRESS', () => {
    const r = judge(
      post({ service: { deployments: [{ ...NEW_DEPLOYMENT, rolloutState: 'IN_PROGRESS' }] } }),
      { baseline: BASE },
    );
    expect(warning(r)).toContain('rollout COMPLETED');
    expect(r.verdict).not.toBe('go');
  });

  describe('the task definition the deploy brought', () => {
    const withDef = (taskDefinition: string) =>
      post({
        service: { deployments: [{ ...NEW_DEPLOYMENT, taskDefinition }] },
        tasks: [newTask({ taskDefinitionArn: taskDefinition })],
      });
    const older = 'arn:aws:ecs:ap-northeast-1:123456789012:task-definition/aegis-pt-core:40';
    it('GO on a forced redeploy (the baseline task definition), proven by a new deployment id and a new task', () => {
      const r = judge(withDef(OLD_DEF), { baseline: BASE });
      expect(r.criteria.find((c) => c.name === 'task definition as expected')?.seen).toMatch(
        /forced redeploy/,
      );
      expect(r.verdict).toBe('go');
    });
    it.each([
      ['the issue: an older revision than the baseline', older],
      ['another family', 'arn:aws:ecs:ap-northeast-1:123456789012:task-definition/staging-core:99'],
    ])('STOP on %s unless the operator names it', (_name, def) => {
      expect(failing(judge(withDef(def), { baseline: BASE }))).toEqual(['task definition as expected']);
      expect(judge(withDef(def), { baseline: BASE, expectTaskDefinition: def }).verdict).toBe('go');
    });
    it('STOP when the named task definition is not the deployed one, or the task runs another', () => {
      expect(failing(judge(post(), { baseline: BASE, expectTaskDefinition: older }))).toEqual([
        'task definition as expected',
      ]);
      const r = judge(post({ tasks: [newTask({ taskDefinitionArn: OLD_DEF })] }), { baseline: BASE });
      expect(failing(r)).toEqual(['a new task, started after the deploy']);
    });
  });

  describe('broker imports compared by symbol, tags and quantity', () => {
    const base = pre({ status: { ...CLEAN, open_positions: [broker('TSLA', 5, ['Broker'])] } });
    it.each([
      ['a new symbol', [broker('TSLA', 5, ['Broker']), broker('AMD', 1, ['Broker'])], 'AMD qty=1 [broker]'],
      ['the same symbol with a new quantity', [broker('TSLA', 7, ['Broker'])], 'TSLA qty=7 [broker]'],
      [
        'the same symbol with a new reconcile-import tag',
        [broker('TSLA', 5, ['Broker', 'reconcile-import-20260601'])],
        'TSLA qty=5 [broker,reconcile-import-20260601]',
      ],
    ])('STOP on %s', (_n, positions, seen) => {
      const r = judge(post({ status: { open_positions: positions } }), { baseline: base });
      const c = r.criteria.find((x) => x.name === 'no new broker import (symbol, tags, qty)');
      expect(c).toMatchObject({ outcome: 'fail', seen: `new: ${seen}` });
    });

    it('passes the same imports in another tag case (the baseline itself was WAIT, so post is STOP)', () => {
      const r = judge(post({ status: { open_positions: [broker('TSLA', 5, ['BROKER'])] } }), {
        baseline: base,
      });
      expect(r.criteria.find((x) => x.name === 'no new broker import (symbol, tags, qty)')?.outcome).toBe(
        'pass',
      );
      expect(failing(r)).toEqual(['the baseline was GO']);
    });
  });

  it('uses --deployed-at over the deployment createdAt, and refuses a deploy that began before the baseline', () => {
    const r = judge(post(), { baseline: BASE, deployedAt: '2026-06-01T14:00:00Z' });
    expect(r.criteria.find((c) => c.name === 'observation after the baseline and the deploy')?.seen).toMatch(
      /the deploy started before the baseline was taken/,
    );
    expect(r.verdict).toBe('stop');
  });

  it('hostile times never crash and never give GO: a deploy start that is not a time, a baseline without one', () => {
    expect(judge(post(), { baseline: BASE, deployedAt: 'garbage' }).verdict).toBe('stop');
    expect(judge(post(), { baseline: { ...BASE, now: 'garbage' } }).verdict).toBe('stop');
  });

  it('refuses a post observation older than 5 minutes unless it is a replay', () => {
    expect(failing(judge(post(), { baseline: BASE, wall: '2026-06-01T14:30:00Z' }))).toEqual([
      'observation is current',
    ]);
    expect(judge(post(), { baseline: BASE, wall: '2026-06-01T14:30:00Z', replay: true }).verdict).toBe('go');
  });
});

describe('gate post: imports are counted, not just their kinds', () => {
  it('a second identical Broker import after the deploy is new', () => {
    const imp = (n: number) => ({
      open_positions: Array.from({ length: n }, () => ({
        symbol: 'AAPL',
        qty: 5,
        tags: ['broker'],
        exit_attempt_count: 0,
      })),
    });
    const r = judge(post({ status: imp(2) }), { baseline: pre({ status: imp(1) }) });
    expect(failing(r)).toContain('no new broker import (symbol, tags, qty)');
  });
});

describe('gate post: the old task must be gone, not only told to stop', () => {
  it.each(['RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING'])(
    'STOP while the old task (desired STOPPED) is still %s',
    (lastStatus) => {
      const old = {
        taskArn: TASK_ARN,
        lastStatus,
        desiredStatus: 'STOPPED',
        startedAt: '2026-06-01T13:21:00Z',
        containers: [
          { name: 'ibkr-gateway', lastStatus: 'RUNNING' },
          { name: 'lt-ibkr-trader', lastStatus: 'RUNNING' },
        ],
      };
      const r = judge(post({ stopped: [old] }), { baseline: pre() });
      expect(failing(r)).toContain('exactly one AWS runtime task');
      expect(r.verdict).toBe('stop');
    },
  );
});
