// Schedule coverage at one-minute cadence over long ranges: each window looks up the runs of its own
// schedule and scheduled minute instead of scanning every run. The answer is the one the scan gave (the
// scan is kept here, as it was, as the oracle).
import fc from 'fast-check';
import {
  checkGaps,
  schedulerIdentity,
  SCHEDULED_SKEW_SEC,
  type CoveredWindow,
  type GapReport,
  type GapWindow,
  type RunStamp,
} from '../../lambda/shared/gap';
import { firings, parseCron } from '../../lambda/shared/cron';
import { CADENCES, scheduleDefinitions, type ScheduleDefinition } from '../../lambda/shared/schedules';

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function quadraticCheckGaps(
  records: readonly RunStamp[],
  definitions: readonly ScheduleDefinition[],
  fromMs: number,
  untilMs: number,
  graceMinutes: number,
  nowMs: number,
): GapReport {
  const graceMs = graceMinutes * 60_000;
  const hand: NonNullable<GapReport['hand_invocations']>[number][] = [];
  const scheduled: { record: RunStamp; at: number; scheduledMs: number }[] = [];
  for (const record of records) {
    if (!record.trigger.trigger.startsWith('schedule:')) continue;
    const at = Date.parse(record.checked_at);
    // A run dated after the reader's clock was not started by the scheduler (gap's rule, issue #21).
    const future = at > nowMs + SCHEDULED_SKEW_SEC * 1000;
    const id: ReturnType<typeof schedulerIdentity> = future
      ? { why: `checked at ${record.checked_at}, after this clock ${iso(nowMs)}: not a run that happened` }
      : schedulerIdentity(record);
    if ('why' in id) {
      if (at >= fromMs && (at <= untilMs || future))
        hand.push({ checked_at: record.checked_at, trigger: record.trigger.trigger, why: id.why });
    } else scheduled.push({ record, at, scheduledMs: id.scheduledMs });
  }
  scheduled.sort((a, b) => a.scheduledMs - b.scheduledMs || a.at - b.at);
  const windows = definitions
    .flatMap((def) =>
      firings(parseCron(def.cron), fromMs, untilMs).map((at) => ({
        schedule: def.name,
        trigger: def.trigger,
        at,
      })),
    )
    .sort((a, b) => a.at - b.at || a.schedule.localeCompare(b.schedule));
  const used = new Set<number>();
  const inAWindow = new Set<number>();
  const covered: CoveredWindow[] = [];
  const missing: GapWindow[] = [];
  const pending: GapWindow[] = [];
  for (const w of windows) {
    // Only a run the Scheduler started for this window (its schedule, its scheduled minute) covers it,
    // and only if it ran within the grace: a fallback run near a primary window must not hide a primary
    // schedule that stopped firing. Each run covers one window at most.
    const ofWindow = (s: (typeof scheduled)[number]) =>
      s.record.trigger.trigger === w.trigger &&
      Math.floor(s.scheduledMs / 60_000) * 60_000 === w.at &&
      s.at <= w.at + graceMs;
    // A retried invocation carries the same scheduled time: it is in a window, not off-schedule.
    scheduled.forEach((s, j) => {
      if (ofWindow(s)) inAWindow.add(j);
    });
    const i = scheduled.findIndex((s, j) => !used.has(j) && ofWindow(s));
    if (i >= 0) {
      used.add(i);
      covered.push({
        schedule: w.schedule,
        at: iso(w.at),
        covered_by: `${scheduled[i].record.checked_at} ${scheduled[i].record.trigger.trigger} execution ${scheduled[i].record.trigger.execution_id}`,
      });
    } else if (w.at + graceMs > untilMs) {
      pending.push({ schedule: w.schedule, at: iso(w.at) });
    } else {
      missing.push({ schedule: w.schedule, at: iso(w.at) });
    }
  }
  const outside = scheduled
    .filter((s, i) => !inAWindow.has(i) && s.at >= fromMs && s.at <= untilMs)
    .map((s) => ({ checked_at: s.record.checked_at, trigger: s.record.trigger.trigger }));
  return {
    from: iso(fromMs),
    until: iso(untilMs),
    grace_minutes: graceMinutes,
    schedules: definitions.map((d) => ({ name: d.name, cron: d.cron })),
    expected: windows.length - pending.length,
    covered: covered.length,
    missing_windows: missing,
    pending_windows: pending,
    runs_outside_windows: outside,
    hand_invocations: hand,
    covered_windows: covered,
    verdict: missing.length === 0 ? 'covered' : 'missing',
  };
}

const DAY = Date.parse('2026-06-01T13:00:00Z');
const stamp = fc
  .record({
    minute: fc.integer({ min: -5, max: 70 }),
    lateSec: fc.integer({ min: -90, max: 12 * 60 }),
    scheduledOffsetMin: fc.constantFrom(0, 0, 0, 0, -1, 1, 3),
    trigger: fc.constantFrom(
      'schedule:primary',
      'schedule:primary',
      'schedule:fallback',
      'ecs-event',
      'manual',
    ),
    identity: fc.constantFrom('full', 'full', 'full', 'no-execution', 'no-time'),
  })
  .map((s): RunStamp => {
    const window = DAY + s.minute * 60_000;
    const scheduled = window + s.scheduledOffsetMin * 60_000;
    return {
      checked_at: iso(window + s.lateSec * 1000),
      trigger: {
        trigger: s.trigger as RunStamp['trigger']['trigger'],
        ...(s.identity !== 'no-execution' ? { execution_id: `e-${s.minute}-${s.lateSec}` } : {}),
        ...(s.identity !== 'no-time' ? { scheduled_time: iso(scheduled) } : {}),
      },
    };
  });

describe('checkGaps', () => {
  it('covers, misses and lists exactly as scanning every run against every window did', () => {
    fc.assert(
      fc.property(
        fc.array(stamp, { minLength: 1, maxLength: 300, size: 'max' }),
        fc.constantFrom('1m', '5m'),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: -20, max: 40 }),
        fc.integer({ min: 5, max: 90 }),
        fc.integer({ min: -5, max: 20 }),
        (stamps, cadence, grace, startMin, lengthMin, nowAfterMin) => {
          const defs = scheduleDefinitions(
            CADENCES[cadence as '1m'].primary,
            CADENCES[cadence as '1m'].fallback,
          );
          const from = DAY + startMin * 60_000;
          const until = from + lengthMin * 60_000;
          // The clock at the range's end or a little after it (the CLI cuts the range at now).
          const now = until + Math.max(0, nowAfterMin) * 60_000;
          expect(checkGaps(stamps, defs, from, until, grace, now)).toEqual(
            quadraticCheckGaps(stamps, defs, from, until, grace, now),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
  it('a window after the clock is not due, whatever range the caller passes (a snapshot dated ahead)', () => {
    // snapshot --gap-since ends its range at the evidence's checked_at, which a run dated ahead of this
    // clock puts in the future: windows between now and then have not come yet, so none is missing.
    const defs = scheduleDefinitions(CADENCES['5m'].primary, CADENCES['5m'].fallback);
    const now = DAY + 30 * 60_000;
    const until = now + 30 * 60_000;
    const report = checkGaps([], defs, DAY, until, 8, now);
    const missingAfterNow = report.missing_windows.filter((w) => Date.parse(w.at) + 8 * 60_000 > now);
    expect(missingAfterNow).toEqual([]);
    expect(report.pending_windows.filter((w) => Date.parse(w.at) > now).length).toBeGreaterThan(0);
    // The same as a range cut at now, as report and the digest pass it.
    const cut = checkGaps([], defs, DAY, now, 8, now);
    expect(report.missing_windows).toEqual(cut.missing_windows);
    expect(report.expected).toBe(cut.expected);
  });
});
