// The silences file unreadable for a moment (an S3 error): the silences the previous check applied
// hold, each until its own end and only over what it held; nothing is told as released meanwhile.
import type { DetectorOutput } from '../../lambda/detector/types';
import { event, run } from '../helpers/bundle';

const fresh = (now: string) => new Date(Date.parse(now) - 10_000).toISOString();
const silence = {
  id: 'acked-1',
  codes: ['stuck_exits'],
  starts_at: '2026-06-01T14:08:00Z',
  ends_at: '2026-06-01T14:12:00Z',
  created_at: '2026-06-01T14:08:00Z',
  reason: 'reconciling with the broker',
  created_by: 'arn:aws:iam::123456789012:user/alice',
  include_escalations: true,
  kind: 'manual',
};
const step = (
  now: string,
  previous: DetectorOutput | null,
  status: Record<string, unknown>,
  top: Record<string, unknown>,
) => run({ now, status: { heartbeat_at: fresh(now), ...status }, previous, top });
const UNREADABLE = { silences: [], silences_unreadable: 'silences could not be read (SlowDown)' };

describe('silences unreadable for a moment', () => {
  const told = step('2026-06-01T14:07:00Z', null, { stuck_exits: 1 }, {});
  const held = step('2026-06-01T14:09:00Z', told, { stuck_exits: 1 }, { silences: [silence] });

  it('what a silence held stays held, and the silence stays listed; a new event is told', () => {
    expect(event(held, 'stuck_exits')?.silenced_by).toBe('acked-1');
    const out = step('2026-06-01T14:11:00Z', held, { stuck_exits: 1, unknown_fill: true }, UNREADABLE);
    const stuck = event(out, 'stuck_exits');
    expect(stuck?.silenced_by).toBe('acked-1');
    expect(stuck?.silence_ended).toBeUndefined();
    expect(out.new_events.map((e) => e.code)).toEqual(['unknown_fill']);
    expect(out.silences).toEqual([expect.objectContaining({ id: 'acked-1', until: '2026-06-01T14:12:00Z' })]);
  });

  it('two unreadable checks in a row still hold it', () => {
    const first = step('2026-06-01T14:10:00Z', held, { stuck_exits: 1 }, UNREADABLE);
    const second = step('2026-06-01T14:11:00Z', first, { stuck_exits: 1 }, UNREADABLE);
    expect(event(second, 'stuck_exits')?.silenced_by).toBe('acked-1');
    expect(second.new_events).toEqual([]);
  });

  it('past its own end it ends, as it would have: the open event is told again', () => {
    const during = step('2026-06-01T14:11:00Z', held, { stuck_exits: 1 }, UNREADABLE);
    const out = step('2026-06-01T14:13:00Z', during, { stuck_exits: 1 }, UNREADABLE);
    expect(event(out, 'stuck_exits')?.silenced_by).toBeUndefined();
    expect(event(out, 'stuck_exits')?.silence_ended).toBe('acked-1');
    expect(out.silences).toBeUndefined();
  });
});
