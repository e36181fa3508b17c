// Issue #25's fault classes at the check's sources and store: a rotated dashboard token, Secrets
// Manager and S3 that hang. The real handler and AWS wiring on moto; what operators got is read
// from the email topic's SQS inbox.
import { createServer, type Server } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { awsDeps } from '../../lambda/aws-deps';
import { readRuntimeEnv } from '../../lambda/env';
import { createHandler } from '../../lambda/handler';
import type { CheckDeps } from '../../lambda/ports';
import { ScriptedEcs } from '../../lib/demo/fakes/static-sources';
import { HEALTHY } from '../helpers/bundle';
import { MemoryLog, payloadAt, RecordingMetrics } from '../helpers/check-deps';
import { startFaultDashboard, type FaultDashboard } from './fault-servers';
import { startMoto, useEmulatorEnv, type MotoServer, createBucket } from './moto-server';

jest.setTimeout(90_000);

let moto: MotoServer;
let hang: FaultDashboard;
let s3: S3Client;
let sqs: SQSClient;
let queueUrl: string;
let topicArn: string;
let secretArn: string;
const secrets = () => new SecretsManagerClient({});

/** A dashboard that answers only the current bearer token, 401 otherwise. */
let accepted = 'tok-1';
let payload: unknown = {};
const requests: string[] = [];
let dashServer: Server;
let dashUrl: string;

beforeAll(async () => {
  moto = await startMoto();
  useEmulatorEnv(moto.endpoint);
  hang = await startFaultDashboard();
  hang.serve('hang');
  dashServer = createServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    requests.push(auth);
    if (auth !== `Bearer ${accepted}`) res.writeHead(401).end('unauthorized');
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
  });
  await new Promise<void>((ok) => dashServer.listen(0, '127.0.0.1', ok));
  dashUrl = `http://127.0.0.1:${(dashServer.address() as { port: number }).port}`;
  s3 = new S3Client({ forcePathStyle: true });
  sqs = new SQSClient({});
  const sns = new SNSClient({});
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'sources-email' }))).TopicArn as string;
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'sources-inbox' }))).QueueUrl as string;
  const arn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes?.QueueArn as string;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: arn }));
  secretArn = (
    await secrets().send(
      new CreateSecretCommand({
        Name: 'sources/dashboard',
        SecretString: JSON.stringify({ token: 'tok-1' }),
      }),
    )
  ).ARN as string;
});

afterAll(async () => {
  await new Promise<void>((ok) => dashServer?.close(() => ok()));
  await hang?.close();
  await moto?.stop();
});

async function subjects(): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const res = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 43_200 }),
    );
    if (!res.Messages?.length) return out;
    for (const m of res.Messages) out.push((JSON.parse(m.Body as string) as { Subject: string }).Subject);
  }
}

let seq = 0;
let clock = { iso: '2026-06-01T14:07:00Z' };

/** Runs `work` with these AWS_ENDPOINT_URL_<SERVICE> in force (the SDK resolves them per request). */
async function withEndpoints<T>(endpoints: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(endpoints).map((k) => [k, process.env[k]]));
  Object.assign(process.env, endpoints);
  try {
    return await work();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** The real wiring on a fresh bucket. */
async function deps(endpoints: Record<string, string> = {}): Promise<CheckDeps & { log: MemoryLog }> {
  const bucket = `sources-${++seq}`;
  await createBucket(s3, bucket);
  const env = {
    AEGIS_PT_CLUSTER: 'aegis-pt',
    AEGIS_PT_DASHBOARD_URL: dashUrl,
    AEGIS_PT_DASHBOARD_SECRET_ARN: secretArn,
    AEGIS_PT_STATE_BUCKET: bucket,
    AEGIS_PT_TOPIC_ARN: topicArn,
    AWS_ENDPOINT_URL: moto.endpoint,
    ...endpoints,
  };
  return {
    ...awsDeps(readRuntimeEnv(env), env),
    ecs: new ScriptedEcs(structuredClone(HEALTHY.ecs)),
    clock: { now: () => new Date(clock.iso) },
    metrics: new RecordingMetrics(),
    log: new MemoryLog(),
    sleep: async () => undefined,
  } as CheckDeps & { log: MemoryLog };
}

function observe(iso: string, changes: Record<string, unknown> = {}) {
  clock = { iso };
  payload = payloadAt(iso, changes);
}

const LAMBDA = { getRemainingTimeInMillis: () => 60_000 };

beforeEach(async () => {
  await subjects();
  accepted = 'tok-1';
  await secrets().send(
    new PutSecretValueCommand({ SecretId: secretArn, SecretString: JSON.stringify({ token: 'tok-1' }) }),
  );
});

describe('the check at its sources and store (moto)', () => {
  it('a rotated dashboard token is read again when the dashboard refuses the cached one', async () => {
    const d = await deps();
    const handler = createHandler(d);
    observe('2026-06-01T14:07:00Z');
    expect((await handler({ trigger: 'schedule:primary' }, LAMBDA)).decision).toBe('observe');
    // The secret is rotated; the warm container still holds tok-1.
    await secrets().send(
      new PutSecretValueCommand({ SecretId: secretArn, SecretString: JSON.stringify({ token: 'tok-2' }) }),
    );
    accepted = 'tok-2';
    requests.length = 0;
    observe('2026-06-01T14:08:00Z', { unknown_fill: true });
    const result = await handler({ trigger: 'schedule:primary' }, LAMBDA);
    expect(result.new_events).toEqual(['unknown_fill']);
    expect(requests).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    expect(await subjects()).toEqual(['CRITICAL aegis-pt 1 new: unknown_fill -> escalate']);
    // Once per run: a token still refused after the re-read is the dashboard's error, told as such.
    accepted = 'tok-3';
    observe('2026-06-01T14:09:00Z', { unknown_fill: true });
    requests.length = 0;
    const refused = await handler({ trigger: 'schedule:primary' }, LAMBDA);
    expect(requests).toEqual(['Bearer tok-2', 'Bearer tok-2']);
    expect(refused.new_events).toContain('dashboard_unreachable');
  });

  it('Secrets Manager that hangs: the dashboard is unreachable within the budget, ECS is still judged', async () => {
    const endpoints = { AWS_ENDPOINT_URL_SECRETS_MANAGER: hang.url };
    const d = await deps(endpoints);
    observe('2026-06-01T14:07:00Z');
    const started = Date.now();
    const result = await withEndpoints(endpoints, () =>
      createHandler(d)({ trigger: 'schedule:primary' }, LAMBDA),
    );
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.new_events).toEqual(['dashboard_unreachable']);
    expect(await subjects()).toEqual([
      expect.stringMatching(/^CRITICAL aegis-pt 1 new: dashboard_unreachable/),
    ]);
  });

  it('S3 that hangs: the run fails within its budget (Lambda retries it, the error alarm sees it)', async () => {
    const endpoints = { AWS_ENDPOINT_URL_S3: hang.url };
    const d = await deps(endpoints);
    observe('2026-06-01T14:07:00Z', { unknown_fill: true });
    const started = Date.now();
    await expect(
      withEndpoints(endpoints, () => createHandler(d)({ trigger: 'schedule:primary' }, LAMBDA)),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(45_000);
  });
});
