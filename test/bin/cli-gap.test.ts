// `gap` judged per schedule, a --runs-dir that is not there, and the capped window list.
import { join } from 'node:path';
import { main } from '../../bin/commands/main';
import { captureIo } from '../helpers/cli-io';
import { handInvoked, INTERLEAVE_CRON_ARGS, record, runsDir, scheduledRecords } from '../helpers/runs';

async function run(args: string[], now = '2026-06-02T00:00:00Z') {
  const io = captureIo({ now });
  // These tests count the interleave's windows; the default cadence is tested with its own records.
  const withCrons = args[0] === 'gap' && !args.includes('--cron') ? [...args, ...INTERLEAVE_CRON_ARGS] : args;
  const code = await main(withCrons, io);
  return { code, out: io.out, err: io.err };
}

const DAY = ['--created-after', '2026-06-01T12:00:00Z', '--until', '2026-06-01T23:00:00Z'];

describe('gap, per schedule', () => {
  it('shows a dead primary schedule even though fallback runs fall within every primary grace', async () => {
    const fallbackOnly = scheduledRecords('2026-06-01T00:00:00Z', '2026-06-01T23:59:00Z').filter(
      (r) => r.trigger.trigger === 'schedule:fallback',
    );
    const r = await run(['gap', '--runs-dir', await runsDir(fallbackOnly), '--json', ...DAY]);
    expect(r.code).toBe(4);
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ expected: 99, covered: 45, verdict: 'missing' });
    expect(report.missing_windows).toHaveLength(54);
    expect(report.missing_windows.every((w: { schedule: string }) => w.schedule === 'primary')).toBe(true);
    expect(report.runs_outside_windows).toEqual([]);
  });

  it('covers each window with its own schedule only, and a retry in the same window is not off-schedule', async () => {
    const records = [
      record('2026-06-01T13:07:30Z', 'schedule:fallback'), // wrong schedule for the 13:07 primary window
      record('2026-06-01T13:12:30Z', 'schedule:fallback'),
      record('2026-06-01T13:14:00Z', 'schedule:fallback', '2026-06-01T13:12:00Z'), // the async retry of the 13:12 invocation
    ];
    const r = await run([
      'gap',
      '--runs-dir',
      await runsDir(records),
      '--json',
      '--created-after',
      '2026-06-01T13:00:00Z',
      '--until',
      '2026-06-01T13:16:00Z',
    ]);
    const report = JSON.parse(r.out);
    expect(report.missing_windows).toEqual([{ schedule: 'primary', at: '2026-06-01T13:07:00Z' }]);
    expect(report.covered_windows).toEqual([
      {
        schedule: 'fallback',
        at: '2026-06-01T13:12:00Z',
        covered_by:
          '2026-06-01T13:12:30Z schedule:fallback execution exec-schedule:fallback-2026-06-01T13:12:00Z',
      },
    ]);
    // The 13:07:30 fallback run is in no window of its own schedule.
    expect(report.runs_outside_windows).toEqual([
      { checked_at: '2026-06-01T13:07:30Z', trigger: 'schedule:fallback' },
    ]);
    expect(r.code).toBe(4);
  });

  const HOUR = ['--created-after', '2026-06-01T13:00:00Z', '--until', '2026-06-01T14:10:00Z'];

  it('the issue: 11 windows "covered" by hand invocations cover none; they are listed apart', async () => {
    const byHand = scheduledRecords('2026-06-01T13:00:00Z', '2026-06-01T14:00:00Z').map((r) =>
      handInvoked(r.checked_at, r.trigger.trigger as 'schedule:primary'),
    );
    expect(byHand).toHaveLength(11);
    const r = await run(['gap', '--runs-dir', await runsDir(byHand), '--json', ...HOUR]);
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ expected: 11, covered: 0, verdict: 'missing', runs_outside_windows: [] });
    expect(report.hand_invocations).toHaveLength(11);
    expect(report.hand_invocations[0]).toEqual({
      checked_at: '2026-06-01T13:07:30Z',
      trigger: 'schedule:primary',
      why: 'no Scheduler execution id (a hand invocation with a schedule payload)',
    });
    expect(r.code).toBe(4);
    const text = await run(['gap', '--runs-dir', await runsDir(byHand), ...HOUR]);
    expect(text.out).toContain('covers nothing (no Scheduler execution id');
  });

  it('a scheduled time written after the run (a copied payload) covers nothing', async () => {
    const forged = record('2026-06-01T13:05:00Z', 'schedule:primary', '2026-06-01T13:07:00Z');
    const report = JSON.parse(
      (await run(['gap', '--runs-dir', await runsDir([forged]), '--json', ...HOUR])).out,
    );
    expect(report.covered).toBe(0);
    expect(report.hand_invocations[0].why).toMatch(
      /after the run at 2026-06-01T13:05:00Z: not started by the scheduler/,
    );
  });

  it('matches a run to the window it was scheduled for, not to the window its checked_at falls in', async () => {
    // The 13:07 invocation retried late, at 13:17:30: it is not the 13:17 check, which never ran.
    const records = scheduledRecords('2026-06-01T13:00:00Z', '2026-06-01T14:00:00Z').filter(
      (r) => !['2026-06-01T13:07:30Z', '2026-06-01T13:17:30Z'].includes(r.checked_at),
    );
    records.push(record('2026-06-01T13:17:30Z', 'schedule:primary', '2026-06-01T13:07:00Z'));
    const report = JSON.parse(
      (await run(['gap', '--runs-dir', await runsDir(records), '--json', ...HOUR])).out,
    );
    expect(report.missing_windows).toEqual([
      { schedule: 'primary', at: '2026-06-01T13:07:00Z' },
      { schedule: 'primary', at: '2026-06-01T13:17:00Z' },
    ]);
  });

  it('stops with exit 2 on a --runs-dir that does not exist, instead of reporting every window missing', async () => {
    const missing = join(await runsDir([]), 'no-such-dir');
    const r = await run(['gap', '--runs-dir', missing, ...DAY]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`aegis-pt-health gap: --runs-dir ${missing}: no such directory\n`);
    expect(r.out).toBe('');
  });

  it.each([['-3000d'], ['1990-01-01'], ['-401d']])(
    'refuses --created-after %s, further back than run records are kept (exit 2, one line, no enumeration)',
    async (from) => {
      const r = await run(['gap', '--runs-dir', await runsDir([]), '--created-after', from]);
      expect(r.code).toBe(2);
      expect(r.err.trimEnd().split('\n')).toEqual([
        expect.stringMatching(
          /^aegis-pt-health gap: --created-after reaches \d+ days back: run records are kept 400 days, so a range spans at most that; see aegis-pt-health gap --help$/,
        ),
      ]);
      expect(r.out).toBe('');
    },
  );

  it('judges a range of exactly the 400 days run records are kept', async () => {
    const r = await run(['gap', '--runs-dir', await runsDir([]), '--created-after', '-400d', '--json']);
    expect(r.code).toBe(4);
    expect(JSON.parse(r.out).verdict).toBe('missing');
  });

  it('without --until lists the 20 most recent windows and counts the rest; with --until lists them all', async () => {
    const dir = await runsDir([]);
    const open = await run(
      ['gap', '--runs-dir', dir, '--created-after', '2026-06-01T13:00:00Z'],
      '2026-06-03T00:00:00Z',
    );
    expect(open.code).toBe(4);
    expect(open.out).toContain('Expected windows: 198, covered: 0, missing: 198');
    expect(open.out.match(/^ {2}MISSING /gm)).toHaveLength(20);
    expect(open.out).toContain(
      '... 178 earlier missing window(s) not listed (give --until to list every one)',
    );
    expect(open.out).toContain('MISSING fallback 2026-06-02T21:52:00Z');
    const json = JSON.parse(
      (
        await run(
          ['gap', '--runs-dir', dir, '--json', '--created-after', '2026-06-01T13:00:00Z'],
          '2026-06-03T00:00:00Z',
        )
      ).out,
    );
    expect(json.missing_windows).toHaveLength(20);
    expect(json.not_listed).toEqual({ missing: 178, covered: 0 });
    const closed = await run(
      [
        'gap',
        '--runs-dir',
        dir,
        '--json',
        '--created-after',
        '2026-06-01T13:00:00Z',
        '--until',
        '2026-06-03T00:00:00Z',
      ],
      '2026-06-03T00:00:00Z',
    );
    expect(JSON.parse(closed.out).missing_windows).toHaveLength(198);
  });
});
