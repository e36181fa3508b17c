// Who hears what, end to end on moto: the real handler and AWS wiring publish to three SNS topics
// (page, email, chat), each delivering to its own SQS inbox; silences are read from the state bucket.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { S3Store } from '../../lambda/adapters/s3-store';
import { awsDeps } from '../../lambda/aws-deps';
import { readRuntimeEnv } from '../../lambda/env';
import { createHandler } from '../../lambda/handler';
import type { CheckDeps } from '../../lambda/ports';
import { encodeSilences, SILENCES_KEY } from '../../lambda/shared/state-layout';
import { startDashboard, type LocalDashboard } from '../../lib/demo/fakes/dashboard-server';
import { ScriptedEcs } from '../../lib/demo/fakes/static-sources';
import { HEALTHY } from '../helpers/bundle';
import { MemoryLog, payloadAt, RecordingMetrics } from '../helpers/check-deps';
import { startMoto, useEmulatorEnv, type MotoServer, createBucket } from './moto-server';

jest.setTimeout(60_000);

type Audience = 'page' | 'email' | 'chat';
const AUDIENCES: Audience[] = ['page', 'email', 'chat'];

let moto: MotoServer;
let dash: LocalDashboard;
let s3: S3Client;
let sqs: SQSClient;
const topics = {} as Record<Audience, string>;
const inboxes = {} as Record<Audience, string>;
let clock: { iso: string };
let seq = 0;

beforeAll(async () => {
  moto = await startMoto();
  useEmulatorEnv(moto.endpoint);
  dash = await startDashboard();
  s3 = new S3Client({ forcePathStyle: true });
  sqs = new SQSClient({});
  const sns = new SNSClient({});
  for (const a of AUDIENCES) {
    topics[a] = (await sns.send(new CreateTopicCommand({ Name: `aegis-${a}` }))).TopicArn as string;
    inboxes[a] = (await sqs.send(new CreateQueueCommand({ QueueName: `inbox-${a}` }))).QueueUrl as string;
    const arn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: inboxes[a], AttributeNames: ['QueueArn'] }))
    ).Attributes?.QueueArn as string;
    await sns.send(new SubscribeCommand({ TopicArn: topics[a], Protocol: 'sqs', Endpoint: arn }));
  }
});

afterAll(async () => {
  await dash?.close();
  await moto?.stop();
});

async function inbox(a: Audience): Promise<{ Subject?: string; Message: string }[]> {
  const out: { Subject?: string; Message: string }[] = [];
  for (;;) {
    const res = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: inboxes[a], MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (!res.Messages?.length) return out;
    out.push(...res.Messages.map((m) => JSON.parse(m.Body as string)));
  }
}

async function drain(): Promise<Record<Audience, { Subject?: string; Message: string }[]>> {
  return { page: await inbox('page'), email: await inbox('email'), chat: await inbox('chat') };
}

async function deps(floor?: string): Promise<CheckDeps> {
  const bucket = `routes-${++seq}`;
  await createBucket(s3, bucket);
  const env = {
    AEGIS_PT_CLUSTER: 'aegis-pt',
    AEGIS_PT_DASHBOARD_URL: dash.url,
    AEGIS_PT_STATE_BUCKET: bucket,
    AEGIS_PT_TOPIC_ARN: topics.email,
    AEGIS_PT_PAGE_TOPIC_ARN: topics.page,
    AEGIS_PT_CHAT_TOPIC_ARN: topics.chat,
    ...(floor ? { AEGIS_PT_PAGE_FLOOR: floor } : {}),
    AWS_ENDPOINT_URL: moto.endpoint,
  };
  return {
    ...awsDeps(readRuntimeEnv(env), env),
    ecs: new ScriptedEcs(structuredClone(HEALTHY.ecs)),
    clock: { now: () => new Date(clock.iso) },
    metrics: new RecordingMetrics(),
    log: new MemoryLog(),
    sleep: async () => undefined,
  };
}

async function check(d: CheckDeps, iso: string, changes: Record<string, unknown> = {}) {
  clock = { iso };
  dash.serve({ kind: 'json', body: payloadAt(iso, changes) });
  return createHandler(d)({ trigger: 'schedule:primary' });
}

const counts = (m: Record<Audience, unknown[]>) => AUDIENCES.map((a) => m[a].length);

beforeEach(async () => {
  await drain();
});

describe('routes on moto, one inbox per audience', () => {
  it('a new warn goes to email and chat, not to the pager; nor does its resolution', async () => {
    const d = await deps();
    await check(d, '2026-06-01T14:07:00Z', { pending_orders: 2 });
    const first = await drain();
    expect(counts(first)).toEqual([0, 1, 1]);
    expect(first.email[0].Message).toContain('Decision: notify');
    const chat = JSON.parse(first.chat[0].Message);
    expect(chat).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown' },
    });
    await check(d, '2026-06-01T14:12:00Z');
    expect(counts(await drain())).toEqual([0, 1, 1]);
  });

  it('a new critical pages (the SMS text), and so does its resolution', async () => {
    const d = await deps();
    await check(d, '2026-06-01T14:07:00Z', { send_outcome_unknown: true });
    const first = await drain();
    expect(counts(first)).toEqual([1, 1, 1]);
    expect(first.page[0].Message).toMatch(/^CRITICAL aegis-pt 10:07ET NOTIFY new:send_outcome_unknown/);
    await check(d, '2026-06-01T14:12:00Z');
    const resolved = await drain();
    expect(counts(resolved)).toEqual([1, 1, 1]);
    expect(resolved.page[0].Message).toMatch(/^RESOLVED .* ok:send_outcome_unknown/);
  });

  it('the escalate floor pages an escalation but not a plain critical', async () => {
    const d = await deps('escalate');
    await check(d, '2026-06-01T14:07:00Z', { send_outcome_unknown: true });
    expect(counts(await drain())).toEqual([0, 1, 1]);
    await check(d, '2026-06-01T14:12:00Z', { send_outcome_unknown: true, unknown_fill: true });
    expect(counts(await drain())).toEqual([1, 1, 1]);
  });

  it('a silence in the bucket holds the alert back on every route; its end tells it', async () => {
    const d = await deps();
    const silence = {
      id: 'maint-1',
      codes: ['send_outcome_unknown'],
      starts_at: '2026-06-01T14:00:00Z',
      ends_at: '2026-06-01T14:10:00Z',
      reason: 'broker maintenance',
      created_by: 'alice',
      created_at: '2026-06-01T14:00:00Z',
      include_escalations: false,
    };
    const bucket = (d.store as S3Store as unknown as { props: { bucket: string } }).props.bucket;
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: SILENCES_KEY, Body: encodeSilences([silence]) }),
    );
    const held = await check(d, '2026-06-01T14:07:00Z', { send_outcome_unknown: true });
    expect(held).toMatchObject({ notified: false, new_events: [] });
    // No alert on any route; the silence itself is announced to email and chat (issue #22).
    const announced = await drain();
    expect(counts(announced)).toEqual([0, 1, 1]);
    expect(announced.email[0].Subject).toBe('SILENCE aegis-pt: 1 started');
    const told = await check(d, '2026-06-01T14:12:00Z', { send_outcome_unknown: true });
    expect(told).toMatchObject({ notified: true, new_events: ['send_outcome_unknown'] });
    // The alert on every route, and the silence's end to email and chat.
    const after = await drain();
    expect(counts(after)).toEqual([1, 2, 2]);
    expect(after.email.map((m) => m.Subject).sort()).toEqual([
      'CRITICAL aegis-pt 1 new: send_outcome_unknown -> notify',
      'SILENCE aegis-pt: 1 ended',
    ]);
  });

  it('an unreadable silences file silences nothing and says so', async () => {
    const d = await deps();
    const bucket = (d.store as unknown as { props: { bucket: string } }).props.bucket;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: SILENCES_KEY, Body: '{not json' }));
    await check(d, '2026-06-01T14:07:00Z', { send_outcome_unknown: true });
    const got = await drain();
    expect(counts(got)).toEqual([1, 1, 1]);
    expect(got.email[0].Message).toContain('silences_unreadable');
  });
});
