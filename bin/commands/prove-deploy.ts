// `aegis-pt-health prove-deploy`: is the deployed scheduler alive?
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { formatDeployProof, proveDeploy, type LogEvidence } from '../../lib/ops/prove-deploy';
import { EXIT, UsageError, type CliIo } from './io';
import { lambdaLogs, listRuns, parseInstant, runStore, SOURCE_HELP, SOURCE_OPTIONS } from './ops-sources';

export const PROVE_DEPLOY_HELP = `Usage: aegis-pt-health prove-deploy --started-at T [--log-file FILE]

Positive only when a run record with a schedule:* trigger has checked_at after T (the deploy's start)
and the Lambda's own log shows a scheduled run after T. A record from before T, or from a manual or
ECS-event run, is not enough. Offline (--runs-dir) the log is read from --log-file (JSON lines with
timestamp and message, e.g. from 'aws logs filter-log-events'), or the proof rests on the records
alone and says so.
Exit codes: 0 proven, 4 not proven, 2 bad usage or input, 1 internal error.

${SOURCE_HELP}`;

async function logFile(path: string): Promise<LogEvidence[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --log-file ${path}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  const events: LogEvidence[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as { timestamp?: unknown; message?: unknown };
      const ts = typeof e.timestamp === 'number' ? new Date(e.timestamp).toISOString() : String(e.timestamp);
      events.push({
        timestamp: ts,
        message: typeof e.message === 'string' ? e.message : JSON.stringify(e.message ?? e),
      });
    } catch {
      // a non-JSON line is no evidence
    }
  }
  return events;
}

export async function proveDeployCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...SOURCE_OPTIONS, 'started-at': { type: 'string' }, 'log-file': { type: 'string' } },
    strict: true,
  });
  if (values.help) {
    io.stdout(PROVE_DEPLOY_HELP + '\n');
    return EXIT.ok;
  }
  const started = parseInstant('--started-at', values['started-at'], io.now());
  const store = await runStore(values, io);
  const listing = await listRuns(
    store,
    { from: new Date(started).toISOString(), to: io.now().toISOString() },
    io,
  );
  const logs = values['log-file']
    ? await logFile(values['log-file'])
    : values['runs-dir']
      ? undefined
      : await lambdaLogs(values, io, started);
  const proof = proveDeploy(listing.records, started, logs);
  io.stdout((values.json ? JSON.stringify(proof, null, 2) : formatDeployProof(proof)) + '\n');
  return proof.verdict === 'proven' ? EXIT.ok : EXIT.negative;
}
