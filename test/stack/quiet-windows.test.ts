import { CronError } from '../../lambda/shared/cron';
import { isQuiet, quietWindows, weeklyFirings } from '../../lambda/shared/quiet-windows';
import { scheduleDefinitions } from '../../lambda/shared/schedules';
import { parseMonitorConfig } from '../../lib/stack/config';
import { BASE_CONTEXT } from './synth';

const at = (day: number, hh: number, mm: number) => day * 1440 + hh * 60 + mm; // 0 = Sunday

describe('quiet windows of the liveness alarm', () => {
  const windows = quietWindows(scheduleDefinitions());

  it('cover weekday nights and the weekend, derived from the default schedules', () => {
    expect(windows).toEqual([
      { minute: 10, hours: [22], weekDays: ['MON', 'TUE', 'WED', 'THU'], durationMin: 915 },
      { minute: 10, hours: [22], weekDays: ['FRI'], durationMin: 3795 },
    ]);
  });

  it('leave every weekday minute from 13:25 to 22:09 UTC watched, and mute the rest of the week', () => {
    const wrong: number[] = [];
    for (let t = 0; t < 7 * 1440; t++) {
      const day = Math.floor(t / 1440);
      const tod = t % 1440;
      const watched = day >= 1 && day <= 5 && tod >= 13 * 60 + 25 && tod < 22 * 60 + 10;
      if (isQuiet(windows, t) === watched) wrong.push(t);
    }
    expect(wrong).toEqual([]);
  });

  it('never mute a minute between two runs that are close enough to keep the alarm OK', () => {
    const runs = weeklyFirings(scheduleDefinitions());
    for (let i = 0; i + 1 < runs.length; i++) {
      if (runs[i + 1] - runs[i] > 15) continue;
      for (let t = runs[i] + 14; t < runs[i + 1]; t++) expect(isQuiet(windows, t)).toBe(false);
    }
  });

  it('follow a session that crosses midnight UTC', () => {
    const w = quietWindows(
      scheduleDefinitions(
        'cron(0,10,20,30,40,50 22-23,0-3 ? * * *)',
        'cron(5,15,25,35,45,55 22-23,0-3 ? * * *)',
      ),
    );
    expect(w).toEqual([
      {
        minute: 10,
        hours: [4],
        weekDays: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
        durationMin: 1090,
      },
    ]);
    expect(isQuiet(w, at(2, 23, 30))).toBe(false);
    expect(isQuiet(w, at(3, 1, 0))).toBe(false);
    expect(isQuiet(w, at(3, 12, 0))).toBe(true);
  });

  it('mute nothing when checks run around the clock', () => {
    expect(quietWindows(scheduleDefinitions('cron(0/5 * ? * * *)', 'cron(2/5 * ? * * *)'))).toEqual([]);
  });

  it.each([
    ['cron(7 13 1 * ? *)', /repeat weekly/],
    ['cron(7 13 ? JAN MON *)', /repeat weekly/],
    ['cron(7 13 ? * MON 2027)', /repeat weekly/],
  ])('rejects %s, which a weekly mute cannot follow', (cron, message) => {
    expect(() => quietWindows(scheduleDefinitions(cron))).toThrow(CronError);
    expect(() => quietWindows(scheduleDefinitions(cron))).toThrow(message);
    expect(() => parseMonitorConfig({ ...BASE_CONTEXT, primaryCron: cron })).toThrow(/context "primaryCron"/);
  });

  it('rejects schedules so sparse that the mutes would hide the session', () => {
    const sparse = 'cron(0 0,2,4,6,8,10,12,14,16,18,20,22 ? * MON,WED,FRI *)';
    expect(() => parseMonitorConfig({ ...BASE_CONTEXT, primaryCron: sparse, fallbackCron: sparse })).toThrow(
      /context "primaryCron": with fallbackCron: .*gaps of 15 minutes/,
    );
  });
});
