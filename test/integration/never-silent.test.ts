// Issue #9's fault-injection suite: the real handler with the real AWS adapters against moto (S3; SNS
// delivering into an SQS inbox), a loopback dashboard and a loopback ECS endpoint that can hang. Each
// test injects one class of fault and asserts from the inbox what the operators received: the alert,
// exactly once where no fault forced a retry.
import { PutObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, DeleteTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { awsDeps } from '../../lambda/aws-deps';
import { readRuntimeEnv } from '../../lambda/env';
import { createHandler } from '../../lambda/handler';
import type { CheckDeps, DashboardSource } from '../../lambda/ports';
import { HEALTHY } from '../helpers/bundle';
import { MemoryLog, payloadAt, RecordingMetrics } from '../helpers/check-deps';
import { startFaultDashboard, startFaultEcs, type FaultDashboard, type FaultEcs } from './fault-servers';
import { startMoto, useEmulatorEnv, type MotoServer, createBucket } from './moto-server';

jest.setTimeout(90_000);

let moto: MotoServer;
let dash: FaultDashboard;
let ecs: FaultEcs;
let s3: S3Client;
let sns: SNSClient;
let sqs: SQSClient;
let queueUrl: string;
let queueArn: string;
let topicArn: string;
let env: Record<string, string>;
const savedEcsEndpoint = process.env.AWS_ENDPOINT_URL_ECS;

interface Inbox {
  Subject: string;
  Message: string;
  bytes: number;
}

async function subscribeQueue(): Promise<void> {
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'never-silent-alerts' }))).TopicArn as string;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));
}

async function inbox(): Promise<Inbox[]> {
  const out: Inbox[] = [];
  for (;;) {
    const res = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        // Never visible again: a message read is a message delivered, not one to read twice.
        VisibilityTimeout: 43_200,
      }),
    );
    if (!res.Messages?.length) return out;
    for (const m of res.Messages) {
      const body = JSON.parse(m.Body as string);
      out.push({ Subject: body.Subject, Message: body.Message, bytes: Buffer.byteLength(body.Message) });
    }
  }
}

beforeAll(async () => {
  moto = await startMoto();
  useEmulatorEnv(moto.endpoint);
  dash = await startFaultDashboard();
  ecs = await startFaultEcs();
  process.env.AWS_ENDPOINT_URL_ECS = ecs.url;
  s3 = new S3Client({ forcePathStyle: true });
  sns = new SNSClient({});
  sqs = new SQSClient({});
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'never-silent-inbox' }))).QueueUrl as string;
  queueArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes?.QueueArn as string;
  await subscribeQueue();
  env = {
    AEGIS_PT_CLUSTER: 'aegis-pt',
    AEGIS_PT_SERVICE: 'aegis-pt-core',
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

let seq = 0;
let clock: { iso: string };

/** The real AWS wiring (ECS over the loopback endpoint) on a fresh bucket, with a test clock. */
async function deps(
  overrides: Partial<CheckDeps> = {},
): Promise<CheckDeps & { log: MemoryLog; bucket: string }> {
  const bucket = `never-silent-${++seq}`;
  await createBucket(s3, bucket);
  const real = awsDeps(
    readRuntimeEnv({ ...env, AEGIS_PT_STATE_BUCKET: bucket, AEGIS_PT_TOPIC_ARN: topicArn }),
    env,
  );
  return {
    ...real,
    clock: { now: () => new Date(clock.iso) },
    metrics: new RecordingMetrics(),
    log: new MemoryLog(),
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 100))),
    bucket,
    ...overrides,
  } as CheckDeps & { log: MemoryLog; bucket: string };
}

const LAMBDA = { getRemainingTimeInMillis: () => 60_000 };

/** The dashboard serves the healthy payload with changes; ECS serves the healthy observation. */
function at(iso: string, changes: Record<string, unknown> = {}): void {
  clock = { iso };
  dash.serve(JSON.stringify(payloadAt(iso, changes)));
  ecs.serve(structuredClone(HEALTHY.ecs) as Record<string, unknown>);
}

beforeEach(async () => {
  await inbox();
});

describe('never silent: one fault class at a time, judged from the inbox', () => {
  it('class 1: 5,000 stale orders with long ids and a stuck exit in a 0.6 MB payload arrive once, under 256 KiB', async () => {
    const d = await deps();
    const orders = Array.from({ length: 5000 }, (_, i) => ({
      order_id: `ord-${'x'.repeat(90)}-${i}`,
      symbol: 'COIN',
      purpose: 'exit',
      submitted_at: '2026-06-01T13:00:00Z',
    }));
    at('2026-06-01T14:07:00Z', { pending_order_details: orders, pending_orders: 5000, stuck_exits: 1 });
    const body = JSON.stringify(
      payloadAt('2026-06-01T14:07:00Z', {
        pending_order_details: orders,
        pending_orders: 5000,
        stuck_exits: 1,
      }),
    );
    expect(body.length).toBeGreaterThan(600_000);
    const result = await createHandler(d)({ trigger: 'schedule:primary' }, LAMBDA);
    expect(result.notified).toBe(true);
    const got = await inbox();
    expect(got).toHaveLength(1);
    expect(got[0].Subject).toContain('stuck_exits');
    expect(got[0].bytes).toBeLessThan(262_144);
    expect(got[0].Message).toContain('stuck_exits');
  });

  it('class 1: the widest payload within every limit (2,000 long-id orders and trades) still fits', async () => {
    const d = await deps();
    const orders = Array.from({ length: 2000 }, (_, i) => ({
      order_id: `o${'y'.repeat(150)}${i}`,
      symbol: 'S'.repeat(20),
      purpose: 'exit',
      submitted_at: '2026-06-01T13:00:00Z',
    }));
    const trades = Array.from({ length: 1000 }, (_, i) => ({
      trade_id: `t${'z'.repeat(100)}${i}`,
      pnl_unknown: true,
    }));
    at('2026-06-01T14:07:00Z', { pending_order_details: orders, recent_trades: trades, unknown_fill: true });
    await createHandler(d)({ trigger: 'schedule:primary' }, LAMBDA);
    const got = await inbox();
    expect(got).toHaveLength(1);
    for (const code of ['unknown_fill', 'pending_order_stale', 'pnl_unknown_trades', 'pending_order_buildup'])
      expect(got[0].Message).toContain(code);
  });

  it('class 2: ECS accepts and never answers: ecs_unavailable and the unknown fill are told in the same run, in time', async () => {
    const d = await deps();
    at('2026-06-01T14:07:00Z', { unknown_fill: true });
    ecs.serve('hang');
    const started = Date.now();
    const result = await createHandler(d)(
      { trigger: 'schedule:primary' },
      { getRemainingTimeInMillis: () => 9_000 },
    );
    const wall = Date.now() - started;
    expect(wall).toBeLessThan(9_000);
    expect(result.new_events).toEqual(expect.arrayContaining(['ecs_unavailable', 'unknown_fill']));
    const got = await inbox();
    expect(got).toHaveLength(1);
    expect(got[0].Subject).toContain('unknown_fill');
    expect(got[0].Message).toContain('ECS did not answer within');
    console.log(`class 2: handler wall time to the published alert with ECS hanging: ${wall} ms`);
  });

  it('class 2: a dashboard that hangs is dashboard_unreachable, and ECS findings are still told', async () => {
    const d = await deps();
    at('2026-06-01T14:07:00Z');
    dash.serve('hang');
    ecs.serve({ ...(structuredClone(HEALTHY.ecs) as Record<string, unknown>), tasks: [] });
    const result = await createHandler(d)(
      { trigger: 'schedule:primary' },
      { getRemainingTimeInMillis: () => 9_000 },
    );
    expect(result.new_events).toEqual(expect.arrayContaining(['dashboard_unreachable', 'ecs_primary_count']));
    expect(await inbox()).toHaveLength(1);
  });

  it.each([
    [
      '130,000 empty positions (391 KB)',
      (t: string) => t.replace('"__HOSTILE__"', JSON.stringify(Array.from({ length: 130_000 }, () => ({})))),
    ],
    [
      'a pnl nested 5,000 arrays deep (11 KB)',
      (t: string) =>
        t.replace(
          '"__HOSTILE__"',
          `[{"trade_id":"t","pnl_unknown":false,"pnl":${'['.repeat(5000)}${']'.repeat(5000)}}]`,
        ),
    ],
  ])('class 3: %s never makes the run throw; the stuck exit is told', async (name, inject) => {
    const d = await deps();
    at('2026-06-01T14:07:00Z');
    const field = name.startsWith('130') ? 'open_positions' : 'recent_trades';
    dash.serve(
      inject(JSON.stringify(payloadAt('2026-06-01T14:07:00Z', { [field]: '__HOSTILE__', stuck_exits: 1 }))),
    );
    const result = await createHandler(d)({ trigger: 'schedule:primary' }, LAMBDA);
    expect(result.new_events).toEqual(expect.arrayContaining(['stuck_exits']));
    const got = await inbox();
    expect(got).toHaveLength(1);
    expect(got[0].Subject).toContain('stuck_exits');
  });

  it('class 2: SNS accepts and never answers: the run fails within its deadline, the next run tells the alert once', async () => {
    const sink = await startFaultDashboard();
    sink.serve('hang');
    const saved = process.env.AWS_ENDPOINT_URL_SNS;
    process.env.AWS_ENDPOINT_URL_SNS = sink.url;
    const d = await deps();
    at('2026-06-01T14:07:00Z', { unknown_fill: true });
    const started = Date.now();
    try {
      await expect(createHandler(d)({ trigger: 'schedule:primary' }, LAMBDA)).rejects.toThrow();
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_SNS;
      else process.env.AWS_ENDPOINT_URL_SNS = saved;
      await sink.close();
    }
    expect(Date.now() - started).toBeLessThan(30_000);
    const fresh = awsDeps(
      readRuntimeEnv({ ...env, AEGIS_PT_STATE_BUCKET: d.bucket, AEGIS_PT_TOPIC_ARN: topicArn }),
      env,
    );
    at('2026-06-01T14:12:00Z', { unknown_fill: true });
    const result = await createHandler({ ...d, notifier: fresh.notifier })(
      { trigger: 'schedule:fallback' },
      LAMBDA,
    );
    expect(result.notified).toBe(true);
    expect((await inbox()).map((m) => m.Subject)).toEqual([
      'CRITICAL aegis-pt 1 new: unknown_fill -> escalate',
    ]);
  });

  it('class 4: a fill whose publish failed and that cleared before the next run is told as missed', async () => {
    const d = await deps();
    await sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
    at('2026-06-01T14:07:00Z', { unknown_fill: true });
    await expect(createHandler(d)({ trigger: 'schedule:primary' }, LAMBDA)).rejects.toThrow();
    await subscribeQueue();
    at('2026-06-01T14:12:00Z');
    const result = await createHandler(d)({ trigger: 'schedule:fallback' }, LAMBDA);
    expect(result).toMatchObject({ notified: true, resolved_events: ['unknown_fill'] });
    const got = await inbox();
    expect(got.map((m) => m.Subject)).toEqual(['CRITICAL aegis-pt 1 missed: unknown_fill -> observe']);
    expect(got[0].Message).toContain('cleared before it could be told');
  });

  it('class 4: a rise to critical whose publish failed and that then cleared is resolved, not lost', async () => {
    const d = await deps();
    at('2026-06-01T14:07:00Z', { pending_exits: 1 });
    await createHandler(d)({ trigger: 'schedule:primary' }, LAMBDA);
    await sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
    at('2026-06-01T14:12:00Z', { pending_exits: 1 });
    await expect(createHandler(d)({ trigger: 'schedule:fallback' }, LAMBDA)).rejects.toThrow();
    await subscribeQueue();
    at('2026-06-01T14:17:00Z');
    await createHandler(d)({ trigger: 'schedule:primary' }, LAMBDA);
    const subjects = (await inbox()).map((m) => m.Subject);
    expect(subjects).toEqual([
      'WARN aegis-pt 1 new: pending_exits -> notify',
      'CRITICAL aegis-pt 1 missed: pending_exits -> observe',
    ]);
  });

  it('class 5: an overlapping run with an older observation neither replaces the snapshot nor notifies', async () => {
    const a = await deps();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const real = a.dashboard;
    const slowDash: DashboardSource = {
      ...real,
      fetch: async (e) => {
        const r = await real.fetch(e);
        await gate; // B observed healthy, then stalls while A runs
        return r;
      },
    };
    const bClock = { iso: '2026-06-01T14:07:00Z' };
    const b = { ...a, dashboard: slowDash, clock: { now: () => new Date(bClock.iso) }, log: new MemoryLog() };
    at('2026-06-01T14:07:00Z');
    const runB = createHandler(b)({ trigger: 'ecs-event' }, LAMBDA);
    await new Promise((r) => setTimeout(r, 300));
    at('2026-06-01T14:07:02Z', { unknown_fill: true });
    await createHandler(a)({ trigger: 'schedule:primary' }, LAMBDA);
    release();
    const resultB = await runB;
    expect(resultB.notified).toBe(false);
    at('2026-06-01T14:12:00Z', { unknown_fill: true });
    expect(await createHandler(a)({ trigger: 'schedule:fallback' }, LAMBDA)).toMatchObject({
      notified: false,
    });
    expect((await inbox()).map((m) => m.Subject)).toEqual([
      'CRITICAL aegis-pt 1 new: unknown_fill -> escalate',
    ]);
    expect(b.log.lines.map((l) => l.message)).toContain(
      'this run is older than the stored snapshot; it neither replaces it nor notifies',
    );
  });

  it('class 5: a run whose sources stalled is as old as its first read, not its last: no NEW, RESOLVED, NEW', async () => {
    const a = await deps();
    let release!: () => void;
    let released = false;
    const gate = new Promise<void>((r) => (release = r));
    const real = a.dashboard;
    const slowDash: DashboardSource = {
      ...real,
      fetch: async (e) => {
        const r = await real.fetch(e);
        await gate; // B read the healthy dashboard at 14:07:00; its other source answers only at 14:07:05
        return r;
      },
    };
    // A real clock: read after the stall, it says 14:07:05, later than A's observation.
    const clockB = () => new Date(released ? '2026-06-01T14:07:05Z' : '2026-06-01T14:07:00Z');
    const b = { ...a, dashboard: slowDash, clock: { now: clockB }, log: new MemoryLog() };
    at('2026-06-01T14:07:00Z');
    const runB = createHandler(b)({ trigger: 'ecs-event' }, LAMBDA);
    await new Promise((r) => setTimeout(r, 300));
    at('2026-06-01T14:07:02Z', { unknown_fill: true });
    await createHandler(a)({ trigger: 'schedule:primary' }, LAMBDA);
    released = true;
    release();
    await runB;
    at('2026-06-01T14:12:00Z', { unknown_fill: true });
    await createHandler(a)({ trigger: 'schedule:fallback' }, LAMBDA);
    expect((await inbox()).map((m) => m.Subject)).toEqual([
      'CRITICAL aegis-pt 1 new: unknown_fill -> escalate',
    ]);
  });

  it('class 6: a snapshot without resolved_events and with a delivery claim is recovered, its open event still resolved', async () => {
    const d = await deps();
    const told = {
      code: 'unknown_fill',
      severity: 'critical',
      signature: 'unknown_fill',
      summary: 'fill',
      details: {},
      first_seen_at: '2026-06-01T14:02:00Z',
      consecutive: 1,
      escalate: true,
      notified_at: '2026-06-01T14:02:00Z',
    };
    const broken = {
      schema: 'aegis-pt-health/v1',
      checked_at: '2026-06-01T14:02:00Z',
      events: [told],
      delivery: { state: 'failed', run_id: 'x', claimed_at: '2026-06-01T14:02:00Z' },
    };
    await s3.send(
      new PutObjectCommand({ Bucket: d.bucket, Key: 'state/latest.json', Body: JSON.stringify(broken) }),
    );
    at('2026-06-01T14:07:00Z');
    const result = await createHandler(d)({ trigger: 'schedule:primary' }, LAMBDA);
    expect(result).toMatchObject({ notified: true, resolved_events: ['unknown_fill'] });
    expect(d.log.lines.some((l) => l.level === 'warn' && l.message.includes('snapshot was unusable'))).toBe(
      true,
    );
    at('2026-06-01T14:12:00Z');
    expect(await createHandler(d)({ trigger: 'schedule:fallback' }, LAMBDA)).toMatchObject({
      notified: false,
    });
    const got = await inbox();
    // The claim says that run's delivery failed: the fill was never told, so it is told as missed.
    expect(got.map((m) => m.Subject)).toEqual(['CRITICAL aegis-pt 1 missed: unknown_fill -> observe']);
    expect(got[0].Message).toContain('snapshot_recovered');
  });

  it('class 6: a snapshot stamped in the future (a clock gone wrong once) does not silence every later run', async () => {
    const d = await deps();
    const future = {
      schema: 'aegis-pt-health/v1',
      checked_at: '2099-01-01T00:00:00Z',
      events: [],
      new_events: [],
      resolved_events: [],
    };
    await s3.send(
      new PutObjectCommand({ Bucket: d.bucket, Key: 'state/latest.json', Body: JSON.stringify(future) }),
    );
    at('2026-06-01T14:07:00Z', { stuck_exits: 1 });
    const result = await createHandler(d)({ trigger: 'schedule:primary' }, LAMBDA);
    expect(result.new_events).toEqual(['stuck_exits']);
    expect(d.log.lines.some((l) => l.level === 'warn' && l.message.includes('snapshot was unusable'))).toBe(
      true,
    );
    at('2026-06-01T14:12:00Z');
    expect(await createHandler(d)({ trigger: 'schedule:fallback' }, LAMBDA)).toMatchObject({
      resolved_events: ['stuck_exits'],
    });
    expect((await inbox()).map((m) => m.Subject)).toEqual([
      'CRITICAL aegis-pt 1 new: stuck_exits -> escalate',
      'RESOLVED aegis-pt 1 resolved: stuck_exits -> observe',
    ]);
  });

  it.each([
    ['events is an object', { events: { 0: 'x' } }],
    ['delivery is a string', { delivery: 'pending' }],
    ['delivery has a wrong-typed state', { delivery: { state: 7, run_id: 1, claimed_at: 'soon' } }],
    ['the schema string is another version', { schema: 'aegis-pt-health/v0' }],
    ['resolved_events holds nulls', { resolved_events: [null, 1, 'x'] }],
    ['checked_at is not a time', { checked_at: 'yesterday' }],
    ['the whole snapshot is an array', null],
  ])('class 6: a snapshot where %s is recovered; the stuck exit is told once', async (_name, damage) => {
    const d = await deps();
    const base = {
      schema: 'aegis-pt-health/v1',
      checked_at: '2026-06-01T14:02:00Z',
      events: [],
      new_events: [],
      resolved_events: [],
    };
    const body = damage === null ? [base] : { ...base, ...damage };
    await s3.send(
      new PutObjectCommand({ Bucket: d.bucket, Key: 'state/latest.json', Body: JSON.stringify(body) }),
    );
    at('2026-06-01T14:07:00Z', { stuck_exits: 1 });
    const result = await createHandler(d)({ trigger: 'schedule:primary' }, LAMBDA);
    expect(result.new_events).toEqual(['stuck_exits']);
    expect(d.log.lines.some((l) => l.level === 'warn' && l.message.includes('snapshot was unusable'))).toBe(
      true,
    );
    at('2026-06-01T14:12:00Z', { stuck_exits: 1 });
    expect(await createHandler(d)({ trigger: 'schedule:fallback' }, LAMBDA)).toMatchObject({
      notified: false,
    });
    expect((await inbox()).map((m) => m.Subject)).toEqual([
      'CRITICAL aegis-pt 1 new: stuck_exits -> escalate',
    ]);
  });

  it('class 8: a dashboard body starting with a UTF-8 BOM is read; the stuck exit is told', async () => {
    const d = await deps();
    at('2026-06-01T14:07:00Z');
    dash.serve(`\uFEFF${JSON.stringify(payloadAt('2026-06-01T14:07:00Z', { stuck_exits: 1 }))}`);
    const result = await createHandler(d)({ trigger: 'schedule:primary' }, LAMBDA);
    expect(result.new_events).toEqual(['stuck_exits']);
    expect((await inbox()).map((m) => m.Subject)).toEqual([
      'CRITICAL aegis-pt 1 new: stuck_exits -> escalate',
    ]);
  });

  it('class 8: a corrupt snapshot logs a warn line; two runs of one trigger in one second keep two records', async () => {
    const d = await deps();
    await s3.send(new PutObjectCommand({ Bucket: d.bucket, Key: 'state/latest.json', Body: 'garbage{' }));
    at('2026-06-01T14:07:00Z');
    await createHandler(d)({ trigger: 'manual' }, LAMBDA);
    expect(d.log.lines.some((l) => l.level === 'warn' && l.message.includes('snapshot was unusable'))).toBe(
      true,
    );
    await createHandler(d)({ trigger: 'manual' }, LAMBDA);
    const runs = await s3.send(new ListObjectsV2Command({ Bucket: d.bucket, Prefix: 'runs/' }));
    expect(runs.Contents?.length).toBe(2);
    expect((await inbox()).map((m) => m.Subject)).toEqual([]);
  });
});
