// The record sealer as the Lambda runs it: a side job of the real handler with the real S3 adapter
// against moto, judged from an SQS inbox. The check seals the hours and days that are over, the readers
// then give the same records from the bucket with a pack per hour; a sealer that cannot write never
// costs the operators their alert, and the next check seals what it could not.
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { S3ObjectStore } from '../../lambda/adapters/s3-objects';
import { awsDeps } from '../../lambda/aws-deps';
import { readRuntimeEnv } from '../../lambda/env';
import { createHandler } from '../../lambda/handler';
import type { CheckDeps, ObjectStore } from '../../lambda/ports';
import { ObjectSealer } from '../../lambda/records/seal';
import { daySummaryKey, emptyHourKey, hourOfPack, hourPackKey } from '../../lambda/shared/state-layout';
import { DocumentStore } from '../../lambda/state-store';
import { HEALTHY } from '../helpers/bundle';
import { counting } from '../helpers/counting-objects';
import { MemoryLog, payloadAt, RecordingMetrics } from '../helpers/check-deps';
import { startFaultDashboard, startFaultEcs, type FaultDashboard, type FaultEcs } from './fault-servers';
import { startMoto, useEmulatorEnv, type MotoServer, createBucket } from './moto-server';

jest.setTimeout(120_000);

let moto: MotoServer;
let dash: FaultDashboard;
let ecs: FaultEcs;
let s3: S3Client;
let sqs: SQSClient;
let queueUrl: string;
let env: Record<string, string>;
const savedEcsEndpoint = process.env.AWS_ENDPOINT_URL_ECS;
const LAMBDA = { getRemainingTimeInMillis: () => 60_000 };

beforeAll(async () => {
  moto = await startMoto();
  useEmulatorEnv(moto.endpoint);
  dash = await startFaultDashboard();
  ecs = await startFaultEcs();
  process.env.AWS_ENDPOINT_URL_ECS = ecs.url;
  s3 = new S3Client({ forcePathStyle: true });
  const sns = new SNSClient({});
  sqs = new SQSClient({});
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'records-inbox' }))).QueueUrl as string;
  const queueArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes?.QueueArn as string;
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'records-alerts' }))).TopicArn as string;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));
  env = {
    AEGIS_PT_CLUSTER: 'aegis-pt',
    AEGIS_PT_DASHBOARD_URL: dash.url,
    AEGIS_PT_DASHBOARD_TIMEOUT_MS: '2000',
    AEGIS_PT_STATE_BUCKET: 'unused',
    AEGIS_PT_TOPIC_ARN: topicArn,
    AWS_ENDPOINT_URL: moto.endpoint,
  };
});

afterAll(async () => {
  if (savedEcsEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL_ECS;
  else process.env.AWS_ENDPOINT_URL_ECS = savedEcsEndpoint;
  await dash?.close();
  await ecs?.close();
  await moto?.stop();
});

async function inbox(): Promise<string[]> {
  const subjects: string[] = [];
  for (;;) {
    const res = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 43_200,
      }),
    );
    if (!res.Messages?.length) return subjects;
    for (const m of res.Messages) subjects.push(JSON.parse(m.Body as string).Subject);
  }
}

let seq = 0;
let clock = '2026-06-01T13:00:00Z';

async function bucket(): Promise<string> {
  const name = `records-${++seq}`;
  await createBucket(s3, name);
  return name;
}

/** The Lambda's own wiring on that bucket, with a test clock; `sealer` replaces the one it wires. */
function deps(name: string, sealer?: ObjectSealer): CheckDeps & { log: MemoryLog } {
  const real = awsDeps(readRuntimeEnv({ ...env, AEGIS_PT_STATE_BUCKET: name }), env);
  return {
    ...real,
    ...(sealer ? { sealer } : {}),
    clock: { now: () => new Date(clock) },
    metrics: new RecordingMetrics(),
    log: new MemoryLog(),
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 100))),
  } as CheckDeps & { log: MemoryLog };
}

async function check(d: CheckDeps, at: string, changes: Record<string, unknown> = {}) {
  clock = at;
  dash.serve(JSON.stringify(payloadAt(at, changes)));
  ecs.serve(structuredClone(HEALTHY.ecs) as Record<string, unknown>);
  return createHandler(d)({ trigger: 'schedule:primary' }, LAMBDA);
}

async function keys(name: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: name, Prefix: 'runs/' }));
  return (out.Contents ?? []).map((o) => o.Key!);
}

/** The bucket's records as they read without any pack or summary (those keys hidden). */
function recordsOnly(objects: ObjectStore): ObjectStore {
  return {
    ...objects,
    get: (k) => objects.get(k),
    putIf: (k, t, e) => objects.putIf(k, t, e),
    put: (k, t) => objects.put(k, t),
    async *keys(prefix) {
      for await (const k of objects.keys(prefix))
        if (hourOfPack(k) === null && !k.startsWith('runs/days/')) yield k;
    },
  };
}

beforeEach(async () => {
  await inbox();
});

describe('the record sealer in the Lambda, against moto', () => {
  it('seals each hour and day that is over, and the bucket then reads the same with one read per hour', async () => {
    const name = await bucket();
    const d = deps(name);
    // The SDK warns (a log line per empty hour in the Lambda) when a body's length is unknown.
    const warn = jest.spyOn(console, 'warn');
    for (const at of ['13:10', '13:40', '14:10', '14:40', '15:10']) await check(d, `2026-06-01T${at}:00Z`);
    // The next morning's first check: Monday's hours and Monday itself are over.
    await check(d, '2026-06-02T13:01:00Z');
    const stored = await keys(name);
    for (const h of ['13', '14', '15'])
      expect(stored).toContain(hourPackKey(Date.parse(`2026-06-01T${h}:00:00Z`)));
    expect(stored).toContain(daySummaryKey('2026-06-01'));
    expect(stored).not.toContain(hourPackKey(Date.parse('2026-06-02T13:00:00Z')));
    expect(stored).toContain(emptyHourKey(Date.parse('2026-06-01T22:00:00Z')));
    expect(warn.mock.calls.flat().join('\n')).not.toMatch(/unknown length/);
    warn.mockRestore();
    const objects = new S3ObjectStore({ client: s3, bucket: name });
    const range = { from: '2026-06-01T04:00:00Z', to: '2026-06-02T23:00:00Z' };
    const counted = counting(objects);
    const sealed = await new DocumentStore(counted).listRuns(range);
    const plain = await new DocumentStore(recordsOnly(objects)).listRuns(range);
    expect(sealed.records).toHaveLength(6);
    expect(sealed).toEqual(plain);
    // Monday from its summary and three packs; Tuesday (its summary asked for, not there yet) from its
    // one record on its own.
    expect(counted.gets).toEqual([
      daySummaryKey('2026-06-01'),
      ...['13', '14', '15'].map((h) => hourPackKey(Date.parse(`2026-06-01T${h}:00:00Z`))),
      daySummaryKey('2026-06-02'),
      expect.stringMatching(/^runs\/2026\/06\/02\/2026-06-02T13:01:00Z-schedule:primary-/),
    ]);
  });

  it('a sealer that cannot write: the alert is told once, the check returns, the next check seals', async () => {
    const name = await bucket();
    const objects = counting(new S3ObjectStore({ client: s3, bucket: name }));
    objects.failPuts = /\/packs\/|^runs\/days\//;
    const d = deps(name, new ObjectSealer(objects));
    await check(d, '2026-06-01T13:10:00Z');
    const result = await check(d, '2026-06-01T14:07:00Z', { stuck_exits: 1 });
    expect(result.new_events).toContain('stuck_exits');
    expect(await inbox()).toEqual([expect.stringContaining('stuck_exits')]);
    expect(d.log.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'could not seal past run records; the next check tries again',
      }),
    );
    expect((await keys(name)).filter((k) => hourOfPack(k) !== null)).toEqual([]);
    objects.failPuts = undefined;
    await check(d, '2026-06-01T14:12:00Z', { stuck_exits: 1 });
    expect(await keys(name)).toContain(hourPackKey(Date.parse('2026-06-01T13:00:00Z')));
  });
});
