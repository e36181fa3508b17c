// `aegis-pt-health gap`: did the schedules cover every expected window?
import { capWindowLists, checkGaps, formatGapReport, GAP_GRACE_MINUTES } from '../../lib/ops/gap';
import { ArgumentError, defineCommand } from './definition';
import { EXIT } from './io';
import { assertRunRecordRange, parseInstant, TIMES_HELP } from './instants';
import { RUN_RECORD_RETENTION_DAYS } from '../../lambda/shared/state-layout';
import { reportSkipped, runStore, SOURCE_OPTIONS } from './ops-sources';
import { CRON_OPTION, deployedSchedules } from './schedule-options';

const MAX_LISTED = 20;

export const command = defineCommand({
  description: `Lists every firing time of the primary and fallback schedules (the crons the stack deploys)
between the two times, and reports each as covered when EventBridge Scheduler started a run of that
same schedule for it: the run record carries the Scheduler's execution id and a scheduled time in that
window's minute (not after the run), and its checked_at is within [window, window + grace] and not in the
future. The range ends at now at the latest: a later window is not due yet. A run of
the other schedule never covers it; a run with a schedule trigger but without the Scheduler's identity
(a hand invocation with a schedule payload) covers nothing and is listed apart. A missing window means
a scheduled check did not happen. Without
--until (up to now) the lists keep the ${MAX_LISTED} most recent windows and count the rest.

${TIMES_HELP}`,
  options: {
    'created-after': {
      type: 'string',
      value: 'T',
      description: `the start of the range (at most ${RUN_RECORD_RETENTION_DAYS} days before its end: run records are kept that long)`,
      required: true,
    },
    until: { type: 'string', value: 'T', description: 'the end of the range', absent: 'now' },
    'grace-minutes': {
      type: 'string',
      value: 'MIN',
      description: 'how late a run may be and still cover its window (0 to 60)',
      default: String(GAP_GRACE_MINUTES),
    },
    cron: { ...CRON_OPTION, absent: "the deployed function's crons (offline: the defaults)" },
    ...SOURCE_OPTIONS,
  },
  exitCodes: { 0: 'every window covered', 4: 'a window is missing' },
  examples: [
    'gap --created-after -1d --profile aegis-ops',
    'gap --runs-dir .demo --created-after 2026-06-01 --until 2026-06-02',
  ],
  async run({ values }, io) {
    const from = parseInstant('--created-after', values['created-after'], io.now());
    const nowMs = io.now().getTime();
    // Windows after now are not due yet: they are neither covered nor missing, so the range ends at now.
    const until = Math.min(
      nowMs,
      values.until === undefined ? nowMs : parseInstant('--until', values.until, io.now()),
    );
    if (until < from)
      throw new ArgumentError(
        `--until is before --created-after${values.until !== undefined && from > nowMs ? ' (the range is cut at now: --created-after is in the future)' : ''}`,
      );
    assertRunRecordRange('--created-after', from, until);
    const graceText = values['grace-minutes'];
    if (!/^\d+$/.test(graceText) || Number(graceText) > 60)
      throw new ArgumentError(`--grace-minutes must be a whole number from 0 to 60, got ${graceText}`);
    const { schedules: defs } = await deployedSchedules(values, io);
    const store = await runStore(values, io);
    const grace = Number(graceText);
    // Only when and by what each run was started: a day that is over is its summary, not its records.
    const { stamps, skipped } = await store.records
      .view()
      .stamps({ from: new Date(from).toISOString(), to: new Date(until + grace * 60_000).toISOString() });
    reportSkipped(skipped, io);
    const full = checkGaps(stamps, defs, from, until, grace, nowMs);
    // Without --until the range runs to now and may span months: list the recent windows, count the rest.
    const report = values.until === undefined ? capWindowLists(full, MAX_LISTED) : full;
    io.stdout((values.json ? JSON.stringify(report, null, 2) : formatGapReport(report)) + '\n');
    return report.verdict === 'covered' ? EXIT.ok : EXIT.negative;
  },
});
