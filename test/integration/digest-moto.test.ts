// The daily digest against S3's conditional writes (moto in server mode): exactly one digest per trading
// day whatever overlaps, a failed digest retried by the next check, a dead claim taken over.
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3Store } from '../../lambda/adapters/s3-store';
import type { Audience } from '../../lambda/detector/audiences';
import { sendDigestIfDue, type DigestMarker } from '../../lambda/digest/send-digest';
import { digestKey } from '../../lambda/shared/state-layout';
import type { NotificationMessage } from '../../lambda/detector/types';
import { localDeps, type LocalDeps } from '../helpers/check-deps';
import { INTERLEAVE } from '../helpers/runs';
import { chainRecords, trade } from '../helpers/sessions';
import { startMoto, useEmulatorEnv, type MotoServer, createBucket } from './moto-server';

jest.setTimeout(60_000);

let moto: MotoServer;
let s3: S3Client;
let seq = 0;

beforeAll(async () => {
  moto = await startMoto();
  useEmulatorEnv(moto.endpoint);
  s3 = new S3Client({ forcePathStyle: true });
});
afterAll(() => moto?.stop());

/** A fresh bucket holding one watched session (2026-06-01) with its post-close proof. */
async function bucketWithSession(): Promise<string> {
  const bucket = `aegis-digest-${++seq}`;
  await createBucket(s3, bucket);
  const proof = { at: '2026-06-01T20:05:00Z', ok: true, matched: 8, internal_count: 8, broker_count: 8 };
  const store = new S3Store({ client: s3, bucket });
  for (const r of chainRecords([
    { now: '2026-06-01T14:07:00Z' },
    { now: '2026-06-01T14:17:00Z', status: { stuck_exits: 1, recent_trades: [trade('t-1', true)] } },
    { now: '2026-06-01T14:27:00Z' },
    { now: '2026-06-01T20:32:00Z', trigger: 'schedule:fallback', status: { last_position_reconcile: proof } },
  ]))
    await store.writeRun(r);
  return bucket;
}

/** A check's deps on its own S3 client (as another Lambda invocation would have), at `at`. */
function check(bucket: string, at: string, publishDelayMs = 0): LocalDeps {
  // The session's records were written at the 5-minute interleave: the digest judges its windows.
  const deps: LocalDeps = {
    ...localDeps('http://127.0.0.1:9', {
      store: new S3Store({ client: new S3Client({ forcePathStyle: true }), bucket }),
      at,
    }),
    schedules: INTERLEAVE,
  };
  const record = deps.notifier.publish.bind(deps.notifier);
  // A slow publish widens the window in which overlapping runs race.
  deps.notifier.publish = async (a: Audience, m: NotificationMessage) => {
    await new Promise((r) => setTimeout(r, publishDelayMs));
    await record(a, m);
  };
  return deps;
}

async function marker(bucket: string, date = '2026-06-01'): Promise<DigestMarker> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: digestKey(date) }));
  return JSON.parse((await out.Body?.transformToString()) ?? '') as DigestMarker;
}

describe('the daily digest on S3 (moto)', () => {
  it('five overlapping checks after the due time send exactly one digest', async () => {
    const bucket = await bucketWithSession();
    const runs = Array.from({ length: 5 }, () => check(bucket, '2026-06-01T20:32:30Z', 300));
    const outcomes = await Promise.all(runs.map((d) => sendDigestIfDue(d)));
    const states = outcomes.map((o) => o.state).sort();
    expect(states.filter((s) => s === 'sent')).toHaveLength(1);
    expect(states.every((s) => ['sent', 'lost_race', 'in_flight'].includes(s))).toBe(true);
    const sent = runs.flatMap((d) => d.notifier.sent);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ page_level: null, severity: 'DIGEST' });
    expect(sent[0].subject).toBe(
      'DIGEST aegis-pt 2026-06-01: 4 checks, 2 alerts, 0 open, 78 missed, proof ok',
    );
    expect(await marker(bucket)).toMatchObject({
      state: 'sent',
      session_date: '2026-06-01',
      kpis: { kpis: { pnl_unknown_trades: 1 } },
    });
    // Later checks of the day (and ECS events) see the marker and stay quiet.
    const later = check(bucket, '2026-06-01T21:57:10Z');
    expect(await sendDigestIfDue(later)).toEqual({ state: 'already_sent', session: '2026-06-01' });
    expect(later.notifier.sent).toEqual([]);
  });

  it('is not sent before it is due, and a failed digest is sent by the next check', async () => {
    const bucket = await bucketWithSession();
    const early = check(bucket, '2026-06-01T20:29:59Z');
    expect((await sendDigestIfDue(early)).state).toBe('not_due');
    const failing = check(bucket, '2026-06-01T20:32:30Z');
    failing.notifier.failures = 1;
    await expect(sendDigestIfDue(failing)).rejects.toThrow('SNS is unavailable');
    expect(await marker(bucket)).toMatchObject({ state: 'failed' });
    const next = check(bucket, '2026-06-01T20:37:30Z');
    expect(await sendDigestIfDue(next)).toMatchObject({ state: 'sent' });
    expect(next.notifier.sent).toHaveLength(1);
  });

  it('waits for a live claim, takes over one whose run died, and retries the next morning', async () => {
    const bucket = await bucketWithSession();
    const claim = (at: string) =>
      s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: digestKey('2026-06-01'),
          Body: JSON.stringify({
            state: 'pending',
            session_date: '2026-06-01',
            run_id: 'dead',
            claimed_at: at,
          }),
        }),
      );
    await claim('2026-06-01T20:32:00Z');
    expect((await sendDigestIfDue(check(bucket, '2026-06-01T20:33:00Z'))).state).toBe('in_flight');
    // The claiming run died; the next morning's first check sends yesterday's digest.
    const morning = check(bucket, '2026-06-02T13:07:30Z');
    expect(await sendDigestIfDue(morning)).toMatchObject({ state: 'sent', session: '2026-06-01' });
    expect(morning.notifier.sent[0].email).toContain('daily digest for the session of Mon 2026-06-01');
  });

  it('compares the next session with the KPIs its predecessor stored in its marker', async () => {
    const bucket = await bucketWithSession();
    await sendDigestIfDue(check(bucket, '2026-06-01T20:32:30Z'));
    const store = new S3Store({ client: s3, bucket });
    for (const r of chainRecords([{ now: '2026-06-02T14:07:00Z' }, { now: '2026-06-02T20:31:00Z' }]))
      await store.writeRun(r);
    const tuesday = check(bucket, '2026-06-02T20:32:30Z');
    expect(await sendDigestIfDue(tuesday)).toMatchObject({ state: 'sent', session: '2026-06-02' });
    const email = tuesday.notifier.sent[0].email;
    expect(email).toMatch(/trades with pnl_unknown\s+0 {2}down\s+previous: -, -, -, -, 1/);
    expect(email).toMatch(/minutes with a critical event\s+0 {2}down/);
    expect(email).toContain('Post-close proof:\n  MISSING: no position reconciliation after the close');
  });
});
