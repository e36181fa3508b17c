// Review of issue #21's gap: a window is covered only by a run that happened. Records dated after now
// (forged, or a clock gone wrong) must not cover windows that are not due yet, nor recent ones.
import { main } from '../../bin/commands/main';
import { captureIo } from '../helpers/cli-io';
import { INTERLEAVE_CRON_ARGS, record, runsDir, scheduledRecords } from '../helpers/runs';

const NOW = '2026-06-01T14:00:00Z';

async function gap(dir: string, from: string, until: string) {
  const io = captureIo({ now: NOW });
  const code = await main(
    // The records follow the 5-minute interleave: judged against it, not the one-minute default.
    ['gap', '--runs-dir', dir, '--json', '--created-after', from, '--until', until, ...INTERLEAVE_CRON_ARGS],
    io,
  );
  return { code, out: io.out, err: io.err };
}

describe('gap: nothing after now covers a window', () => {
  it('the afternoon written ahead of time at 14:00 is not "covered": the range ends at now', async () => {
    // Every window of the day "run" on time, including the ones after 14:00 that have not happened.
    const dir = await runsDir(scheduledRecords('2026-06-01T13:00:00Z', '2026-06-01T16:00:00Z'));
    const r = await gap(dir, '2026-06-01T13:00:00Z', '2026-06-01T16:00:00Z');
    const report = JSON.parse(r.out);
    expect(report.until).toBe(NOW);
    // 13:07..13:57 primary and 13:12..13:52 fallback; none after 14:00 is expected, covered or missing.
    expect(report).toMatchObject({ expected: 11, covered: 11, verdict: 'covered' });
    expect(report.covered_windows.every((w: { at: string }) => w.at < NOW)).toBe(true);
    expect(r.code).toBe(0);
  });

  it('a range wholly after now is refused, not judged', async () => {
    const dir = await runsDir(scheduledRecords('2026-06-01T15:00:00Z', '2026-06-01T16:00:00Z'));
    const r = await gap(dir, '2026-06-01T15:00:00Z', '2026-06-01T16:00:00Z');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--until is before --created-after \(the range is cut at now/);
    expect(r.out).not.toMatch(/covered/);
  });

  it('a run dated minutes after now does not cover the last window before now; it is listed as covering nothing', async () => {
    // The 13:57 primary window, "run" at 14:05: within its grace, but in the future of 14:00.
    const dir = await runsDir([record('2026-06-01T14:05:00Z', 'schedule:primary', '2026-06-01T13:57:00Z')]);
    const r = await gap(dir, '2026-06-01T13:55:00Z', NOW);
    const report = JSON.parse(r.out);
    expect(report.covered).toBe(0);
    expect(report.pending_windows).toEqual([{ schedule: 'primary', at: '2026-06-01T13:57:00Z' }]);
    expect(report.hand_invocations).toEqual([
      expect.objectContaining({
        checked_at: '2026-06-01T14:05:00Z',
        why: expect.stringMatching(/after this clock/),
      }),
    ]);
  });
});
