// `aegis-pt-health replay`: the stored runs judged again with changed settings, compared with what
// was told then.
import { CONFIG_VARIABLES, parseDetectorConfig } from '../../lambda/detector/config';
import { formatReplay } from '../../lib/ops/replay-format';
import { replay } from '../../lib/ops/replay';
import { ArgumentError, defineCommand } from './definition';
import { EXIT, UsageError } from './io';
import { parseInstant, TIMES_HELP } from './instants';
import { collectRuns, runStore, SOURCE_OPTIONS } from './ops-sources';

/** Replay starts from the output the first run followed; it may be stored up to a day earlier. */
const SEED_LOOKBACK_MS = 86_400_000;

function parseSettings(items: readonly string[]): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const item of items) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(item);
    if (!m) throw new ArgumentError(`--set takes AEGIS_PT_NAME=VALUE, got ${JSON.stringify(item)}`);
    if (!CONFIG_VARIABLES.includes(m[1]))
      throw new ArgumentError(`--set ${m[1]}: not a detector setting (${CONFIG_VARIABLES.join(', ')})`);
    settings[m[1]] = m[2];
  }
  // Each value alone first, so a bad one is named even before the stored settings are known.
  parseDetectorConfig(settings);
  return settings;
}

export const command = defineCommand({
  description: `Re-runs the detector chain over the observations stored with the run records between the two
times, in order, each with the settings it ran with and the --set ones over them, and compares what would
have been told with what was told: one line per notification either side (time, trigger, decision, new
and resolved events), then the notifications then and now and every event told before that the new
settings would never tell. Read-only: nothing is stored or sent.

${TIMES_HELP}`,
  options: {
    from: { type: 'string', value: 'T', description: 'the first run to judge again', required: true },
    to: { type: 'string', value: 'T', description: 'the last run to judge again', required: true },
    set: {
      type: 'string',
      value: 'AEGIS_PT_NAME=VALUE',
      description: 'a detector setting to judge with, over the stored one',
      multiple: true,
    },
    ...SOURCE_OPTIONS,
  },
  exitCodes: {
    0: 'no escalation lost (whatever else differs)',
    4: 'an escalation told then would never be told with these settings',
  },
  examples: ['replay --runs-dir .demo --from 2026-06-01 --to 2026-06-02 --set AEGIS_PT_PENDING_ORDER_WARN=3'],
  async run({ values }, io) {
    const from = parseInstant('--from', values.from, io.now());
    const to = parseInstant('--to', values.to, io.now());
    if (to < from) throw new ArgumentError('--to is before --from');
    const settings = parseSettings(values.set ?? []);
    const store = await runStore(values, io);
    const view = store.records.view();
    const listing = await collectRuns(
      view,
      { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
      io,
    );
    const inRange = listing.records;
    if (inRange.length === 0) throw new UsageError('no run records between --from and --to');
    // The chain starts from the output the first run followed: that one record, found by its key's time.
    const seedAt = inRange[0].observation?.previous_checked_at ?? undefined;
    const seedMs = seedAt === undefined ? NaN : Date.parse(seedAt);
    const seed =
      seedAt !== undefined && seedMs < from && seedMs >= from - SEED_LOOKBACK_MS
        ? (await collectRuns(view, { from: seedAt, to: seedAt }, io)).records.find(
            (r) => r.checked_at === seedAt,
          )
        : undefined;
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
  },
});
