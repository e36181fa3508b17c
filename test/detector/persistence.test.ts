// Persistence over time (contract 4): "persisted" is two consecutive runs AND at least
// AEGIS_PT_PERSIST_MIN_SEC (default 240) since first_seen_at, so a one-minute cadence or an ECS-event
// run seconds after a scheduled one neither escalates nor raises a severity sooner.
import fc from 'fast-check';
import { ConfigError, parseDetectorConfig } from '../../lambda/detector/config';
import { detect } from '../../lambda/detector/detect';
import type { DetectorOutput } from '../../lambda/detector/types';
import { bundle, event, type BundleChanges } from '../helpers/bundle';

const T0 = Date.parse('2026-06-01T15:00:20Z'); // 11:00:20 ET, in the session, past the open grace
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const fresh = (ms: number) => iso(ms - 10_000);

type Condition = (nowMs: number) => BundleChanges & { dashboardError?: string };

/** Every catalog row whose severity or escalation reads "persisted", with how to raise it. */
const PERSISTED: readonly {
  code: string;
  raise: Condition;
  /** What "persisted" changes for this code. */
  change: 'escalate' | 'critical';
}[] = [
  { code: 'pending_exits', raise: () => ({ status: { pending_exits: 1 } }), change: 'critical' },
  { code: 'pending_order_buildup', raise: () => ({ status: { pending_orders: 3 } }), change: 'escalate' },
  {
    code: 'reconcile_pending',
    raise: () => ({ status: { position_reconcile_pending: true } }),
    change: 'escalate',
  },
  {
    code: 'heartbeat_stale',
    raise: () => ({ status: { heartbeat_at: '2026-06-01T14:00:00Z' } }),
    change: 'escalate',
  },
  { code: 'ecs_primary_count', raise: () => ({ service: { pendingCount: 1 } }), change: 'escalate' },
  {
    code: 'dashboard_unreachable',
    raise: () => ({ dashboardError: 'timeout after 5000ms' }),
    change: 'escalate',
  },
];

function runAt(
  nowMs: number,
  condition: Condition,
  previous: DetectorOutput | null,
  config?: Record<string, unknown>,
): DetectorOutput {
  const { dashboardError, ...changes } = condition(nowMs);
  const b = bundle({
    ...changes,
    now: iso(nowMs),
    status: { heartbeat_at: fresh(nowMs), ...changes.status },
    previous,
    ...(config ? { config } : {}),
  });
  if (dashboardError !== undefined) {
    delete b.status_v3;
    b.dashboard_error = dashboardError;
  }
  return detect(b);
}

/** Runs at T0 + each offset (seconds), each chained on the one before. */
function chain(offsetsSec: readonly number[], condition: Condition, config?: Record<string, unknown>) {
  const outs: DetectorOutput[] = [];
  for (const s of offsetsSec) outs.push(runAt(T0 + s * 1000, condition, outs.at(-1) ?? null, config));
  return outs;
}

const persistedState = (out: DetectorOutput, code: string, change: 'escalate' | 'critical') => {
  const e = event(out, code);
  if (!e) throw new Error(`${code} not raised at ${out.checked_at}`);
  return change === 'escalate' ? e.escalate : e.severity === 'critical';
};

describe('one-minute chains', () => {
  it.each(PERSISTED)(
    '$code: persists at 240 s, not at the second run a minute in',
    ({ code, raise, change }) => {
      const outs = chain([0, 60, 120, 180, 240, 300], raise);
      expect(outs.map((o) => event(o, code)?.consecutive)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(outs.map((o) => persistedState(o, code, change))).toEqual([
        false,
        false,
        false,
        false,
        true,
        true,
      ]);
      // Told when it appears, told again exactly once when it persists, then quiet.
      expect(outs.map((o) => o.new_events.some((e) => e.code === code))).toEqual([
        true,
        false,
        false,
        false,
        true,
        false,
      ]);
      expect(event(outs[4], code)?.first_seen_at).toBe(iso(T0));
    },
  );

  it('takes as long as two runs five minutes apart did: the 5-minute chain persists at its second run', () => {
    for (const { code, raise, change } of PERSISTED) {
      const [, second] = chain([0, 300], raise);
      expect([code, persistedState(second, code, change)]).toEqual([code, true]);
    }
  });

  it('is at least PERSIST_MIN_SEC, not more than it: 239 s is not persisted, 240 s is', () => {
    const raise: Condition = () => ({ status: { pending_exits: 1 } });
    expect(event(chain([0, 239], raise)[1], 'pending_exits')?.severity).toBe('warn');
    expect(event(chain([0, 240], raise)[1], 'pending_exits')?.severity).toBe('critical');
  });
});

describe('an ECS-event run seconds after a scheduled one', () => {
  it('does not escalate or raise a severity: the next scheduled run past 240 s does', () => {
    const stopped: Condition = () => ({ service: { runningCount: 0, pendingCount: 1 } });
    // 11:00:20 scheduled, 11:00:50 the ECS event, then one-minute scheduled runs.
    const outs = chain([0, 30, 60, 120, 180, 240], stopped);
    expect(outs.map((o) => event(o, 'ecs_primary_count')?.consecutive)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(outs.map((o) => event(o, 'ecs_primary_count')?.escalate)).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
    expect(outs.map((o) => o.decision)).toEqual([
      'notify',
      'notify',
      'notify',
      'notify',
      'notify',
      'escalate',
    ]);
  });

  it('at the old interleave too: scheduled, event 30 s later, the other schedule 5 minutes on', () => {
    const pending: Condition = () => ({ status: { pending_exits: 1 } });
    const outs = chain([0, 30, 300], pending);
    expect(outs.map((o) => event(o, 'pending_exits')?.severity)).toEqual(['warn', 'warn', 'critical']);
  });
});

describe('first seen carried over', () => {
  it('measures from the first run that saw it, whatever ran in between', () => {
    const outs = chain([0, 45, 50, 130, 200, 250], () => ({ status: { position_reconcile_pending: true } }));
    expect(outs.map((o) => event(o, 'reconcile_pending')?.first_seen_at)).toEqual(Array(6).fill(iso(T0)));
    expect(outs.map((o) => event(o, 'reconcile_pending')?.escalate)).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
  });

  it('starts again after a monitor gap: the old first_seen_at no longer counts', () => {
    const raise: Condition = () => ({ status: { pending_exits: 1 } });
    const [, , afterGap, next] = chain([0, 240, 240 + 901, 240 + 961], raise);
    expect(event(afterGap, 'pending_exits')).toMatchObject({
      consecutive: 1,
      severity: 'warn',
      first_seen_at: iso(T0 + (240 + 901) * 1000),
    });
    expect(event(next, 'pending_exits')).toMatchObject({ consecutive: 2, severity: 'warn' });
  });

  it('starts again when the condition clears for one run', () => {
    const raise: Condition = (ms) => (ms === T0 + 120_000 ? {} : { status: { pending_exits: 1 } });
    const outs = chain([0, 60, 120, 180, 240, 300, 420], raise);
    expect(outs.map((o) => event(o, 'pending_exits')?.severity ?? '-')).toEqual([
      'warn',
      'warn',
      '-',
      'warn',
      'warn',
      'warn',
      'critical',
    ]);
  });

  it('re-running one observation never invents persistence, even once 240 s have passed', () => {
    const raise: Condition = () => ({ status: { pending_exits: 1 } });
    const first = runAt(T0, raise, null);
    const again = runAt(T0, raise, first);
    expect(event(again, 'pending_exits')).toMatchObject({ consecutive: 1, severity: 'warn' });
  });

  it('a first_seen_at that does not parse, or lies after the run that saw it, counts from that run', () => {
    const raise: Condition = () => ({ status: { position_reconcile_pending: true } });
    const first = runAt(T0, raise, null);
    const tamper = (value: string): DetectorOutput => ({
      ...first,
      events: first.events.map((e) => ({ ...e, first_seen_at: value })),
    });
    for (const bad of ['not a time', '2099-01-01T00:00:00Z']) {
      expect(event(runAt(T0 + 239_000, raise, tamper(bad)), 'reconcile_pending')?.escalate).toBe(false);
      expect(event(runAt(T0 + 240_000, raise, tamper(bad)), 'reconcile_pending')?.escalate).toBe(true);
    }
  });

  it('holds for any cadence: persisted exactly from the first run >= 240 s after the first, never sooner', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 12 }), (gaps) => {
        const offsets = gaps.reduce<number[]>((acc, g) => [...acc, acc.at(-1)! + g], [0]);
        const outs = chain(offsets, () => ({ status: { pending_exits: 1 } }));
        outs.forEach((o, i) => {
          expect(event(o, 'pending_exits')?.first_seen_at).toBe(iso(T0));
          expect(event(o, 'pending_exits')?.severity).toBe(i >= 1 && offsets[i] >= 240 ? 'critical' : 'warn');
        });
      }),
      { numRuns: 60 },
    );
  });
});

describe('AEGIS_PT_PERSIST_MIN_SEC', () => {
  it('defaults to 240 and is read from the environment and a bundle config (which wins)', () => {
    expect(parseDetectorConfig({}).persistMinSec).toBe(240);
    expect(parseDetectorConfig({ AEGIS_PT_PERSIST_MIN_SEC: '600' }).persistMinSec).toBe(600);
    expect(
      parseDetectorConfig({ AEGIS_PT_PERSIST_MIN_SEC: '600' }, { AEGIS_PT_PERSIST_MIN_SEC: 60 })
        .persistMinSec,
    ).toBe(60);
  });

  it('0 is the count alone: two consecutive runs, however close', () => {
    const outs = chain([0, 30], () => ({ status: { pending_exits: 1 } }), { AEGIS_PT_PERSIST_MIN_SEC: 0 });
    expect(event(outs[1], 'pending_exits')?.severity).toBe('critical');
  });

  it('a longer setting waits longer', () => {
    const outs = chain([0, 300, 600], () => ({ status: { stuck_exits: 1, pending_exits: 1 } }), {
      AEGIS_PT_PERSIST_MIN_SEC: 600,
    });
    expect(outs.map((o) => event(o, 'pending_exits')?.severity)).toEqual(['warn', 'warn', 'critical']);
  });

  it.each(['', 'abc', '-1', '1.5', '4m', 2.5, true, null])('rejects %j naming the variable', (value) => {
    expect(() => parseDetectorConfig({ AEGIS_PT_PERSIST_MIN_SEC: value })).toThrow(ConfigError);
    expect(() => parseDetectorConfig({ AEGIS_PT_PERSIST_MIN_SEC: value })).toThrow(
      'AEGIS_PT_PERSIST_MIN_SEC',
    );
  });

  it('a bad value in a bundle config is bad input naming the variable', () => {
    expect(() => detect(bundle({ now: iso(T0), config: { AEGIS_PT_PERSIST_MIN_SEC: -5 } }))).toThrow(
      'AEGIS_PT_PERSIST_MIN_SEC',
    );
  });
});
