// Silences under the rules, end to end on moto: the real handler and AWS wiring read a forged or
// oversized silences file from the state bucket and still tell what the rules do not let it hold back
// (asserted from the SQS inbox of each audience); the CLI records its creator as STS names it.
import { createServer, type Server } from 'node:http';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { main } from '../../bin/commands/main';
import { S3Store } from '../../lambda/adapters/s3-store';
import { awsDeps } from '../../lambda/aws-deps';
import { EVENT_CODES } from '../../lambda/detector/silences';
import { readRuntimeEnv } from '../../lambda/env';
import { createHandler } from '../../lambda/handler';
import type { CheckDeps } from '../../lambda/ports';
import { encodeSilences, SILENCES_KEY } from '../../lambda/shared/state-layout';
import { startDashboard, type LocalDashboard } from '../../lib/demo/fakes/dashboard-server';
import { ScriptedEcs } from '../../lib/demo/fakes/static-sources';
import { HEALTHY } from '../helpers/bundle';
import { MemoryLog, payloadAt, RecordingMetrics } from '../helpers/check-deps';
import { captureIo } from '../helpers/cli-io';
import { startMoto, useEmulatorEnv, type MotoServer, createBucket } from './moto-server';

jest.setTimeout(120_000);

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
    topics[a] = (await sns.send(new CreateTopicCommand({ Name: `silence-${a}` }))).TopicArn as string;
    inboxes[a] = (await sqs.send(new CreateQueueCommand({ QueueName: `silence-inbox-${a}` })))
      .QueueUrl as string;
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

type Inbox = Record<Audience, { Subject?: string; Message: string }[]>;

/** What the last drain() set apart: the silence announcements (`SILENCE ...`), not alerts. */
let announced: Inbox;

/** Each audience's alerts (and digests); the silence announcements are kept apart in `announced`. */
async function drain(): Promise<Inbox> {
  const all: Inbox = { page: await inbox('page'), email: await inbox('email'), chat: await inbox('chat') };
  const isAnnouncement = (m: { Subject?: string }) => (m.Subject ?? '').startsWith('SILENCE');
  announced = { page: [], email: [], chat: [] };
  const alerts: Inbox = { page: [], email: [], chat: [] };
  for (const a of AUDIENCES) for (const m of all[a]) (isAnnouncement(m) ? announced : alerts)[a].push(m);
  return alerts;
}

async function bucketWith(silencesText: string | undefined): Promise<{ bucket: string; d: CheckDeps }> {
  const bucket = `silences-${++seq}`;
  await createBucket(s3, bucket);
  if (silencesText !== undefined)
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: SILENCES_KEY, Body: silencesText }));
  const env = {
    AEGIS_PT_CLUSTER: 'aegis-pt',
    AEGIS_PT_DASHBOARD_URL: dash.url,
    AEGIS_PT_STATE_BUCKET: bucket,
    AEGIS_PT_TOPIC_ARN: topics.email,
    AEGIS_PT_PAGE_TOPIC_ARN: topics.page,
    AEGIS_PT_CHAT_TOPIC_ARN: topics.chat,
    AWS_ENDPOINT_URL: moto.endpoint,
  };
  const d: CheckDeps = {
    ...awsDeps(readRuntimeEnv(env), env),
    ecs: new ScriptedEcs(structuredClone(HEALTHY.ecs)),
    clock: { now: () => new Date(clock.iso) },
    metrics: new RecordingMetrics(),
    log: new MemoryLog(),
    sleep: async () => undefined,
  };
  return { bucket, d };
}

async function check(d: CheckDeps, iso: string, changes: Record<string, unknown> = {}) {
  clock = { iso };
  dash.serve({ kind: 'json', body: payloadAt(iso, changes) });
  return createHandler(d)({ trigger: 'schedule:primary' });
}

const NOW = '2026-06-01T14:07:00Z';
const STUCK = { stuck_exits: 1, unknown_fill: true };

/** Every code, escalations included, until 2099, any creator: what a writer of the bucket could forge. */
const forgedEntry = (over: Record<string, unknown> = {}) => ({
  id: 'forged-1',
  codes: [...EVENT_CODES],
  starts_at: '2026-06-01T00:00:00Z',
  ends_at: '2099-12-31T00:00:00Z',
  reason: 'nothing to see',
  created_by: 'anyone at all',
  created_at: '2026-06-01T00:00:00Z',
  include_escalations: true,
  kind: 'manual',
  ...over,
});

beforeEach(async () => {
  await drain();
});

describe('a forged silences file holds nothing the rules forbid', () => {
  it.each<[string, unknown[], string]>([
    ['every code until 2099', [forgedEntry()], 'silence_refused'],
    [
      'a deploy window over every code',
      [forgedEntry({ kind: 'deploy-window', ends_at: '2026-06-01T15:00:00Z' })],
      'silence_refused',
    ],
    [
      'a chain of days, each "created" at its start, until 2099',
      Array.from({ length: 60 }, (_, n) =>
        forgedEntry({
          id: `forged-${n}`,
          starts_at: new Date(Date.parse('2026-05-31T00:00:00Z') + n * 86_400_000).toISOString(),
          ends_at: new Date(Date.parse('2026-06-01T00:00:00Z') + n * 86_400_000).toISOString(),
          created_at: new Date(Date.parse('2026-05-31T00:00:00Z') + n * 86_400_000).toISOString(),
        }),
      ),
      'silences_ignored',
    ],
  ])(
    '%s: the stuck exit and the unknown fill are still told to every audience',
    async (_name, forged, info) => {
      const { d } = await bucketWith(encodeSilences(forged));
      const result = await check(d, NOW, STUCK);
      expect(result).toMatchObject({ notified: true });
      const got = await drain();
      for (const a of AUDIENCES) expect(got[a]).toHaveLength(1);
      expect(got.page[0].Message).toMatch(/stuck_exits/);
      expect(got.email[0].Message).toMatch(/\[CRITICAL, ESCALATE\] stuck_exits/);
      expect(got.email[0].Message).toMatch(/\[CRITICAL, ESCALATE\] unknown_fill/);
      expect(got.email[0].Message).not.toContain('SILENCED');
      expect(got.email[0].Message).toContain(info);
      // The refusal is told to email and chat on its own (issue #22), not to the pager.
      expect(announced.email.map((m) => m.Subject)).toEqual([
        expect.stringMatching(/^SILENCE aegis-pt: .*refused/),
      ]);
      expect(announced.chat).toHaveLength(1);
      expect(announced.page).toEqual([]);
    },
  );
});

describe('the silences file is bounded input', () => {
  it('30 MB of silences are not read: the run tells its alert and keeps no copy of the file', async () => {
    const huge = [{ ...forgedEntry(), reason: 'x'.repeat(30 * 1024 * 1024) }];
    const { d } = await bucketWith(encodeSilences(huge));
    await check(d, NOW, STUCK);
    const got = await drain();
    expect(got.page).toHaveLength(1);
    expect(got.email[0].Message).toContain('silences_unreadable');
    expect(got.email[0].Message).toMatch(/over the limit of 262144: not read/);
    const runs = await (d.store as S3Store).listRuns({ from: NOW, to: NOW });
    expect(runs.records).toHaveLength(1);
    expect(runs.records[0].observation?.silences).toBeUndefined();
    expect(JSON.stringify(runs.records[0]).length).toBeLessThan(200_000);
  });
});

describe('the creator as AWS names it', () => {
  it('silence add and expire on the bucket record the STS identity, and refuse --by', async () => {
    const { bucket } = await bucketWith(undefined);
    const cli = async (...args: string[]) => {
      const io = captureIo({ now: NOW, env: { USER: 'alice' } });
      const code = await main(['silence', ...args, '--bucket', bucket], io);
      return { code, out: io.out, err: io.err };
    };
    const add = await cli('add', '--code', 'pnl_unknown_trades', '--for', '1h', '--reason', 'r', '--json');
    expect(add.code).toBe(0);
    const added = JSON.parse(add.out);
    expect(added.created_by).toMatch(/^arn:aws:(iam|sts)::\d{12}:/);
    const expired = await cli('expire', added.id, '--json');
    expect(JSON.parse(expired.out).expired_by).toBe(added.created_by);
    const pretend = await cli(
      'add',
      '--code',
      'pnl_unknown_trades',
      '--for',
      '1h',
      '--reason',
      'r',
      '--by',
      'bob',
    );
    expect(pretend.code).toBe(2);
    expect(pretend.err).toContain('--by is for --runs-dir only');
  });
});

describe('a forged entry nested deeper than any silence', () => {
  // Within the byte limit and the rules in every known field, with an extra field nested 100 000
  // levels deep: JSON.parse reads it, JSON.stringify (the run record's digest of the entry) cannot.
  const deepFile = () =>
    encodeSilences([
      {
        id: 'deep-1',
        codes: ['pnl_unknown_trades'],
        starts_at: '2026-06-01T13:00:00Z',
        ends_at: '2026-06-01T20:00:00Z',
        created_at: '2026-06-01T13:00:00Z',
        reason: 'looks like any other',
        created_by: 'anyone',
        include_escalations: false,
        kind: 'manual',
        note: '@@',
      },
    ]).replace('"@@"', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);

  it('holds nothing back, and neither the run record nor the digest is lost to it', async () => {
    const text = deepFile();
    expect(Buffer.byteLength(text)).toBeLessThan(256 * 1024);
    const { d } = await bucketWith(text);
    const trades = {
      recent_trades: [{ symbol: 'COIN', pnl: null, pnl_unknown: true, closed_at: '2026-06-01T13:50:00Z' }],
    };
    const result = await check(d, NOW, { ...STUCK, ...trades });
    expect(result.run_key).toMatch(/^runs\//);
    const got = await drain();
    for (const a of AUDIENCES) expect(got[a]).toHaveLength(1);
    expect(got.email[0].Message).toMatch(/- \[WARN\] pnl_unknown_trades: /);
    expect(got.email[0].Message).not.toContain('SILENCED');
    expect(got.email[0].Message).toMatch(/silence deep-1 does not apply: not a silence \(nested/);
    const runs = await (d.store as S3Store).listRuns({ from: NOW, to: NOW });
    expect(runs.records).toHaveLength(1);
    // After the close, the day's digest still goes out.
    const evening = await check(d, '2026-06-01T21:30:00Z', trades);
    expect(evening.digest).toBe('sent');
    expect((await drain()).email.some((m) => /digest/i.test(m.Subject ?? ''))).toBe(true);
  });
});

describe('a deploy window holds back only what the task replacement causes', () => {
  const window = {
    id: 'w-20260601T1400-0001',
    codes: [
      'ecs_primary_count',
      'gateway_unhealthy',
      'trader_not_running',
      'dashboard_unreachable',
      'heartbeat_stale',
      'dual_primary',
    ],
    starts_at: '2026-06-01T14:00:00Z',
    ends_at: '2026-06-01T14:30:00Z',
    created_at: '2026-06-01T14:00:00Z',
    reason: 'deploy window opened by gate --phase pre (GO)',
    created_by: 'arn:aws:iam::123456789012:user/alice',
    include_escalations: true,
    kind: 'deploy-window',
  };

  it('a heartbeat still naming the task the deploy replaced is held back (and recorded)', async () => {
    const { d } = await bucketWith(encodeSilences([window]));
    const ecs = structuredClone(HEALTHY.ecs) as Record<string, unknown>;
    const old = 'arn:aws:ecs:ap-northeast-1:123456789012:task/aegis-pt/00000000000000000000000000000000';
    ecs.stopped_tasks = [
      { taskArn: old, lastStatus: 'STOPPED', desiredStatus: 'STOPPED', group: 'service:aegis-pt-core' },
    ];
    (d.ecs as ScriptedEcs).set(ecs);
    const result = await check(d, NOW, { runtime_task_arn: old });
    expect(result.notified).toBe(false);
    const got = await drain();
    for (const a of AUDIENCES) expect(got[a]).toHaveLength(0);
    expect(announced.email.map((m) => m.Subject)).toEqual(['SILENCE aegis-pt: 1 started']);
    const runs = await (d.store as S3Store).listRuns({ from: NOW, to: NOW });
    expect(runs.records[0].events.find((e) => e.code === 'dual_primary')).toMatchObject({
      silenced_by: window.id,
    });
  });

  it('a heartbeat naming a runtime that is no task of the service (another cluster) still pages', async () => {
    const { d } = await bucketWith(encodeSilences([window]));
    const foreign =
      'arn:aws:ecs:ap-northeast-1:123456789012:task/other-cluster/0a1b2c3d4e5f60718293a4b5c6d7e8f9';
    await check(d, NOW, { runtime_task_arn: foreign });
    const got = await drain();
    expect(got.page).toHaveLength(1);
    expect(got.page[0].Message).toMatch(/dual_primary/);
    expect(got.email[0].Message).toMatch(
      /\[CRITICAL, ESCALATE\] dual_primary: heartbeat task .*other-cluster/,
    );
    expect(got.email[0].Message).not.toMatch(/SILENCED by w-/);
  });
});

describe('a silences file that cannot be read for a moment', () => {
  let s3Down: Server;
  let downUrl: string;
  beforeAll(async () => {
    // S3 as it answers under load: 503 SlowDown, to every request.
    s3Down = createServer((_req, res) =>
      res
        .writeHead(503, { 'content-type': 'application/xml' })
        .end('<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>'),
    );
    await new Promise<void>((ok) => s3Down.listen(0, '127.0.0.1', ok));
    downUrl = `http://127.0.0.1:${(s3Down.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((ok) => s3Down.close(() => ok())));

  it('keeps the silences it last read: nothing held back is told as released, no silence as ended', async () => {
    const { bucket, d } = await bucketWith(undefined);
    await check(d, NOW, STUCK);
    const first = await drain();
    for (const a of AUDIENCES) expect(first[a]).toHaveLength(1);

    const silence = {
      id: 'acked-1',
      codes: ['stuck_exits', 'unknown_fill'],
      starts_at: '2026-06-01T14:08:00Z',
      ends_at: '2026-06-01T15:08:00Z',
      created_at: '2026-06-01T14:08:00Z',
      reason: 'broker confirmed the exit; reconciling',
      created_by: 'arn:aws:sts::123456789012:assumed-role/ops/alice',
      include_escalations: true,
      kind: 'manual',
    };
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: SILENCES_KEY, Body: encodeSilences([silence]) }),
    );
    await check(d, '2026-06-01T14:09:00Z', STUCK);
    const held = await drain();
    for (const a of AUDIENCES) expect(held[a]).toEqual([]);
    expect(announced.email.map((m) => m.Message).join('\n')).toContain('STARTED: silence acked-1');

    const readable = d.silences;
    const down = {
      ...d,
      silences: new S3Store({
        client: new S3Client({ endpoint: downUrl, forcePathStyle: true, maxAttempts: 1 }),
        bucket,
      }),
    };
    const during = await check(down, '2026-06-01T14:11:00Z', STUCK);
    const told = await drain();
    for (const a of AUDIENCES) expect(told[a]).toEqual([]);
    for (const a of AUDIENCES) expect(announced[a].map((m) => m.Message).join('\n')).not.toMatch(/ENDED/);
    expect(during).toMatchObject({ notified: false, new_events: [] });
    const runs = await (d.store as S3Store).listRuns({
      from: '2026-06-01T14:11:00Z',
      to: '2026-06-01T14:11:00Z',
    });
    const record = runs.records[0];
    expect(record.info.map((i) => i.code)).toContain('silences_unreadable');
    expect(record.events.map((e) => e.silenced_by)).toEqual(['acked-1', 'acked-1']);

    await check({ ...d, silences: readable }, '2026-06-01T14:13:00Z', STUCK);
    const after = await drain();
    for (const a of AUDIENCES) expect(after[a]).toEqual([]);
    for (const a of AUDIENCES) expect(announced[a]).toEqual([]);
  });
});

describe('a laptop whose clock is 10 minutes fast', () => {
  let proxy: Server;
  let proxyUrl: string;
  const FAST_MS = 10 * 60_000;
  beforeAll(async () => {
    // AWS as seen from that laptop: every answer's Date is 10 minutes behind the laptop's clock.
    proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const upstream = await fetch(`${moto.endpoint}${req.url}`, {
          method: req.method,
          headers: Object.fromEntries(
            Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length') as [
              string,
              string,
            ][],
          ),
          body: chunks.length ? Buffer.concat(chunks) : undefined,
        });
        const headers = Object.fromEntries(
          [...upstream.headers].filter(
            ([k]) => !['content-length', 'content-encoding', 'transfer-encoding'].includes(k),
          ),
        );
        headers.date = new Date(Date.now() - FAST_MS).toUTCString();
        res.writeHead(upstream.status, headers).end(Buffer.from(await upstream.arrayBuffer()));
      });
    });
    await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((ok) => proxy.close(() => ok())));

  it("stamps the silence with AWS's time, says so, and the monitor applies it", async () => {
    const { d, bucket } = await bucketWith(undefined);
    const laptop = new Date(Date.parse(NOW) + FAST_MS).toISOString();
    const io = captureIo({ now: laptop, env: { AWS_ENDPOINT_URL: proxyUrl } });
    process.env.AWS_ENDPOINT_URL = proxyUrl;
    let code: number;
    try {
      code = await main(
        [
          'silence',
          'add',
          '--code',
          'stuck_exits',
          '--for',
          '1h',
          '--reason',
          'r',
          '--include-escalations',
          '--bucket',
          bucket,
          '--json',
        ],
        io,
      );
    } finally {
      process.env.AWS_ENDPOINT_URL = moto.endpoint;
    }
    expect({ code, err: io.err }).toMatchObject({ code: 0 });
    const added = JSON.parse(io.out);
    const skew = Date.parse(added.created_at) - Date.parse(NOW);
    expect(Math.abs(skew)).toBeLessThan(5_000);
    expect(added.starts_at).toBe(added.created_at);
    expect(io.err).toMatch(/this machine's clock is 10 min \d+ s ahead of AWS's/);

    await check(d, new Date(Date.parse(NOW) + 60_000).toISOString(), STUCK);
    const got = await drain();
    // The stuck exit is held back; the unknown fill is not in the silence, and is told.
    expect(got.email).toHaveLength(1);
    expect(got.email[0].Message).not.toContain('silences_ignored');
    expect(got.email[0].Message).toMatch(/SILENCED by s-\S+\] stuck_exits/);
  });
});
