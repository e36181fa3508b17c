import { detect } from '../../lambda/detector/detect';
import type { DetectorOutput } from '../../lambda/detector/types';
import { bundle, codes, event, infoCodes, run, type BundleChanges } from '../helpers/bundle';

const at = (hhmm: string) => `2026-06-01T${hhmm}:00Z`;
/** A healthy heartbeat 10 s before `now`, so only the condition under test is raised. */
const fresh = (now: string) => new Date(Date.parse(now) - 10_000).toISOString();

function chain(
  steps: { now: string; status?: Record<string, unknown>; config?: Record<string, unknown> }[],
): DetectorOutput[] {
  const outs: DetectorOutput[] = [];
  for (const step of steps) {
    const changes: BundleChanges = {
      now: step.now,
      status: { heartbeat_at: fresh(step.now), pending_order_details: [], pending_orders: 0, ...step.status },
      config: step.config,
      previous: outs.length > 0 ? outs[outs.length - 1] : null,
    };
    outs.push(run(changes));
  }
  return outs;
}

describe('dedup across chained runs', () => {
  it('notifies a condition once across two and three runs, counting consecutive', () => {
    const [a, b, c] = chain([
      { now: at('14:07'), status: { pending_orders: 2 } },
      { now: at('14:12'), status: { pending_orders: 2 } },
      { now: at('14:17'), status: { pending_orders: 2 } },
    ]);
    expect(a.new_events.map((e) => e.code)).toEqual(['pending_order_buildup']);
    expect(b.new_events).toEqual([]);
    expect(c.new_events).toEqual([]);
    expect(event(c, 'pending_order_buildup')).toMatchObject({
      consecutive: 3,
      first_seen_at: at('14:07'),
      notified_at: at('14:07'),
    });
    expect(c.decision).toBe('notify');
  });

  it('keeps one signature while volatile values drift (counts, ages)', () => {
    const [, b] = chain([
      { now: at('14:07'), status: { max_exit_attempt_count: 12 } },
      { now: at('14:12'), status: { max_exit_attempt_count: 15 } },
    ]);
    expect(b.new_events).toEqual([]);
    expect(event(b, 'high_exit_attempts')?.summary).toContain('15');
  });

  it('notifies a severity rise but not a fall', () => {
    const [, rise, fall] = chain([
      { now: at('14:07'), status: { pending_orders: 2 } },
      { now: at('14:12'), status: { pending_orders: 3 } },
      { now: at('14:17'), status: { pending_orders: 2 } },
    ]);
    expect(rise.new_events.map((e) => [e.code, e.severity])).toEqual([['pending_order_buildup', 'critical']]);
    expect(event(rise, 'pending_order_buildup')?.notified_at).toBe(at('14:12'));
    expect(fall.new_events).toEqual([]);
    expect(event(fall, 'pending_order_buildup')).toMatchObject({
      severity: 'warn',
      notified_at: at('14:12'),
    });
  });

  it('treats a different discriminator as a new condition', () => {
    const trade = (id: string) => ({
      trade_id: id,
      symbol: 'X',
      closed_at: at('14:00'),
      pnl: null,
      pnl_unknown: true,
    });
    const [, b] = chain([
      { now: at('14:07'), status: { recent_trades: [trade('a')] } },
      { now: at('14:12'), status: { recent_trades: [trade('a'), trade('b')] } },
    ]);
    expect(b.new_events.map((e) => e.signature)).toEqual(['pnl_unknown_trades:a,b']);
    expect(b.resolved_events.map((e) => e.signature)).toEqual(['pnl_unknown_trades:a']);
  });
});

describe('resolution', () => {
  it('reports events of previous that are gone and had been notified', () => {
    const [, b] = chain([
      { now: at('14:07'), status: { stuck_exits: 1 } },
      { now: at('14:12'), status: { stuck_exits: 0 } },
    ]);
    expect(b.events).toEqual([]);
    expect(b.resolved_events).toHaveLength(1);
    expect(b.resolved_events[0]).toMatchObject({
      code: 'stuck_exits',
      resolved_at: at('14:12'),
      notified_at: at('14:07'),
    });
    expect(b.decision).toBe('observe');
  });

  it('does not resolve again on the run after', () => {
    const [, , c] = chain([
      { now: at('14:07'), status: { stuck_exits: 1 } },
      { now: at('14:12') },
      { now: at('14:17') },
    ]);
    expect(c.resolved_events).toEqual([]);
  });
});

describe('persistence and the max-gap rule', () => {
  it('counts a previous at most 900 s old as the previous run', () => {
    const [, b] = chain([
      { now: at('14:00'), status: { pending_exits: 1 } },
      { now: at('14:15'), status: { pending_exits: 1 } },
    ]);
    expect(event(b, 'pending_exits')).toMatchObject({ consecutive: 2, severity: 'critical' });
  });

  it('after a longer gap every event is new again, resolution still works, and monitor_gap is raised', () => {
    const [a, b] = chain([
      { now: at('14:00'), status: { pending_exits: 1, stuck_exits: 1 } },
      { now: '2026-06-01T14:15:01Z', status: { pending_exits: 1 } },
    ]);
    expect(a.new_events).toHaveLength(2);
    expect(event(b, 'pending_exits')).toMatchObject({
      consecutive: 1,
      severity: 'warn',
      first_seen_at: '2026-06-01T14:15:01Z',
    });
    expect(b.new_events.map((e) => e.code).sort()).toEqual(['monitor_gap', 'pending_exits']);
    expect(b.resolved_events.map((e) => e.code)).toEqual(['stuck_exits']);
    expect(event(b, 'monitor_gap')?.details).toMatchObject({ gap_sec: 901 });
  });

  it('raises monitor_gap only in the session', () => {
    // With the post-close proof in place, so the only rule that could speak is monitor_gap.
    const proof = { at: '2026-06-01T20:10:00Z', ok: true, matched: 8, internal_count: 8, broker_count: 8 };
    const [, b] = chain([
      { now: '2026-06-01T20:00:00Z' },
      { now: '2026-06-01T21:00:00Z', status: { last_position_reconcile: proof } },
    ]);
    expect(codes(b)).toEqual([]);
  });

  it('follows PERSIST_MAX_GAP_SEC', () => {
    const [, b] = chain([
      { now: at('14:00'), status: { stuck_exits: 1 } },
      { now: at('14:10'), status: { stuck_exits: 1 }, config: { AEGIS_PT_PERSIST_MAX_GAP_SEC: 300 } },
    ]);
    expect(codes(b)).toEqual(['monitor_gap', 'stuck_exits']);
    expect(event(b, 'stuck_exits')?.consecutive).toBe(1);
  });
});

describe('escalation and re-notification', () => {
  it('notifies again when escalate becomes true', () => {
    const [a, b, c] = chain([
      { now: at('14:00'), status: { broker_reconcile_pending: true } },
      { now: at('14:05'), status: { broker_reconcile_pending: true } },
      { now: at('14:10'), status: { broker_reconcile_pending: true } },
    ]);
    expect(a.decision).toBe('notify');
    expect(b.new_events.map((e) => [e.code, e.escalate])).toEqual([['reconcile_pending', true]]);
    expect(b.decision).toBe('escalate');
    expect(c.new_events).toEqual([]);
  });

  it('never re-notifies an open critical by default', () => {
    const outs = chain(
      ['14:00', '14:10', '14:20', '14:30'].map((t) => ({
        now: at(t),
        status: { send_outcome_unknown: true },
      })),
    );
    expect(outs.map((o) => o.new_events.length)).toEqual([1, 0, 0, 0]);
  });

  it('re-notifies a critical once its notified_at is RENOTIFY_CRITICAL_SEC old', () => {
    const config = { AEGIS_PT_RENOTIFY_CRITICAL_SEC: 1200 };
    const outs = chain(
      ['14:00', '14:10', '14:20', '14:30', '14:40'].map((t) => ({
        now: at(t),
        status: { send_outcome_unknown: true },
        config,
      })),
    );
    expect(outs.map((o) => o.new_events.length)).toEqual([1, 0, 1, 0, 1]);
    expect(event(outs[2], 'send_outcome_unknown')?.notified_at).toBe(at('14:20'));
  });

  it('does not re-notify warnings', () => {
    const config = { AEGIS_PT_RENOTIFY_CRITICAL_SEC: 60 };
    const outs = chain(
      ['14:00', '14:10'].map((t) => ({ now: at(t), status: { pending_orders: 2 }, config })),
    );
    expect(outs[1].new_events).toEqual([]);
  });
});

describe('the previous output', () => {
  it('ignores a previous that is not a detector output, with an info item', () => {
    for (const previous of [
      'junk',
      42,
      { schema: 'other' },
      { schema: 'aegis-pt-health/v1', checked_at: 'x', events: [] },
    ]) {
      const out = run({ previous, status: { stuck_exits: 1 } });
      expect(infoCodes(out)).toContain('previous_ignored');
      expect(out.new_events).toHaveLength(1);
    }
  });

  it('re-running the same observation is idempotent: no new events and no invented persistence', () => {
    const b = bundle({ status: { pending_exits: 1, broker_reconcile_pending: true } });
    const first = detect(b);
    const again = detect({ ...b, previous: first });
    expect(again.new_events).toEqual([]);
    expect(again.events.map((e) => [e.code, e.severity, e.consecutive, e.escalate])).toEqual(
      first.events.map((e) => [e.code, e.severity, e.consecutive, e.escalate]),
    );
  });
});

describe('decision', () => {
  it('is observe, notify or escalate with a one-line reason', () => {
    const observe = run();
    expect([observe.decision, observe.decision_reason]).toEqual([
      'observe',
      'no open events: keep observing',
    ]);
    const notify = run({ status: { pending_orders: 2 } });
    expect(notify.decision).toBe('notify');
    expect(notify.decision_reason).toBe('1 open event(s) (0 critical, 1 warn): pending_order_buildup');
    const escalate = run({ status: { stuck_exits: 1, pending_orders: 2 } });
    expect(escalate.decision).toBe('escalate');
    expect(escalate.decision_reason).toBe('stop and escalate: stuck_exits');
    for (const out of [observe, notify, escalate]) expect(out.decision_reason).not.toContain('\n');
  });
});
