// An operator whose identity may not read or write the silences file (no silence permission, or no use
// of the bucket's key) gets exit 2 naming what is missing, never an internal error; a post gate still
// gives its verdict. S3 and STS answer as AWS does (aws-sdk-client-mock, the S3 error's recorded shape).
import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../bin/commands/main';
import { captureIo } from '../helpers/cli-io';
import { pre } from '../ops/gate-fixtures';

const s3 = mockClient(S3Client);
const sts = mockClient(STSClient);
const env = { AWS_REGION: 'ap-northeast-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' };
const NOW = '2026-06-01T14:00:00Z';

const denied = () =>
  new S3ServiceException({
    name: 'AccessDenied',
    $fault: 'client',
    message:
      'User: arn:aws:sts::123456789012:assumed-role/ReadOnly/alice is not authorized to perform: s3:PutObject',
    $metadata: { httpStatusCode: 403 },
  });

beforeEach(() => {
  s3.reset();
  sts.reset();
  Object.assign(process.env, env);
  sts.on(GetCallerIdentityCommand).resolves({
    Arn: 'arn:aws:sts::123456789012:assumed-role/ReadOnly/alice',
    Account: '123456789012',
  });
});

async function cli(...args: string[]) {
  const io = captureIo({ now: NOW, env });
  const code = await main(['silence', ...args, '--bucket', 'state-bucket'], io);
  return { code, out: io.out, err: io.err };
}

describe('a silence command the identity is not allowed', () => {
  it('add: exit 2 naming the permission, no stack trace', async () => {
    s3.on(GetObjectCommand).rejects(
      Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }),
    );
    s3.on(PutObjectCommand).rejects(denied());
    const res = await cli('add', '--code', 'pnl_unknown_trades', '--for', '1h', '--reason', 'r');
    expect(res.code).toBe(2);
    expect(res.err).toContain('not allowed to write the silences file (AccessDenied:');
    expect(res.err).toContain('s3:PutObject on state/silences.json');
    expect(res.err).not.toMatch(/internal error|\n\s+at /);
  });

  it('list and expire: exit 2 naming the permission', async () => {
    s3.on(GetObjectCommand).rejects(denied());
    for (const args of [['list'], ['expire', 's-20260601T1300-abcd']]) {
      const res = await cli(...args);
      expect(res.code).toBe(2);
      expect(res.err).toContain('not allowed to read the silences file (AccessDenied:');
      expect(res.err).not.toMatch(/internal error|\n\s+at /);
    }
  });
});

describe('gate --window for an identity that may not write silences', () => {
  it('exit 2 naming the permission: the operator knows no window is open', async () => {
    s3.on(GetObjectCommand).rejects(
      Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }),
    );
    s3.on(PutObjectCommand).rejects(denied());
    const dir = mkdtempSync(join(tmpdir(), 'aegis-denied-'));
    const obs = join(dir, 'pre.json');
    writeFileSync(obs, JSON.stringify(pre()));
    const io = captureIo({ now: '2026-06-01T14:05:30Z', env: { ...env, AEGIS_PT_CLUSTER: 'aegis-pt' } });
    const code = await main(
      [
        'gate',
        '--phase',
        'pre',
        '--observation',
        obs,
        '--out',
        join(dir, 'b.json'),
        '--window',
        '30m',
        '--bucket',
        'state-bucket',
      ],
      io,
    );
    expect(code).toBe(2);
    expect(io.err).toContain('not allowed to write the silences file (AccessDenied:');
    expect(io.err).not.toMatch(/internal error|\n\s+at /);
  });
});
