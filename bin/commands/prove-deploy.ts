// `aegis-pt-health prove-deploy`: did the monitor's new code run on its schedule after its deploy?
import { parseLogText } from '../../lib/ops/log-lines';
import { formatDeployProof, PROOF_SKEW_SEC, proveDeploy } from '../../lib/ops/prove-deploy';
import { DuplicateKeyError } from '../../lambda/shared/json-input';
import { OUTPUTS } from '../../lambda/shared/stack-outputs';
import { defineCommand } from './definition';
import { CRON_OPTION, deployedSchedules } from './schedule-options';
import { EXIT, readSource, UsageError, type CliIo } from './io';
import { parseInstant } from './instants';
import { lambdaLogs, listRuns, runStore, SOURCE_OPTIONS, stackOutputs, withCredentials } from './ops-sources';

async function logFile(io: CliIo, path: string) {
  const text = await readSource(io, path, '--log-file');
  try {
    return parseLogText(text);
  } catch (err) {
    if (err instanceof DuplicateKeyError) throw new UsageError(`--log-file ${path}: ${err.message}`);
    throw err;
  }
}

export const command = defineCommand({
  description: `For the monitor's own deploy (after 'npm run predeploy' and 'cdk deploy'), not the runtime's:
proven only by a run that EventBridge Scheduler started (its execution id is in the run record), scheduled
at least ${PROOF_SKEW_SEC}s after --started-at (clock-skew allowance) at a minute the deployed cron of its
schedule fires (the crons in the deployed function's configuration, or --cron; offline the defaults;
a deployed function whose configuration names none is exit 2 asking for --cron),
running the deployed version (the stack output ${OUTPUTS.codeVersion}, or --code-version: a hash of the
code and of the resolved configuration, so a config-only deploy is a new version too), and seen both in
the run records and in the Lambda's log (same execution id). A hand invocation with a schedule payload,
a run of the old schedule or of the old version, or a run before the start proves nothing.

Offline (--runs-dir) the log is read from --log-file: the JSON of 'aws logs filter-log-events', JSON lines
of {timestamp, message}, or the raw log lines. Without a log the records alone are NOT proven (exit 4)
unless --records-only, and then the verdict says so.`,
  options: {
    'started-at': {
      type: 'string',
      value: 'T',
      description:
        'when the deploy started: an ISO-8601 time with an offset or a relative time (-20m); a bare date is refused',
      required: true,
    },
    'code-version': {
      type: 'string',
      value: 'V',
      description: 'the new code version',
      absent: `the stack output ${OUTPUTS.codeVersion}`,
    },
    'log-file': {
      type: 'string',
      value: 'FILE',
      description: "the Lambda's log, read instead of CloudWatch Logs",
    },
    cron: { ...CRON_OPTION, absent: "the deployed function's crons (offline: the defaults)" },
    'records-only': {
      type: 'boolean',
      description: 'judge on the run records alone when no log is at hand (the verdict says so)',
    },
    ...SOURCE_OPTIONS,
  },
  exitCodes: { 0: 'proven', 4: 'not proven' },
  examples: ['prove-deploy --started-at -20m --profile aegis-ops'],
  async run({ values }, io) {
    const started = parseInstant('--started-at', values['started-at'], io.now(), { exact: true });
    const offline = values['runs-dir'] !== undefined;
    const codeVersion =
      values['code-version'] ?? (offline ? undefined : (await stackOutputs(values, io))[OUTPUTS.codeVersion]);
    const store = await runStore(values, io);
    const listing = await withCredentials(values, io, () =>
      listRuns(store, { from: new Date(started).toISOString(), to: io.now().toISOString() }, io),
    );
    const logs = values['log-file']
      ? await logFile(io, values['log-file'])
      : offline || values['records-only']
        ? undefined
        : await withCredentials(values, io, () => lambdaLogs(values, io, started));
    const deployed = await deployedSchedules(values, io);
    const proof = proveDeploy(listing.records, started, {
      schedules: deployed.schedules,
      schedulesSource: deployed.source,
      ...(codeVersion ? { codeVersion } : {}),
      ...(logs ? { logs } : {}),
      recordsOnly: values['records-only'] === true,
    });
    io.stdout((values.json ? JSON.stringify(proof, null, 2) : formatDeployProof(proof)) + '\n');
    return proof.verdict === 'proven' ? EXIT.ok : EXIT.negative;
  },
});
