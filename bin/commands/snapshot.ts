// `aegis-pt-health snapshot`: the market-session evidence bundle for the work log.
import { parseArgs } from 'node:util';
import { checkGaps } from '../../lib/ops/gap';
import { renderSnapshot } from '../../lib/ops/snapshot';
import { scheduleDefinitions } from '../../lambda/shared/schedules';
import { EXIT, type CliIo } from './io';
import { observe } from './observe';
import {
  listRuns,
  parseInstant,
  runStore,
  SOURCE_HELP,
  SOURCE_OPTIONS,
  type SourceValues,
} from './ops-sources';

export const SNAPSHOT_HELP = `Usage: aegis-pt-health snapshot [--observation FILE|-] [--gap-since T]

A read-only evidence report to paste into the work log: the time in JST and ET, the market state,
the ECS service and tasks, heartbeat age, pending counts, reconciliation proof, market data, every
event with its first-seen time, the detector output, optionally the schedule-gap evidence since T,
and a last line DECISION: observe|notify|escalate with its reason. Markdown unless --json.
Without --observation it collects live (AEGIS_PT_DASHBOARD_URL, AEGIS_PT_CLUSTER, ...).

${SOURCE_HELP}`;

/** The monitor's last output, for first-seen times; a snapshot without it is still evidence. */
async function storedSnapshot(values: SourceValues, io: CliIo): Promise<unknown> {
  try {
    const latest = await (await runStore(values, io)).readLatest();
    return latest.snapshot?.output;
  } catch (err) {
    io.stderr(
      `warning: the monitor's stored snapshot is not available (${(err as Error).message}); first-seen times start now\n`,
    );
    return undefined;
  }
}

export async function snapshotCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...SOURCE_OPTIONS, observation: { type: 'string' }, 'gap-since': { type: 'string' } },
    strict: true,
  });
  if (values.help) {
    io.stdout(SNAPSHOT_HELP + '\n');
    return EXIT.ok;
  }
  const gapSince =
    values['gap-since'] === undefined
      ? undefined
      : parseInstant('--gap-since', values['gap-since'], io.now());
  const previous = values.observation === undefined ? await storedSnapshot(values, io) : undefined;
  const { bundle, output } = await observe(
    io,
    values.observation,
    values.profile ?? io.env.AWS_PROFILE,
    previous,
  );
  let gap;
  if (gapSince !== undefined) {
    const until = Date.parse(output.checked_at);
    const listing = await listRuns(
      await runStore(values, io),
      { from: new Date(gapSince).toISOString(), to: output.checked_at },
      io,
    );
    gap = checkGaps(listing.records, scheduleDefinitions(), gapSince, until, 8);
  }
  io.stdout(
    (values.json
      ? JSON.stringify({ output, ...(gap ? { gap } : {}) }, null, 2)
      : renderSnapshot(bundle, { output, gap })) + '\n',
  );
  return EXIT.ok;
}
