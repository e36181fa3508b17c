// Conformance for post_close_reconcile_missing (contract section 5): the runbook's required post-close proof.
import { ConfigError } from '../../lambda/detector/config';
import { detect } from '../../lambda/detector/detect';
import type { DetectorOutput } from '../../lambda/detector/types';
import { bundle, codes, event, infoCodes, run, type BundleChanges } from '../helpers/bundle';

const CODE = 'post_close_reconcile_missing';
const proof = (at: string) => ({ at, ok: true, matched: 8, internal_count: 8, broker_count: 8 });
/** The healthy example's proof is dated 2026-06-01T14:03:30Z: in the session, before the close. */
const at = (now: string, changes: BundleChanges = {}) => run({ now, ...changes });

describe('post_close_reconcile_missing on a regular day (EDT, close 20:00Z)', () => {
  it('stays quiet inside the grace and at its very end, then raises a warn naming the session date', () => {
    expect(codes(at('2026-06-01T20:10:00Z'))).toEqual([]);
    expect(codes(at('2026-06-01T20:30:00Z'))).toEqual([]);
    const late = at('2026-06-01T20:30:01Z');
    expect(codes(late)).toEqual([CODE]);
    expect(event(late, CODE)).toMatchObject({
      severity: 'warn',
      escalate: false,
      signature: `${CODE}:2026-06-01`,
      details: {
        session_date: '2026-06-01',
        close: '2026-06-01T20:00:00Z',
        due_at: '2026-06-01T20:30:00.000Z',
      },
    });
    expect(late.decision).toBe('notify');
  });

  it('is resolved by a proof dated after the close, which is noted as info with its numbers', () => {
    const out = at('2026-06-01T21:00:00Z', {
      status: { last_position_reconcile: proof('2026-06-01T20:12:00Z') },
    });
    expect(codes(out)).toEqual([]);
    expect(infoCodes(out)).toContain('post_close_reconcile_seen');
    expect(out.info.find((i) => i.code === 'post_close_reconcile_seen')?.summary).toBe(
      'position reconciliation OK matched=8 internal_count=8 broker_count=8 at 2026-06-01T20:12:00Z',
    );
    // A proof exactly at the close counts: "before the close" is strict.
    expect(
      codes(
        at('2026-06-01T21:00:00Z', { status: { last_position_reconcile: proof('2026-06-01T20:00:00Z') } }),
      ),
    ).toEqual([]);
  });

  it('raises when the field is absent, null, has no time, or its time does not parse', () => {
    expect(codes(at('2026-06-01T21:00:00Z', { drop: ['last_position_reconcile'] }))).toEqual([CODE]);
    expect(codes(at('2026-06-01T21:00:00Z', { status: { last_position_reconcile: null } }))).toEqual([CODE]);
    const noTime = { ok: true, matched: 8, internal_count: 8, broker_count: 8 };
    expect(codes(at('2026-06-01T21:00:00Z', { status: { last_position_reconcile: noTime } }))).toEqual([
      CODE,
    ]);
    const badTime = at('2026-06-01T21:00:00Z', {
      status: { last_position_reconcile: { ...noTime, at: 'yesterday' } },
    });
    expect(codes(badTime)).toEqual(['dashboard_invalid', CODE]);
  });

  it('needs a payload: an unreachable dashboard is its own event, not a missing proof', () => {
    const out = detect({
      ...bundle({ now: '2026-06-01T21:00:00Z' }),
      status_v3: undefined,
      dashboard_error: 'HTTP 502',
    });
    expect(codes(out)).toEqual(['dashboard_unreachable']);
  });

  it('is not evaluated in the session, before the open, or on the next morning', () => {
    const drop = ['last_position_reconcile'];
    for (const now of ['2026-06-01T19:59:59Z', '2026-06-01T13:00:00Z', '2026-06-02T12:00:00Z']) {
      expect(codes(at(now, { drop }))).not.toContain(CODE);
    }
  });

  it('follows AEGIS_PT_POST_CLOSE_RECONCILE_SEC, and rejects a value the rule could never reach', () => {
    const config = { AEGIS_PT_POST_CLOSE_RECONCILE_SEC: 600 };
    expect(codes(at('2026-06-01T20:10:00Z', { config }))).toEqual([]);
    expect(codes(at('2026-06-01T20:10:01Z', { config }))).toEqual([CODE]);
    expect(() =>
      at('2026-06-01T21:00:00Z', { config: { AEGIS_PT_POST_CLOSE_RECONCILE_SEC: 28_801 } }),
    ).toThrow(ConfigError);
    expect(() => at('2026-06-01T21:00:00Z', { config: { AEGIS_PT_POST_CLOSE_RECONCILE_SEC: -1 } })).toThrow(
      /AEGIS_PT_POST_CLOSE_RECONCILE_SEC/,
    );
  });
});

describe('post_close_reconcile_missing on other days', () => {
  it('counts an early close from its own close (Fri 2026-11-27, 13:00 EST = 18:00Z)', () => {
    const status = { last_position_reconcile: proof('2026-11-27T15:00:00Z') };
    expect(codes(at('2026-11-27T18:30:00Z', { status }))).toEqual([]);
    const late = at('2026-11-27T18:31:00Z', { status });
    expect(event(late, CODE)).toMatchObject({ signature: `${CODE}:2026-11-27` });
    expect(event(late, CODE)?.summary).toContain('early close');
    expect(
      codes(
        at('2026-11-27T19:00:00Z', { status: { last_position_reconcile: proof('2026-11-27T18:02:00Z') } }),
      ),
    ).toEqual([]);
  });

  it('counts a winter close at 21:00Z (EST)', () => {
    const status = { last_position_reconcile: proof('2026-12-01T15:00:00Z') };
    expect(codes(at('2026-12-01T21:29:00Z', { status }))).toEqual([]);
    expect(codes(at('2026-12-01T21:31:00Z', { status }))).toEqual([CODE]);
  });

  it('never raises on a holiday, a weekend or an extra closure', () => {
    const drop = ['last_position_reconcile'];
    expect(codes(at('2026-11-26T22:00:00Z', { drop }))).toEqual([]); // Thanksgiving
    expect(codes(at('2026-06-06T22:00:00Z', { drop }))).toEqual([]); // Saturday
    const config = { AEGIS_PT_MARKET_CLOSURES: '2026-06-01' };
    expect(codes(at('2026-06-01T21:00:00Z', { drop, config }))).toEqual([]);
  });
});

describe('post_close_reconcile_missing through the lifecycle', () => {
  it('is told once, stays one condition while it lasts, and resolves when the proof appears', () => {
    const outs: DetectorOutput[] = [];
    const steps: BundleChanges[] = [
      { now: '2026-06-01T20:37:00Z' },
      { now: '2026-06-01T20:47:00Z' },
      { now: '2026-06-01T20:57:00Z', status: { last_position_reconcile: proof('2026-06-01T20:50:00Z') } },
    ];
    for (const s of steps) {
      const previous = outs.length > 0 ? outs[outs.length - 1] : null;
      outs.push(run({ ...s, status: { heartbeat_at: s.now, ...s.status }, previous }));
    }
    expect(outs[0].new_events.map((e) => e.signature)).toEqual([`${CODE}:2026-06-01`]);
    expect(outs[1].new_events).toEqual([]);
    expect(event(outs[1], CODE)?.consecutive).toBe(2);
    expect(outs[2].resolved_events.map((e) => e.signature)).toEqual([`${CODE}:2026-06-01`]);
    expect(outs[2].events).toEqual([]);
  });
});
