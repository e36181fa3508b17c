import { CronError } from '../../lambda/shared/cron';
import { isQuiet, livenessShape, quietWindows, weeklyFirings } from '../../lambda/shared/quiet-windows';
import { cadenceDefinitions, scheduleDefinitions } from '../../lambda/shared/schedules';
import { parseMonitorConfig } from '../../lib/stack/config';
import { BASE_CONTEXT } from './synth';

const at = (day: number, hh: number, mm: number) => day * 1440 + hh * 60 + mm; // 0 = Sunday

describe('the liveness alarm shape, from the crons', () => {
  it('at the one-minute default: 1-minute periods, 6 empty (the 5-minute fallback alone leaves 4, +1 for Scheduler)', () => {
    expect(livenessShape(cadenceDefinitions('1m'))).toEqual({
      periodMin: 1,
      emptyPeriods: 6,
      detectionMin: 6,
    });
  });

  it('at the 5-minute interleave: 5-minute periods, 4 empty (the fallback alone leaves :52 to :12 each hour)', () => {
    expect(livenessShape(cadenceDefinitions('5m'))).toEqual({
      periodMin: 5,
      emptyPeriods: 4,
      detectionMin: 20,
    });
  });

  it('two lanes every minute: 3 empty minutes, the fewest that one late datapoint never breaches', () => {
    expect(
      livenessShape(scheduleDefinitions('cron(* 13-21 ? * MON-FRI *)', 'cron(* 13-21 ? * MON-FRI *)')),
    ).toEqual({ periodMin: 1, emptyPeriods: 3, detectionMin: 3 });
  });

  it('a lane that pauses for hours while the other runs cannot be watched for blindness: a synth error', () => {
    const lunch = 'cron(* 13-15,18-21 ? * MON-FRI *)';
    const defs = scheduleDefinitions(lunch, 'cron(0/5 13-21 ? * MON-FRI *)');
    expect(() => livenessShape(defs)).toThrow(CronError);
    expect(() => livenessShape(defs)).toThrow(/liveness alarm would need 122 minutes/);
    expect(() => parseMonitorConfig({ ...BASE_CONTEXT, primaryCron: lunch })).toThrow(
      /context "primaryCron": with fallbackCron: the liveness alarm would need/,
    );
  });

  it('a lane that ends earlier than the other is not a pause: the other alone still runs, then nothing does', () => {
    const defs = scheduleDefinitions('cron(* 13-21 ? * MON-FRI *)', 'cron(0/5 13-15 ? * MON-FRI *)');
    expect(livenessShape(defs)).toEqual({ periodMin: 1, emptyPeriods: 6, detectionMin: 6 });
  });
});

describe.each([
  [
    'the one-minute default',
    cadenceDefinitions('1m'),
    [
      { minute: 3, hours: [22], weekDays: ['MON', 'TUE', 'WED', 'THU'], durationMin: 904 },
      { minute: 3, hours: [22], weekDays: ['FRI'], durationMin: 3784 },
    ],
    { from: 13 * 60 + 7, to: 22 * 60 + 3 },
  ],
  [
    'the 5-minute interleave',
    cadenceDefinitions('5m'),
    [
      { minute: 10, hours: [22], weekDays: ['MON', 'TUE', 'WED', 'THU'], durationMin: 920 },
      { minute: 10, hours: [22], weekDays: ['FRI'], durationMin: 3800 },
    ],
    { from: 13 * 60 + 30, to: 22 * 60 + 10 },
  ],
])('quiet windows of the liveness alarm at %s', (_, definitions, expected, watched) => {
  const windows = quietWindows(definitions);
  const shape = livenessShape(definitions);

  it('cover weekday nights and the weekend, derived from the schedules', () => {
    expect(windows).toEqual(expected);
  });

  it('leave every weekday minute of the monitoring window watched, and mute the rest of the week', () => {
    const wrong: number[] = [];
    for (let t = 0; t < 7 * 1440; t++) {
      const day = Math.floor(t / 1440);
      const tod = t % 1440;
      const isWatched = day >= 1 && day <= 5 && tod >= watched.from && tod < watched.to;
      if (isQuiet(windows, t) === isWatched) wrong.push(t);
    }
    expect(wrong).toEqual([]);
  });

  it('never mute a minute between two runs that are close enough to keep the alarm OK', () => {
    const runs = weeklyFirings(definitions);
    for (let i = 0; i + 1 < runs.length; i++) {
      if (runs[i + 1] - runs[i] > shape.detectionMin) continue;
      for (let t = runs[i] + shape.detectionMin - 1; t < runs[i + 1]; t++)
        expect(isQuiet(windows, t)).toBe(false);
    }
  });
});

describe('quiet windows of custom schedules', () => {
  it('follow a session that crosses midnight UTC', () => {
    const w = quietWindows(
      scheduleDefinitions(
        'cron(0,10,20,30,40,50 22-23,0-3 ? * * *)',
        'cron(5,15,25,35,45,55 22-23,0-3 ? * * *)',
      ),
    );
    // From one period before the primary alone (last at 03:50) could breach, to 15 minutes past 22:00.
    expect(w).toEqual([
      {
        minute: 5,
        hours: [4],
        weekDays: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
        durationMin: 1095,
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
