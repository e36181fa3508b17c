// Issue #25's fault-injection suite, one SQS inbox per audience: the real handler and AWS wiring
// publish to three SNS topics (page, email, chat) on moto. Each test injects one class of fault and
// asserts per audience how many times each event was told.
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, DeleteTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { awsDeps } from '../../lambda/aws-deps';
import type { Audience } from '../../lambda/detector/audiences';
import type { NotificationMessage, RunRecord } from '../../lambda/detector/types';
import { readRuntimeEnv } from '../../lambda/env';
import { createHandler } from '../../lambda/handler';
import type { CheckDeps } from '../../lambda/ports';
import { encodeSilences, LATEST_KEY, SILENCES_KEY } from '../../lambda/shared/state-layout';
import { S3Store } from '../../lambda/adapters/s3-store';
import { CLIENT_DEADLINES } from '../../lambda/shared/client-deadlines';
import { startDashboard, type LocalDashboard } from '../../lib/demo/fakes/dashboard-server';
import { ScriptedEcs } from '../../lib/demo/fakes/static-sources';
import { HEALTHY } from '../helpers/bundle';
import { MemoryLog, payloadAt, RecordingMetrics } from '../helpers/check-deps';
import { startS3FaultProxy, type S3Fault, type S3FaultProxy } from './fault-servers';
import { startMoto, useEmulatorEnv, type MotoServer, createBucket } from './moto-server';

jest.setTimeout(90_000);

const AUDIENCES: Audience[] = ['page', 'email', 'chat'];
let moto: MotoServer;
let dash: LocalDashboard;
let s3: S3Client;
let sns: SNSClient;
let sqs: SQSClient;
const topics = {} as Record<Audience, string>;
const queues = {} as Record<Audience, { url: string; arn: string }>;
let seq = 0;
const LAMBDA = { getRemainingTimeInMillis: () => 60_000 };

async function subscribe(a: Audience): Promise<void> {
  topics[a] = (await sns.send(new CreateTopicCommand({ Name: `aud-${a}` }))).TopicArn as string;
  await sns.send(new SubscribeCommand({ TopicArn: topics[a], Protocol: 'sqs', Endpoint: queues[a].arn }));
}

beforeAll(async () => {
  moto = await startMoto();
  useEmulatorEnv(moto.endpoint);
  dash = await startDashboard();
  s3 = new S3Client({ forcePathStyle: true });
  sns = new SNSClient({});
  sqs = new SQSClient({});
  for (const a of AUDIENCES) {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: `aud-inbox-${a}` }))).QueueUrl as string;
    const arn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))
    ).Attributes?.QueueArn as string;
    queues[a] = { url, arn };
    await subscribe(a);
  }
});

afterAll(async () => {
  await dash?.close();
  await moto?.stop();
});

interface Told {
  readonly subject: string;
  readonly body: string;
}

async function inbox(a: Audience): Promise<Told[]> {
  const out: Told[] = [];
  for (;;) {
    const res = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queues[a].url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 43_200,
      }),
    );
    if (!res.Messages?.length) return out;
    for (const m of res.Messages) {
      const body = JSON.parse(m.Body as string) as { Subject?: string; Message: string };
      out.push({ subject: body.Subject ?? '', body: body.Message });
    }
  }
}

type Inboxes = Record<Audience, Told[]>;
async function drain(): Promise<Inboxes> {
  return { page: await inbox('page'), email: await inbox('email'), chat: await inbox('chat') };
}

const isAlert = (m: Told) => !m.subject.startsWith('DIGEST') && !m.subject.startsWith('SILENCE');

/** How many alerts (not digests nor silence notices) each audience got that name `code`. */
function toldCount(got: Inboxes, code: string): Record<Audience, number> {
  const n = (a: Audience) =>
    got[a].filter((m) => isAlert(m) && (m.subject.includes(code) || m.body.includes(code))).length;
  return { page: n('page'), email: n('email'), chat: n('chat') };
}

let clock = { iso: '2026-06-01T14:07:00Z' };

async function deps(
  overrides: Partial<CheckDeps> = {},
): Promise<CheckDeps & { bucket: string; log: MemoryLog }> {
  const bucket = `aud-${++seq}`;
  await createBucket(s3, bucket);
  const env = {
    AEGIS_PT_CLUSTER: 'aegis-pt',
    AEGIS_PT_DASHBOARD_URL: dash.url,
    AEGIS_PT_STATE_BUCKET: bucket,
    AEGIS_PT_TOPIC_ARN: topics.email,
    AEGIS_PT_PAGE_TOPIC_ARN: topics.page,
    AEGIS_PT_CHAT_TOPIC_ARN: topics.chat,
    AWS_ENDPOINT_URL: moto.endpoint,
  };
  return {
    ...awsDeps(readRuntimeEnv(env), env),
    ecs: new ScriptedEcs(structuredClone(HEALTHY.ecs)),
    clock: { now: () => new Date(clock.iso) },
    metrics: new RecordingMetrics(),
    log: new MemoryLog(),
    sleep: (ms: number) => new Promise((r) => setTimeout(r, ms)),
    bucket,
    ...overrides,
  } as CheckDeps & { bucket: string; log: MemoryLog };
}

function observe(iso: string, changes: Record<string, unknown> = {}): void {
  clock = { iso };
  dash.serve({ kind: 'json', body: payloadAt(iso, changes) });
}

async function run(d: CheckDeps, trigger = 'schedule:primary') {
  return createHandler(d)({ trigger }, LAMBDA);
}

async function latest(bucket: string): Promise<Record<string, unknown>> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: LATEST_KEY }));
  return JSON.parse((await out.Body?.transformToString()) ?? '{}');
}

beforeEach(async () => {
  await drain();
});

describe('one notification log per audience (moto, one inbox each)', () => {
  it('a failing pager is retried alone: email and chat are told once, the pager once when it is back', async () => {
    const d = await deps();
    await sns.send(new DeleteTopicCommand({ TopicArn: topics.page }));
    observe('2026-06-01T14:07:00Z', { unknown_fill: true });
    await expect(run(d)).rejects.toThrow(/page/);
    // Lambda's own async retry of the failed run: the pager is still down.
    await expect(run(d)).rejects.toThrow(/page/);
    observe('2026-06-01T14:08:00Z', { unknown_fill: true });
    await expect(run(d)).rejects.toThrow(/page/);
    expect(toldCount(await drain(), 'unknown_fill')).toEqual({ page: 0, email: 1, chat: 1 });
    await subscribe('page');
    observe('2026-06-01T14:09:00Z', { unknown_fill: true });
    const back = await run(d);
    expect(back.notified).toBe(true);
    expect(toldCount(await drain(), 'unknown_fill')).toEqual({ page: 1, email: 0, chat: 0 });
    observe('2026-06-01T14:10:00Z', { unknown_fill: true });
    await run(d);
    expect(toldCount(await drain(), 'unknown_fill')).toEqual({ page: 0, email: 0, chat: 0 });
    // Its resolution reaches each audience once.
    observe('2026-06-01T14:11:00Z');
    await run(d);
    expect(toldCount(await drain(), 'unknown_fill')).toEqual({ page: 1, email: 1, chat: 1 });
  });

  it('the run record says who was told what, failures included', async () => {
    const d = await deps();
    await sns.send(new DeleteTopicCommand({ TopicArn: topics.chat }));
    observe('2026-06-01T14:07:00Z', { unknown_fill: true });
    await expect(run(d)).rejects.toThrow(/chat/);
    await subscribe('chat');
    const listing = await d.store.listRuns({ from: '2026-06-01T14:00:00Z', to: '2026-06-01T14:10:00Z' });
    const record = listing.records[0] as RunRecord;
    expect(record.notifications?.map((n) => [n.audience, n.kind, n.outcome, n.signatures])).toEqual([
      ['page', 'alert', 'told', ['unknown_fill']],
      ['email', 'alert', 'told', ['unknown_fill']],
      ['chat', 'alert', 'failed', ['unknown_fill']],
    ]);
    expect(record.notifications?.[2].error).toMatch(/NotFound|not exist/i);
    await drain();
  });

  it('a run that finds another run publishing waits for it (a 15 s publish), then tells nothing twice', async () => {
    const slow = await deps();
    const publish = slow.notifier.publish.bind(slow.notifier);
    const slowNotifier = {
      audiences: slow.notifier.audiences,
      publish: async (a: Audience, m: NotificationMessage) => {
        await new Promise((r) => setTimeout(r, 15_000));
        await publish(a, m);
      },
    };
    const first = { ...slow, notifier: slowNotifier };
    const second = await deps({ store: slow.store, markers: slow.markers });
    observe('2026-06-01T14:07:00Z', { stuck_exits: 1, unknown_fill: true });
    const one = run(first);
    await new Promise((r) => setTimeout(r, 1_000));
    const two = run(second, 'manual');
    const results = await Promise.all([one, two]);
    expect(results.map((r) => r.notified)).toEqual([true, false]);
    const got = await drain();
    expect(toldCount(got, 'stuck_exits')).toEqual({ page: 1, email: 1, chat: 1 });
    expect(second.log.lines.some((l) => l.message.startsWith('another run is delivering; waiting'))).toBe(
      true,
    );
  }, 60_000);

  it('orders two observations of one second by their full time: no NEW, false RESOLVED, NEW', async () => {
    const d = await deps();
    observe('2026-06-01T14:07:00.100Z', { send_outcome_unknown: true });
    await run(d);
    observe('2026-06-01T14:07:00.900Z');
    await run(d);
    // A run that observed in between (a slow collect) arrives last: it is older than the snapshot.
    observe('2026-06-01T14:07:00.500Z', { send_outcome_unknown: true });
    const late = await run(d, 'manual');
    expect(late.notified).toBe(false);
    const got = await drain();
    expect(toldCount(got, 'send_outcome_unknown')).toEqual({ page: 2, email: 2, chat: 2 });
    expect(got.email.map((m) => m.subject)).toEqual([
      'CRITICAL aegis-pt 1 new: send_outcome_unknown -> notify',
      'RESOLVED aegis-pt 1 resolved: send_outcome_unknown -> observe',
    ]);
  });

  it('an acknowledged event still open when its silence ends is told again, saying so', async () => {
    const d = await deps();
    observe('2026-06-01T14:07:00Z', { send_outcome_unknown: true });
    await run(d);
    expect(toldCount(await drain(), 'send_outcome_unknown')).toEqual({ page: 1, email: 1, chat: 1 });
    const silence = {
      id: 'ack-1',
      codes: ['send_outcome_unknown'],
      starts_at: '2026-06-01T14:08:00Z',
      ends_at: '2026-06-01T14:20:00Z',
      reason: 'acknowledged, broker ticket open',
      created_by: 'alice',
      created_at: '2026-06-01T14:08:00Z',
      include_escalations: false,
    };
    await s3.send(
      new PutObjectCommand({ Bucket: d.bucket, Key: SILENCES_KEY, Body: encodeSilences([silence]) }),
    );
    observe('2026-06-01T14:12:00Z', { send_outcome_unknown: true });
    await run(d);
    observe('2026-06-01T14:17:00Z', { send_outcome_unknown: true });
    await run(d);
    // The silence is announced once (email and chat: it holds no escalations); the event is not told.
    const silenced = await drain();
    expect(toldCount(silenced, 'send_outcome_unknown')).toEqual({ page: 0, email: 0, chat: 0 });
    expect(silenced.email.map((m) => m.subject)).toEqual(['SILENCE aegis-pt: 1 started']);
    expect(silenced.email[0].body).toContain('silence ack-1 by alice holds back send_outcome_unknown');
    expect(silenced.chat).toHaveLength(1);
    expect(silenced.page).toEqual([]);
    observe('2026-06-01T14:22:00Z', { send_outcome_unknown: true });
    await run(d);
    const got = await drain();
    expect(toldCount(got, 'send_outcome_unknown')).toEqual({ page: 1, email: 1, chat: 1 });
    expect(got.email.find((m) => isAlert(m) && m.subject.includes('send_outcome_unknown'))?.body).toContain(
      'silence ack-1 ended',
    );
    // Its end is announced too.
    expect(got.email.filter((m) => !isAlert(m)).map((m) => m.subject)).toEqual(['SILENCE aegis-pt: 1 ended']);
  });

  it("a told event's resolution is told after an overnight gap while it was silenced", async () => {
    const d = await deps();
    observe('2026-06-01T19:50:00Z', { send_outcome_unknown: true });
    await run(d);
    expect(toldCount(await drain(), 'send_outcome_unknown')).toEqual({ page: 1, email: 1, chat: 1 });
    const silence = {
      id: 'night-1',
      codes: ['send_outcome_unknown'],
      starts_at: '2026-06-01T19:55:00Z',
      ends_at: '2026-06-02T13:00:00Z',
      reason: 'overnight, broker ticket open',
      created_by: 'alice',
      created_at: '2026-06-01T19:55:00Z',
      include_escalations: false,
    };
    await s3.send(
      new PutObjectCommand({ Bucket: d.bucket, Key: SILENCES_KEY, Body: encodeSilences([silence]) }),
    );
    // The next check is hours later (longer than AEGIS_PT_PERSIST_MAX_GAP_SEC): still open, silenced.
    observe('2026-06-02T09:00:00Z', { send_outcome_unknown: true });
    await run(d);
    observe('2026-06-02T09:05:00Z');
    await run(d);
    const got = await drain();
    expect(toldCount(got, 'send_outcome_unknown')).toEqual({ page: 1, email: 1, chat: 1 });
    expect(got.email.find((m) => isAlert(m) && m.subject.includes('send_outcome_unknown'))?.subject).toMatch(
      /^RESOLVED/,
    );
  });

  it('a digest that cannot be sent never fails the check that carries it', async () => {
    const d = await deps();
    const publish = d.notifier.publish.bind(d.notifier);
    const notifier = {
      audiences: d.notifier.audiences,
      publish: async (a: Audience, m: NotificationMessage) => {
        if (m.severity === 'DIGEST') throw new Error('digest topic is unavailable');
        await publish(a, m);
      },
    };
    const withDigest = { ...d, notifier };
    observe('2026-06-01T14:07:00Z');
    await run(withDigest);
    // After the close and the post-close proof window: the digest is due, and fails.
    observe('2026-06-01T20:32:30Z', { unknown_fill: true });
    const result = await run(withDigest);
    expect(result).toMatchObject({ notified: true, digest: 'failed' });
    expect(toldCount(await drain(), 'unknown_fill')).toEqual({ page: 1, email: 1, chat: 1 });
    // The next check still runs, tells what is new, and tries the digest again.
    observe('2026-06-01T20:37:30Z', { unknown_fill: true, stuck_exits: 1 });
    expect(await run(withDigest)).toMatchObject({ notified: true, digest: 'failed' });
    expect(toldCount(await drain(), 'stuck_exits')).toEqual({ page: 1, email: 1, chat: 1 });
    expect(await latest(d.bucket)).toMatchObject({ checked_at: '2026-06-01T20:37:30Z' });
  });
});

describe('forged state in the bucket (issue #22): ignored or refused, and told', () => {
  it('a hand-written silence of every code until 2099 holds nothing back, and its refusal is told', async () => {
    const d = await deps();
    const forged = {
      id: 'quiet-forever',
      codes: ['stuck_exits', 'unknown_fill', 'send_outcome_unknown'],
      starts_at: '2026-06-01T00:00:00Z',
      ends_at: '2099-01-01T00:00:00Z',
      reason: 'x',
      created_by: 'someone',
      created_at: '2026-06-01T00:00:00Z',
      include_escalations: true,
    };
    await s3.send(
      new PutObjectCommand({ Bucket: d.bucket, Key: SILENCES_KEY, Body: encodeSilences([forged]) }),
    );
    observe('2026-06-01T14:07:00Z', { stuck_exits: 1, unknown_fill: true });
    await run(d);
    const got = await drain();
    expect(toldCount(got, 'stuck_exits')).toEqual({ page: 1, email: 1, chat: 1 });
    const notice = got.email.filter((m) => !isAlert(m));
    expect(notice.map((m) => m.subject)).toEqual(['SILENCE aegis-pt: 1 refused or unclosed']);
    expect(notice[0].body).toContain('REFUSED: silence quiet-forever does not apply');
    // Told once: the next run says nothing more about it while it stays refused.
    observe('2026-06-01T14:08:00Z', { stuck_exits: 1, unknown_fill: true });
    await run(d);
    expect((await drain()).email).toEqual([]);
  });

  it('a silence within the rules that holds escalations is announced to the pager too, naming its creator', async () => {
    const d = await deps();
    const silence = {
      id: 'hold-esc',
      codes: ['stuck_exits'],
      starts_at: '2026-06-01T14:00:00Z',
      ends_at: '2026-06-01T15:00:00Z',
      reason: 'broker maintenance',
      created_by: 'arn:aws:sts::123456789012:assumed-role/ops/alice',
      created_at: '2026-06-01T14:00:00Z',
      include_escalations: true,
    };
    await s3.send(
      new PutObjectCommand({ Bucket: d.bucket, Key: SILENCES_KEY, Body: encodeSilences([silence]) }),
    );
    observe('2026-06-01T14:07:00Z', { stuck_exits: 1 });
    await run(d);
    const got = await drain();
    expect(toldCount(got, 'stuck_exits')).toEqual({ page: 0, email: 0, chat: 0 });
    for (const a of AUDIENCES) expect([a, got[a].length]).toEqual([a, 1]);
    expect(got.email[0].body).toContain(
      'silence hold-esc by arn:aws:sts::123456789012:assumed-role/ops/alice holds back stuck_exits (escalations included)',
    );
    expect(got.page[0].body).toMatch(/^SILENCE aegis-pt: 1 started/);
  });

  it("a hand-written digest marker does not stop the day's digest, which says it was ignored", async () => {
    const d = await deps();
    observe('2026-06-01T14:07:00Z');
    await run(d);
    await s3.send(
      new PutObjectCommand({
        Bucket: d.bucket,
        Key: 'digests/2026-06-01.json',
        Body: JSON.stringify({
          state: 'sent',
          session_date: '2026-06-01',
          run_id: 'x',
          claimed_at: '2026-06-01T14:08:00Z',
        }),
      }),
    );
    observe('2026-06-01T20:32:30Z');
    expect(await run(d)).toMatchObject({ digest: 'sent' });
    const got = await drain();
    const digest = got.email.find((m) => m.subject.startsWith('DIGEST'));
    expect(digest?.body).toContain('2026-06-01: its marker was not written by the monitor and was ignored');
    expect(got.chat.filter((m) => m.subject.startsWith('DIGEST'))).toHaveLength(1);
  });
});

describe('a run that cannot store its snapshot hands what it saw or told to the next run (moto)', () => {
  let proxy: S3FaultProxy;
  beforeAll(async () => {
    proxy = await startS3FaultProxy(moto.endpoint);
  });
  afterAll(async () => {
    await proxy?.close();
  });
  beforeEach(() => proxy.rule(() => 'pass'));

  /** The same deps, with every S3 call through the fault proxy (the real adapter and SDK client). */
  function viaProxy(d: CheckDeps & { bucket: string }): CheckDeps {
    const store = new S3Store({
      client: new S3Client({ ...CLIENT_DEADLINES, endpoint: proxy.url, forcePathStyle: true }),
      bucket: d.bucket,
    });
    return { ...d, store, markers: store, handoffs: store, silences: store };
  }

  /** From the `from`th PUT of the snapshot on, S3 fails or hangs (1: every one). */
  function snapshotPuts(bucket: string, fault: S3Fault, from: number): void {
    let puts = 0;
    proxy.rule((method, path) =>
      method === 'PUT' && path === `/${bucket}/${LATEST_KEY}` && ++puts >= from ? fault : 'pass',
    );
  }

  /** From the second PUT of the snapshot on (the write after the publishes), S3 fails or hangs. */
  const confirmingWrite = (bucket: string, fault: S3Fault) => snapshotPuts(bucket, fault, 2);

  it.each<[S3Fault]>([['fail'], ['hang']])(
    'a run told, then its snapshot PUT %s: the next run tells nothing again, then the rise and the resolution once each',
    async (fault) => {
      const d = await deps();
      observe('2026-06-01T14:07:00Z');
      await run(d);
      confirmingWrite(d.bucket, fault);
      observe('2026-06-01T14:08:00Z', { unknown_fill: true, pending_exits: 1 });
      const first = await createHandler(viaProxy(d))({ trigger: 'schedule:primary' }, LAMBDA);
      expect(first.notified).toBe(true);
      expect(proxy.hits.some((h) => h.startsWith(`PUT /${d.bucket}/state/handoff/`))).toBe(true);
      let got = await drain();
      expect(toldCount(got, 'unknown_fill')).toEqual({ page: 1, email: 1, chat: 1 });
      expect(toldCount(got, 'pending_exits')).toEqual({ page: 0, email: 1, chat: 1 });
      // The next run (and Lambda's retry alike) finds the snapshot still saying "owed": not re-sent.
      observe('2026-06-01T14:09:00Z', { unknown_fill: true, pending_exits: 1 });
      await run(d);
      got = await drain();
      expect(toldCount(got, 'unknown_fill')).toEqual({ page: 0, email: 0, chat: 0 });
      expect(toldCount(got, 'pending_exits')).toEqual({ page: 0, email: 0, chat: 0 });
      // pending_exits persisted (critical) and unknown_fill cleared: the rise and the end, once each.
      observe('2026-06-01T14:13:00Z', { pending_exits: 1 });
      await run(d);
      got = await drain();
      expect(toldCount(got, 'unknown_fill')).toEqual({ page: 1, email: 1, chat: 1 });
      expect(toldCount(got, 'pending_exits')).toEqual({ page: 1, email: 1, chat: 1 });
      expect(got.page[0].subject).toMatch(/^CRITICAL/);
      observe('2026-06-01T14:14:00Z');
      await run(d);
      got = await drain();
      expect(toldCount(got, 'pending_exits')).toEqual({ page: 1, email: 1, chat: 1 });
      expect(toldCount(got, 'unknown_fill')).toEqual({ page: 0, email: 0, chat: 0 });
    },
  );

  it('a critical seen only by a run that overlapping runs kept from storing is told by the next run, once', async () => {
    const t0 = Date.now();
    const base = Date.parse('2026-06-01T14:07:00Z');
    const now = () => new Date(base + (Date.now() - t0));
    const d = await deps({ clock: { now } });
    dash.serve({ kind: 'json', body: payloadAt('2026-06-01T14:07:00Z') });
    await run(d);
    // Before each of its snapshot writes another run stores first (a storm, deterministic): every
    // write of this run conflicts until its time is out.
    const real = d.store;
    const alone: CheckDeps = {
      ...d,
      dashboard: {
        fetch: async () => ({ payload: payloadAt(now().toISOString(), { send_outcome_unknown: true }) }),
      },
      store: Object.assign(Object.create(real) as typeof real, {
        writeLatest: async (...args: Parameters<typeof real.writeLatest>) => {
          await run(d, 'ecs-event');
          return real.writeLatest(...args);
        },
      }),
    };
    // Kept from storing, the run ends one of two designed ways, depending on how fast the storm runs
    // on this machine: its budget runs out between conflicts (it throws, naming the snapshot), or a
    // competing run's newer observation supersedes its recollected one (it returns, having stored
    // nothing and told nothing). Either way it hands its critical on; what follows is the same.
    const ended = await createHandler(alone)(
      { trigger: 'ecs-event' },
      { getRemainingTimeInMillis: () => 7_000 },
    ).then(
      (result) => ({ result, error: undefined as unknown }),
      (error: unknown) => ({ result: undefined, error }),
    );
    if (ended.result) expect(ended.result.notified).toBe(false);
    else expect(String(ended.error)).toMatch(/snapshot/);
    expect(toldCount(await drain(), 'send_outcome_unknown')).toEqual({ page: 0, email: 0, chat: 0 });
    await run(d);
    const got = await drain();
    expect(toldCount(got, 'send_outcome_unknown')).toEqual({ page: 1, email: 1, chat: 1 });
    expect(got.email.find((m) => m.body.includes('send_outcome_unknown'))?.subject).toMatch(
      /^CRITICAL aegis-pt 1 missed: send_outcome_unknown/,
    );
    await run(d);
    expect(toldCount(await drain(), 'send_outcome_unknown')).toEqual({ page: 0, email: 0, chat: 0 });
  });

  it.each<[S3Fault]>([['fail'], ['hang']])(
    'a run whose every snapshot PUT S3 %s still records its run and hands its critical on, told once',
    async (fault) => {
      const d = await deps();
      observe('2026-06-01T14:07:00Z');
      await run(d);
      snapshotPuts(d.bucket, fault, 1);
      observe('2026-06-01T14:08:00Z', { unknown_fill: true });
      await expect(run(viaProxy(d))).rejects.toThrow(/reduce your request rate|timeout|snapshot/i);
      const listing = await d.store.listRuns({ from: '2026-06-01T14:08:00Z', to: '2026-06-01T14:08:00Z' });
      expect(listing.records.map((r) => r.info.map((i) => i.code))).toEqual([
        expect.arrayContaining(['snapshot_not_stored']),
      ]);
      expect(toldCount(await drain(), 'unknown_fill')).toEqual({ page: 0, email: 0, chat: 0 });
      observe('2026-06-01T14:09:00Z');
      await run(d);
      const got = await drain();
      expect(toldCount(got, 'unknown_fill')).toEqual({ page: 1, email: 1, chat: 1 });
      expect(got.page.find((m) => m.body.includes('unknown_fill'))?.body).toMatch(/missed:unknown_fill/);
      observe('2026-06-01T14:10:00Z');
      await run(d);
      expect(toldCount(await drain(), 'unknown_fill')).toEqual({ page: 0, email: 0, chat: 0 });
    },
  );
});
