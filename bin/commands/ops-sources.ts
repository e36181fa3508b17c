// Where the operator tools read from: a local directory of run records, or the deployed stack's bucket
// and log group (found through the stack outputs), with the operator's explicit profile.
// SDK clients are imported where used: an offline command (--runs-dir) never loads the AWS SDK.
import { stat } from 'node:fs/promises';
import { FsStore } from '../../lambda/adapters/fs-store';
import type { RecordView } from '../../lambda/records/record-reader';
import type { DocumentStore } from '../../lambda/state-store';
import type { RunListing, RunRange, StateStore } from '../../lambda/ports';
import { logEvidence } from '../../lib/ops/log-lines';
import type { LogEvidence } from '../../lib/ops/prove-deploy';
import { CLIENT_DEADLINES } from '../../lambda/shared/client-deadlines';
import { DEFAULT_STACK_NAME, OUTPUTS } from '../../lambda/shared/stack-outputs';
import { errorReason } from '../../lambda/adapters/error-reason';
import { requireRegion } from './aws-env';
import { credentialsError, isCredentialsProblem } from './credentials';
import type { OptionSpecs } from './definition';
import { UsageError, type CliIo } from './io';

/** Where a command reads run records and silences from; --profile is a global option. */
export const SOURCE_OPTIONS = {
  'runs-dir': {
    type: 'string',
    value: 'DIR',
    description: 'read every *.json below DIR as a run record instead of the state bucket (offline: no AWS)',
  },
  stack: {
    type: 'string',
    value: 'NAME',
    description: 'the deployed stack whose state bucket (its StateBucketName output) is read',
    absent: DEFAULT_STACK_NAME,
  },
  bucket: { type: 'string', value: 'NAME', description: "read this state bucket instead of the stack's" },
} as const satisfies OptionSpecs;

export interface SourceValues {
  readonly 'runs-dir'?: string;
  readonly stack?: string;
  readonly bucket?: string;
  readonly profile?: string;
}

/** The Lambda's per-call deadlines (aws-deps), and the operator's profile. */
export function clientOptions(values: SourceValues, io: CliIo) {
  const profile = values.profile ?? io.env.AWS_PROFILE;
  return { ...CLIENT_DEADLINES, ...(profile ? { profile } : {}) };
}

/** The same, once the machine is known to have a region (exit 2 naming --profile and AWS_REGION). */
export async function awsClientOptions(values: SourceValues, io: CliIo) {
  const options = clientOptions(values, io);
  return { ...options, region: await requireRegion(options.profile) };
}

/** One DescribeStacks per stack and command: the bucket, the log group and the crons come from it. */
const outputsRead = new WeakMap<CliIo, Map<string, Promise<Record<string, string>>>>();

export function stackOutputs(values: SourceValues, io: CliIo): Promise<Record<string, string>> {
  const stackName = values.stack ?? DEFAULT_STACK_NAME;
  const read = outputsRead.get(io) ?? new Map<string, Promise<Record<string, string>>>();
  outputsRead.set(io, read);
  let outputs = read.get(stackName);
  if (!outputs) {
    outputs = describeOutputs(stackName, values, io);
    read.set(stackName, outputs);
    // A failed read is not kept: the error is the caller's, and a retry asks again.
    outputs.catch(() => read.delete(stackName));
  }
  return outputs;
}

async function describeOutputs(
  stackName: string,
  values: SourceValues,
  io: CliIo,
): Promise<Record<string, string>> {
  const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const cfn = new CloudFormationClient(await awsClientOptions(values, io));
  let out;
  try {
    out = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
  } catch (err) {
    const reason = errorReason(err);
    if (isCredentialsProblem(reason)) throw credentialsError(clientOptions(values, io).profile, reason);
    throw new UsageError(
      `cannot read the outputs of stack ${stackName}: ${reason} (use --stack, --bucket or --runs-dir)`,
    );
  }
  const outputs: Record<string, string> = {};
  for (const o of out.Stacks?.[0]?.Outputs ?? [])
    if (o.OutputKey && o.OutputValue) outputs[o.OutputKey] = o.OutputValue;
  return outputs;
}

/** A day summary or hour pack the command could not use is said on stderr: its records are read instead. */
const noteOn = (io: CliIo) => (text: string) => io.stderr(`warning: ${text}\n`);

export async function runStore(values: SourceValues, io: CliIo): Promise<DocumentStore> {
  const runsDir = values['runs-dir'];
  if (runsDir !== undefined) {
    // A mistyped directory must not read as "no runs at all" (every window missing, no history).
    const isDir = await stat(runsDir).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir) throw new UsageError(`--runs-dir ${runsDir}: no such directory`);
    return new FsStore(runsDir, { note: noteOn(io) });
  }
  const bucket = values.bucket ?? (await stackOutputs(values, io))[OUTPUTS.bucket];
  if (!bucket)
    throw new UsageError(`stack ${values.stack ?? DEFAULT_STACK_NAME} has no ${OUTPUTS.bucket} output`);
  const endpoint = Boolean(io.env.AWS_ENDPOINT_URL || io.env.AWS_ENDPOINT_URL_S3);
  const [{ S3Client }, { S3Store }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('../../lambda/adapters/s3-store'),
  ]);
  return new S3Store(
    {
      client: new S3Client({ ...(await awsClientOptions(values, io)), forcePathStyle: endpoint }),
      bucket,
    },
    { note: noteOn(io) },
  );
}

/** A credentials failure from an AWS call is the operator's environment: exit 2 naming the profile. */
export async function withCredentials<T>(
  values: SourceValues,
  io: CliIo,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const reason = errorReason(err);
    if (isCredentialsProblem(reason)) throw credentialsError(clientOptions(values, io).profile, reason);
    throw err;
  }
}

/**
 * Run records in a range; malformed ones are reported on stderr and skipped. A record with a duplicate
 * key is not malformed but ambiguous (which of its values did the run see?): exit 2 naming it.
 */
export async function listRuns(store: StateStore, range: RunRange, io: CliIo): Promise<RunListing> {
  const listing = await store.listRuns(range);
  reportSkipped(listing.skipped, io);
  return listing;
}

/** The records of a range from one view of the store (its day summaries and hour packs), as listRuns. */
export async function collectRuns(view: RecordView, range: RunRange, io: CliIo): Promise<RunListing> {
  const listing: RunListing = { records: [], skipped: [] };
  for await (const read of view.runs(range)) {
    if ('record' in read) listing.records.push(read.record);
    else listing.skipped.push({ key: read.key, reason: read.skipped });
  }
  reportSkipped(listing.skipped, io);
  return listing;
}

/** Unreadable run records on stderr; a duplicate key is exit 2 naming the record (see listRuns). */
export function reportSkipped(skipped: RunListing['skipped'], io: CliIo): void {
  const ambiguous = skipped.find((s) => s.reason.startsWith('duplicate key'));
  if (ambiguous) throw new UsageError(`run record ${ambiguous.key}: ${ambiguous.reason}`);
  if (skipped.length > 0) {
    io.stderr(`warning: skipped ${skipped.length} unreadable run record(s):\n`);
    for (const s of skipped) io.stderr(`  ${s.key}: ${s.reason}\n`);
  }
}

export async function lambdaLogs(values: SourceValues, io: CliIo, sinceMs: number): Promise<LogEvidence[]> {
  const logGroup = (await stackOutputs(values, io))[OUTPUTS.logGroup];
  if (!logGroup)
    throw new UsageError(`stack ${values.stack ?? DEFAULT_STACK_NAME} has no ${OUTPUTS.logGroup} output`);
  const { CloudWatchLogsClient, FilterLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  const client = new CloudWatchLogsClient(await awsClientOptions(values, io));
  const events: LogEvidence[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new FilterLogEventsCommand({
        logGroupName: logGroup,
        startTime: sinceMs,
        // The handler logs one JSON line per run; scheduled runs carry "trigger": "schedule:...".
        filterPattern: '{ $.trigger = "schedule:*" }',
        nextToken,
      }),
    );
    for (const e of page.events ?? []) {
      const ev = logEvidence(e.timestamp ?? 0, e.message ?? '');
      if (ev) events.push(ev);
    }
    nextToken = page.nextToken;
  } while (nextToken && events.length < 1000);
  return events;
}
