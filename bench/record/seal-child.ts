// The record sealer as the Lambda's side job runs it, on the benchmark's bucket on moto: the next
// morning's first check packs the last hour of the day and summarises the day. Prints one JSON line.
// usage (under tsx): seal-child.ts BUCKET NOW_ISO
import { S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../../lambda/adapters/s3-objects';
import { ObjectSealer } from '../../lambda/records/seal';
import { CLIENT_DEADLINES } from '../../lambda/shared/client-deadlines';

async function main(): Promise<void> {
  const [bucket, nowIso] = process.argv.slice(2);
  const objects = new S3ObjectStore({
    client: new S3Client({ ...CLIENT_DEADLINES, forcePathStyle: true }),
    bucket,
  });
  const start = performance.now();
  const outcome = await new ObjectSealer(objects).seal(Date.parse(nowIso), Date.now() + 60_000);
  const ms = performance.now() - start;
  process.stdout.write(
    JSON.stringify({ ms, state: outcome.state, outcome, maxRssMb: process.resourceUsage().maxRSS / 1024 }) +
      '\n',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  process.exitCode = 1;
});
