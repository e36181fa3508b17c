// The rules a silence keeps to apply (silence-rules.ts), one row per rule and edge: what the Lambda
// enforces on every check and the CLI before it writes.
import { boundedSignature, SIGNATURE_MAX } from '../../lambda/detector/bounds';
import { judgeSilences, SILENCE_LIMITS, type SilenceVerdict } from '../../lambda/detector/silences';

const NOW = Date.parse('2026-06-01T14:00:00Z'); // 10:00 ET, a Monday session (close 20:00Z)
const ctx = { nowMs: NOW, marketClosures: [] as string[] };

function entry(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 's-1',
    codes: ['pending_order_buildup'],
    starts_at: '2026-06-01T13:55:00Z',
    ends_at: '2026-06-01T15:00:00Z',
    reason: 'broker maintenance',
    created_by: 'arn:aws:iam::123456789012:user/alice',
    created_at: '2026-06-01T13:55:00Z',
    include_escalations: false,
    kind: 'manual',
    ...over,
  };
}

function verdict(raw: unknown, at = ctx): SilenceVerdict {
  const judged = judgeSilences([raw], at);
  expect(judged.ignored).toBeUndefined();
  return judged.verdicts[0];
}

describe('a silence that keeps every rule', () => {
  it('applies while active, is pending before its start and ended after its end', () => {
    expect(verdict(entry()).state).toBe('applies');
    expect(verdict(entry({ starts_at: '2026-06-01T14:30:00Z' })).state).toBe('pending');
    expect(verdict(entry({ ends_at: '2026-06-01T14:00:00Z' })).state).toBe('ended');
    expect(verdict(entry({ expired_at: '2026-06-01T13:59:59Z', expired_by: 'bob' })).state).toBe('ended');
  });

  it('names the longest identity STS can: an assumed role with a 512-character path, 64-character names', () => {
    const path = `/${'p'.repeat(510)}/`;
    const arn = `arn:aws-us-gov:sts::123456789012:assumed-role${path}${'r'.repeat(64)}/${'s'.repeat(64)}`;
    expect(verdict(entry({ created_by: arn })).state).toBe('applies');
    const expired = entry({ created_by: arn, expired_at: '2026-06-01T13:59:00Z', expired_by: arn });
    expect(verdict(expired).state).toBe('ended');
  });

  it('holds the longest signature the detector makes (one owner of the bound)', () => {
    const long = boundedSignature(
      'pending_order_buildup',
      Array.from({ length: 40 }, (_, i) => `order-${i}-${'x'.repeat(60)}`),
    );
    expect(long.length).toBeGreaterThan(SIGNATURE_MAX - 40);
    expect(verdict(entry({ signature: long })).state).toBe('applies');
    expect(SILENCE_LIMITS.signatureChars).toBe(SIGNATURE_MAX);
  });

  it('lasts exactly 24 h at most', () => {
    const day = entry({ starts_at: '2026-06-01T13:00:00Z', ends_at: '2026-06-02T13:00:00Z' });
    expect(verdict(day).state).toBe('applies');
  });
});

describe('an entry that breaks a rule does not apply, and says why', () => {
  it.each<[string, Record<string, unknown> | unknown, RegExp]>([
    ['null', null, /^not a silence \(null: /],
    ['a number', 7, /^not a silence \(number: /],
    ['codes not a list', entry({ codes: 'pending_order_buildup' }), /^not a silence \(codes: /],
    ['no codes', entry({ codes: [] }), /^not a silence \(codes: /],
    ['include_escalations missing', entry({ include_escalations: undefined }), /include_escalations/],
    [
      'an unknown code',
      entry({ codes: ['pending_order_buildup', 'no_such'] }),
      /unknown event code\(s\) no_such/,
    ],
    ['an id with spaces', entry({ id: 'a b' }), /is not a silence id/],
    ['an id too long', entry({ id: 'x'.repeat(65) }), /is not a silence id/],
    ['a signature of another code', entry({ signature: 'stuck_exits' }), /does not belong to its codes/],
    ['a start that is not a time', entry({ starts_at: 'soon' }), /starts_at "soon" is not a timestamp/],
    ['a time without offset', entry({ ends_at: '2026-06-01T15:00:00' }), /ends_at .* is not a timestamp/],
    ['an end before its start', entry({ ends_at: '2026-06-01T13:00:00Z' }), /it ends before it starts/],
    ['an end at its start', entry({ ends_at: '2026-06-01T13:55:00Z' }), /it ends before it starts/],
    [
      '24 h and one second',
      entry({ starts_at: '2026-06-01T13:00:00Z', ends_at: '2026-06-02T13:00:01Z' }),
      /it lasts 24 h 0 min 1 s: a silence lasts at most 24 h$/,
    ],
    ['until 2099', entry({ ends_at: '2099-01-01T00:00:00Z' }), /a silence lasts at most 24/],
    [
      'an end before its creation',
      entry({
        created_at: '2026-06-01T14:00:00Z',
        starts_at: '2026-06-01T13:00:00Z',
        ends_at: '2026-06-01T13:30:00Z',
      }),
      /it ended before it was created/,
    ],
    ['an empty reason', entry({ reason: '  ' }), /reason is empty/],
    ['no reason', entry({ reason: undefined }), /reason is empty/],
    ['no creator', entry({ created_by: undefined }), /created_by is empty/],
    [
      'a reason over the limit',
      entry({ reason: 'r'.repeat(SILENCE_LIMITS.reasonChars + 1) }),
      /reason is 501 characters: at most 500/,
    ],
    [
      'a creator over the limit',
      entry({ created_by: 'b'.repeat(SILENCE_LIMITS.byChars + 1) }),
      new RegExp(`created_by is ${SILENCE_LIMITS.byChars + 1} characters`),
    ],
    [
      'a code that always escalates, without include_escalations',
      entry({ codes: ['stuck_exits'] }),
      /it holds nothing back: stuck_exits always escalate\(s\) and include_escalations is false/,
    ],
    [
      'only codes that always escalate',
      entry({ codes: ['unknown_fill', 'position_mismatch'] }),
      /holds nothing back: unknown_fill, position_mismatch/,
    ],
  ])('%s', (_name, raw, why) => {
    const v = verdict(raw);
    expect(v.state).toBe('refused');
    expect(v.why).toMatch(why);
  });

  it('two entries with one id: neither applies', () => {
    const judged = judgeSilences([entry(), entry({ codes: ['pnl_unknown_trades'] })], ctx);
    expect(judged.verdicts.map((v) => [v.state, v.why])).toEqual([
      ['refused', 'its id is used by 2 entries'],
      ['refused', 'its id is used by 2 entries'],
    ]);
  });

  it('a code that only sometimes escalates still holds back what does not escalate', () => {
    expect(verdict(entry({ codes: ['heartbeat_stale'] })).state).toBe('applies');
    expect(verdict(entry({ codes: ['stuck_exits', 'pending_exits'] })).state).toBe('applies');
    expect(verdict(entry({ codes: ['stuck_exits'], include_escalations: true })).state).toBe('applies');
  });

  it('one bad entry never keeps the others from applying', () => {
    const judged = judgeSilences([null, entry({ id: 's-2' }), { id: 's-3' }], ctx);
    expect(judged.verdicts.map((v) => [v.index, v.id, v.state])).toEqual([
      [0, undefined, 'refused'],
      [1, 's-2', 'applies'],
      [2, 's-3', 'refused'],
    ]);
  });
});

describe('the document as a whole', () => {
  it('is not a list: nothing applies', () => {
    expect(judgeSilences({ id: 's-1' }, ctx).ignored).toMatch(/not a list/);
  });

  it('holds more entries than the command keeps: nothing applies', () => {
    const many = Array.from({ length: SILENCE_LIMITS.entries + 1 }, (_, i) => entry({ id: `s-${i}` }));
    expect(judgeSilences(many, ctx).ignored).toMatch(/holds 101 silences, more than the 100/);
    expect(judgeSilences(many.slice(1), ctx).ignored).toBeUndefined();
  });

  it('holds a silence created after this check (beyond clock skew): nothing in it applies', () => {
    const judged = judgeSilences(
      [
        entry(),
        entry({ id: 's-late', created_at: '2026-06-01T14:05:01Z', starts_at: '2026-06-01T14:06:00Z' }),
      ],
      ctx,
    );
    expect(judged.ignored).toMatch(
      /^silence s-late says it was created at 2026-06-01T14:05:01Z, after this check/,
    );
    // Five minutes of skew between a laptop and the Lambda are tolerated.
    const skewed = judgeSilences(
      [entry({ created_at: '2026-06-01T14:05:00Z', starts_at: '2026-06-01T14:05:00Z' })],
      ctx,
    );
    expect(skewed.ignored).toBeUndefined();
  });
});
