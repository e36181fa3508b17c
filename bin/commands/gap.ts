// `aegis-pt-health gap`: did the schedules cover every expected window?
import { parseArgs } from 'node:util';
import { capWindowLists, checkGaps, formatGapReport, GAP_GRACE_MINUTES } from '../../lib/ops/gap';
import { parseCron } from '../../lambda/shared/cron';
import { scheduleDefinitions, type ScheduleDefinition } from '../../lambda/shared/schedules';
import { EXIT, UsageError, type CliIo } from './io';
import { listRuns, parseInstant, runStore, SOURCE_HELP, SOURCE_OPTIONS } from './ops-sources';

const MAX_LISTED = 20;

export const GAP_HELP = `Usage: aegis-pt-health gap --created-after T [--until T] [--grace-minutes 8] [--cron primary=EXPR] [--cron fallback=EXPR]

Lists every firing time of the primary and fallback schedules (the crons the stack deploys) between
the two times, and reports each as covered when a run record of that same schedule (trigger
schedule:primary or schedule:fallback) has checked_at within [window, window + grace]: a run of the
other schedule never covers it. A missing window means a scheduled check did not happen. Without
--until (up to now) the lists keep the ${MAX_LISTED} most recent windows and count the rest.
Exit codes: 0 every window covered, 4 a window is missing, 2 bad usage or input, 1 internal error.

${SOURCE_HELP}`;

function definitions(overrides: string[] | undefined): ScheduleDefinition[] {
  const crons: Record<string, string> = {};
  for (const o of overrides ?? []) {
    const m = /^(primary|fallback)=(.+)$/.exec(o);
    if (!m) throw new UsageError(`--cron takes primary=EXPR or fallback=EXPR, got ${JSON.stringify(o)}`);
    try {
      parseCron(m[2]);
    } catch (err) {
      throw new UsageError(`--cron ${m[1]}: ${(err as Error).message}`);
    }
    crons[m[1]] = m[2];
  }
  return scheduleDefinitions(crons.primary, crons.fallback);
}

export async function gapCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...SOURCE_OPTIONS,
      'created-after': { type: 'string' },
      until: { type: 'string' },
      'grace-minutes': { type: 'string' },
      cron: { type: 'string', multiple: true },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout(GAP_HELP + '\n');
    return EXIT.ok;
  }
  const from = parseInstant('--created-after', values['created-after'], io.now());
  const until =
    values.until === undefined ? io.now().getTime() : parseInstant('--until', values.until, io.now());
  if (until < from) throw new UsageError('--until is before --created-after');
  const graceText = values['grace-minutes'] ?? String(GAP_GRACE_MINUTES);
  if (!/^\d+$/.test(graceText) || Number(graceText) > 60)
    throw new UsageError(`--grace-minutes must be a whole number from 0 to 60, got ${graceText}`);
  const defs = definitions(values.cron);
  const store = await runStore(values, io);
  const grace = Number(graceText);
  const listing = await listRuns(
    store,
    { from: new Date(from).toISOString(), to: new Date(until + grace * 60_000).toISOString() },
    io,
  );
  const full = checkGaps(listing.records, defs, from, until, grace);
  // Without --until the range runs to now and may span months: list the recent windows, count the rest.
  const report = values.until === undefined ? capWindowLists(full, MAX_LISTED) : full;
  io.stdout((values.json ? JSON.stringify(report, null, 2) : formatGapReport(report)) + '\n');
  return report.verdict === 'covered' ? EXIT.ok : EXIT.negative;
}
