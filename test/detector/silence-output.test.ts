// What the rules' verdicts put in the detector output (info items core announces, bounded), and what a
// run record keeps of the silences: bounded references, never the file, that a replay judges alike.
import { DEFAULT_CONFIG } from '../../lambda/detector/config';
import { detect } from '../../lambda/detector/detect';
import { silenceDigest, type Silence } from '../../lambda/detector/silences';
import { replayBundle, runObservation } from '../../lambda/run-observation';
import { bundle, event, run } from '../helpers/bundle';

const NOW = '2026-06-01T14:07:00Z';
const fresh = new Date(Date.parse(NOW) - 10_000).toISOString();

function silence(over: Partial<Silence> = {}): Silence {
  return {
    id: 's-1',
    codes: ['pending_order_buildup'],
    starts_at: '2026-06-01T14:00:00Z',
    ends_at: '2026-06-01T15:00:00Z',
    reason: 'broker maintenance',
    created_by: 'arn:aws:iam::123456789012:user/alice',
    created_at: '2026-06-01T14:00:00Z',
    include_escalations: false,
    kind: 'manual',
    ...over,
  };
}

const forged = {
  id: 'forged',
  codes: ['stuck_exits', 'unknown_fill', 'dual_primary', 'heartbeat_stale', 'pending_order_buildup'],
  starts_at: '2026-01-01T00:00:00Z',
  ends_at: '2099-01-01T00:00:00Z',
  reason: 'x',
  created_by: 'root',
  created_at: '2026-01-01T00:00:00Z',
  include_escalations: true,
};

const check = (silences: unknown, status: Record<string, unknown> = {}) =>
  run({ now: NOW, status: { heartbeat_at: fresh, ...status }, top: { silences } });

describe('the verdicts in the output', () => {
  it('a forged silence holds nothing back, and the output says which and why', () => {
    const out = check([forged], { stuck_exits: 1, pending_orders: 2 });
    expect(out.new_events.map((e) => e.code).sort()).toEqual(['pending_order_buildup', 'stuck_exits']);
    expect(event(out, 'stuck_exits')?.silenced_by).toBeUndefined();
    expect(out.silences).toBeUndefined();
    expect(out.info.filter((i) => i.code === 'silence_refused')).toEqual([
      {
        code: 'silence_refused',
        summary: expect.stringMatching(
          /^silence forged does not apply: it lasts \d+ h: a silence lasts at most 24 h$/,
        ),
        details: { id: 'forged', index: 0, why: expect.any(String) },
      },
    ]);
  });

  it('a refusal that can no longer matter (the entry ended) is not told', () => {
    const ended = silence({ id: 's-0', codes: ['stuck_exits'], ends_at: '2026-06-01T14:05:00Z' });
    expect(check([ended]).info.map((i) => i.code)).not.toContain('silence_refused');
  });

  it('is bounded: ten refusals one by one, the rest in one item', () => {
    const many = Array.from({ length: 30 }, (_, i) => silence({ id: `s-${i}`, codes: ['no_such_code'] }));
    const refused = check(many).info.filter((i) => i.code === 'silence_refused');
    expect(refused).toHaveLength(11);
    expect(refused[10].summary).toMatch(/^20 more silences do not apply: s-10, s-11, .*s-29$/);
  });

  it('a valid silence beside a broken one still applies', () => {
    const out = check([null, silence()], { pending_orders: 2 });
    expect(out.new_events).toEqual([]);
    expect(event(out, 'pending_order_buildup')?.silenced_by).toBe('s-1');
    expect(out.info.filter((i) => i.code === 'silence_refused').map((i) => i.summary)).toEqual([
      expect.stringMatching(/^silence #0 does not apply: not a silence/),
    ]);
  });
});

describe('what a run record keeps of the silences', () => {
  const huge = silence({ id: 's-huge', reason: 'r'.repeat(5_000_000) });
  const b = bundle({
    now: NOW,
    status: { heartbeat_at: fresh, pending_orders: 2 },
    top: { silences: [silence(), huge, forged] },
  });

  it('a bounded reference to each silence that passed the rules, never an oversized entry', () => {
    const obs = runObservation(b as never, { trigger: 'schedule:primary' }, DEFAULT_CONFIG, null);
    expect(obs.silences).toEqual([{ ...silence(), digest: silenceDigest(silence()) }]);
    expect(JSON.stringify(obs).length).toBeLessThan(JSON.stringify(b.status_v3).length + 5_000);
  });

  it('keeps none of what the rules do not read (a field added by hand)', () => {
    const padded = { ...silence(), note: 'n'.repeat(100_000) };
    const obs = runObservation(
      bundle({ now: NOW, top: { silences: [padded] } }) as never,
      { trigger: 'schedule:primary' },
      DEFAULT_CONFIG,
      null,
    );
    expect(obs.silences).toEqual([{ ...silence(), digest: silenceDigest(padded) }]);
  });

  it('a replay of the record holds back what the run held back, and says so alike', () => {
    const live = detect(b, DEFAULT_CONFIG);
    const obs = runObservation(b as never, { trigger: 'schedule:primary' }, DEFAULT_CONFIG, null);
    const again = detect(replayBundle(obs, null), DEFAULT_CONFIG);
    expect(event(live, 'pending_order_buildup')?.silenced_by).toBe('s-1');
    expect(again.events).toEqual(live.events);
    expect(again.new_events).toEqual(live.new_events);
    expect(again.silences).toEqual(live.silences);
    expect(again.info).toEqual(live.info.filter((i) => i.code !== 'silence_refused'));
  });

  it('a file over the entry limit keeps nothing', () => {
    const many = Array.from({ length: 101 }, (_, i) => silence({ id: `s-${i}` }));
    const obs = runObservation(
      bundle({ now: NOW, top: { silences: many } }) as never,
      { trigger: 'schedule:primary' },
      DEFAULT_CONFIG,
      null,
    );
    expect(obs.silences).toBeUndefined();
  });
});
