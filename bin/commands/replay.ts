// `aegis-pt-health replay`: the stored runs judged again with changed settings, compared with what
// was told then.
import { parseArgs } from 'node:util';
import { CONFIG_VARIABLES, parseDetectorConfig } from '../../lambda/detector/config';
import { formatReplay } from '../../lib/ops/replay-format';
import { replay } from '../../lib/ops/replay';
import { EXIT, UsageError, type CliIo } from './io';
import { listRuns, parseInstant, runStore, SOURCE_HELP, SOURCE_OPTIONS } from './ops-sources';

export const REPLAY_HELP = `Usage: aegis-pt-health replay --from T --to T [--set AEGIS_PT_NAME=VALUE ...]

Re-runs the detector chain over the observations stored with the run records between the two times,
in order, each with the settings it ran with and the --set ones over them, and compares what would
have been told with what was told: one line per notification either side (time, trigger, decision,
new and resolved events), then the notifications then and now and every event told before that the
new settings would never tell. Read-only: nothing is stored or sent.
Exit codes: 0 no escalation lost (whatever else differs), 4 an escalation told before would never be
told with these settings, 2 bad usage, input or setting, 1 internal error.

${SOURCE_HELP}`;

/** Replay starts from the output the first run followed; it may be stored up to a day earlier. */
const SEED_LOOKBACK_MS = 86_400_000;

function parseSettings(items: readonly string[]): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const item of items) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(item);
    if (!m) throw new UsageError(`--set takes AEGIS_PT_NAME=VALUE, got ${JSON.stringify(item)}`);
    if (!CONFIG_VARIABLES.includes(m[1]))
      throw new UsageError(`--set ${m[1]}: not a detector setting (${CONFIG_VARIABLES.join(', ')})`);
    settings[m[1]] = m[2];
  }
  // Each value alone first, so a bad one is named even before the stored settings are known.
  parseDetectorConfig(settings);
  return settings;
}

export async function replayCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...SOURCE_OPTIONS,
      from: { type: 'string' },
      to: { type: 'string' },
      set: { type: 'string', multiple: true },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout(REPLAY_HELP + '\n');
    return EXIT.ok;
  }
  const from = parseInstant('--from', values.from, io.now());
  const to = parseInstant('--to', values.to, io.now());
  if (to < from) throw new UsageError('--to is before --from');
  const settings = parseSettings(values.set ?? []);
  const store = await runStore(values, io);
  const listing = await listRuns(
    store,
    { from: new Date(from - SEED_LOOKBACK_MS).toISOString(), to: new Date(to).toISOString() },
    io,
  );
  const inRange = listing.records.filter((r) => Date.parse(r.checked_at) >= from);
  if (inRange.length === 0) throw new UsageError('no run records between --from and --to');
  const seedAt = inRange[0].observation?.previous_checked_at;
  const seed = listing.records.find((r) => r.checked_at === seedAt && Date.parse(r.checked_at) < from);
  const report = replay(
    inRange,
    settings,
    { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    seed ?? null,
  );
  io.stdout((values.json ? JSON.stringify(report, null, 2) : formatReplay(report)) + '\n');
  if (report.escalations_lost.length > 0) {
    io.stderr(
      `aegis-pt-health replay: WARNING: ${report.escalations_lost.length} escalation(s) told before would never be told with these settings\n`,
    );
    return EXIT.negative;
  }
  return EXIT.ok;
}
