// Hostile payloads (contract 2.1): wide, deep, long. The detector never throws on a payload; a field
// over a limit is dashboard_invalid for that field, and every other field is still judged.
import fc from 'fast-check';
import { STATUS_LIMITS } from '../../lambda/detector/status-schema';
import { BadInputError, detect } from '../../lambda/detector/detect';
import { isDetectorOutput } from '../../lambda/detector/previous';
import { bundle, IN_SESSION } from '../helpers/bundle';

function nested(depth: number, leaf: unknown = 1, asObject = false): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = asObject ? { a: v } : [v];
  return v;
}

function codesOf(out: ReturnType<typeof detect>): string[] {
  return out.events.map((e) => e.code);
}

/** What every run must still do: judge the other fields (stuck_exits) and serialise its output. */
function expectJudged(out: ReturnType<typeof detect>): void {
  expect(codesOf(out)).toContain('stuck_exits');
  expect(isDetectorOutput(out)).toBe(true);
  expect(JSON.stringify(out).length).toBeLessThan(200_000);
}

describe('hostile payloads', () => {
  it('130,000 empty positions: the field is invalid, no RangeError, the rest is judged', () => {
    const positions = Array.from({ length: 130_000 }, () => ({}));
    const out = detect(bundle({ now: IN_SESSION, status: { open_positions: positions, stuck_exits: 1 } }));
    expectJudged(out);
    expect(out.events.find((e) => e.code === 'dashboard_invalid')?.details.fields).toEqual([
      'open_positions',
    ]);
  });

  it('positions up to the limit are judged (no spread of the array into Math.max)', () => {
    const positions = Array.from({ length: STATUS_LIMITS.maxItems }, (_, i) => ({
      symbol: `S${i}`,
      qty: 1,
      tags: [],
      exit_attempt_count: i === 7 ? 25 : 0,
    }));
    const out = detect(bundle({ now: IN_SESSION, status: { open_positions: positions, stuck_exits: 1 } }));
    expectJudged(out);
    expect(out.events.find((e) => e.code === 'high_exit_attempts')?.severity).toBe('critical');
  });

  it.each([
    [
      'a pnl nested 5,000 arrays deep',
      { recent_trades: [{ trade_id: 't1', pnl_unknown: false, pnl: nested(5000) }] },
    ],
    [
      'a pnl nested 5,000 objects deep',
      { recent_trades: [{ trade_id: 't1', pnl_unknown: false, pnl: nested(5000, 1, true) }] },
    ],
    ['a deep value in a typed field', { last_position_reconcile: nested(100_000, 1, true) }],
    ['a deep value as a tag', { open_positions: [{ symbol: 'X', tags: [nested(50_000)] }] }],
  ])('%s: judged, serialisable', (_name, changes) => {
    const out = detect(bundle({ now: IN_SESSION, status: { ...changes, stuck_exits: 1 } }));
    expectJudged(out);
  });

  it('a string over the limit makes that field invalid; ids and summaries stay bounded', () => {
    const long = 'x'.repeat(STATUS_LIMITS.maxText + 1);
    const out = detect(bundle({ now: IN_SESSION, status: { runtime_platform: long, stuck_exits: 1 } }));
    expectJudged(out);
    expect(out.events.find((e) => e.code === 'dashboard_invalid')?.details.fields).toEqual([
      'runtime_platform',
    ]);
  });

  it('thousands of long stale order ids: one bounded, stable signature and bounded details', () => {
    const orders = Array.from({ length: STATUS_LIMITS.maxItems }, (_, i) => ({
      order_id: `${'o'.repeat(1000)}-${i}`,
      symbol: 'COIN',
      purpose: 'entry',
      submitted_at: '2026-06-01T13:00:00Z',
    }));
    const b = bundle({
      now: IN_SESSION,
      status: { pending_order_details: orders, pending_orders: orders.length, stuck_exits: 1 },
    });
    const out = detect(b);
    expectJudged(out);
    const stale = out.events.find((e) => e.code === 'pending_order_stale');
    expect(stale?.signature.length).toBeLessThanOrEqual(400);
    expect(detect(b).events.find((e) => e.code === 'pending_order_stale')?.signature).toBe(stale?.signature);
    const shuffled = {
      ...b,
      status_v3: { ...(b.status_v3 as object), pending_order_details: [...orders].reverse() },
    };
    expect(detect(shuffled).events.find((e) => e.code === 'pending_order_stale')?.signature).toBe(
      stale?.signature,
    );
    const fewer = { ...b, status_v3: { ...(b.status_v3 as object), pending_order_details: orders.slice(1) } };
    expect(detect(fewer).events.find((e) => e.code === 'pending_order_stale')?.signature).not.toBe(
      stale?.signature,
    );
  });

  it('100,000 invalid elements record a bounded list of paths and their total', () => {
    const trades = Array.from({ length: 100_000 }, () => 1);
    const out = detect(bundle({ now: IN_SESSION, status: { recent_trades: trades, stuck_exits: 1 } }));
    expectJudged(out);
    // Over the item limit: the whole field is invalid, one path.
    expect(out.events.find((e) => e.code === 'dashboard_invalid')?.details.fields).toEqual(['recent_trades']);
    const within = detect(
      bundle({ now: IN_SESSION, status: { recent_trades: trades.slice(0, 1500), stuck_exits: 1 } }),
    );
    const inv = within.events.find((e) => e.code === 'dashboard_invalid');
    expect((inv?.details.fields as string[]).length).toBe(STATUS_LIMITS.maxIssues);
    expect(inv?.details.fields_total).toBe(1500);
    expect(inv?.summary).toContain('(1500 in all)');
  });

  it('a deep dashboard_error, a deep trigger and a deep previous never throw', () => {
    const b = bundle({ now: IN_SESSION });
    delete b.status_v3;
    const out = detect({
      ...b,
      dashboard_error: nested(10_000),
      trigger: { trigger: 'manual', x: nested(10_000) },
      previous: nested(10_000, 1, true),
    });
    expect(codesOf(out)).toContain('dashboard_unreachable');
    expect(out.info.map((i) => i.code)).toContain('previous_ignored');
    expect(() => JSON.stringify(out)).not.toThrow();
  });

  it.each(['9999-12-31T23:59:59-23:59', '0000-01-01T00:00:00+23:59', '1969-12-31T23:59:59Z'])(
    'rejects now=%s whose renderings would be malformed',
    (now) => {
      expect(() => detect({ ...bundle(), now })).toThrow(BadInputError);
    },
  );

  it('renders a well-formed checked_at at the end of the range', () => {
    const out = detect({ ...bundle(), now: '9999-12-30T23:59:59Z' });
    expect(out.checked_at).toBe('9999-12-30T23:59:59Z');
    for (const t of [out.clock.utc, out.clock.et, out.clock.jst])
      expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
  });
});

const FIELDS = [
  'open_positions',
  'recent_trades',
  'pending_order_details',
  'last_position_reconcile',
  'log_signals',
  'runtime_platform',
  'heartbeat_at',
];
const deep = fc
  .integer({ min: 1, max: 20_000 })
  .chain((d) => fc.constantFrom(nested(d), nested(d, 'x', true)));
const wide = fc.integer({ min: 0, max: 20_000 }).chain((n) =>
  fc.constantFrom<unknown>(
    Array.from({ length: n }, () => ({})),
    Array.from({ length: n }, () => ({ tags: ['broker'], exit_attempt_count: 30 })),
    Array.from({ length: n }, () => null),
  ),
);
const long = fc.integer({ min: 0, max: 300_000 }).map((n) => 'y'.repeat(n));
const hostile = fc.oneof(deep, wide, long, fc.jsonValue({ maxDepth: 6 }));

describe('hostile payload properties', () => {
  it('large, wide and deep values in any field: the run completes and still judges stuck_exits', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...FIELDS), hostile, { maxKeys: 3 }), (changes) => {
        const out = detect(bundle({ now: IN_SESSION, status: { ...changes, stuck_exits: 1 } }));
        expectJudged(out);
      }),
      { numRuns: 60 },
    );
  });

  it('names the limit a field broke, not "wrong-typed": items of an array, characters of a string', () => {
    const out = detect(
      bundle({
        now: IN_SESSION,
        status: {
          open_positions: Array.from({ length: 2001 }, () => ({ symbol: 'X', qty: 1 })),
          runtime_platform: 'x'.repeat(STATUS_LIMITS.maxText + 1),
          pending_orders: 'three',
          stuck_exits: 1,
        },
      }),
    );
    const invalid = out.events.find((e) => e.code === 'dashboard_invalid');
    expect(invalid?.summary).toBe(
      'invalid fields: runtime_platform (over the limit of 2,048 characters), pending_orders (wrong type), open_positions (over the limit of 2,000 items: 2,001)',
    );
    expect(invalid?.details).toMatchObject({
      fields: ['runtime_platform', 'pending_orders', 'open_positions'],
      reasons: {
        open_positions: 'over the limit of 2,000 items: 2,001',
        runtime_platform: 'over the limit of 2,048 characters',
      },
    });
  });

  it('a payload with only wrong types keeps saying wrong-typed', () => {
    const out = detect(bundle({ now: IN_SESSION, status: { pending_orders: 'three', stuck_exits: 1 } }));
    expect(out.events.find((e) => e.code === 'dashboard_invalid')?.summary).toBe(
      'wrong-typed fields: pending_orders',
    );
  });
});
