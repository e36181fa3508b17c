// Issue #21: a criterion passes only on evidence that is present, fresh, of this runtime and consistent.
// One row per case the review reproduced and other instances of the same class.
import { DEFAULT_CONFIG } from '../../lambda/detector/config';
import { detect } from '../../lambda/detector/detect';
import type { ObservationBundle, RunRecord } from '../../lambda/detector/types';
import { GATE_CRITERIA } from '../../lib/ops/gate-criteria';
import { evaluateGate } from '../../lib/ops/gate-evaluate';
import { TASK_ARN } from '../helpers/bundle';
import { CLEAN_RUNS, failing, judge, newTask, post, pre, scheduledRun, warning } from './gate-fixtures';

type Json = Record<string, unknown>;

const withEcs = (b: Json, change: (ecs: Json) => void): Json => {
  change(b.ecs as Json);
  return b;
};
const LOG_SIGNALS = {
  window_sec: 900,
  existing_session_detected: 0,
  ibkr_1100: 0,
  ibkr_1101: 0,
  ibkr_1102: 0,
  fatal: 0,
  severe: 0,
};

/** The clean checks, once as hand invocations (no Scheduler identity), once from before the new task. */
function scheduledRunsWithout(): RunRecord[] {
  const [a, b] = CLEAN_RUNS();
  const early = scheduledRun(
    post({ now: '2026-06-01T14:10:40Z', status: { generated_at: '2026-06-01T14:10:40Z' } }),
  );
  return [
    early,
    { ...a, trigger: { trigger: 'schedule:primary' } },
    { ...b, trigger: { trigger: 'schedule:fallback' } },
  ];
}

function judgeWithUnreadable() {
  const b = post() as unknown as ObservationBundle;
  return evaluateGate(
    {
      runtime: { service: 'aegis-pt-core', cluster: 'aegis-pt' },
      phase: 'post',
      bundle: b,
      output: detect(b, DEFAULT_CONFIG),
      config: DEFAULT_CONFIG,
      wallNowMs: Date.parse(b.now) + 30_000,
      baseline: pre() as unknown as ObservationBundle,
      runs: {
        records: CLEAN_RUNS(),
        unreadable: ['runs/2026/06/01/2026-06-01T14:12:20Z-schedule:fallback.json'],
        source: 'the test',
      },
    },
    GATE_CRITERIA.post,
  );
}

describe('present: a field absent or null is not reported, never a PASS', () => {
  // [name, observation, criterion that must be STOP]
  const ROWS: [string, () => Json, string][] = [
    [
      'the issue: most log signals absent',
      () => pre({ status: { log_signals: { existing_session_detected: 0 } } }),
      'IBKR log signals clean',
    ],
    [
      'the issue: a log window of 0 s',
      () => pre({ status: { log_signals: { ...LOG_SIGNALS, window_sec: 0 } } }),
      'IBKR log signals clean',
    ],
    [
      'the issue: cluster_tasks absent',
      () => withEcs(pre(), (e) => delete e.cluster_tasks),
      'no IBKR task outside the service',
    ],
    [
      'ibkr_1102 null',
      () => pre({ status: { log_signals: { ...LOG_SIGNALS, ibkr_1102: null } } }),
      'IBKR log signals clean',
    ],
    ['log_signals absent', () => pre({ drop: ['log_signals'] }), 'no session conflict'],
    ['market_data_status absent', () => pre({ drop: ['market_data_status'] }), 'market data ok'],
    ['market_data_status null', () => pre({ status: { market_data_status: null } }), 'market data ok'],
    [
      'max_exit_attempt_count null',
      () => pre({ status: { max_exit_attempt_count: null } }),
      'positions and trades reported',
    ],
    ['open_positions absent', () => pre({ drop: ['open_positions'] }), 'positions and trades reported'],
    ['recent_trades null', () => pre({ status: { recent_trades: null } }), 'positions and trades reported'],
    ['stuck_exits null', () => pre({ status: { stuck_exits: null } }), 'stuck_exits = 0'],
    [
      'pending_order_details absent',
      () => pre({ drop: ['pending_order_details'] }),
      'pending orders (0 preferred)',
    ],
    [
      'the proof without matched',
      () =>
        pre({
          status: {
            last_position_reconcile: {
              at: '2026-06-01T14:03:30Z',
              ok: true,
              internal_count: 8,
              broker_count: 8,
            },
          },
        }),
      'reconciliation OK',
    ],
    [
      'stopped_tasks not listed',
      () => withEcs(pre(), (e) => delete e.stopped_tasks),
      'exactly one AWS runtime task',
    ],
    ['a payload without generated_at', () => pre({ drop: ['generated_at'] }), 'stuck_exits = 0'],
    ['a wrong-typed stuck_exits', () => pre({ status: { stuck_exits: 'zero' } }), 'stuck_exits = 0'],
  ];
  it.each(ROWS)('STOP on %s', (_name, observation, name) => {
    const r = judge(observation());
    const c = r.criteria.find((x) => x.name === name);
    expect(c).toMatchObject({ outcome: 'fail', seen: expect.stringMatching(/^no evidence: |window_sec=0/) });
    expect(r.verdict).toBe('stop');
  });

  it('the complete healthy bundle is GO, every criterion on its own evidence', () => {
    const r = judge(pre());
    expect(failing(r)).toEqual([]);
    expect(warning(r)).toEqual([]);
    expect(r.verdict).toBe('go');
    expect(r.criteria.map((c) => c.seen).join('\n')).not.toContain('no evidence');
  });
});

describe('fresh: evidence as old as the payload, and proofs newer than the task and the last close', () => {
  it('the issue: STOP on a payload generated an hour before the observation', () => {
    const r = judge(pre({ status: { generated_at: '2026-06-01T13:05:00Z' } }));
    expect(failing(r)).toContain('stuck_exits = 0');
    expect(r.criteria.find((c) => c.name === 'stuck_exits = 0')?.seen).toMatch(
      /3600s before the observation/,
    );
  });

  it.each([
    ['301 s before', '2026-06-01T13:59:59Z', 'stop'],
    ['300 s before', '2026-06-01T14:00:00Z', 'go'],
    ['31 s after (its future)', '2026-06-01T14:05:31Z', 'stop'],
  ])('a payload generated %s the observation', (_name, generated_at, verdict) => {
    expect(judge(pre({ status: { generated_at } })).verdict).toBe(verdict);
  });

  const proof = (at: string) => ({ at, ok: true, matched: 8, internal_count: 8, broker_count: 8 });
  it.each([
    [
      'the issue: a 3-day-old proof',
      pre({ status: { last_position_reconcile: proof('2026-05-29T14:03:30Z') } }),
      /older than the running task's start/,
    ],
    [
      'a proof from before the running task started',
      pre({ status: { last_position_reconcile: proof('2026-06-01T13:24:00Z') } }),
      /older than the running task's start/,
    ],
    [
      'after the close, the proof taken before the close (the task started days ago)',
      pre({
        now: '2026-06-01T20:30:00Z',
        task: { startedAt: '2026-05-28T13:00:00Z' },
        status: {
          generated_at: '2026-06-01T20:30:00Z',
          heartbeat_at: '2026-06-01T20:29:50Z',
          last_position_reconcile: proof('2026-06-01T19:55:00Z'),
        },
      }),
      /older than the last session close 2026-06-01T20:00:00Z/,
    ],
  ])('STOP on %s', (_name, observation, seen) => {
    const r = judge(observation);
    expect(r.criteria.find((c) => c.name === 'reconciliation OK')).toMatchObject({
      outcome: 'fail',
      seen: expect.stringMatching(seen),
    });
  });

  it('WAIT on a proof older than the reconciliation cadence in the session (a setting)', () => {
    const stale = pre({ status: { last_position_reconcile: proof('2026-06-01T13:45:00Z') } });
    expect(warning(judge(stale))).toEqual(['reconciliation OK']);
    expect(judge(stale, { env: { AEGIS_PT_GATE_RECONCILE_MAX_SEC: '1800' } }).verdict).toBe('go');
  });

  it('post: STOP on a payload generated before the new task started (the issue: before the deploy)', () => {
    for (const generated_at of ['2026-06-01T14:09:00Z', '2026-06-01T14:10:30Z']) {
      const r = judge(post({ now: '2026-06-01T14:14:00Z', status: { generated_at } }), { baseline: pre() });
      expect(r.criteria.find((c) => c.name === 'stuck_exits = 0')?.seen).toMatch(
        /not after the new task started/,
      );
      expect(r.verdict).toBe('stop');
    }
  });
});

describe('of this runtime: the configured service and cluster, on Fargate, tasks by full ARN', () => {
  const STAGING = 'arn:aws:ecs:ap-northeast-1:123456789012:service/aegis-staging/aegis-pt-core';
  it.each([
    [
      'the issue: another service',
      pre({ service: { serviceName: 'aegis-pt-canary' } }),
      /service aegis-pt-canary, not the configured aegis-pt-core/,
    ],
    [
      'the issue: another cluster',
      pre({
        service: {
          clusterArn: 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/aegis-staging',
          serviceArn: STAGING,
        },
      }),
      /cluster aegis-staging, not the configured aegis-pt/,
    ],
    ['the issue: an EC2 task', pre({ task: { launchType: 'EC2' } }), /not on Fargate: \S+ EC2/],
    [
      'a task whose launch type is not reported',
      pre({ task: { launchType: undefined } }),
      /launch type not reported/,
    ],
  ])('STOP on %s', (_name, observation, seen) => {
    const r = judge(observation);
    expect(r.criteria.find((c) => c.name === 'exactly one AWS runtime task')).toMatchObject({
      outcome: 'fail',
      seen: expect.stringMatching(seen),
    });
    expect(r.verdict).toBe('stop');
  });

  it('STOP when the cluster is not configured: nothing can be shown to be of this runtime', () => {
    const r = judge(pre(), { env: { AEGIS_PT_CLUSTER: '' } });
    expect(r.criteria.find((c) => c.name === 'exactly one AWS runtime task')?.seen).toMatch(
      /cluster is not configured \(AEGIS_PT_CLUSTER\)/,
    );
    expect(r.verdict).toBe('stop');
  });

  it('a configured service name is the one judged (AEGIS_PT_SERVICE)', () => {
    expect(judge(pre(), { env: { AEGIS_PT_SERVICE: 'aegis-pt-canary' } }).verdict).toBe('stop');
  });

  it('a heartbeat naming the task by id alone is not the full ARN of the running task', () => {
    const r = judge(pre({ status: { runtime_task_arn: TASK_ARN.split('/').pop() } }));
    expect(failing(r)).toContain('heartbeat from the running task');
  });

  it('the issue: post STOP against a staging baseline', () => {
    const staging = pre({
      service: {
        serviceArn: STAGING,
        clusterArn: 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/aegis-staging',
      },
    });
    const r = judge(post(), { baseline: staging });
    expect(failing(r)).toEqual(
      expect.arrayContaining(['same runtime as the baseline', 'the baseline was GO']),
    );
  });
});

describe('over the rollout: post judges the deploy as a transition', () => {
  it('the issue: STOP after a deploy made on a baseline with an exit order working, a stuck exit and an unknown fill', () => {
    const base = pre({
      status: {
        stuck_exits: 1,
        unknown_fill: true,
        pending_orders: 1,
        pending_order_details: [
          { order_id: '9', symbol: 'NVDA', purpose: 'exit', submitted_at: '2026-06-01T14:04:00Z' },
        ],
      },
    });
    const r = judge(post(), { baseline: base });
    expect(failing(r)).toEqual(['the baseline was GO']);
    const seen = r.criteria.find((c) => c.name === 'the baseline was GO')?.seen ?? '';
    expect(seen).toMatch(/^pre said STOP at 2026-06-01T14:05:00Z: /);
    for (const what of ['stuck_exits = 0', 'no unknown_fill', 'exit order working'])
      expect(seen).toContain(what);
  });

  it('STOP after a deploy made on a baseline that was only WAIT (one entry order)', () => {
    const base = pre({
      status: {
        pending_orders: 1,
        pending_order_details: [
          { order_id: '1', symbol: 'X', purpose: 'entry', submitted_at: '2026-06-01T14:04:00Z' },
        ],
      },
    });
    expect(failing(judge(post(), { baseline: base }))).toEqual(['the baseline was GO']);
  });

  it('the issue: WAIT without run records after a market-hours deploy, saying how to get them', () => {
    const r = judge(post(), { baseline: pre(), runs: null });
    expect(r.verdict).toBe('wait');
    expect(warning(r)).toEqual([
      '2 clean scheduled checks after the deploy',
      'nothing appeared during the rollout',
    ]);
    expect(r.criteria.find((c) => c.name.startsWith('2 clean'))?.seen).toMatch(
      /--runs-dir DIR, --bucket B or --stack S, or --watch/,
    );
    expect(r.note).toMatch(/^WAIT: the deploy is not accepted yet/);
  });

  it('WAIT when the checks after the deploy are hand invocations or from before the new task started', () => {
    const hand = scheduledRunsWithout();
    expect(warning(judge(post(), { baseline: pre(), runs: hand }))).toEqual([
      '2 clean scheduled checks after the deploy',
    ]);
  });

  const during = (status: Json) =>
    scheduledRun(
      post({
        now: '2026-06-01T14:15:20Z',
        status: { generated_at: '2026-06-01T14:15:20Z', heartbeat_at: '2026-06-01T14:15:10Z', ...status },
      }),
    );
  it.each([
    [
      'the issue: a broker import that appeared and went away',
      { open_positions: [{ symbol: 'COIN', qty: 3, tags: ['Broker'], exit_attempt_count: 0 }] },
      /14:15:20Z schedule:primary: new broker import COIN qty=3 \[broker\]/,
    ],
    ['an unknown fill that came and went', { unknown_fill: true }, /unknown fill/],
    [
      'a second identical import beside one that was there before',
      {
        open_positions: [
          { symbol: 'NVDA', qty: 12, tags: ['strategy:momo'], exit_attempt_count: 0 },
          { symbol: 'NVDA', qty: 12, tags: ['strategy:momo'], exit_attempt_count: 0 },
          { symbol: 'AAPL', qty: 20, tags: ['reconcile-import-1'], exit_attempt_count: 0 },
        ],
      },
      /new broker import AAPL qty=20/,
    ],
  ])('STOP on %s during the rollout', (_name, status, seen) => {
    const r = judge(post(), { baseline: pre(), runs: [during(status), ...CLEAN_RUNS()] });
    expect(r.criteria.find((c) => c.name === 'nothing appeared during the rollout')).toMatchObject({
      outcome: 'fail',
      seen: expect.stringMatching(seen),
    });
    expect(r.note).toMatch(/^STOP: do not accept the deploy: roll back/);
  });

  it('STOP when a run record of the rollout cannot be read', () => {
    const r = judgeWithUnreadable();
    expect(r.criteria.find((c) => c.name === 'nothing appeared during the rollout')?.seen).toMatch(
      /1 unreadable run record/,
    );
  });

  it('WAIT, not STOP, while the new gateway is still UNKNOWN inside the startup grace', () => {
    const unknown = {
      containers: [
        { name: 'ibkr-gateway', lastStatus: 'RUNNING' },
        { name: 'lt-ibkr-trader', lastStatus: 'RUNNING' },
      ],
    };
    // Started 14:16:30, judged 14:20: 210 s into the 300 s grace.
    const inGrace = judge(post({ tasks: [newTask({ ...unknown, startedAt: '2026-06-01T14:16:30Z' })] }), {
      baseline: pre(),
    });
    expect(warning(inGrace)).toEqual(['containers as the golden signals say']);
    expect(inGrace.verdict).toBe('wait');
    // Started 14:11: 540 s, past the grace.
    const late = judge(post({ tasks: [newTask(unknown)] }), { baseline: pre() });
    expect(failing(late)).toContain('containers as the golden signals say');
  });

  it("post's words answer the post question, never 'do not deploy'", () => {
    for (const r of [
      judge(post(), { baseline: pre() }),
      judge(post(), { baseline: pre(), runs: null }),
      judge(pre(), { baseline: pre() }),
    ])
      expect(r.note).not.toMatch(/do not deploy/);
    expect(judge(post(), { baseline: pre() }).note).toMatch(/^GO: the deploy may be accepted/);
  });
});
