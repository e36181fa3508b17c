// Every run keeps what it saw: the demo day's stored observations re-judged give the stored outputs,
// and `replay` over them compares what would have been told with what was told.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../bin/commands/main';
import { FsStore } from '../../lambda/adapters/fs-store';
import { detect } from '../../lambda/detector/detect';
import type { RunRecord } from '../../lambda/detector/types';
import { runCheck } from '../../lambda/run-check';
import { outputOfRecord, replayBundle } from '../../lambda/run-observation';
import { runDemo } from '../../lib/demo/run-demo';
import { captureIo } from '../helpers/cli-io';
import { localDeps, payloadAt } from '../helpers/check-deps';

jest.setTimeout(120_000);

let dir: string;
let records: RunRecord[];

const output = outputOfRecord;

beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), 'aegis-replay-')), '.demo');
  await runDemo(dir, () => undefined);
  records = (await new FsStore(dir).listRuns({ from: '2026-06-01T00:00:00Z', to: '2026-06-02T00:00:00Z' }))
    .records;
});

const replayCli = async (...args: string[]) => {
  const io = captureIo({ now: '2026-06-02T12:00:00Z' });
  const code = await main(
    ['replay', '--runs-dir', dir, '--from', '2026-06-01T00:00:00Z', '--to', '2026-06-01T23:59:59Z', ...args],
    io,
  );
  return { code, out: io.out, err: io.err };
};

describe('the stored observation', () => {
  it('is kept with every run, with the settings in force and the output it followed', () => {
    expect(records).toHaveLength(651);
    for (const [i, r] of records.entries()) {
      expect(Date.parse(r.observation!.now)).toBe(Date.parse(r.checked_at));
      expect(r.observation?.config.AEGIS_PT_HEARTBEAT_STALE_SEC).toBe(300);
      expect(r.observation?.previous_checked_at).toBe(i === 0 ? null : records[i - 1].checked_at);
    }
    const down = records.find((r) => r.observation?.dashboard_error !== undefined);
    expect(down?.observation?.dashboard_error).toMatch(/502/);
  });

  it('re-judged with the previous run as `previous` reproduces every stored output of the day', () => {
    for (const [i, r] of records.entries()) {
      const previous = i === 0 ? null : output(records[i - 1]);
      expect(detect(replayBundle(r.observation!, previous))).toEqual(output(r));
    }
  });

  it('is what `detect --observation` reproduces, whatever the environment says', async () => {
    const i = records.findIndex((r) => r.decision === 'escalate');
    const file = join(dir, 'bundle.json');
    writeFileSync(file, JSON.stringify(replayBundle(records[i].observation!, output(records[i - 1]))));
    const io = captureIo({ env: { AEGIS_PT_HEARTBEAT_STALE_SEC: '1', AEGIS_PT_PENDING_ORDER_WARN: '1' } });
    expect(await main(['detect', '--observation', file], io)).toBe(0);
    expect(JSON.parse(io.out)).toEqual(output(records[i]));
  });
});

describe('aegis-pt-health replay over the demo day', () => {
  it('with its own settings finds no difference', async () => {
    const { code, out } = await replayCli();
    expect(code).toBe(0);
    expect(out).toContain('Notifications: then 7, now 7; 0 line(s) differ');
    expect(out.match(/^= /gm)).toHaveLength(7);
    expect(out).toContain('Told then, never now (0):');
    expect(out.trimEnd().split('\n').at(-1)).toBe('VERDICT: no difference');
  });

  it('with a raised pending-order warn level drops the buildup notification and says so', async () => {
    const { code, out } = await replayCli('--set', 'AEGIS_PT_PENDING_ORDER_WARN=3');
    expect(code).toBe(0);
    expect(out).toMatch(
      /^- 11:07 ET 2026-06-01T15:07:20Z schedule:primary +notify +new warn:pending_order_buildup$/m,
    );
    expect(out).toMatch(/^- 11:22 ET .* resolved pending_order_buildup$/m);
    expect(out).not.toMatch(/^\+ /m);
    expect(out).toContain('Notifications: then 7, now 5; 2 line(s) differ');
    expect(out).toContain(
      'Told then, never now (1):\n  WARN pending_order_buildup (told 11:07 ET, 2026-06-01T15:07:20Z)',
    );
    expect(out).toContain('VERDICT: notifications differ');
  });

  it('--json gives the same comparison for machines', async () => {
    const { code, out } = await replayCli('--set', 'AEGIS_PT_PENDING_ORDER_WARN=3', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report).toMatchObject({
      runs: 651,
      notifications_then: 7,
      notifications_now: 5,
      verdict: 'different',
      settings: { AEGIS_PT_PENDING_ORDER_WARN: '3' },
      escalations_lost: [],
    });
    expect(report.no_longer_told).toEqual([
      {
        signature: 'pending_order_buildup',
        severity: 'warn',
        escalate: false,
        told_at: '2026-06-01T15:07:20Z',
      },
    ]);
  });

  it('with a lowered exit-attempt warn level tells more and loses nothing', async () => {
    const { code, out } = await replayCli('--set', 'AEGIS_PT_HIGH_EXIT_ATTEMPT_WARN=6');
    expect(code).toBe(0);
    expect(out).toMatch(/^\+ 12:07 ET .*warn:high_exit_attempts/m);
    expect(out).toContain('Told now, never then (1):\n  WARN high_exit_attempts');
  });

  it('refuses settings that are not detector settings, bad values and inconsistent pairs (exit 2)', async () => {
    let r = await replayCli('--set', 'AEGIS_PT_HEARTBEAT_STALE=900');
    expect([r.code, r.err]).toEqual([
      2,
      expect.stringContaining('AEGIS_PT_HEARTBEAT_STALE: not a detector setting'),
    ]);
    r = await replayCli('--set', 'AEGIS_PT_HEARTBEAT_STALE_SEC=soon');
    expect([r.code, r.err]).toEqual([2, expect.stringContaining('AEGIS_PT_HEARTBEAT_STALE_SEC: must be')]);
    r = await replayCli('--set', 'AEGIS_PT_PENDING_ORDER_WARN=5');
    expect([r.code, r.err]).toEqual([2, expect.stringContaining('AEGIS_PT_PENDING_ORDER_WARN: must be <=')]);
    r = await replayCli('--set', 'nonsense');
    expect(r.code).toBe(2);
  });

  it('says which runs could not be replayed: records stored before runs kept their observation', async () => {
    const old = output(records[0]) as RunRecord;
    const oldDir = mkdtempSync(join(tmpdir(), 'aegis-old-'));
    await new FsStore(oldDir).writeRun(old);
    const io = captureIo();
    const code = await main(
      ['replay', '--runs-dir', oldDir, '--from', '2026-06-01', '--to', '2026-06-02'],
      io,
    );
    expect(code).toBe(0);
    expect(io.out).toContain('1 run(s) stored without their observation were not replayed');
    const empty = captureIo();
    expect(
      await main(['replay', '--runs-dir', oldDir, '--from', '2026-06-03', '--to', '2026-06-04'], empty),
    ).toBe(2);
    expect(empty.err).toContain('no run records between --from and --to');
  });
});

describe('replay over damaged records', () => {
  it('skips and names a run whose stored observation cannot be judged, and replays the rest', async () => {
    const damagedDir = mkdtempSync(join(tmpdir(), 'aegis-damaged-'));
    const store = new FsStore(damagedDir);
    for (const r of records) {
      const broken = r.checked_at === '2026-06-01T15:07:20Z';
      await store.writeRun(broken ? { ...r, observation: { ...r.observation!, now: 'yesterday' } } : r);
    }
    const io = captureIo();
    const code = await main(
      ['replay', '--runs-dir', damagedDir, '--from', '2026-06-01', '--to', '2026-06-02', '--json'],
      io,
    );
    expect(code).toBe(0);
    const report = JSON.parse(io.out);
    expect(report.runs_unreadable).toEqual([
      { checked_at: '2026-06-01T15:07:20Z', reason: expect.stringContaining('"now"') },
    ]);
    // The buildup is then told by the next run instead: nothing is lost, one telling moves.
    expect(report.escalations_lost).toEqual([]);
    expect(report.notifications_then).toBe(6);
  });
});

describe('replay that would hide an escalation', () => {
  it('exits 4 with a loud warning when a raised heartbeat threshold never tells the stale-heartbeat escalation', async () => {
    // A session hour where the heartbeat stops at 14:08Z and comes back at 14:37Z, run by the real sequence.
    const deps = localDeps('http://127.0.0.1:9');
    let payload: Record<string, unknown> = {};
    const checked = { ...deps, dashboard: { fetch: async () => ({ payload }) } };
    for (let t = Date.parse('2026-06-02T14:00:20Z'); t <= Date.parse('2026-06-02T14:45:20Z'); t += 300_000) {
      const at = new Date(t).toISOString();
      deps.clockAt.iso = at;
      const stalled = at > '2026-06-02T14:10' && at < '2026-06-02T14:37';
      payload = payloadAt(at, stalled ? { heartbeat_at: '2026-06-02T14:08:00Z' } : {});
      await runCheck(checked, { trigger: 'schedule:primary' });
    }
    expect(deps.notifier.sent.map((m) => m.decision)).toEqual(['notify', 'escalate', 'observe']);
    const run = async (...set: string[]) => {
      const io = captureIo();
      const code = await main(
        [
          'replay',
          '--runs-dir',
          deps.dir,
          '--from',
          '2026-06-02T14:00:00Z',
          '--to',
          '2026-06-02T15:00:00Z',
          ...set,
        ],
        io,
      );
      return { code, out: io.out, err: io.err };
    };
    expect((await run()).code).toBe(0);
    const raised = await run('--set', 'AEGIS_PT_HEARTBEAT_STALE_SEC=3600');
    expect(raised.code).toBe(4);
    expect(raised.out).toContain(
      '!!! WARNING: 1 ESCALATION(S) TOLD BEFORE WOULD NEVER BE TOLD WITH THESE SETTINGS !!!',
    );
    expect(raised.out).toMatch(/^ {2}CRITICAL ESCALATE heartbeat_stale \(told 10:20 ET/m);
    expect(raised.out.trimEnd().split('\n').at(-1)).toBe('VERDICT: an escalation would be lost');
    expect(raised.err).toContain('WARNING: 1 escalation(s) told before would never be told');
    // Raised, but still below the stall: the escalation comes later and is still told.
    const later = await run('--set', 'AEGIS_PT_HEARTBEAT_STALE_SEC=600');
    expect(later.code).toBe(0);
    expect(later.out).toContain('VERDICT: notifications differ');
  });
});
