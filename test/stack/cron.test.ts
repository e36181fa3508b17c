import { CronError, firings, parseCron } from '../../lambda/shared/cron';
import { CADENCES, DEFAULT_FALLBACK_CRON, DEFAULT_PRIMARY_CRON } from '../../lambda/shared/schedules';

const iso = (ms: number[]) => ms.map((t) => new Date(t).toISOString().slice(0, 16));

describe('cron', () => {
  it('enumerates the default primary schedule on a weekday: every minute from 13:00 to 21:59 UTC', () => {
    const times = firings(
      parseCron(DEFAULT_PRIMARY_CRON),
      Date.parse('2026-06-01T00:00:00Z'),
      Date.parse('2026-06-01T23:59:59Z'),
    );
    expect(times).toHaveLength(540);
    expect(iso(times.slice(0, 3))).toEqual(['2026-06-01T13:00', '2026-06-01T13:01', '2026-06-01T13:02']);
    expect(iso(times.slice(-1))).toEqual(['2026-06-01T21:59']);
  });

  it('enumerates the default fallback schedule: every 5 minutes from 13:02 to 21:57 UTC', () => {
    const times = firings(
      parseCron(DEFAULT_FALLBACK_CRON),
      Date.parse('2026-06-01T00:00:00Z'),
      Date.parse('2026-06-01T23:59:59Z'),
    );
    expect(times).toHaveLength(108);
    expect(iso(times.slice(0, 3))).toEqual(['2026-06-01T13:02', '2026-06-01T13:07', '2026-06-01T13:12']);
    expect(iso(times.slice(-1))).toEqual(['2026-06-01T21:57']);
  });

  it('enumerates the interleave primary schedule on a weekday: 6 per hour from 13:07 to 21:57 UTC', () => {
    const times = firings(
      parseCron(CADENCES['5m'].primary),
      Date.parse('2026-06-01T00:00:00Z'),
      Date.parse('2026-06-01T23:59:59Z'),
    );
    expect(times).toHaveLength(54);
    expect(iso(times.slice(0, 3))).toEqual(['2026-06-01T13:07', '2026-06-01T13:17', '2026-06-01T13:27']);
    expect(iso(times.slice(-1))).toEqual(['2026-06-01T21:57']);
  });

  it('enumerates the interleave fallback schedule: 5 per hour at 12..52', () => {
    const times = firings(
      parseCron(CADENCES['5m'].fallback),
      Date.parse('2026-06-01T13:00:00Z'),
      Date.parse('2026-06-01T13:59:00Z'),
    );
    expect(iso(times)).toEqual([
      '2026-06-01T13:12',
      '2026-06-01T13:22',
      '2026-06-01T13:32',
      '2026-06-01T13:42',
      '2026-06-01T13:52',
    ]);
  });

  it('fires on no weekend day and on holidays that fall on weekdays', () => {
    const cron = parseCron(DEFAULT_PRIMARY_CRON);
    expect(firings(cron, Date.parse('2026-06-06T00:00:00Z'), Date.parse('2026-06-07T23:59:00Z'))).toEqual([]);
    expect(
      firings(cron, Date.parse('2026-11-26T00:00:00Z'), Date.parse('2026-11-26T23:59:00Z')),
    ).toHaveLength(540); // Thanksgiving
    const interleave = parseCron(CADENCES['5m'].primary);
    expect(
      firings(interleave, Date.parse('2026-11-26T00:00:00Z'), Date.parse('2026-11-26T23:59:00Z')),
    ).toHaveLength(54);
  });

  it('supports steps, names, lists and day-of-month schedules', () => {
    const c = parseCron('cron(0/15 9 1,15 JAN-MAR ? 2027)');
    expect(iso(firings(c, Date.parse('2027-01-01T00:00:00Z'), Date.parse('2027-01-01T23:59:00Z')))).toEqual([
      '2027-01-01T09:00',
      '2027-01-01T09:15',
      '2027-01-01T09:30',
      '2027-01-01T09:45',
    ]);
    expect(firings(c, Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-01-01T23:59:00Z'))).toEqual([]);
  });

  it.each([
    'rate(5 minutes)',
    'cron(7 13 * * *)',
    'cron(7 13 * * MON-FRI *)',
    'cron(7 13 ? * ? *)',
    'cron(60 13 ? * MON *)',
    'cron(7 24 ? * MON *)',
    'cron(7 13 ? * FUNDAY *)',
    'cron(7 21-13 ? * MON *)',
    'cron(*/0 13 ? * MON *)',
  ])('rejects %s', (expression) => {
    expect(() => parseCron(expression)).toThrow(CronError);
  });

  it.each([
    ['cron(7 13 L * ? *)', 'day-of-month: "L"'],
    ['cron(7 13 15W * ? *)', 'day-of-month: "15W"'],
    ['cron(7 13 LW * ? *)', 'day-of-month: "LW"'],
    ['cron(7 13 ? * 6L *)', 'day-of-week: "6L"'],
    ['cron(7 13 ? * MON#2 *)', 'day-of-week: "MON#2"'],
    ['cron(7 13 ? * 2#1,WED *)', 'day-of-week: "2#1"'],
  ])('names %s as valid for EventBridge but unsupported by the monitor', (expression, part) => {
    expect(() => parseCron(expression)).toThrow(
      `${part} uses L, W or #, which EventBridge accepts but the monitor does not support`,
    );
  });

  it('still takes WED and JUL, whose names hold a W or an L', () => {
    expect(() => parseCron('cron(7 13 ? JUL WED *)')).not.toThrow();
  });
});
