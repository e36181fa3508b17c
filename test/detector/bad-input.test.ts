import { ConfigError } from '../../lambda/detector/config';
import { BadInputError, detect } from '../../lambda/detector/detect';
import { bundle } from '../helpers/bundle';

describe('bad input', () => {
  it.each([null, 'x', 42, [], true])('rejects a bundle that is %j', (b) => {
    expect(() => detect(b)).toThrow(BadInputError);
  });

  it.each([undefined, '', 'garbage', 1717250700000, '2026-06-01', '2026-06-01T14:05:00'])(
    'rejects now=%j',
    (now) => {
      expect(() => detect({ ...bundle(), now })).toThrow(/"now" must be an ISO-8601 timestamp/);
    },
  );

  it('rejects a config that is not an object, and bad config values naming the variable', () => {
    expect(() => detect({ ...bundle(), config: 'x' })).toThrow(BadInputError);
    expect(() => detect({ ...bundle(), config: { AEGIS_PT_SEVERE_LOG_BURST: 'lots' } })).toThrow(ConfigError);
    expect(() => detect({ ...bundle(), config: { AEGIS_PT_HEARTBEAT_STALE_SEC: '' } })).toThrow(
      /AEGIS_PT_HEARTBEAT_STALE_SEC/,
    );
  });

  it('keeps going on garbage values inside the payload and the ECS observation', () => {
    const out = detect({
      ...bundle(),
      status_v3: {
        pending_order_details: 'x',
        open_positions: [null, 1, { tags: 'broker' }],
        log_signals: [],
      },
      ecs: { service: [], tasks: 'x', stopped_tasks: [1, null] },
      dashboard_error: 5,
    });
    expect(out.events.map((e) => e.code)).toEqual(
      expect.arrayContaining(['dashboard_invalid', 'ecs_unavailable']),
    );
    expect(out.events.find((e) => e.code === 'dashboard_invalid')?.details.fields).toEqual([
      'pending_order_details',
      'open_positions[1]',
      'open_positions[2].tags',
      'log_signals',
    ]);
  });

  it('renders a non-string dashboard_error instead of failing', () => {
    const b = bundle();
    delete b.status_v3;
    const out = detect({ ...b, dashboard_error: { status: 502 } });
    expect(out.events[0].summary).toContain('{"status":502}');
  });

  it('normalises now to second precision UTC', () => {
    expect(detect({ ...bundle(), now: '2026-06-01T10:05:00.900-04:00' }).checked_at).toBe(
      '2026-06-01T14:05:00Z',
    );
  });
});
