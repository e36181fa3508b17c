// One daily digest as the Lambda's side job sends it, from the benchmark's bucket on moto: the day's run
// records listed and read, the digest rendered; the publish is counted, not sent. Prints one JSON line.
// usage (under tsx): digest-child.ts BUCKET NOW_ISO
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3Store } from '../../lambda/adapters/s3-store';
import { DEFAULT_CONFIG } from '../../lambda/detector/config';
import { sendDigestIfDue } from '../../lambda/digest/send-digest';
import type { CheckDeps } from '../../lambda/ports';
import type { NotificationMessage } from '../../lambda/detector/types';
import { CLIENT_DEADLINES } from '../../lambda/shared/client-deadlines';
import { cadenceDefinitions } from '../../lambda/shared/schedules';
import { digestKey } from '../../lambda/shared/state-layout';
import { etDate } from '../../lambda/detector/time';

async function main(): Promise<void> {
  const [bucket, nowIso] = process.argv.slice(2);
  const client = new S3Client({ ...CLIENT_DEADLINES, forcePathStyle: true });
  const now = new Date(nowIso);
  // Each measurement sends the day's digest afresh.
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: digestKey(etDate(now.getTime())) }));
  const store = new S3Store({ client, bucket });
  let bytes = 0;
  const quiet = () => {};
  const deps = {
    store,
    markers: store,
    notifier: {
      audiences: ['email', 'chat'],
      publish: async (_audience: string, m: NotificationMessage) => {
        bytes += m.email.length;
      },
    },
    clock: { now: () => now },
    config: DEFAULT_CONFIG,
    log: { info: quiet, warn: quiet, error: quiet },
  } as unknown as CheckDeps;
  const start = performance.now();
  const outcome = await sendDigestIfDue(deps, { definitions: cadenceDefinitions('1m') });
  const ms = performance.now() - start;
  process.stdout.write(
    JSON.stringify({ ms, state: outcome.state, bytes, maxRssMb: process.resourceUsage().maxRSS / 1024 }) +
      '\n',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  process.exitCode = 1;
});
