// The state bucket's policy, evaluated for the requests it must refuse and the ones it must let through
// (issue #22): a forged snapshot, run record or digest marker from anyone but the monitor's role, a
// silence from anyone but a named operator, a read of positions and PnL from anyone unnamed; and never
// the deployment role's work on the bucket itself.
import type { Template } from 'aws-cdk-lib/assertions';
import { deniedBy, resolve, type Request } from '../helpers/bucket-policy';
import { synth } from './synth';

const ACCOUNT = '123456789012';
const BUCKET = 'arn:aws:s3:::aegis-state';
const MONITOR = `arn:aws:iam::${ACCOUNT}:role/AegisPtHealth-MonitorRole-1AB2C3`;
const OPERATORS = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Ops_*`;
const OPERATOR = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Ops_0a1b2c3d4e`;
const READER = `arn:aws:iam::${ACCOUNT}:role/auditor`;
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-ap-northeast-1`;

function statePolicy(t: Template) {
  const policy = Object.values(t.findResources('AWS::S3::BucketPolicy')).find((p) =>
    p.Properties.Bucket.Ref?.startsWith('StateBucket'),
  );
  return resolve(policy!.Properties.PolicyDocument, { StateBucket: BUCKET, MonitorRole: MONITOR }) as Record<
    string,
    unknown
  >;
}

const object = (key: string) => `${BUCKET}/${key}`;
const put = (principalArn: string, key: string): Request => ({
  principalArn,
  action: 's3:PutObject',
  resource: object(key),
});
const get = (principalArn: string, key: string): Request => ({
  principalArn,
  action: 's3:GetObject',
  resource: object(key),
});

const MONITOR_KEYS = [
  'state/latest.json',
  'runs/2026/06/01/14-05-00Z-primary.json',
  'digests/2026-06-01.json',
  // A forged hand-off would make the monitor tell (or not tell) what no run saw.
  'state/handoff/2026-06-01T14:05:00.123Z-1a2b3c4d5e6f.json',
];

describe('the state bucket policy, with operators and a reader named', () => {
  const policy = statePolicy(synth({ operatorRoleArns: OPERATORS, readerRoleArns: READER }));

  it.each(MONITOR_KEYS)("refuses anyone but the monitor's role writing or deleting %s", (key) => {
    for (const who of [ADMIN, OPERATOR, READER, DEPLOYER]) {
      expect(deniedBy(policy, put(who, key))).toEqual(['OnlyTheMonitorWritesItsState']);
      for (const action of ['s3:DeleteObject', 's3:DeleteObjectVersion'])
        expect(deniedBy(policy, { ...put(who, key), action })).toEqual(['OnlyTheMonitorWritesItsState']);
    }
    expect(deniedBy(policy, put(MONITOR, key))).toEqual([]);
  });

  it('refuses a key the monitor does not use to anyone but the monitor too', () => {
    expect(deniedBy(policy, put(ADMIN, 'state/latest.json.bak'))).toEqual(['OnlyTheMonitorWritesItsState']);
  });

  it('lets only the named operators write silences: not the monitor, an admin or a reader', () => {
    expect(deniedBy(policy, put(OPERATOR, 'state/silences.json'))).toEqual([]);
    for (const who of [MONITOR, ADMIN, READER, DEPLOYER])
      expect(deniedBy(policy, put(who, 'state/silences.json'))).toEqual(['OnlyOperatorsWriteSilences']);
  });

  it('lets only the monitor, the operators and the readers read (positions and PnL at rest)', () => {
    for (const who of [MONITOR, OPERATOR, READER])
      for (const key of [...MONITOR_KEYS, 'state/silences.json'])
        expect(deniedBy(policy, get(who, key))).toEqual([]);
    for (const who of [ADMIN, DEPLOYER]) {
      expect(deniedBy(policy, get(who, MONITOR_KEYS[1]))).toEqual(['OnlyTheMonitorAndOperatorsRead']);
      expect(deniedBy(policy, { ...get(who, MONITOR_KEYS[1]), action: 's3:GetObjectVersion' })).toEqual([
        'OnlyTheMonitorAndOperatorsRead',
      ]);
    }
  });

  it("never refuses the deployment role's work on the bucket itself (policy, lifecycle, versioning)", () => {
    for (const action of [
      's3:PutBucketPolicy',
      's3:DeleteBucketPolicy',
      's3:PutLifecycleConfiguration',
      's3:PutBucketVersioning',
      's3:PutEncryptionConfiguration',
      's3:ListBucket',
    ])
      expect(deniedBy(policy, { principalArn: DEPLOYER, action, resource: BUCKET })).toEqual([]);
  });

  it('still refuses everything without TLS, the monitor included', () => {
    expect(deniedBy(policy, { ...put(MONITOR, 'state/latest.json'), secure: false })).toEqual(['(TLS)']);
  });
});

describe('the state bucket policy without operatorRoleArns', () => {
  const policy = statePolicy(synth());

  it("still refuses anyone but the monitor's role the snapshot, run records and digest markers", () => {
    for (const key of MONITOR_KEYS)
      expect(deniedBy(policy, put(ADMIN, key))).toEqual(['OnlyTheMonitorWritesItsState']);
  });

  it('leaves silences and reads to the identity policies, and synth says so', () => {
    expect(deniedBy(policy, put(ADMIN, 'state/silences.json'))).toEqual([]);
    expect(deniedBy(policy, get(ADMIN, MONITOR_KEYS[1]))).toEqual([]);
  });
});

describe('operatorRoleArns and readerRoleArns', () => {
  it('refuses readers named without operators: the reads would stay open, naming the key', () => {
    expect(() => synth({ readerRoleArns: READER })).toThrow(
      /context "readerRoleArns": needs operatorRoleArns/,
    );
  });

  it.each([['operatorRoleArns'], ['readerRoleArns']])('%s takes role ARNs only, naming the key', (key) => {
    expect(() => synth({ [key]: 'ops-team' })).toThrow(
      new RegExp(`context "${key}": "ops-team" is not an IAM role`),
    );
  });
});
