// Review of issue #21's "fresh": the limits are in seconds, the times in milliseconds. An age counted in
// whole seconds (rounded down) let evidence up to 999 ms past a limit pass: a payload generated 300.9 s
// before the observation is older than 300 s, an observation 300.9 s old is too, and a reconciliation
// proof 900.9 s old in the session is older than 900 s; an entry order 600.9 s old is past normal age
// (as the detector's pending_order_stale counts it). At the limit exactly, each still counts.
import { judge, pre } from './gate-fixtures';

const NOW = Date.parse('2026-06-01T14:05:00Z');
const before = (ms: number) => new Date(NOW - ms).toISOString();
const outcome = (r: ReturnType<typeof judge>, name: string) =>
  r.criteria.find((c) => c.name === name)?.outcome;

describe('gate: evidence just past a freshness limit is past it', () => {
  it.each([1, 500, 999])(
    'payload generated 300 s + %i ms before the observation: no evidence (STOP)',
    (ms) => {
      const r = judge(pre({ status: { generated_at: before(300_000 + ms) } }));
      expect(outcome(r, 'pending_exits = 0')).toBe('fail');
      expect(r.criteria.find((c) => c.name === 'stuck_exits = 0')?.seen).toMatch(
        /before the observation \(limit 300s\)/,
      );
      expect(r.verdict).toBe('stop');
    },
  );

  it('payload generated exactly 300 s before the observation: not older than the limit (GO)', () => {
    expect(judge(pre({ status: { generated_at: before(300_000) } })).verdict).toBe('go');
  });

  it.each([1, 500, 999])('observation 300 s + %i ms old: not current (STOP)', (ms) => {
    const r = judge(pre(), { wall: new Date(NOW + 300_000 + ms).toISOString() });
    expect(outcome(r, 'observation is current')).toBe('fail');
    expect(r.verdict).toBe('stop');
  });

  it('observation exactly 300 s old: current (GO)', () => {
    expect(judge(pre(), { wall: new Date(NOW + 300_000).toISOString() }).verdict).toBe('go');
  });

  const proof = (at: string) => ({
    last_position_reconcile: { at, ok: true, matched: 8, internal_count: 8, broker_count: 8 },
  });
  it.each([1, 500, 999])('reconciliation proof 900 s + %i ms old in the session: WAIT', (ms) => {
    const r = judge(pre({ status: proof(before(900_000 + ms)) }));
    expect(outcome(r, 'reconciliation OK')).toBe('warn');
    expect(r.verdict).toBe('wait');
  });

  it('reconciliation proof exactly 900 s old in the session: GO', () => {
    expect(judge(pre({ status: proof(before(900_000)) })).verdict).toBe('go');
  });

  const order = (submitted_at: string) => ({
    pending_orders: 1,
    pending_order_details: [{ order_id: '4711', symbol: 'COIN', purpose: 'entry', submitted_at }],
  });
  it.each([1, 500, 999])('one entry order 600 s + %i ms old: past normal age (STOP, not WAIT)', (ms) => {
    const r = judge(pre({ status: order(before(600_000 + ms)) }));
    expect(outcome(r, 'pending orders (0 preferred)')).toBe('fail');
    expect(r.verdict).toBe('stop');
  });

  it('one entry order exactly 600 s old: normal age (WAIT)', () => {
    const r = judge(pre({ status: order(before(600_000)) }));
    expect(outcome(r, 'pending orders (0 preferred)')).toBe('warn');
    expect(r.verdict).toBe('wait');
  });
});
