// Review of issue #21's prove-deploy: the proving run must be of a schedule of the deployed stack, at a
// minute its deployed cron fires, and live the crons are read from the deployed function's configuration.
// A function deployed before its configuration named them gives no crons: the defaults would be a guess,
// and a run of the old (default) schedule, which may fire once with the new code, would prove a deploy
// that moved the schedules. The real CLI, against recorded AWS response shapes (aws-sdk-client-mock).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../bin/commands/main';
import { runKey } from '../../lambda/shared/state-layout';
import { captureIo } from '../helpers/cli-io';
import { record } from '../helpers/runs';
import { describedStack } from '../helpers/described-stack';

const cfn = mockClient(CloudFormationClient);
const lambda = mockClient(LambdaClient);
const s3 = mockClient(S3Client);
const env = { AWS_REGION: 'ap-northeast-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' };
const V = 'c0ffee0123456789';
const FN = 'AegisPtHealth-MonitorFunction-abc';

// The deploy (14:00) moved the primary schedule to every minute; the old 5-minute schedule fired once
// more at 14:07 and ran the new code.
const old = record('2026-06-01T14:07:31Z', 'schedule:primary', '2026-06-01T14:07:00Z');
const oldRun = { ...old, trigger: { ...old.trigger, code_version: V } };
const key = runKey(oldRun);
const logLine = {
  level: 'INFO',
  message: 'check observe: no open events: keep observing',
  timestamp: '2026-06-01T14:07:31.412Z',
  trigger: 'schedule:primary',
  execution_id: oldRun.trigger.execution_id,
  scheduled_time: '2026-06-01T14:07:00Z',
  code_version: V,
};

beforeEach(() => {
  for (const m of [cfn, lambda, s3]) m.reset();
  Object.assign(process.env, env);
  cfn.on(DescribeStacksCommand).resolves(
    describedStack([
      { OutputKey: 'StateBucketName', OutputValue: 'aegisptheal-statebucket-1abc' },
      { OutputKey: 'MonitorFunctionName', OutputValue: FN },
      { OutputKey: 'MonitorCodeVersion', OutputValue: V },
    ]),
  );
  s3.on(ListObjectsV2Command).callsFake((input: { Prefix?: string }) => ({
    Contents: key.startsWith(input.Prefix ?? '') ? [{ Key: key }] : [],
  }));
  const text = JSON.stringify(oldRun);
  // Any other object (a day summary, an hour's pack, the silences) is not there.
  s3.on(GetObjectCommand).rejects(
    Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }),
  );
  s3.on(GetObjectCommand, { Key: key }).resolves({
    ContentLength: Buffer.byteLength(text),
    ETag: '"1"',
    Body: { transformToString: async () => text } as never,
  });
});

async function prove(variables: Record<string, string>, ...extra: string[]) {
  lambda
    .on(GetFunctionConfigurationCommand)
    .resolves({ FunctionName: FN, Environment: { Variables: variables } });
  const dir = mkdtempSync(join(tmpdir(), 'aegis-prove-crons-'));
  const log = join(dir, 'log.jsonl');
  writeFileSync(
    log,
    JSON.stringify({ timestamp: logLine.timestamp, message: JSON.stringify(logLine) }) + '\n',
  );
  const io = captureIo({ env, now: '2026-06-01T14:10:00Z' });
  const code = await main(
    ['prove-deploy', '--started-at', '2026-06-01T14:00:00Z', '--log-file', log, ...extra],
    io,
  );
  return { code, out: io.out, err: io.err };
}

describe('prove-deploy live: the deployed crons come from the function, never guessed', () => {
  it('a function whose configuration names no crons: exit 2 asking for --cron, not "proven" by the default cron', async () => {
    const r = await prove({ AEGIS_PT_CLUSTER: 'aegis-pt' });
    expect(r.out).not.toMatch(/VERDICT: the deployed code ran/);
    expect(r.err).toMatch(
      /the configuration of AegisPtHealth-MonitorFunction-abc does not name its crons \(AEGIS_PT_PRIMARY_CRON, AEGIS_PT_FALLBACK_CRON\): pass --cron primary=EXPR --cron fallback=EXPR/,
    );
    expect(r.code).toBe(2);
  });

  it("the crons it names: the old schedule's 14:07 run is not the deployed schedule's", async () => {
    const r = await prove({
      AEGIS_PT_PRIMARY_CRON: 'cron(0/2 13-21 ? * MON-FRI *)',
      AEGIS_PT_FALLBACK_CRON: 'cron(1/2 13-21 ? * MON-FRI *)',
    });
    expect(r.out).toMatch(/a minute the deployed schedule:primary cron does not fire at/);
    expect(r.out).toMatch(/VERDICT: NOT proven/);
    expect(r.code).toBe(4);
  });

  it('--cron names what the configuration does not: judged against it', async () => {
    const r = await prove(
      {},
      '--cron',
      'primary=cron(7,17,27,37,47,57 13-21 ? * MON-FRI *)',
      '--cron',
      'fallback=cron(12,22,32,42,52 13-21 ? * MON-FRI *)',
    );
    expect(r.out).toMatch(/VERDICT: the deployed code ran on its schedule/);
    expect(r.code).toBe(0);
  });
});
