// The real handler and AWS adapters against moto in server mode on loopback (S3 with versioning and
// conditional writes, SNS delivering to an SQS queue the test reads, Secrets Manager, ECS) and a local
// HTTP dashboard. moto does not model container health or service task counts, so the scenarios that
// need a healthy runtime read ECS from a scripted observation in AWS's recorded shape instead; the
// ECS adapter itself runs against moto in its own tests below.
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, DeleteTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { main } from '../../bin/commands/main';
import { EcsApiSource } from '../../lambda/adapters/ecs-source';
import { S3Store } from '../../lambda/adapters/s3-store';
import { awsDeps } from '../../lambda/aws-deps';
import { readRuntimeEnv } from '../../lambda/env';
import { createHandler } from '../../lambda/handler';
import { startDashboard, type LocalDashboard } from '../../lib/demo/fakes/dashboard-server';
import { ScriptedEcs } from '../../lib/demo/fakes/static-sources';
import type { CheckDeps, StateStore } from '../../lambda/ports';
import { HEALTHY } from '../helpers/bundle';
import { MemoryLog, payloadAt, RecordingMetrics } from '../helpers/check-deps';
import { captureIo } from '../helpers/cli-io';
import { startMoto, useEmulatorEnv, type MotoServer, createBucket } from './moto-server';

jest.setTimeout(60_000);

let moto: MotoServer;
let dash: LocalDashboard;
let s3: S3Client;
let sns: SNSClient;
let sqs: SQSClient;
let queueUrl: string;
let queueArn: string;
let topicArn: string;
let env: Record<string, string>;
const BUCKET = 'aegis-pt-health-state';

async function subscribeQueue(): Promise<void> {
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'aegis-pt-health-alerts' }))).TopicArn as string;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));
}

async function receiveAll(): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (;;) {
    const res = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    if (!res.Messages?.length) return out;
    out.push(...res.Messages.map((m) => JSON.parse(m.Body as string)));
  }
}

beforeAll(async () => {
  moto = await startMoto();
  useEmulatorEnv(moto.endpoint);
  dash = await startDashboard();
  s3 = new S3Client({ forcePathStyle: true });
  sns = new SNSClient({});
  sqs = new SQSClient({});
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'alerts-inbox' }))).QueueUrl as string;
  queueArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes?.QueueArn as string;
  await subscribeQueue();
  const secret = await new SecretsManagerClient({}).send(
    new CreateSecretCommand({ Name: 'aegis/dashboard', SecretString: JSON.stringify({ token: 'tok-123' }) }),
  );
  env = {
    AEGIS_PT_CLUSTER: 'aegis-pt',
    AEGIS_PT_SERVICE: 'aegis-pt-core',
    AEGIS_PT_DASHBOARD_URL: dash.url,
    AEGIS_PT_DASHBOARD_SECRET_ARN: secret.ARN as string,
    AEGIS_PT_STATE_BUCKET: BUCKET,
    AEGIS_PT_TOPIC_ARN: topicArn,
    AWS_ENDPOINT_URL: moto.endpoint,
  };
});

afterAll(async () => {
  await dash?.close();
  await moto?.stop();
});

let bucketSeq = 0;
let clock: { iso: string };

/** The real AWS wiring, a fresh versioned bucket, and ECS from a scripted healthy observation. */
async function deps(overrides: Partial<CheckDeps> = {}): Promise<CheckDeps> {
  const bucket = `${BUCKET}-${++bucketSeq}`;
  await createBucket(s3, bucket);
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  const real = awsDeps(
    readRuntimeEnv({ ...env, AEGIS_PT_STATE_BUCKET: bucket, AEGIS_PT_TOPIC_ARN: topicArn }),
    env,
  );
  return {
    ...real,
    ecs: new ScriptedEcs(structuredClone(HEALTHY.ecs)),
    clock: { now: () => new Date(clock.iso) },
    metrics: new RecordingMetrics(),
    log: new MemoryLog(),
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 200))),
    ...overrides,
  };
}

function bucketOf(d: CheckDeps): string {
  return (d.store as unknown as { props: { bucket: string } }).props.bucket;
}

async function readLatestJson(d: CheckDeps): Promise<Record<string, unknown>> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucketOf(d), Key: 'state/latest.json' }));
  return JSON.parse(await (out.Body as { transformToString(): Promise<string> }).transformToString());
}

function at(iso: string, changes: Record<string, unknown> = {}): void {
  clock = { iso };
  dash.serve({ kind: 'json', body: payloadAt(iso, changes) });
}

beforeEach(async () => {
  await receiveAll(); // start each test with an empty inbox
  dash.requests.length = 0;
});

describe('the handler against moto', () => {
  it('collects with the Secrets Manager token, notifies through SNS and keeps the snapshot and run record in S3', async () => {
    const d = await deps();
    at('2026-06-01T14:07:00Z', { stuck_exits: 1 });
    const result = await createHandler(d)({ trigger: 'schedule:primary' });
    expect(result).toMatchObject({ decision: 'escalate', notified: true, new_events: ['stuck_exits'] });
    expect(dash.requests[0].authorization).toBe('Bearer tok-123');

    const messages = await receiveAll();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      Type: 'Notification',
      Subject: 'CRITICAL aegis-pt 1 new: stuck_exits -> escalate',
      MessageAttributes: { severity: { Value: 'CRITICAL' }, decision: { Value: 'escalate' } },
    });
    expect(messages[0].Message).toContain('Decision: escalate (stop and escalate: stuck_exits)');

    const latest = await readLatestJson(d);
    expect(latest).toMatchObject({ checked_at: '2026-06-01T14:07:00Z', decision: 'escalate' });
    expect(latest.delivery).toBeUndefined();
    const runs = await s3.send(new ListObjectsV2Command({ Bucket: bucketOf(d), Prefix: 'runs/' }));
    expect(runs.Contents?.map((o) => o.Key)).toEqual([
      expect.stringMatching(/^runs\/2026\/06\/01\/2026-06-01T14:07:00Z-schedule:primary-[0-9a-f]{12}\.json$/),
    ]);
  });

  it('SNS publish failure then success: the run fails, then the alert arrives exactly once on the next run', async () => {
    const d = await deps();
    await sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
    at('2026-06-01T14:07:00Z', { unknown_fill: true });
    await expect(createHandler(d)({ trigger: 'schedule:primary' })).rejects.toThrow();
    // The audience whose publish failed still owes the event; the claim is released.
    const stored = (await readLatestJson(d)) as { nflog: { email: { owed: object } }; claim?: unknown };
    expect(Object.keys(stored.nflog.email.owed)).toEqual(['unknown_fill']);
    expect(stored.claim).toBeUndefined();
    expect(await receiveAll()).toHaveLength(0);

    await subscribeQueue(); // the same name gives the same ARN back
    at('2026-06-01T14:12:00Z', { unknown_fill: true });
    expect(await createHandler(d)({ trigger: 'schedule:fallback' })).toMatchObject({
      notified: true,
      new_events: ['unknown_fill'],
    });
    at('2026-06-01T14:17:00Z', { unknown_fill: true });
    expect(await createHandler(d)({ trigger: 'schedule:primary' })).toMatchObject({ notified: false });
    const messages = await receiveAll();
    expect(messages.map((m) => m.Subject)).toEqual(['CRITICAL aegis-pt 1 new: unknown_fill -> escalate']);
  });

  it('recovers from a corrupt snapshot object', async () => {
    const d = await deps();
    await s3.send(new PutObjectCommand({ Bucket: bucketOf(d), Key: 'state/latest.json', Body: 'garbage{' }));
    at('2026-06-01T14:07:00Z');
    expect(await createHandler(d)({ trigger: 'schedule:primary' })).toMatchObject({ decision: 'observe' });
    const latest = await readLatestJson(d);
    expect((latest.info as { code: string }[]).map((i) => i.code)).toEqual(['snapshot_recovered']);
  });

  it('a conflicting write (S3 412 on If-Match) makes the run re-read and re-run dedup', async () => {
    const d = await deps();
    const store = d.store as S3Store;
    let raced = false;
    const racing: StateStore = {
      readLatest: async () => {
        const read = await store.readLatest();
        if (!raced) {
          raced = true;
          // Another invocation notifies and writes between our read and our write.
          const other = createHandler({ ...d, store, log: new MemoryLog() });
          await other({ trigger: 'schedule:fallback' });
        }
        return read;
      },
      writeLatest: (s, e) => store.writeLatest(s, e),
      writeRun: (r) => store.writeRun(r),
      listRuns: (r) => store.listRuns(r),
    };
    at('2026-06-01T14:07:00Z', { pending_orders: 3 });
    const log = new MemoryLog();
    const result = await createHandler({ ...d, store: racing, log })({ trigger: 'schedule:primary' });
    expect(result).toMatchObject({ notified: false, new_events: [] });
    expect(log.lines.map((l) => l.message)).toContain(
      'snapshot changed under this run; re-reading and re-running dedup',
    );
    expect((await receiveAll()).map((m) => m.Subject)).toEqual([
      'CRITICAL aegis-pt 1 new: pending_order_buildup -> notify',
    ]);
  });

  it('two overlapping invocations notify once, not twice', async () => {
    const first = await deps();
    const second = {
      ...first,
      store: new S3Store({ client: new S3Client({ forcePathStyle: true }), bucket: bucketOf(first) }),
    };
    at('2026-06-01T14:07:00Z', { send_outcome_unknown: true });
    const results = await Promise.all([
      createHandler(first)({ trigger: 'schedule:primary' }),
      createHandler(second)({ trigger: 'manual' }),
    ]);
    expect(results.map((r) => r.notified).sort()).toEqual([false, true]);
    expect((await receiveAll()).map((m) => m.Subject)).toEqual([
      'CRITICAL aegis-pt 1 new: send_outcome_unknown -> notify',
    ]);
  });
});

describe('the ECS adapter against moto', () => {
  const ecs = () =>
    new EcsApiSource({ client: new ECSClient({}), cluster: 'aegis-pt', service: 'aegis-pt-core' });

  it('reports a missing cluster or service as an ECS error', async () => {
    const result = await ecs().observe();
    expect('error' in result && result.error).toMatch(/ClusterNotFoundException|not found/);
  });

  it('reads the service moto models, and the detector judges what it reports', async () => {
    const client = new ECSClient({});
    await client.send(new CreateClusterCommand({ clusterName: 'aegis-pt' }));
    await client.send(
      new RegisterTaskDefinitionCommand({
        family: 'aegis-pt-core',
        containerDefinitions: [
          { name: 'ibkr-gateway', image: 'gw', essential: true, memory: 256 },
          { name: 'lt-ibkr-trader', image: 'tr', essential: true, memory: 256 },
        ],
      }),
    );
    await client.send(
      new CreateServiceCommand({
        cluster: 'aegis-pt',
        serviceName: 'aegis-pt-core',
        taskDefinition: 'aegis-pt-core',
        desiredCount: 1,
      }),
    );
    const result = await ecs().observe();
    expect(result).toMatchObject({
      ecs: { service: { serviceName: 'aegis-pt-core', status: 'ACTIVE', desiredCount: 1 } },
    });
    // moto starts no service tasks: the full handler with live ECS sees no primary.
    const d = await deps({ ecs: ecs() });
    at('2026-06-01T14:07:00Z');
    const run = await createHandler(d)({ trigger: 'schedule:primary' });
    expect(run.new_events).toEqual(
      expect.arrayContaining(['ecs_primary_count', 'gateway_unhealthy', 'trader_not_running']),
    );
  });
});

describe('the CLI with the Lambda adapters against moto', () => {
  it("detect <<<'{}' collects live (dashboard with the secret's token, ECS) and stores nothing", async () => {
    dash.serve({ kind: 'json', body: payloadAt(new Date().toISOString()) });
    const io = captureIo({ stdin: '{}', env: { ...process.env, ...env } });
    expect(await main(['detect'], io)).toBe(0);
    const out = JSON.parse(io.out);
    expect(out).toMatchObject({ schema: 'aegis-pt-health/v1', trigger: { trigger: 'cli' } });
    expect(out.signals.ecs_desired).toBe(1); // the service the ECS test above created in moto
    expect(dash.requests.at(-1)?.authorization).toBe('Bearer tok-123');
  });

  it('invoke --event runs the real handler once with the Lambda environment', async () => {
    const bucket = 'invoke-bucket';
    await createBucket(s3, bucket);
    dash.serve({ kind: 'json', body: payloadAt(new Date().toISOString()) });
    const io = captureIo({
      stdin: '{"trigger":"manual"}',
      env: { ...process.env, ...env, AEGIS_PT_STATE_BUCKET: bucket },
    });
    expect(await main(['invoke', '--event', '-'], io)).toBe(0);
    const result = JSON.parse(io.out);
    expect(result).toMatchObject({ trigger: 'manual' });
    expect(result.run_key).toMatch(/^runs\/\d{4}\/\d{2}\/\d{2}\/.*-manual-[0-9a-f]{12}\.json$/);
    const runs = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'runs/' }));
    expect(runs.KeyCount).toBe(1);
  });

  it('snapshot collects live and keeps the first-seen times the monitor stored', async () => {
    const d = await deps({
      ecs: new EcsApiSource({ client: new ECSClient({}), cluster: 'aegis-pt', service: 'aegis-pt-core' }),
    });
    const stored = new Date(Date.now() - 60_000).toISOString();
    clock = { iso: stored };
    dash.serve({ kind: 'json', body: payloadAt(stored) });
    await createHandler(d)({ trigger: 'schedule:primary' });
    dash.serve({ kind: 'json', body: payloadAt(new Date().toISOString()) });
    const io = captureIo({ env: { ...process.env, ...env }, now: new Date().toISOString() });
    expect(await main(['snapshot', '--bucket', bucketOf(d), '--json'], io)).toBe(0);
    const { output } = JSON.parse(io.out);
    const primary = output.events.find((e: { code: string }) => e.code === 'ecs_primary_count');
    expect(primary).toMatchObject({ first_seen_at: stored.replace(/\.\d{3}Z$/, 'Z'), consecutive: 2 });
  });

  it('invoke fails with exit 2 naming a missing variable', async () => {
    const io = captureIo({ stdin: '{}', env: { AEGIS_PT_CLUSTER: 'x', AEGIS_PT_DASHBOARD_URL: dash.url } });
    expect(await main(['invoke'], io)).toBe(2);
    expect(io.err).toContain('AEGIS_PT_TOPIC_ARN');
  });
});
