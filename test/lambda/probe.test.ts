// The probe trigger collects and reports only: the check's store, notifier and metrics are never used.
import { isProbeEvent, probe } from '../../lambda/probe';
import type { DashboardSource, EcsSource } from '../../lambda/ports';

const log = {
  lines: [] as string[],
  info(m: string) {
    this.lines.push(m);
  },
  warn() {},
  error() {},
};
const clock = { now: () => new Date('2026-06-01T14:00:00Z') };
const ecs: EcsSource = {
  observe: async () => ({
    ecs: { service: { serviceName: 'aegis-pt-core', runningCount: 1 }, tasks: [{}], stopped_tasks: [] },
  }),
};

describe('the probe trigger', () => {
  it('is exactly {"trigger":"probe"}', () => {
    expect(isProbeEvent({ trigger: 'probe' })).toBe(true);
    for (const e of [{ trigger: 'probe', reason: 'x' }, { trigger: 'manual' }, null, 'probe', [], {}])
      expect(isProbeEvent(e)).toBe(false);
  });

  it('reports what it reached', async () => {
    const dashboard: DashboardSource = { fetch: async () => ({ payload: { ok: 1 } }) };
    const r = await probe({ dashboard, ecs, clock, log });
    expect(r).toEqual({
      probe: true,
      checked_at: '2026-06-01T14:00:00.000Z',
      dashboard: { ok: true, detail: 'GET /api/status_v3 answered with JSON' },
      ecs: { ok: true, detail: 'service aegis-pt-core: runningCount 1, 1 task(s) listed' },
    });
    expect(log.lines.at(-1)).toContain('probe: collected only');
  });

  it('reports what it could not reach, with the reason', async () => {
    const dashboard: DashboardSource = { fetch: async () => ({ error: 'connection failed: ECONNREFUSED' }) };
    const noEcs: EcsSource = { observe: async () => ({ error: 'AccessDeniedException: no' }) };
    const r = await probe({ dashboard, ecs: noEcs, clock, log });
    expect(r.dashboard).toEqual({ ok: false, detail: 'connection failed: ECONNREFUSED' });
    expect(r.ecs).toEqual({ ok: false, detail: 'AccessDeniedException: no' });
  });
});
