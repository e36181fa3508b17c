// What the stack offers the operators (managed policies: read, silence, invoke), the audit trail of
// writes to the state bucket, and how long old versions are kept (issue #22).
import type { Template } from 'aws-cdk-lib/assertions';
import { deniedBy, resolve, type Request } from '../helpers/bucket-policy';
import { synth } from './synth';

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const template = synth({
  operatorRoleArns: 'arn:aws:iam::123456789012:role/ops',
  dashboardSecretArn: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:aegis/dashboard',
});

function policy(t: Template, idPrefix: string): Props[] {
  const found = Object.entries(t.findResources('AWS::IAM::ManagedPolicy')).find(([id]) =>
    id.startsWith(idPrefix),
  );
  if (!found) throw new Error(`no managed policy ${idPrefix}`);
  return found[1].Properties.PolicyDocument.Statement;
}
const actionsOf = (statements: Props[]) => statements.flatMap((s) => [s.Action].flat() as string[]);
const text = (v: unknown) => JSON.stringify(v);

describe("the operators' managed policies", () => {
  it('are three, each an output, attached to no role by the stack', () => {
    const outputs = Object.keys(template.findOutputs('*'));
    for (const k of ['OperatorReadPolicyArn', 'OperatorSilencePolicyArn', 'OperatorInvokePolicyArn'])
      expect(outputs).toContain(k);
    for (const r of Object.values(template.findResources('AWS::IAM::Role')))
      expect(r.Properties.ManagedPolicyArns ?? []).toEqual([]);
  });

  it('read: reads only (state, logs, alarms, subscriptions, dead letters, the runtime, the token)', () => {
    const actions = actionsOf(policy(template, 'OperatorsRead'));
    for (const a of actions) expect(a).toMatch(/:(Get|List|Describe|Filter)[A-Za-z]*$/);
    expect(actions).toEqual(
      expect.arrayContaining([
        'cloudformation:DescribeStacks',
        's3:GetObject',
        's3:ListBucket',
        'logs:FilterLogEvents',
        'cloudwatch:DescribeAlarms',
        'sns:ListSubscriptionsByTopic',
        'sqs:GetQueueAttributes',
        'ecs:DescribeServices',
        'ecs:ListTasks',
        'secretsmanager:GetSecretValue',
      ]),
    );
    const token = policy(template, 'OperatorsRead').find((s) => s.Sid === 'ReadTheDashboardToken');
    expect(token?.Resource).toBe(
      'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:aegis/dashboard-??????',
    );
  });

  it('silence: writes the silences file and nothing else', () => {
    const statements = policy(template, 'OperatorsSilence');
    const writes = statements.filter((s) => actionsOf([s]).some((a) => a === 's3:PutObject'));
    expect(writes).toHaveLength(1);
    expect(text(writes[0].Resource)).toContain('/state/silences.json');
    expect(actionsOf(statements).sort()).toEqual(
      ['cloudformation:DescribeStacks', 'cloudformation:GetTemplate', 's3:GetObject', 's3:PutObject'].sort(),
    );
  });

  it('invoke: invokes the monitor function only', () => {
    const statements = policy(template, 'OperatorsInvoke');
    const invoke = statements.find((s) => s.Sid === 'InvokeTheMonitor');
    expect(invoke?.Action).toBe('lambda:InvokeFunction');
    expect(invoke?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^MonitorFunction/), 'Arn'] });
  });
});

describe('the audit trail', () => {
  it('records every write to the state bucket (data events, write-only), no management events', () => {
    const trails = Object.values(template.findResources('AWS::CloudTrail::Trail'));
    expect(trails).toHaveLength(1);
    const trail = trails[0].Properties;
    expect(trail).toMatchObject({
      IsLogging: true,
      EnableLogFileValidation: true,
      IsMultiRegionTrail: false,
    });
    expect(trail.EventSelectors).toEqual([
      {
        DataResources: [
          {
            Type: 'AWS::S3::Object',
            Values: [
              { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^StateBucket/), 'Arn'] }, '/']] },
            ],
          },
        ],
        IncludeManagementEvents: false,
        ReadWriteType: 'WriteOnly',
      },
    ]);
  });

  it('keeps its logs as long as the run records, private and TLS-only', () => {
    const logs = Object.entries(template.findResources('AWS::S3::Bucket')).find(([id]) =>
      id.startsWith('AuditLogs'),
    );
    expect(logs?.[1].Properties.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({ ExpirationInDays: 400, Status: 'Enabled' }),
    ]);
    expect(logs?.[1].Properties.PublicAccessBlockConfiguration).toMatchObject({ BlockPublicPolicy: true });
  });
});

describe('old versions in the state bucket', () => {
  const rules = (): Props[] =>
    Object.entries(template.findResources('AWS::S3::Bucket')).find(([id]) => id.startsWith('StateBucket'))![1]
      .Properties.LifecycleConfiguration.Rules;

  it('keeps every version of the silences file 400 days, to see who changed a silence and to what', () => {
    expect(rules().filter((r) => r.Prefix === 'state/silences.json')).toEqual([
      expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 400 }, Status: 'Enabled' }),
    ]);
  });

  it('expires old versions of the snapshot and digest markers after 30 days, and no rule overlaps another', () => {
    for (const prefix of ['state/latest.json', 'digests/'])
      expect(rules().find((r) => r.Prefix === prefix)?.NoncurrentVersionExpiration).toEqual({
        NoncurrentDays: 30,
      });
    // A rule without a prefix must not expire versions: it would shorten the silences' 400 days.
    for (const r of rules().filter((x) => x.Prefix === undefined)) {
      expect(r.NoncurrentVersionExpiration).toBeUndefined();
      expect(r.ExpirationInDays).toBeUndefined();
    }
    // Hand-offs (what a run that could not store saw or told) go after 30 days.
    expect(rules().find((r) => r.Prefix === 'state/handoff/')?.ExpirationInDays).toBe(30);
    const prefixes = rules().flatMap((r) => (r.Prefix ? [r.Prefix as string] : []));
    for (const a of prefixes) for (const b of prefixes) if (a !== b) expect(a.startsWith(b)).toBe(false);
  });
});

describe("the audit trail's log bucket", () => {
  const ACCOUNT = '123456789012';
  const LOGS = 'arn:aws:s3:::aegis-audit-logs';
  const logObject = `${LOGS}/AWSLogs/${ACCOUNT}/CloudTrail/ap-northeast-1/2026/06/01/x.json.gz`;
  const logPolicy = () => {
    const p = Object.values(template.findResources('AWS::S3::BucketPolicy')).find((x) =>
      x.Properties.Bucket.Ref?.startsWith('AuditLogs'),
    );
    return resolve(p!.Properties.PolicyDocument, { AuditLogs: LOGS, 'AWS::AccountId': ACCOUNT }) as Props;
  };

  it.each([
    ['an administrator deletes a log file', 's3:DeleteObject', `arn:aws:iam::${ACCOUNT}:role/Admin`],
    ['an operator overwrites a log file', 's3:PutObject', 'arn:aws:iam::123456789012:role/ops'],
    ['the monitor deletes a version', 's3:DeleteObjectVersion', `arn:aws:iam::${ACCOUNT}:role/Monitor`],
  ])('refuses what its nag acknowledgement says nobody can do: %s', (_what, action, principalArn) => {
    expect(deniedBy(logPolicy(), { principalArn, action, resource: logObject })).toEqual([
      'OnlyCloudTrailWritesTheLogs',
    ]);
  });

  it("lets CloudTrail deliver this account's trail logs, and no other account's", () => {
    const delivery = (sourceAccount: string): Request => ({
      principalArn: '',
      servicePrincipal: 'cloudtrail.amazonaws.com',
      sourceAccount,
      action: 's3:PutObject',
      resource: logObject,
    });
    expect(deniedBy(logPolicy(), delivery(ACCOUNT))).toEqual([]);
    expect(deniedBy(logPolicy(), delivery('210987654321'))).toEqual(['OnlyThisAccountsTrails']);
  });
});
