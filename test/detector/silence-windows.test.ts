// Deploy windows under the rules: at most 2 h, never past the session close, only the deploy codes;
// and a window that ended without a post gate is told with what it held back.
import {
  DEFAULT_DEPLOY_WINDOW_MS,
  deployWindowEnd,
  DEPLOY_WINDOW_CODES,
  judgeSilences,
  MAX_DEPLOY_WINDOW_MS,
  type SilenceEntry,
} from '../../lambda/detector/silences';
import { currentNotices } from '../../lambda/detector/announcements';
import { SIGNATURE_MAX, SUMMARY_MAX } from '../../lambda/detector/bounds';
import { unclosedWindows } from '../../lambda/detector/silence-windows';
import type { DetectorOutput } from '../../lambda/detector/types';
import { event, run, TASK_ARN } from '../helpers/bundle';

// Monday 2026-06-01: the session closes 16:00 ET = 20:00Z. Friday 2026-11-27 closes early, 13:00 ET = 18:00Z.
function window(from: string, to: string, over: Partial<SilenceEntry> = {}): SilenceEntry {
  return {
    id: 'w-1',
    kind: 'deploy-window',
    codes: [...DEPLOY_WINDOW_CODES],
    starts_at: from,
    ends_at: to,
    created_at: from,
    reason: 'deploy window opened by gate --phase pre (GO)',
    created_by: 'arn:aws:iam::123456789012:user/carol',
    include_escalations: true,
    ...over,
  };
}

function why(w: SilenceEntry, closures: string[] = []): string | undefined {
  const v = judgeSilences([w], { nowMs: Date.parse(w.starts_at), marketClosures: closures }).verdicts[0];
  return v.state === 'refused' ? v.why : undefined;
}

describe('the bounds of a deploy window', () => {
  it('30 minutes by default, 2 hours at most', () => {
    expect(DEFAULT_DEPLOY_WINDOW_MS).toBe(30 * 60_000);
    expect(MAX_DEPLOY_WINDOW_MS).toBe(2 * 3_600_000);
  });

  it.each<[string, SilenceEntry, RegExp | undefined]>([
    ['2 h in the session', window('2026-06-01T14:00:00Z', '2026-06-01T16:00:00Z'), undefined],
    [
      '2 h and a second',
      window('2026-06-01T14:00:00Z', '2026-06-01T16:00:01Z'),
      /lasts at most 2 h; this one 2 h 0 min 1 s/,
    ],
    [
      '24 h (the reproduced --window 24h)',
      window('2026-06-01T14:00:00Z', '2026-06-02T14:00:00Z'),
      /at most 2 h/,
    ],
    ['ending at the close', window('2026-06-01T19:30:00Z', '2026-06-01T20:00:00Z'), undefined],
    [
      'one second past the close',
      window('2026-06-01T19:30:00Z', '2026-06-01T20:00:01Z'),
      /ends at the session close at the latest \(16:00 ET on 2026-06-01\)/,
    ],
    [
      'past an early close',
      window('2026-11-27T17:30:00Z', '2026-11-27T18:30:00Z'),
      /session close at the latest \(13:00 ET on 2026-11-27\)/,
    ],
    [
      'after the close (an evening deploy)',
      window('2026-06-01T20:00:00Z', '2026-06-01T22:00:00Z'),
      undefined,
    ],
    ['before the open, across it', window('2026-06-01T13:00:00Z', '2026-06-01T14:00:00Z'), undefined],
    ['on a weekend', window('2026-06-06T15:00:00Z', '2026-06-06T17:00:00Z'), undefined],
    [
      'a code a task replacement does not cause',
      window('2026-06-01T14:00:00Z', '2026-06-01T14:30:00Z', { codes: ['heartbeat_stale', 'stuck_exits'] }),
      /holds back only what a task replacement causes .*, not stuck_exits/,
    ],
  ])('%s', (_name, w, expected) => {
    if (expected === undefined) expect(why(w)).toBeUndefined();
    else expect(why(w)).toMatch(expected);
  });

  it('a closure the deployment names has no close to outlast', () => {
    const w = window('2026-06-01T19:30:00Z', '2026-06-01T20:30:00Z');
    expect(why(w)).toMatch(/session close/);
    expect(why(w, ['2026-06-01'])).toBeUndefined();
  });

  it('the CLI end: the duration, capped at 2 h, and at the close when that comes first', () => {
    const at = (iso: string) => Date.parse(iso);
    expect(deployWindowEnd(at('2026-06-01T14:00:00Z'), DEFAULT_DEPLOY_WINDOW_MS, [])).toEqual({
      endMs: at('2026-06-01T14:30:00Z'),
    });
    expect(deployWindowEnd(at('2026-06-01T19:45:00Z'), DEFAULT_DEPLOY_WINDOW_MS, [])).toEqual({
      endMs: at('2026-06-01T20:00:00Z'),
      clippedAt: at('2026-06-01T20:00:00Z'),
    });
  });
});

describe('a window that ends without a post gate', () => {
  const OLD = TASK_ARN.replace(/[0-9a-f]{32}$/, '0'.repeat(32));
  const w = window('2026-06-01T14:00:00Z', '2026-06-01T14:30:00Z');
  const fresh = (now: string) => new Date(Date.parse(now) - 10_000).toISOString();
  // The task the deploy replaced: ECS lists it among the service's stopped tasks.
  const stopped = [
    { taskArn: OLD, lastStatus: 'STOPPED', desiredStatus: 'STOPPED', group: 'service:aegis-pt-core' },
  ];
  const step = (now: string, silences: unknown[], previous: DetectorOutput | null, status = {}) =>
    run({ now, status: { heartbeat_at: fresh(now), ...status }, stopped, previous, top: { silences } });

  it('is told from the first check after its end, naming what it held back, carried run to run', () => {
    const held = step('2026-06-01T14:27:00Z', [w], null, { runtime_task_arn: OLD });
    expect(event(held, 'dual_primary')?.silenced_by).toBe('w-1');
    const after = step('2026-06-01T14:31:00Z', [w], held);
    const info = after.info.find((i) => i.code === 'deploy_window_unclosed');
    expect(info).toMatchObject({
      summary:
        'deploy window w-1 ran out at 2026-06-01T14:30:00Z without a post gate (gate --phase post): it held back dual_primary; run the post gate before accepting the deploy',
      details: { id: 'w-1', ended_at: '2026-06-01T14:30:00Z', held: ['dual_primary'], held_total: 1 },
    });
    const later = step('2026-06-01T14:41:00Z', [w], after);
    expect(later.info.find((i) => i.code === 'deploy_window_unclosed')?.details).toMatchObject({
      held: ['dual_primary'],
    });
  });

  it('expired by hand without a post gate: told too', () => {
    const expired = { ...w, expired_at: '2026-06-01T14:10:00Z', expired_by: 'bob' };
    const out = step('2026-06-01T14:12:00Z', [expired], null);
    expect(out.info.find((i) => i.code === 'deploy_window_unclosed')?.summary).toMatch(
      /^deploy window w-1 was expired at 2026-06-01T14:10:00Z without a post gate .*: it held back nothing still open/,
    );
  });

  it('closed by the post gate, still open, or a day past its end: nothing to tell', () => {
    const closed = { ...w, expired_at: '2026-06-01T14:20:00Z', post_gate_at: '2026-06-01T14:20:00Z' };
    const codes = (silences: unknown[], now: string) => step(now, silences, null).info.map((i) => i.code);
    expect(codes([closed], '2026-06-01T14:31:00Z')).not.toContain('deploy_window_unclosed');
    expect(codes([w], '2026-06-01T14:29:00Z')).not.toContain('deploy_window_unclosed');
    expect(codes([w], '2026-06-02T14:30:00Z')).not.toContain('deploy_window_unclosed');
    expect(codes([w], '2026-06-02T14:29:59Z')).toContain('deploy_window_unclosed');
  });
});

describe('windows that end without a post gate are bounded like every info item', () => {
  const ended = (i: number) =>
    window(
      new Date(Date.parse('2026-06-01T13:30:00Z') + i * 40 * 60_000).toISOString(),
      new Date(Date.parse('2026-06-01T14:00:00Z') + i * 40 * 60_000).toISOString(),
      { id: `w-${i}` },
    );
  const NOW = Date.parse('2026-06-02T13:00:00Z');
  const previousHolding = (id: string, held: string[]): DetectorOutput =>
    ({
      events: [],
      info: [{ code: 'deploy_window_unclosed', summary: 'x', details: { id, held } }],
    }) as unknown as DetectorOutput;

  it('at most 10 told one by one; the rest in one item that counts and names them', () => {
    const windows = Array.from({ length: 25 }, (_, i) => ended(i));
    const info = unclosedWindows(windows, undefined, NOW);
    expect(info).toHaveLength(11);
    expect(info.slice(0, 10).map((i) => (i.details as { id: string }).id)).toEqual(
      windows.slice(0, 10).map((w) => w.id),
    );
    expect(info[10].code).toBe('deploy_window_unclosed');
    expect(info[10].summary).toMatch(/^15 more deploy windows ended without a post gate: w-10, w-11, /);
    expect(info[10].details).toMatchObject({ more: 15 });
    for (const i of info) expect(i.summary.length).toBeLessThanOrEqual(SUMMARY_MAX);
    // Each is announced, the one that sums up the rest too.
    const notices = currentNotices({ events: [], info } as unknown as DetectorOutput, () => false);
    expect(notices.map((n) => n.text)).toEqual(info.map((i) => i.summary));
  });

  it('what a window held back is cut to fit, and the instruction survives', () => {
    const w = ended(0);
    const held = Array.from(
      { length: 30 },
      (_, i) => `dual_primary:${String(i).padStart(3, '0')}${'x'.repeat(380)}`,
    );
    const [info] = unclosedWindows([w], previousHolding(w.id, held), NOW);
    expect(info.summary.length).toBeLessThanOrEqual(SUMMARY_MAX);
    expect(info.summary).toMatch(/^deploy window w-0 ran out at .* it held back dual_primary:000/);
    expect(info.summary).toMatch(/ and \d+ more; run the post gate before accepting the deploy$/);
    expect(info.details).toMatchObject({ held_total: 20 });
  });

  it('a carried list from a tampered snapshot is bounded in count and length', () => {
    const w = ended(0);
    const held = Array.from({ length: 500 }, () => `dual_primary:${'y'.repeat(100_000)}`);
    const [info] = unclosedWindows([w], previousHolding(w.id, held), NOW);
    const kept = (info.details as { held: string[] }).held;
    expect(kept.length).toBeLessThanOrEqual(20);
    for (const h of kept) expect(h.length).toBeLessThanOrEqual(SIGNATURE_MAX);
    expect(JSON.stringify(info).length).toBeLessThan(20 * SIGNATURE_MAX + 2 * SUMMARY_MAX);
  });
});
