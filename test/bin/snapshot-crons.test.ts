// Review of issue #21's gap evidence in `snapshot --gap-since`, live: the crons are the deployed
// function's, and a function whose configuration names none is exit 2 asking for --cron (see
// prove-deploy-crons.test.ts): snapshot now takes --cron like gap, report and prove-deploy, so that
// answer can be followed. The real CLI, against recorded AWS response shapes (aws-sdk-client-mock).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../bin/commands/main';
import { captureIo } from '../helpers/cli-io';
import { bundle } from '../helpers/bundle';
import { describedStack } from '../helpers/described-stack';

const cfn = mockClient(CloudFormationClient);
const lambda = mockClient(LambdaClient);
const s3 = mockClient(S3Client);
const env = { AWS_REGION: 'ap-northeast-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' };
const FN = 'AegisPtHealth-MonitorFunction-abc';

beforeEach(() => {
  for (const m of [cfn, lambda, s3]) m.reset();
  Object.assign(process.env, env);
  cfn.on(DescribeStacksCommand).resolves(
    describedStack([
      { OutputKey: 'StateBucketName', OutputValue: 'aegisptheal-statebucket-1abc' },
      { OutputKey: 'MonitorFunctionName', OutputValue: FN },
    ]),
  );
  s3.on(ListObjectsV2Command).resolves({ Contents: [] });
  s3.on(GetObjectCommand).rejects(
    Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }),
  );
  lambda.on(GetFunctionConfigurationCommand).resolves({ FunctionName: FN, Environment: { Variables: {} } });
});

async function snapshot(...extra: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'aegis-snapshot-crons-'));
  const obs = join(dir, 'obs.json');
  writeFileSync(obs, JSON.stringify(bundle()));
  const io = captureIo({ env, now: '2026-06-01T14:05:30Z' });
  const code = await main(
    ['snapshot', '--observation', obs, '--gap-since', '2026-06-01T13:30:00Z', '--json', ...extra],
    io,
  );
  return { code, out: io.out, err: io.err };
}

describe('snapshot --gap-since: the crons of a function that names none', () => {
  it('exit 2 asking for --cron, never the defaults', async () => {
    const r = await snapshot();
    expect(r.err).toMatch(/does not name its crons .*: pass --cron primary=EXPR --cron fallback=EXPR/);
    expect(r.code).toBe(2);
  });

  it('--cron is taken: the gap evidence is judged against it', async () => {
    const r = await snapshot(
      '--cron',
      'primary=cron(0/2 13-21 ? * MON-FRI *)',
      '--cron',
      'fallback=cron(1/2 13-21 ? * MON-FRI *)',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('cron(0/2 13-21 ? * MON-FRI *)');
  });

  it('--cron without --gap-since is refused', async () => {
    const io = captureIo({ env, now: '2026-06-01T14:05:30Z' });
    expect(
      await main(['snapshot', '--runs-dir', tmpdir(), '--cron', 'primary=cron(* 13-21 ? * MON-FRI *)'], io),
    ).toBe(2);
    expect(io.err).toMatch(/--cron is for --gap-since/);
  });
});
