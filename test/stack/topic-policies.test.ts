// Who may publish to the topics and use their one key: this stack's alarms (CloudWatch) and this stack's
// rule (EventBridge), each named by aws:SourceArn in the topic policies, never any alarm or rule in the
// account. The key names CloudWatch's sources; EventBridge's it cannot (SNS does not support it).
import type { Template } from 'aws-cdk-lib/assertions';
import { synth } from './synth';

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const statementsOf = (doc: Props): Props[] => doc.Statement;
const allows = (s: Props) => s.Effect === 'Allow' && s.Principal?.Service !== undefined;

/** An ARN built with Fn::Join, written back as a string (`${AWS::Region}` for the pseudo parameters). */
function arnText(v: unknown): string {
  if (typeof v === 'string') return v;
  const join = (v as Props)['Fn::Join'];
  if (join) return (join[1] as unknown[]).map(arnText).join('');
  const ref = (v as Props).Ref;
  if (ref) return `\${${ref}}`;
  return JSON.stringify(v);
}

function sources(s: Props): string[] {
  return [s.Condition?.ArnLike?.['aws:SourceArn'] ?? []].flat().map(arnText);
}

const alarmArn = (name: string) =>
  `arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:\${AWS::AccountId}:alarm:${name}`;

function alarmNames(t: Template): string[] {
  return Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName);
}

function topicPolicies(t: Template): Map<string, Props[]> {
  const out = new Map<string, Props[]>();
  for (const p of Object.values(t.findResources('AWS::SNS::TopicPolicy'))) {
    for (const topic of p.Properties.Topics) out.set(topic.Ref, statementsOf(p.Properties.PolicyDocument));
  }
  return out;
}

describe.each([
  ['the default stack', 'AegisPtHealth'],
  ['a second stack', 'AegisPtHealthStaging'],
])('topic and key policies of %s', (_name, stackName) => {
  const template = synth({ stackName, containerInsights: 'true' });
  const key = Object.values(template.findResources('AWS::KMS::Key'));
  const keyStatements = statementsOf(key[0].Properties.KeyPolicy);
  const names = alarmNames(template);

  it('has one key, under every topic', () => {
    expect(key).toHaveLength(1);
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    const topics = Object.values(template.findResources('AWS::SNS::Topic'));
    expect(topics).toHaveLength(4);
    for (const t of topics) expect(t.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
  });

  it("lets CloudWatch use the key for exactly this stack's alarms, once", () => {
    const cw = keyStatements.filter((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(cw).toHaveLength(1);
    expect(names.length).toBeGreaterThanOrEqual(6);
    for (const n of names) expect(n.startsWith(`${stackName}-`)).toBe(true);
    expect(sources(cw[0]).sort()).toEqual(names.map(alarmArn).sort());
    expect(cw[0].Condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
  });

  it('lets EventBridge use the key once, with no source condition: SNS does not support one there', () => {
    // SNS Developer Guide, Key management: aws:SourceAccount and aws:SourceArn in a KMS key policy are
    // not supported for EventBridge-to-encrypted topics; the key request carries neither, so a
    // condition on them refuses every event and the health path delivers nothing. The health topic's
    // policy names the rule instead (below).
    const rule = Object.values(template.findResources('AWS::Events::Rule')).find(
      (r) => r.Properties.EventPattern.source?.[0] === 'aws.cloudwatch',
    ) as Props;
    expect(rule.Properties.Name).toBe(`${stackName}-alarms-to-health`);
    const eb = keyStatements.filter((s) => s.Principal?.Service === 'events.amazonaws.com');
    expect(eb).toHaveLength(1);
    expect(eb[0].Effect).toBe('Allow');
    expect(eb[0].Condition).toBeUndefined();
    expect([eb[0].Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
  });

  it('grants no service anything on a topic, nor CloudWatch on the key, without naming its source', () => {
    const cwKey = keyStatements.filter((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    const all = [...cwKey, ...[...topicPolicies(template).values()].flat()];
    const serviceAllows = all.filter(allows);
    expect(serviceAllows.length).toBeGreaterThanOrEqual(6);
    for (const s of serviceAllows) {
      expect(sources(s).length).toBeGreaterThan(0);
      expect(s.Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    }
  });

  it("lets CloudWatch publish to the alert topics for this stack's alarms, and to health for liveness only", () => {
    const policies = topicPolicies(template);
    expect(policies.size).toBe(4);
    for (const [topic, statements] of policies) {
      const cw = statements.filter((s) => allows(s) && s.Principal.Service === 'cloudwatch.amazonaws.com');
      expect(cw).toHaveLength(1);
      const expected = topic.startsWith('HealthTopic') ? [`${stackName}-liveness`] : names;
      expect(sources(cw[0]).sort()).toEqual(expected.map(alarmArn).sort());
      const eb = statements.filter((s) => allows(s) && s.Principal.Service === 'events.amazonaws.com');
      if (topic.startsWith('HealthTopic')) {
        expect(eb).toHaveLength(1);
        expect(eb[0].Condition.ArnLike['aws:SourceArn']).toEqual([
          { 'Fn::GetAtt': [expect.stringMatching(/^HealthAlarmStateChanges/), 'Arn'] },
        ]);
      } else {
        expect(eb).toEqual([]);
      }
    }
  });
});
