// `aegis-pt-health snapshot`: the market-session evidence bundle for the work log.
import { checkGaps, GAP_GRACE_MINUTES } from '../../lib/ops/gap';
import { renderSnapshot } from '../../lib/ops/snapshot';
import { fileProblem } from '../../lib/ops/private-file';
import { appendToWorkLog } from '../../lib/ops/work-log';
import type { DetectorOutput, ObservationBundle, RunRecord } from '../../lambda/detector/types';
import { EnvironmentError, liveEnvironment } from './aws-env';
import { ArgumentError, defineCommand } from './definition';
import { EXIT, UsageError, type CliIo } from './io';
import { assertRunRecordRange, parseInstant, TIMES_HELP } from './instants';
import { RUN_RECORD_RETENTION_DAYS } from '../../lambda/shared/state-layout';
import { observe } from './observe';
import { reportSkipped, runStore, SOURCE_OPTIONS, type SourceValues } from './ops-sources';
import { CRON_OPTION, deployedSchedules } from './schedule-options';

/** The monitor's last output, for first-seen times; a snapshot without it is still evidence. */
async function storedSnapshot(values: SourceValues, io: CliIo): Promise<unknown> {
  try {
    const latest = await (await runStore(values, io)).readLatest();
    return latest.snapshot?.output;
  } catch (err) {
    // No region or credentials stops the command (one line); anything else costs only first-seen times.
    if (err instanceof EnvironmentError) throw err;
    io.stderr(
      `warning: the monitor's stored snapshot is not available (${(err as Error).message}); first-seen times start now\n`,
    );
    return undefined;
  }
}

interface Evidence {
  readonly bundle: ObservationBundle;
  readonly output: DetectorOutput;
  readonly source: string;
}

/** Offline: the latest run in --runs-dir, as it was judged then (no dashboard, ECS or AWS needed). */
async function storedRun(values: SourceValues, io: CliIo): Promise<Evidence> {
  // The newest key first: one hour of records is read, not the whole directory.
  const store = await runStore(values, io);
  const latest = await store.records.view().latest(io.now().getTime() + 86_400_000);
  reportSkipped(latest.skipped, io);
  const last: RunRecord | undefined = latest.read && 'record' in latest.read ? latest.read.record : undefined;
  if (!last) throw new UsageError(`--runs-dir ${values['runs-dir']}: no run records to take evidence from`);
  const { observation, ...output } = last;
  const where = `stored run ${last.checked_at} ${last.trigger.trigger} in ${values['runs-dir']} (offline)`;
  if (observation) return { bundle: observation, output, source: where };
  io.stderr('warning: that run was stored without its observation: only its detector output is evidence\n');
  return {
    bundle: {
      now: last.checked_at,
      dashboard_error: 'not stored with this run',
      ecs_error: 'not stored with this run',
    },
    output,
    source: `${where}, without its observation`,
  };
}

async function evidence(values: SourceValues & { observation?: string }, io: CliIo): Promise<Evidence> {
  if (values.observation !== undefined) {
    const { bundle, output } = await observe(io, values.observation, undefined);
    return {
      bundle,
      output,
      source: `observation ${values.observation === '-' ? 'stdin' : values.observation}`,
    };
  }
  if (values['runs-dir'] !== undefined) return storedRun(values, io);
  // Live: no region is the operator's environment (exit 2), not a snapshot to do without.
  await liveEnvironment(io.env, values.profile ?? io.env.AWS_PROFILE);
  const previous = await storedSnapshot(values, io);
  const { bundle, output } = await observe(io, undefined, values.profile ?? io.env.AWS_PROFILE, previous);
  return { bundle, output, source: 'live collection' };
}

export const command = defineCommand({
  description: `A read-only evidence report to paste into the work log: the time in JST and ET, the market
state, the ECS service and tasks, heartbeat age, pending counts, reconciliation proof, market data, every
event with its first-seen time, the detector output, optionally the schedule-gap evidence since
--gap-since, and a last line DECISION: observe|notify|escalate with its reason. Markdown unless --json.

With --observation it judges that bundle. With --runs-dir DIR alone it is offline: the evidence is the
latest run stored in DIR (what that run saw and decided). Otherwise it collects live
(AEGIS_PT_DASHBOARD_URL, AEGIS_PT_CLUSTER, ...) with --profile.

${TIMES_HELP}`,
  options: {
    observation: {
      type: 'string',
      value: 'FILE|-',
      description: 'judge this observation bundle (- is stdin)',
    },
    'gap-since': {
      type: 'string',
      value: 'T',
      description: `add the schedule-gap evidence since T (at most ${RUN_RECORD_RETENTION_DAYS} days back)`,
    },
    cron: {
      ...CRON_OPTION,
      absent: "with --gap-since: the deployed function's crons (offline: the defaults)",
    },
    append: {
      type: 'string',
      value: 'WORK_LOG.md',
      description:
        'also append the evidence as one record block (absolute JST/ET title, the detector output folded) to a Markdown work log, created with a heading when absent; nothing in it is ever rewritten',
    },
    ...SOURCE_OPTIONS,
  },
  exitCodes: { 0: 'the evidence was printed (whatever the health)' },
  examples: [
    'snapshot --runs-dir .demo',
    'snapshot --gap-since -2h --append WORK_LOG.md --profile aegis-ops',
  ],
  async run({ values }, io) {
    if (values.cron?.length && values['gap-since'] === undefined)
      throw new ArgumentError('--cron is for --gap-since (the schedules the gap evidence is judged against)');
    const gapSince =
      values['gap-since'] === undefined
        ? undefined
        : parseInstant('--gap-since', values['gap-since'], io.now());
    const { bundle, output, source } = await evidence(values, io);
    let gap;
    if (gapSince !== undefined) {
      const until = Date.parse(output.checked_at);
      assertRunRecordRange('--gap-since', gapSince, until);
      const { stamps, skipped } = await (
        await runStore(values, io)
      ).records
        .view()
        .stamps({ from: new Date(gapSince).toISOString(), to: output.checked_at });
      reportSkipped(skipped, io);
      gap = checkGaps(
        stamps,
        (await deployedSchedules(values, io)).schedules,
        gapSince,
        until,
        GAP_GRACE_MINUTES,
        io.now().getTime(),
      );
    }
    const report = { output, ...(gap ? { gap } : {}), source };
    if (values.append !== undefined) {
      try {
        await appendToWorkLog(values.append, renderSnapshot(bundle, report, { workLog: true }));
      } catch (err) {
        const problem = fileProblem(err, values.append);
        if (problem === undefined) throw err;
        throw new UsageError(`cannot append to the work log: ${problem}`, { cause: err });
      }
      io.stderr(`appended the record block to ${values.append}\n`);
    }
    io.stdout(
      (values.json
        ? JSON.stringify({ output, ...(gap ? { gap } : {}), source }, null, 2)
        : renderSnapshot(bundle, report)) + '\n',
    );
    return EXIT.ok;
  },
});
