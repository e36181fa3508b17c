// Chained silences (silence-chains.ts): a code stays quiet at most 24 h unless someone adds a new
// silence after the previous one ended. Overlapping, back-to-back, a gap of one second, expired by
// hand, through a third silence, on other codes, in any order in the file, and forged files.
import { judgeSilences } from '../../lambda/detector/silences';

const T0 = Date.parse('2026-06-01T00:00:00Z');
const iso = (h: number) => new Date(T0 + Math.round(h * 3_600_000)).toISOString().replace('.000Z', 'Z');
const SECOND = 1 / 3600;

interface Spec {
  id: string;
  from: number;
  to: number;
  created: number;
  codes?: string[];
  expired?: number;
}

function silence(s: Spec): Record<string, unknown> {
  return {
    id: s.id,
    codes: s.codes ?? ['pending_order_buildup'],
    starts_at: iso(s.from),
    ends_at: iso(s.to),
    created_at: iso(s.created),
    reason: 'maintenance',
    created_by: 'arn:aws:iam::123456789012:user/alice',
    include_escalations: false,
    kind: 'manual',
    ...(s.expired !== undefined ? { expired_at: iso(s.expired), expired_by: 'bob' } : {}),
  };
}

/** id -> 'ok' or 'refused', judged at `nowH` (after every creation, so no file is from the future). */
function verdicts(specs: Spec[], nowH = 200): Record<string, string> {
  const judged = judgeSilences(specs.map(silence), { nowMs: T0 + nowH * 3_600_000, marketClosures: [] });
  expect(judged.ignored).toBeUndefined();
  return Object.fromEntries(judged.verdicts.map((v) => [v.id, v.state === 'refused' ? 'refused' : 'ok']));
}

const A = { id: 'a', from: 0, to: 24, created: 0 };

describe('two silences on one code', () => {
  it.each<[string, Spec, string]>([
    [
      'overlapping, added while the first held: 30 h in one chain',
      { id: 'b', from: 12, to: 30, created: 6 },
      'refused',
    ],
    ['overlapping inside the first: still 24 h', { id: 'b', from: 12, to: 20, created: 6 }, 'ok'],
    [
      'back-to-back, added one second before the first ended',
      { id: 'b', from: 24, to: 48, created: 24 - SECOND },
      'refused',
    ],
    ['back-to-back, added at the instant the first ended', { id: 'b', from: 24, to: 48, created: 24 }, 'ok'],
    ['back-to-back, added after the first ended', { id: 'b', from: 25, to: 49, created: 25 }, 'ok'],
    [
      'a gap of one second, added while the first held',
      { id: 'b', from: 24 + SECOND, to: 48, created: 1 },
      'refused',
    ],
    [
      'a gap of one second, added after the first ended',
      { id: 'b', from: 24 + SECOND, to: 48, created: 24 + SECOND },
      'ok',
    ],
    ['a week later, arranged in advance', { id: 'b', from: 168, to: 170, created: 1 }, 'refused'],
  ])('%s', (_name, b, expected) => {
    expect(verdicts([A, b])).toEqual({ a: 'ok', b: expected });
  });

  it('a gap of one second with 24 h of quiet in all is one chain within the limit', () => {
    const a = { id: 'a', from: 0, to: 12, created: 0 };
    expect(verdicts([a, { id: 'b', from: 12 + SECOND, to: 24, created: 1 }])).toEqual({ a: 'ok', b: 'ok' });
    expect(verdicts([a, { id: 'b', from: 12 + SECOND, to: 24 + 2 * SECOND, created: 1 }])).toEqual({
      a: 'ok',
      b: 'refused',
    });
  });

  it('expired by hand, then added again: a new chain; added before the expiry: the same chain', () => {
    const expired = { ...A, expired: 10 };
    expect(verdicts([expired, { id: 'b', from: 10, to: 34, created: 10 }])).toEqual({ a: 'ok', b: 'ok' });
    expect(verdicts([expired, { id: 'b', from: 10, to: 34, created: 10 - SECOND }])).toEqual({
      a: 'ok',
      b: 'refused',
    });
  });

  it('says which silence it chains with, for how long and until when', () => {
    const judged = judgeSilences([silence(A), silence({ id: 'b', from: 20, to: 30, created: 6 })], {
      nowMs: T0,
      marketClosures: [],
    });
    expect(judged.verdicts[1].why).toBe(
      'chained with a (added before it ended) it would keep pending_order_buildup quiet for 30 h: at most 24 h, unless a new silence is added after the previous one ended (2026-06-02T00:00:00Z)',
    );
  });

  it('on different codes, silences never chain; a silence naming a chained code does not apply at all', () => {
    const other = { id: 'b', from: 12, to: 36, created: 6, codes: ['pnl_unknown_trades'] };
    expect(verdicts([A, other])).toEqual({ a: 'ok', b: 'ok' });
    const both = { ...other, codes: ['pnl_unknown_trades', 'pending_order_buildup'] };
    expect(verdicts([A, both])).toEqual({ a: 'ok', b: 'refused' });
  });
});

describe('chains of more than two', () => {
  const a = { id: 'a', from: 0, to: 8, created: 0 };
  const b = { id: 'b', from: 8, to: 16, created: 7 };
  const c = { id: 'c', from: 16, to: 24, created: 15 };

  it('links through a third silence', () => {
    expect(verdicts([a, b, c])).toEqual({ a: 'ok', b: 'ok', c: 'ok' });
    expect(verdicts([a, b, c, { id: 'd', from: 24, to: 25, created: 23 }])).toMatchObject({ d: 'refused' });
    expect(verdicts([a, b, c, { id: 'd', from: 24, to: 48, created: 24 }])).toMatchObject({ d: 'ok' });
  });

  it('judges in the order silences were added, whatever their order in the file', () => {
    const late = { id: 'd', from: 24, to: 25, created: 23 };
    expect(verdicts([late, c, a, b])).toEqual({ a: 'ok', b: 'ok', c: 'ok', d: 'refused' });
  });

  it('a refused silence links nothing: the next one added after the chain ended starts afresh', () => {
    const refused = { id: 'x', from: 20, to: 40, created: 10 };
    expect(verdicts([A, refused, { id: 'y', from: 24, to: 30, created: 24 }])).toEqual({
      a: 'ok',
      x: 'refused',
      y: 'ok',
    });
  });
});

describe('a forged file: every code, escalations included, until 2099, any creator', () => {
  const day = (n: number, created: number) => ({ id: `f-${n}`, from: 24 * n, to: 24 * (n + 1), created });
  const forged = (created: (n: number) => number) =>
    Array.from({ length: 60 }, (_, n) =>
      silence({ ...day(n, created(n)), codes: ['stuck_exits', 'unknown_fill', 'dual_primary'] }),
    ).map((s) => ({ ...s, include_escalations: true, created_by: 'anyone' }));

  it('days arranged in advance: only the first day applies', () => {
    const judged = judgeSilences(
      forged(() => 0),
      { nowMs: T0 + 50 * 3_600_000, marketClosures: [] },
    );
    expect(judged.verdicts.filter((v) => v.state !== 'refused').map((v) => v.id)).toEqual(['f-0']);
  });

  it('each day "created" at its start: the entries created after this check make the whole file void', () => {
    const judged = judgeSilences(
      forged((n) => 24 * n),
      { nowMs: T0 + 50 * 3_600_000, marketClosures: [] },
    );
    expect(judged.ignored).toMatch(
      /^silence f-3 says it was created at 2026-06-04T00:00:00Z, after this check/,
    );
  });

  it('one silence until 2099: refused', () => {
    const until2099 = { ...silence(A), ends_at: '2099-01-01T00:00:00Z' };
    const judged = judgeSilences([until2099], { nowMs: T0 + 3_600_000, marketClosures: [] });
    expect(judged.verdicts[0]).toMatchObject({
      state: 'refused',
      why: expect.stringMatching(/at most 24 h/),
    });
  });
});
