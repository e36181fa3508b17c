// Post's run records between the baseline and now, and --watch: judge again until the rollout's checks
// are in (GO or STOP) or the deadline passes.
import { parseTimestamp } from '../../lambda/detector/time';
import { RUNS_PREFIX } from '../../lambda/shared/state-layout';
import type { GateReport, RolloutRuns } from '../../lib/ops/gate';
import type { CliIo } from './io';
import { listRuns, runStore, type SourceValues } from './ops-sources';

/** How often --watch judges again: one-minute checks land within it. */
export const WATCH_POLL_MS = 60_000;
/** --watch gives up after this by default (the deploy window's default length). */
export const WATCH_DEFAULT_MS = 30 * 60_000;

/**
 * Post's run records between the baseline and now: read whenever a store is named, and live from the
 * default stack's bucket; an offline observation without a store has none (the rollout criteria WAIT).
 */
export async function rolloutRuns(
  values: SourceValues,
  io: CliIo,
  baselineNow: string,
  live: boolean,
): Promise<RolloutRuns | undefined> {
  const named = values['runs-dir'] ?? values.bucket ?? values.stack;
  if (named === undefined && !live) return undefined;
  const store = await runStore(values, io);
  const from = parseTimestamp(baselineNow) ?? io.now().getTime();
  const listing = await listRuns(
    store,
    { from: new Date(from).toISOString(), to: io.now().toISOString() },
    io,
  );
  return {
    records: listing.records,
    // A record that cannot be read is missing evidence, unless its key dates it outside the rollout
    // (files beside runs/ in a --runs-dir are not run records of the bucket's layout).
    unreadable: listing.skipped
      .map((s) => s.key)
      .filter((key) => {
        if (!key.startsWith(RUNS_PREFIX)) return false;
        const t = parseTimestamp(/(\d{4}-\d\d-\d\dT[\d:.]+Z)-[^/]*$/.exec(key)?.[1]);
        return t === undefined || (t > from && t <= io.now().getTime());
      }),
    source: values['runs-dir']
      ? `--runs-dir ${values['runs-dir']}`
      : `bucket ${values.bucket ?? `of stack ${values.stack ?? 'AegisPtHealth'}`}`,
  };
}

/**
 * Judges until the verdict is not WAIT or the deadline has passed; `judge` re-collects each time. A
 * sleep that is not passed in is a real timer.
 */
export async function watch(
  io: CliIo,
  deadlineMs: number,
  judge: (round: number) => Promise<GateReport>,
): Promise<GateReport> {
  const sleep = io.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let round = 0; ; round++) {
    const report = await judge(round);
    const now = io.now().getTime();
    if (report.verdict !== 'wait' || now >= deadlineMs) {
      if (report.verdict === 'wait')
        io.stderr(`--watch: still WAIT at the deadline ${new Date(deadlineMs).toISOString()}\n`);
      return report;
    }
    const next = Math.min(now + WATCH_POLL_MS, deadlineMs);
    io.stderr(
      `--watch: WAIT (${report.criteria
        .filter((c) => c.outcome === 'warn')
        .map((c) => c.name)
        .join(', ')}); judging again at ${new Date(next).toISOString()}\n`,
    );
    await sleep(next - now);
  }
}
