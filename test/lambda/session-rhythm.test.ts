// The default schedules must still run when the post-close proof falls due, every trading day: both DST
// seasons, early closes, and the daily digest's due time follows the schedules, not a copy of their hours.
import { sessionOn, sessionsBetween } from '../../lambda/detector/market-clock';
import { cadenceDefinitions, scheduleDefinitions } from '../../lambda/shared/schedules';
import {
  digestDueAt,
  digestSessionAt,
  firingsOnEtDay,
  nextSessionAfter,
  proofCheckAt,
} from '../../lambda/shared/session-rhythm';

const defaults = scheduleDefinitions();
/** The 5-minute interleave (`-c cadence=5m`), checked with the times these tests were written for. */
const interleave = cadenceDefinitions('5m');
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const session = (date: string) => {
  const s = sessionOn(date);
  if (!s) throw new Error(`no session on ${date}`);
  return s;
};

describe('the default schedules and the post-close proof', () => {
  it.each([
    ['default', defaults],
    ['interleave', interleave],
  ])('a scheduled check (%s) follows the proof due time on every session of 2026-2028', (_, schedules) => {
    const uncovered = sessionsBetween('2026-01-01', '2028-12-31').filter(
      (s) => proofCheckAt(s, 1800, schedules) === undefined,
    );
    expect(uncovered).toEqual([]);
  });

  it('at the one-minute default: the minute after the due time, summer, winter and early close', () => {
    expect(iso(proofCheckAt(session('2026-06-01'), 1800, defaults))).toBe('2026-06-01T20:31:00.000Z');
    expect(iso(proofCheckAt(session('2026-12-01'), 1800, defaults))).toBe('2026-12-01T21:31:00.000Z');
    expect(iso(proofCheckAt(session('2026-11-27'), 1800, defaults))).toBe('2026-11-27T18:31:00.000Z');
    expect(iso(proofCheckAt(session('2025-07-03'), 1800, defaults))).toBe('2025-07-03T17:31:00.000Z');
    expect(iso(digestDueAt(session('2026-12-01'), 3600, defaults))).toBe('2026-12-01T21:59:00.000Z');
    const day = firingsOnEtDay('2026-06-01', defaults);
    expect(day).toHaveLength(540 + 108);
    expect(iso(day[day.length - 1])).toBe('2026-06-01T21:59:00.000Z');
  });

  it('summer, winter and early close: the first check past the due time', () => {
    expect(iso(proofCheckAt(session('2026-06-01'), 1800, interleave))).toBe('2026-06-01T20:32:00.000Z');
    expect(iso(proofCheckAt(session('2026-12-01'), 1800, interleave))).toBe('2026-12-01T21:32:00.000Z');
    // The day after Thanksgiving closes at 13:00 EST (18:00Z); the Christmas Eve of 2026 too.
    expect(iso(proofCheckAt(session('2026-11-27'), 1800, interleave))).toBe('2026-11-27T18:32:00.000Z');
    expect(iso(proofCheckAt(session('2026-12-24'), 1800, interleave))).toBe('2026-12-24T18:32:00.000Z');
    // A summer early close (EDT): Thursday 2025-07-03 closed at 13:00 EDT = 17:00Z.
    expect(iso(proofCheckAt(session('2025-07-03'), 1800, interleave))).toBe('2025-07-03T17:32:00.000Z');
  });

  it('says so when a longer grace or a shorter schedule leaves the proof unchecked', () => {
    expect(proofCheckAt(session('2026-12-01'), 3600, interleave)).toBeUndefined();
    const short = scheduleDefinitions('cron(7,17,27,37,47,57 13-19 ? * MON-FRI *)');
    expect(proofCheckAt(session('2026-06-01'), 1800, short)).toBeDefined(); // the fallback still runs
    const bothShort = scheduleDefinitions(
      'cron(7,17,27,37,47,57 13-19 ? * MON-FRI *)',
      'cron(12,22,32,42,52 13-19 ? * MON-FRI *)',
    );
    expect(proofCheckAt(session('2026-06-01'), 1800, bothShort)).toBeUndefined();
  });
});

describe('the daily digest due time', () => {
  it('is the proof due time, or the last scheduled check of the day when that is earlier', () => {
    expect(iso(digestDueAt(session('2026-06-01'), 1800, interleave))).toBe('2026-06-01T20:30:00.000Z');
    expect(iso(digestDueAt(session('2026-12-01'), 1800, interleave))).toBe('2026-12-01T21:30:00.000Z');
    expect(iso(digestDueAt(session('2026-11-27'), 1800, interleave))).toBe('2026-11-27T18:30:00.000Z');
    // A grace past the schedule's end: the last check of the day (21:57Z) sends it.
    expect(iso(digestDueAt(session('2026-12-01'), 3600, interleave))).toBe('2026-12-01T21:57:00.000Z');
  });

  it('belongs to the latest session whose digest is due, looking back over weekends and holidays', () => {
    expect(digestSessionAt(Date.parse('2026-06-01T20:29:59Z'), 1800, interleave)?.date).toBe('2026-05-29');
    expect(digestSessionAt(Date.parse('2026-06-01T20:30:00Z'), 1800, interleave)?.date).toBe('2026-06-01');
    expect(digestSessionAt(Date.parse('2026-06-02T13:07:00Z'), 1800, interleave)?.date).toBe('2026-06-01');
    // Thanksgiving (closed) and the weekend after the early close still point at Friday 2026-11-27.
    expect(digestSessionAt(Date.parse('2026-11-30T13:07:00Z'), 1800, interleave)?.date).toBe('2026-11-27');
  });

  it('names the next session, skipping holidays and weekends', () => {
    expect(nextSessionAfter('2026-11-25')).toMatchObject({ date: '2026-11-27', early_close: true });
    expect(nextSessionAfter('2026-11-27')?.date).toBe('2026-11-30');
  });

  it('lists a day of the interleave in ET: 99 firings, the last at 21:57Z', () => {
    const day = firingsOnEtDay('2026-06-01', interleave);
    expect(day).toHaveLength(99);
    expect(iso(day[day.length - 1])).toBe('2026-06-01T21:57:00.000Z');
  });
});
