// A secret ARN from the context is decided by its shape (secret-arn.ts): each shape, in the template.
import { Match } from 'aws-cdk-lib/assertions';
import { synth } from './synth';

const PREFIX = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:';

function granted(context: Record<string, unknown>): unknown {
  const t = synth(context);
  const policies = Object.values(t.findResources('AWS::IAM::Policy'));
  const statement = policies
    .flatMap((p) => p.Properties.PolicyDocument.Statement)
    .find((s: { Sid?: string }) => s.Sid === 'DashboardToken');
  t.hasResourceProperties('AWS::Lambda::Function', {
    Environment: {
      Variables: Match.objectLike({ AEGIS_PT_DASHBOARD_SECRET_ARN: context.dashboardSecretArn }),
    },
  });
  return statement?.Resource;
}

describe('the dashboard secret ARN, by shape', () => {
  it.each([
    ['a full ARN (random suffix of mixed case)', 'aegis/dashboard-AbCdEf'],
    ['a full ARN (suffix with digits)', 'prod/aegis/token-a1b2c3'],
    ['a full ARN of a name that itself ends in -bearer', 'aegis/dashboard-bearer-Xy12Zq'],
  ])('grants %s as is', (_what, name) => {
    expect(granted({ dashboardSecretArn: `${PREFIX}${name}` })).toBe(`${PREFIX}${name}`);
  });

  it.each([
    ['a partial ARN', 'aegis/dashboard'],
    ['a partial ARN of a name with a path', 'ops/aegis-dash/bearer/token'],
    ['a partial ARN whose last hyphen is followed by more than six characters', 'aegis/dashboard-token01'],
    ['a partial ARN whose last hyphen is followed by fewer than six characters', 'aegis/dash-tok'],
  ])('grants %s as <arn>-?????? (IAM must match the random suffix)', (_what, name) => {
    expect(granted({ dashboardSecretArn: `${PREFIX}${name}` })).toBe(`${PREFIX}${name}-??????`);
  });

  it.each([
    ['a name ending in a word: -bearer', 'aegis/dashboard-bearer', /may be part of the secret's name/],
    ['a name ending in a word in capitals: -TOKENS', 'aegis/dash-TOKENS', /may be part of the secret's name/],
    [
      'a name ending in a Capitalized word: -Bearer',
      'aegis/Dashboard-Bearer',
      /may be part of the secret's name/,
    ],
    ['a name ending in a word and digits: -token1', 'aegis/dash-token1', /may be part of the secret's name/],
    ['a name ending in a date: -202401', 'aegis/dashboard-202401', /may be part of the secret's name/],
    [
      'a name ending in -my_key (no random suffix has _)',
      'aegis/dashboard-my_key',
      /part of the secret's name/,
    ],
    ['a name with a path ending in -b/cdef', 'ops/a-b/cdef', /part of the secret's name/],
  ])('stops the synth for %s, saying how to find the full ARN', (_what, name, why) => {
    const run = () => synth({ dashboardSecretArn: `${PREFIX}${name}` });
    expect(run).toThrow(/^context "dashboardSecretArn": ends in "-/);
    expect(run).toThrow(why);
    expect(run).toThrow(`aws secretsmanager describe-secret --secret-id '${name}' --query ARN --output text`);
  });

  it('takes a word-like suffix as the full ARN when the deployer says it is (dashboardSecretArnComplete)', () => {
    const arn = `${PREFIX}aegis/dashboard-abcdef`;
    expect(granted({ dashboardSecretArn: arn, dashboardSecretArnComplete: 'true' })).toBe(arn);
  });

  it('rejects what is not a secret ARN, naming the key', () => {
    expect(() => synth({ dashboardSecretArn: 'aegis/dashboard' })).toThrow(
      /^context "dashboardSecretArn": "aegis\/dashboard" is not a Secrets Manager secret ARN/,
    );
  });

  it.each([
    ['dashboardSecretArn', {}],
    ['deadManSecretArn', { deadManPingUrl: 'https://hc-ping.com' }],
  ])(
    "%s: the stack deploys only to the secret's region (a template rule), never to one whose Lambda cannot read it",
    (key, extra) => {
      const t = synth({ ...extra, [key]: `${PREFIX}aegis/token` }).toJSON();
      expect(t.Rules?.[`${key}Region`]).toEqual({
        Assertions: [
          {
            Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'ap-northeast-1'] },
            AssertDescription: expect.stringContaining(`${key} names a secret in ap-northeast-1`),
          },
        ],
      });
    },
  );
});
