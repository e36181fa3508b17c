import { detect } from '../../lambda/detector/detect';
import {
  AFTER_CLOSE,
  bundle,
  codes,
  event,
  infoCodes,
  IN_SESSION,
  PRE_OPEN,
  run,
  WEEKEND,
} from '../helpers/bundle';

const secondsBefore = (iso: string, s: number) => new Date(Date.parse(iso) - s * 1000).toISOString();

function withoutDashboard(now: string, dashboardError?: string) {
  const b = bundle({ now });
  delete b.status_v3;
  return detect(dashboardError === undefined ? b : { ...b, dashboard_error: dashboardError });
}

describe('dashboard_unreachable', () => {
  it('is critical in the session, warn outside it', () => {
    expect(
      event(withoutDashboard(IN_SESSION, 'timeout after 5000ms'), 'dashboard_unreachable'),
    ).toMatchObject({
      severity: 'critical',
    });
    expect(event(withoutDashboard(PRE_OPEN, 'HTTP 502'), 'dashboard_unreachable')).toMatchObject({
      severity: 'warn',
    });
    expect(event(withoutDashboard(WEEKEND, 'HTTP 502'), 'dashboard_unreachable')).toMatchObject({
      severity: 'warn',
    });
  });

  it('raises when there is no payload and no error', () => {
    expect(codes(withoutDashboard(IN_SESSION))).toEqual(['dashboard_unreachable']);
  });

  it('leaves the heartbeat unknown, not stale', () => {
    const out = withoutDashboard(IN_SESSION, 'timeout');
    expect(codes(out)).not.toContain('heartbeat_stale');
    expect(out.signals.heartbeat_age_sec).toBeUndefined();
  });

  it('escalates in the session when persisted, never outside it', () => {
    const b = bundle();
    delete b.status_v3;
    const first = detect({ ...b, dashboard_error: 'timeout' });
    const second = detect({ ...b, now: '2026-06-01T14:15:00Z', dashboard_error: 'timeout', previous: first });
    expect(event(second, 'dashboard_unreachable')).toMatchObject({ escalate: true, consecutive: 2 });
    const a1 = detect({ ...b, now: AFTER_CLOSE, dashboard_error: 'timeout' });
    const a2 = detect({ ...b, now: '2026-06-01T20:40:00Z', dashboard_error: 'timeout', previous: a1 });
    expect(event(a2, 'dashboard_unreachable')).toMatchObject({ escalate: false, consecutive: 2 });
  });
});

describe('dashboard_invalid', () => {
  it.each([null, 'a string', 42, ['array'], true])('raises when status_v3 is %j', (payload) => {
    const out = run({ top: { status_v3: payload } });
    expect(event(out, 'dashboard_invalid')).toMatchObject({
      severity: 'critical',
      details: { fields: ['status_v3'] },
    });
    expect(codes(out)).not.toContain('heartbeat_stale');
  });

  it('names every wrong-typed path and still evaluates the other fields', () => {
    const out = run({
      status: {
        pending_orders: -1,
        stuck_exits: 1.5,
        market_data_status: 'sideways',
        heartbeat_at: 'yesterday',
        log_signals: { ibkr_1100: 'x', fatal: 1 },
        pending_order_details: [{ order_id: '1', submitted_at: 'soon' }, 'junk'],
        unknown_fill: true,
      },
    });
    expect(event(out, 'dashboard_invalid')?.details.fields).toEqual([
      'heartbeat_at',
      'pending_orders',
      'pending_order_details[0].submitted_at',
      'pending_order_details[1]',
      'stuck_exits',
      'market_data_status',
      'log_signals.ibkr_1100',
    ]);
    // unknown_fill and the fatal log line are still judged; the invalid heartbeat is not "stale".
    expect(codes(out)).toEqual(['dashboard_invalid', 'severe_log_burst', 'unknown_fill']);
  });

  it('accepts 2.0 as a whole number and rejects timestamps without an offset', () => {
    expect(codes(run({ status: { pending_orders: 2.0 } }))).toEqual(['pending_order_buildup']);
    expect(
      event(run({ status: { generated_at: '2026-06-01T14:05:02' } }), 'dashboard_invalid')?.details.fields,
    ).toEqual(['generated_at']);
  });
});

describe('signal_unavailable', () => {
  it('lists absent and null fields as one info item, never an event', () => {
    const out = run({ now: AFTER_CLOSE, drop: ['pending_exits'], status: { market_data_status: null } });
    expect(codes(out)).toEqual([]);
    expect(out.info.find((i) => i.code === 'signal_unavailable')?.details).toEqual({
      fields: ['pending_exits', 'market_data_status'],
    });
  });

  it('copes with an empty payload object', () => {
    const out = run({ now: AFTER_CLOSE, top: { status_v3: {} } });
    expect(codes(out)).toEqual([]);
    expect(infoCodes(out)).toEqual(['signal_unavailable']);
  });
});

describe('heartbeat_stale', () => {
  it('raises in the session when the heartbeat is older than 300 s (boundary: 300 is fresh)', () => {
    expect(codes(run({ status: { heartbeat_at: secondsBefore(IN_SESSION, 300) } }))).toEqual([]);
    const out = run({ status: { heartbeat_at: secondsBefore(IN_SESSION, 301) } });
    expect(event(out, 'heartbeat_stale')).toMatchObject({ severity: 'critical', escalate: false });
  });

  it('raises when heartbeat_at is absent or null in the session', () => {
    expect(codes(run({ drop: ['heartbeat_at'] }))).toEqual(['heartbeat_stale']);
    expect(codes(run({ status: { heartbeat_at: null } }))).toEqual(['heartbeat_stale']);
  });

  it('never raises outside the session', () => {
    for (const now of [PRE_OPEN, AFTER_CLOSE, WEEKEND]) {
      expect(codes(run({ now, status: { heartbeat_at: '2026-05-01T00:00:00Z' } }))).toEqual([]);
    }
  });

  it('never calls a future heartbeat stale', () => {
    expect(codes(run({ status: { heartbeat_at: '2026-06-01T15:00:00Z' } }))).toEqual([]);
  });

  it('follows HEARTBEAT_STALE_SEC and escalates when persisted', () => {
    const stale = { heartbeat_at: secondsBefore(IN_SESSION, 120) };
    expect(codes(run({ status: stale, config: { AEGIS_PT_HEARTBEAT_STALE_SEC: 60 } }))).toEqual([
      'heartbeat_stale',
    ]);
    const first = run({ status: { heartbeat_at: '2026-06-01T13:00:00Z' } });
    const second = run({
      now: '2026-06-01T14:10:00Z',
      status: { heartbeat_at: '2026-06-01T13:00:00Z' },
      previous: first,
    });
    expect(event(second, 'heartbeat_stale')).toMatchObject({ escalate: true });
    expect(second.new_events.map((e) => e.code)).toEqual(['heartbeat_stale']);
  });
});
