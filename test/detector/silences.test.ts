// Silences in the pure core: held back but evaluated, told when they end, the escalation guard, the
// deploy window's narrow dual_primary rule, and malformed silences that silence nothing.
import { renderEmail, renderMessage, renderSms } from '../../lambda/detector/messages';
import type { Silence } from '../../lambda/detector/silences';
import type { DetectorOutput } from '../../lambda/detector/types';
import { event, infoCodes, run, TASK_ARN } from '../helpers/bundle';

const at = (hhmm: string) => `2026-06-01T${hhmm}:00Z`;
const fresh = (now: string) => new Date(Date.parse(now) - 10_000).toISOString();

function silence(over: Partial<Silence> = {}): Silence {
  return {
    id: 's-1',
    codes: ['pending_order_buildup'],
    starts_at: at('14:00'),
    ends_at: at('15:00'),
    reason: 'broker maintenance',
    created_by: 'alice',
    created_at: at('14:00'),
    include_escalations: false,
    kind: 'manual',
    ...over,
  };
}

interface Step {
  now: string;
  status?: Record<string, unknown>;
  silences?: unknown;
  task?: Record<string, unknown>;
  stopped?: Record<string, unknown>[];
}

function chain(steps: Step[]): DetectorOutput[] {
  const outs: DetectorOutput[] = [];
  for (const s of steps) {
    outs.push(
      run({
        now: s.now,
        status: { heartbeat_at: fresh(s.now), pending_order_details: [], pending_orders: 0, ...s.status },
        task: s.task,
        ...(s.stopped ? { stopped: s.stopped } : {}),
        previous: outs.length ? outs[outs.length - 1] : null,
        top: s.silences === undefined ? {} : { silences: s.silences },
      }),
    );
  }
  return outs;
}

const buildup = { pending_orders: 2 };

describe('a silence', () => {
  it('holds a new event back but still evaluates, stores, counts and decides on it', () => {
    const [out] = chain([{ now: at('14:07'), status: buildup, silences: [silence()] }]);
    expect(out.new_events).toEqual([]);
    expect(event(out, 'pending_order_buildup')).toMatchObject({ silenced_by: 's-1', silence_held: true });
    expect(event(out, 'pending_order_buildup')?.notified_at).toBeUndefined();
    expect(out.signals.events_warn).toBe(1);
    expect(out.decision).toBe('notify');
    expect(out.silences).toEqual([
      expect.objectContaining({ id: 's-1', events: 1, by: 'alice', until: at('15:00') }),
    ]);
  });

  it('tells the still-open event as new once the silence has ended', () => {
    const outs = chain([
      { now: at('14:47'), status: buildup, silences: [silence()] },
      { now: at('14:57'), status: buildup, silences: [silence()] },
      { now: at('15:07'), status: buildup, silences: [silence()] },
    ]);
    expect(outs[1].new_events).toEqual([]);
    expect(outs[2].new_events.map((e) => e.code)).toEqual(['pending_order_buildup']);
    expect(event(outs[2], 'pending_order_buildup')).toMatchObject({
      first_seen_at: at('14:47'),
      consecutive: 3,
      notified_at: at('15:07'),
      notified_level: 'warn',
    });
    expect(event(outs[2], 'pending_order_buildup')?.silence_held).toBeUndefined();
    expect(outs[2].silences).toBeUndefined();
  });

  it('tells it when the silence is expired by hand (removal)', () => {
    const expired = silence({ expired_at: at('14:50'), expired_by: 'bob' });
    const outs = chain([
      { now: at('14:47'), status: buildup, silences: [silence()] },
      { now: at('14:52'), status: buildup, silences: [expired] },
    ]);
    expect(outs[0].new_events).toEqual([]);
    expect(outs[1].new_events.map((e) => e.code)).toEqual(['pending_order_buildup']);
  });

  it('never tells a condition that began and cleared inside the silence', () => {
    const outs = chain([
      { now: at('14:07'), status: buildup, silences: [silence()] },
      { now: at('14:12'), silences: [silence()] },
      { now: at('14:17'), silences: [silence({ ends_at: at('14:15') })] },
    ]);
    expect(outs[1].resolved_events).toEqual([]);
    expect(outs[2].new_events).toEqual([]);
  });

  it('holds a severity rise that falls due while silenced and tells it after', () => {
    const s = silence({ codes: ['high_exit_attempts'] });
    const outs = chain([
      { now: at('14:37'), status: { max_exit_attempt_count: 12 } },
      { now: at('14:47'), status: { max_exit_attempt_count: 20 }, silences: [s] },
      { now: at('14:57'), status: { max_exit_attempt_count: 20 }, silences: [s] },
      { now: at('15:07'), status: { max_exit_attempt_count: 20 } },
    ]);
    expect(outs[0].new_events).toHaveLength(1);
    expect(outs[1].new_events).toEqual([]);
    expect(event(outs[1], 'high_exit_attempts')).toMatchObject({ silence_held: true, severity: 'critical' });
    expect(outs[2].new_events).toEqual([]);
    expect(outs[3].new_events.map((e) => [e.code, e.severity])).toEqual([['high_exit_attempts', 'critical']]);
  });

  it('still tells the resolution of an event told before the silence', () => {
    const outs = chain([
      { now: at('13:57'), status: buildup },
      { now: at('14:07'), status: buildup, silences: [silence()] },
      { now: at('14:12'), silences: [silence()] },
    ]);
    expect(outs[1].new_events).toEqual([]);
    expect(outs[2].resolved_events.map((e) => e.code)).toEqual(['pending_order_buildup']);
  });

  it('does not start before starts_at and matches a signature when it names one', () => {
    const later = silence({ starts_at: at('14:30') });
    expect(chain([{ now: at('14:07'), status: buildup, silences: [later] }])[0].new_events).toHaveLength(1);
    const other = silence({ signature: 'pending_order_buildup:elsewhere' });
    expect(chain([{ now: at('14:07'), status: buildup, silences: [other] }])[0].new_events).toHaveLength(1);
    const same = silence({ signature: 'pending_order_buildup' });
    expect(chain([{ now: at('14:07'), status: buildup, silences: [same] }])[0].new_events).toEqual([]);
  });

  it('refuses malformed silences, naming each: they silence nothing', () => {
    const [out] = chain([
      { now: at('14:07'), status: buildup, silences: [{ id: 'x', codes: 'pending_order_buildup' }, 7] },
    ]);
    expect(out.new_events).toHaveLength(1);
    const refused = out.info.filter((i) => i.code === 'silence_refused');
    expect(refused.map((i) => i.summary)).toEqual([
      expect.stringMatching(/^silence x does not apply: not a silence \(codes: /),
      expect.stringMatching(/^silence #1 does not apply: not a silence \(number: /),
    ]);
    const [notList] = chain([{ now: at('14:07'), status: buildup, silences: { id: 'x' } }]);
    expect(notList.new_events).toHaveLength(1);
    expect(infoCodes(notList)).toContain('silences_ignored');
  });
});

describe('the escalation guard', () => {
  const stuck = { stuck_exits: 1 };
  it('does not hold an escalate:true event with a code-only silence', () => {
    const [out] = chain([
      { now: at('14:07'), status: stuck, silences: [silence({ codes: ['stuck_exits'] })] },
    ]);
    expect(out.new_events.map((e) => e.code)).toEqual(['stuck_exits']);
    expect(event(out, 'stuck_exits')?.silenced_by).toBeUndefined();
  });

  it('holds it when the silence includes escalations', () => {
    const s = silence({ codes: ['stuck_exits'], include_escalations: true });
    const [out] = chain([{ now: at('14:07'), status: stuck, silences: [s] }]);
    expect(out.new_events).toEqual([]);
    expect(out.decision).toBe('escalate');
  });

  it('lets a persisted escalation through once the event starts to escalate', () => {
    const s = silence({ codes: ['heartbeat_stale'] });
    const stale = { heartbeat_at: at('13:00') };
    const outs = chain([
      { now: at('14:07'), status: stale, silences: [s] },
      { now: at('14:12'), status: stale, silences: [s] },
    ]);
    expect(outs[0].new_events).toEqual([]);
    expect(outs[1].new_events.map((e) => [e.code, e.escalate])).toEqual([['heartbeat_stale', true]]);
  });
});

describe('a deploy window', () => {
  const window = silence({
    id: 'w-1',
    kind: 'deploy-window',
    codes: [
      'ecs_primary_count',
      'gateway_unhealthy',
      'trader_not_running',
      'dashboard_unreachable',
      'heartbeat_stale',
      'dual_primary',
    ],
    include_escalations: true,
  });
  const OLD = TASK_ARN.replace(/[0-9a-f]{32}$/, '0'.repeat(32));
  // The task the deploy replaced: ECS lists it among the service's stopped tasks.
  const stopped = [
    {
      taskArn: OLD,
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stoppedAt: at('14:03'),
      stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/2233445566)',
      group: 'service:aegis-pt-core',
    },
  ];

  it('holds a heartbeat that still names the replaced task', () => {
    const [out] = chain([
      { now: at('14:07'), status: { runtime_task_arn: OLD }, stopped, silences: [window] },
    ]);
    expect(event(out, 'dual_primary')).toMatchObject({ silenced_by: 'w-1', escalate: true });
    expect(out.new_events).toEqual([]);
  });

  it('does not hold a heartbeat naming a task that is no task of the service', () => {
    const other = OLD.replace('/aegis-pt/', '/other-cluster/');
    for (const runtime of [other, TASK_ARN.replace(/[0-9a-f]{32}$/, '1'.repeat(32))]) {
      const [out] = chain([
        { now: at('14:07'), status: { runtime_task_arn: runtime }, stopped, silences: [window] },
      ]);
      expect(out.new_events.map((e) => e.code)).toEqual(['dual_primary']);
      expect(event(out, 'dual_primary')?.silenced_by).toBeUndefined();
    }
  });

  it('does not hold a Synology container or another platform', () => {
    const [syn] = chain([
      {
        now: at('14:07'),
        status: { runtime_task_arn: OLD, synology_ibkr_containers_running: 1 },
        silences: [window],
      },
    ]);
    expect(syn.new_events.map((e) => e.code)).toEqual(['dual_primary']);
    const [plat] = chain([
      { now: at('14:07'), status: { runtime_platform: 'synology' }, silences: [window] },
    ]);
    expect(plat.new_events.map((e) => e.code)).toEqual(['dual_primary']);
  });

  it('does not hold what a deploy does not cause: a stuck exit still pages', () => {
    const [out] = chain([{ now: at('14:07'), status: { stuck_exits: 1 }, silences: [window] }]);
    expect(out.new_events.map((e) => e.code)).toEqual(['stuck_exits']);
    expect(renderMessage(out).page_level).toBe('escalate');
  });
});

describe('what a notification says while silences are active', () => {
  it('one line in the email, a count in the SMS', () => {
    const s = silence({ codes: ['pending_order_buildup'] });
    const [out] = chain([{ now: at('14:07'), status: { ...buildup, stuck_exits: 1 }, silences: [s] }]);
    const email = renderEmail(out);
    const lines = email.split('\n').filter((l) => l.startsWith('Silenced:'));
    expect(lines).toEqual([
      'Silenced: 1 open event(s) held back by 1 active silence(s): silence s-1 until 11:00 ET by alice: broker maintenance',
    ]);
    expect(email).toContain('[WARN, SILENCED by s-1] pending_order_buildup');
    expect(renderSms(out)).toMatch(/\(1 silenced\)$/);
    const chat = JSON.parse(renderMessage(out).chat);
    expect(chat.content.description).toContain('Silenced: 1 open event(s)');
  });
});
