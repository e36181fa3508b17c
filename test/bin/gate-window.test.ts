// The deploy window end to end, offline on one --runs-dir: a GO pre gate opens it, the real detector
// holds back what the task replacement causes (and not a stuck exit), the run records keep it, and the
// post gate closes it, lists what it held back and waits for two clean scheduled checks.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../bin/commands/main';
import { FsStore } from '../../lambda/adapters/fs-store';
import { detect } from '../../lambda/detector/detect';
import type { Silence } from '../../lambda/detector/silences';
import { closeWindow, openWindow } from '../../lib/ops/deploy-window';
import type { DetectorOutput, RunRecord } from '../../lambda/detector/types';
import { SILENCES_KEY } from '../../lambda/shared/state-layout';
import { captureIo } from '../helpers/cli-io';
import { bundle } from '../helpers/bundle';
import { post, pre } from '../ops/gate-fixtures';

const PRE_NOW = '2026-06-01T14:05:30Z';

async function run(args: string[], now: string) {
  const io = captureIo({ now, env: { USER: 'carol', AEGIS_PT_CLUSTER: 'aegis-pt' } });
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

/** One scheduled check by the real detector with the stored silences, kept as a run record. */
async function check(
  dir: string,
  now: string,
  changes: Parameters<typeof bundle>[0],
  previous: DetectorOutput | null,
): Promise<DetectorOutput> {
  const store = new FsStore(dir);
  const { silences } = await store.readSilences();
  const observation = { ...bundle({ ...changes, now }), previous, silences };
  const out = detect(observation);
  // Started by EventBridge Scheduler: its identity is in the trigger (only such runs are scheduled checks),
  // and, as the handler's records do, what it observed (the post gate counts only checks of this service).
  const trigger = { trigger: 'schedule:primary', execution_id: `exec-${now}`, scheduled_time: now };
  await store.writeRun({ ...out, trigger, observation } as unknown as RunRecord);
  return out;
}

const fresh = (now: string) => new Date(Date.parse(now) - 10_000).toISOString();
const healthy = (now: string) => ({
  status: { heartbeat_at: fresh(now), pending_orders: 0, pending_order_details: [] },
});

describe('a deploy window', () => {
  it('opens on a GO pre gate, holds back the replacement, closes at post with what it held', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-window-'));
    const obs = join(dir, 'pre-obs.json');
    writeFileSync(obs, JSON.stringify(pre()));
    const baseline = join(dir, 'baseline.json');
    const opened = await run(
      [
        'gate',
        '--phase',
        'pre',
        '--observation',
        obs,
        '--out',
        baseline,
        '--window',
        '30m',
        '--runs-dir',
        dir,
      ],
      PRE_NOW,
    );
    expect(opened.code).toBe(0);
    expect(opened.err).toMatch(/deploy window w-\S+ open until 2026-06-01T14:35:30Z/);
    const window = JSON.parse(readFileSync(baseline, 'utf8')).deploy_window;
    expect(window).toMatchObject({
      kind: 'deploy-window',
      include_escalations: true,
      created_by: 'local:carol',
    });

    // The replacement: the dashboard is down for two checks, a stuck exit appears meanwhile.
    const t1 = '2026-06-01T14:07:00Z';
    const a = await check(
      dir,
      t1,
      { top: { status_v3: undefined, dashboard_error: 'HTTP 502' }, service: { runningCount: 0 } },
      null,
    );
    expect(a.new_events).toEqual([]);
    expect(a.events.map((e) => e.silenced_by)).toEqual(a.events.map(() => window.id));
    const t2 = '2026-06-01T14:12:00Z';
    const b = await check(dir, t2, { status: { heartbeat_at: fresh(t2), stuck_exits: 1 } }, a);
    expect(b.new_events.map((e) => e.code)).toEqual(['stuck_exits']); // a deploy does not cause it: told
    const t3 = '2026-06-01T14:17:00Z';
    const c = await check(dir, t3, healthy(t3), b);

    // Post gate before the second clean check: WAIT; the window is closed either way.
    const postObs = join(dir, 'post-obs.json');
    writeFileSync(postObs, JSON.stringify(post()));
    const early = await run(
      ['gate', '--phase', 'post', '--baseline', baseline, '--observation', postObs, '--runs-dir', dir],
      '2026-06-01T14:20:30Z',
    );
    expect(early.out).toMatch(
      /WARN {2}2 clean scheduled checks after the deploy: 2 scheduled check\(s\) since .*14:11:00Z .*14:12:00Z stuck_exits; .*14:17:00Z clean/,
    );
    expect(early.out).toMatch(
      new RegExp(`PASS {2}held back by deploy window ${window.id}: .*dashboard_unreachable`),
    );
    expect(early.code).toBe(4);
    const stored = JSON.parse(readFileSync(join(dir, SILENCES_KEY), 'utf8')).silences;
    expect(stored[0]).toMatchObject({ id: window.id, expired_by: 'local:carol' });

    // One more clean scheduled check: now the last two are clean and the post gate says GO.
    const t4 = '2026-06-01T14:19:00Z';
    await check(dir, t4, healthy(t4), c);
    const late = await run(
      [
        'gate',
        '--phase',
        'post',
        '--baseline',
        baseline,
        '--observation',
        postObs,
        '--runs-dir',
        dir,
        '--json',
      ],
      '2026-06-01T14:20:30Z',
    );
    const report = JSON.parse(late.out);
    const clean = report.criteria.find((x: { name: string }) => x.name.startsWith('2 clean'));
    expect(clean.outcome).toBe('pass');
    expect(clean.seen).toContain('14:17:00Z clean; 2026-06-01T14:19:00Z clean');
    expect(report.verdict).toBe('go');
    expect(late.code).toBe(0);
  });

  it('opens nothing when the pre gate is not GO', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-window-'));
    const obs = join(dir, 'example.json');
    writeFileSync(obs, JSON.stringify(bundle()));
    const r = await run(
      [
        'gate',
        '--phase',
        'pre',
        '--observation',
        obs,
        '--out',
        join(dir, 'b.json'),
        '--window',
        '30m',
        '--runs-dir',
        dir,
      ],
      PRE_NOW,
    );
    expect(r.code).toBe(4);
    expect(r.err).toContain('no deploy window opened: the verdict is WAIT');
    expect(JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')).deploy_window).toBeUndefined();
  });

  it('refuses a window longer than the maximum or malformed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-window-'));
    const obs = join(dir, 'pre.json');
    writeFileSync(obs, JSON.stringify(pre()));
    for (const [w, msg] of [
      ['25h', 'a deploy window lasts at most 2 h (default 30 min)'],
      ['2h1s', 'a deploy window lasts at most 2 h'],
      ['half an hour', '--window must be a duration'],
    ]) {
      const r = await run(
        [
          'gate',
          '--phase',
          'pre',
          '--observation',
          obs,
          '--out',
          join(dir, 'b.json'),
          '--window',
          w,
          '--runs-dir',
          dir,
        ],
        PRE_NOW,
      );
      expect(r.code).toBe(2);
      expect(r.err).toContain(msg);
    }
  });
});

describe('the window bounds', () => {
  it('--window default opens 30 minutes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-window-'));
    const obs = join(dir, 'pre.json');
    writeFileSync(obs, JSON.stringify(pre()));
    const r = await run(
      [
        'gate',
        '--phase',
        'pre',
        '--observation',
        obs,
        '--out',
        join(dir, 'b.json'),
        '--window',
        'default',
        '--runs-dir',
        dir,
      ],
      PRE_NOW,
    );
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/deploy window w-\S+ open until 2026-06-01T14:35:30Z \(/);
  });

  it('is cut at the session close, and a window that ran out without a post gate is told by the next check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-window-'));
    const store = new FsStore(dir);
    const opened = await openWindow(store, Date.parse('2026-06-01T19:45:00Z'), 2 * 3_600_000, 'local:carol');
    expect(opened.window.ends_at).toBe('2026-06-01T20:00:00Z');
    expect(opened.clippedAt).toBe(Date.parse('2026-06-01T20:00:00Z'));
    const t1 = '2026-06-01T19:57:00Z';
    const a = await check(dir, t1, { top: { status_v3: undefined, dashboard_error: 'HTTP 502' } }, null);
    expect(a.events.map((e) => e.silenced_by)).toContain(opened.window.id);
    const t2 = '2026-06-01T20:02:00Z';
    const b = await check(dir, t2, healthy(t2), a);
    expect(b.info.find((i) => i.code === 'deploy_window_unclosed')?.summary).toBe(
      `deploy window ${opened.window.id} ran out at 2026-06-01T20:00:00Z without a post gate (gate --phase post): it held back dashboard_unreachable; run the post gate before accepting the deploy`,
    );
    // The post gate, late, marks it closed: it is told no more.
    await closeWindow(store, opened.window, 'local:carol', Date.parse('2026-06-01T20:05:00Z'));
    const [stored] = (await store.readSilences()).silences as Silence[];
    expect(stored).toMatchObject({ post_gate_at: '2026-06-01T20:05:00Z', ends_at: '2026-06-01T20:00:00Z' });
    expect(stored.expired_at).toBeUndefined();
    const t3 = '2026-06-01T20:07:00Z';
    const c = await check(dir, t3, healthy(t3), b);
    expect(c.info.map((i) => i.code)).not.toContain('deploy_window_unclosed');
  });
});

describe('a window the post gate cannot close', () => {
  it('does not cost the post verdict: it is printed, WAIT, naming the window still open and how to close it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-window-'));
    const obs = join(dir, 'pre-obs.json');
    writeFileSync(obs, JSON.stringify(pre()));
    const baseline = join(dir, 'baseline.json');
    const args = ['--observation', obs, '--out', baseline, '--window', '30m', '--runs-dir', dir];
    expect((await run(['gate', '--phase', 'pre', ...args], PRE_NOW)).code).toBe(0);
    const window = JSON.parse(readFileSync(baseline, 'utf8')).deploy_window;
    // Someone edited the silences file by hand: it no longer reads (the monitor applies none of it).
    const file = join(dir, SILENCES_KEY);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"schema"', '"schema": 1, "schema"'));
    const postObs = join(dir, 'post-obs.json');
    writeFileSync(postObs, JSON.stringify(post()));
    const r = await run(
      ['gate', '--phase', 'post', '--baseline', baseline, '--observation', postObs, '--runs-dir', dir],
      '2026-06-01T14:20:30Z',
    );
    expect(r.code).toBe(4);
    expect(r.out).toMatch(
      new RegExp(
        `WARN {2}deploy window ${window.id} closed: not closed \\(.*duplicate key "schema".*\\); it holds back until ${window.ends_at} unless expired: silence expire ${window.id}`,
      ),
    );
    expect(r.out).toMatch(/^VERDICT: (WAIT|STOP)/m);
  });
});
