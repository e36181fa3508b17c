// The alert routes in the template: three encrypted TLS-only topics (page, email, chat) that alarms may
// publish to, the Lambda's routes and paging floor, least-privilege writes, and the optional Slack
// channel through Chatbot with a read-only guardrail.
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { ContextError } from '../../lib/stack/config';
import { CHAT_GUARDRAIL_ACTIONS } from '../../lib/stack/constructs/chat-channel';
import { synth } from './synth';

const SLACK = { slackWorkspaceId: 'T0123ABCD', slackChannelId: 'C0456EFGH' };

let plain: Template;
let slack: Template;
beforeAll(() => {
  plain = synth();
  slack = synth({ ...SLACK, pageFloor: 'escalate' });
});

// The alert topics only: the health path's own topic (health-path.ts) is not an audience.
const topicIds = (t: Template) =>
  Object.keys(t.findResources('AWS::SNS::Topic'))
    .filter((id) => id.startsWith('Alerts'))
    .sort();

describe('the audience topics', () => {
  it('are three, each under the customer managed key, TLS-only and open to CloudWatch alarms', () => {
    expect(topicIds(plain).map((id) => id.replace(/[0-9A-F]{8}$/, ''))).toEqual([
      'AlertsChatTopic',
      'AlertsPageTopic',
      'AlertsTopic',
    ]);
    for (const topic of topicIds(plain).map((id) => plain.findResources('AWS::SNS::Topic')[id]))
      expect(topic.Properties.KmsMasterKeyId).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^AlertsKey/), 'Arn'],
      });
    const policies = Object.values(plain.findResources('AWS::SNS::TopicPolicy')).filter((p) =>
      JSON.stringify(p.Properties.Topics).includes('"Alerts'),
    );
    expect(policies).toHaveLength(3);
    for (const p of policies) {
      const sids = p.Properties.PolicyDocument.Statement.map((st: { Sid?: string }) => st.Sid);
      expect(sids).toEqual(expect.arrayContaining(['AllowCloudWatchAlarms']));
      expect(JSON.stringify(p.Properties.PolicyDocument)).toContain('aws:SecureTransport');
    }
  });

  it('SMS numbers subscribe to the page topic only; email addresses to the email topic only', () => {
    const subs = Object.values(plain.findResources('AWS::SNS::Subscription'))
      .map((s) => [s.Properties.Protocol, s.Properties.TopicArn.Ref.replace(/[0-9A-F]{8}$/, '')])
      .filter(([, topic]) => topic.startsWith('Alerts'));
    expect(subs.sort()).toEqual([
      ['email', 'AlertsTopic'],
      ['email', 'AlertsTopic'],
      ['sms', 'AlertsPageTopic'],
    ]);
    // No filter policy anywhere: alarm notifications carry no attributes and would be dropped.
    for (const s of Object.values(plain.findResources('AWS::SNS::Subscription')))
      expect(s.Properties.FilterPolicy).toBeUndefined();
  });

  it('the Lambda knows every route and the paging floor, and may publish to the three topics only', () => {
    plain.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          AEGIS_PT_TOPIC_ARN: { Ref: Match.stringLikeRegexp('^AlertsTopic') },
          AEGIS_PT_PAGE_TOPIC_ARN: { Ref: Match.stringLikeRegexp('^AlertsPageTopic') },
          AEGIS_PT_CHAT_TOPIC_ARN: { Ref: Match.stringLikeRegexp('^AlertsChatTopic') },
          AEGIS_PT_PAGE_FLOOR: 'critical',
        }),
      },
    });
    slack.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ AEGIS_PT_PAGE_FLOOR: 'escalate' }) },
    });
    plain.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'PublishAlerts',
            Action: 'sns:Publish',
            Resource: [
              { Ref: Match.stringLikeRegexp('^AlertsTopic') },
              { Ref: Match.stringLikeRegexp('^AlertsPageTopic') },
              { Ref: Match.stringLikeRegexp('^AlertsChatTopic') },
            ],
          }),
        ]),
      },
    });
  });

  it('the Lambda writes only its snapshot, run records and digest markers: silences are the operators to write', () => {
    const policy = Object.values(plain.findResources('AWS::IAM::Policy')).find((p) =>
      p.Properties.PolicyDocument.Statement.some((s: { Sid?: string }) => s.Sid === 'StateWrites'),
    );
    const writes = policy?.Properties.PolicyDocument.Statement.filter((s: { Action: unknown }) =>
      JSON.stringify(s.Action).includes('s3:PutObject'),
    );
    expect(writes).toHaveLength(1);
    const resources = JSON.stringify(writes[0].Resource);
    expect(resources).toContain('/state/latest.json');
    expect(resources).toContain('/runs/*');
    expect(resources).toContain('/digests/*');
    expect(resources).toContain('/state/handoff/*');
    expect(resources).not.toContain('silences');
  });
});

describe('Slack through Chatbot', () => {
  it('is absent without the context', () => {
    plain.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
  });

  it('subscribes the chat topic to the channel with a read-only guardrail and a role that only reads CloudWatch', () => {
    slack.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackWorkspaceId: SLACK.slackWorkspaceId,
      SlackChannelId: SLACK.slackChannelId,
      SnsTopicArns: [{ Ref: Match.stringLikeRegexp('^AlertsChatTopic') }],
      GuardrailPolicies: [{ Ref: Match.stringLikeRegexp('^ChatGuardrail') }],
    });
    slack.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: CHAT_GUARDRAIL_ACTIONS, Resource: '*' }],
      },
    });
    const role = Object.entries(slack.findResources('AWS::IAM::Role')).find(([id]) =>
      id.startsWith('ChatRole'),
    );
    expect(role?.[1].Properties.ManagedPolicyArns).toBeUndefined();
    expect(role?.[1].Properties.Policies).toBeUndefined();
    // The alarm notifications' charts need CloudWatch reads (issue #24): exactly the guardrail's.
    const policies = Object.values(slack.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties.Roles).includes(role?.[0] ?? '?'),
    );
    expect(policies.map((p) => p.Properties.PolicyDocument.Statement)).toEqual([
      [{ Effect: 'Allow', Action: CHAT_GUARDRAIL_ACTIONS, Resource: '*' }],
    ]);
    for (const action of CHAT_GUARDRAIL_ACTIONS) expect(action).toMatch(/^cloudwatch:(Describe|Get|List)/);
  });

  const configurationName = (t: Template): unknown =>
    Object.values(t.findResources('AWS::Chatbot::SlackChannelConfiguration'))[0].Properties.ConfigurationName;

  it('names the configuration after the stack and the region, unique per account across regions', () => {
    expect(configurationName(slack)).toEqual({
      'Fn::Join': ['', ['AegisPtHealth-chat-', { Ref: 'AWS::Region' }]],
    });
    expect(configurationName(synth({ ...SLACK, stackName: 'AegisPtHealthStaging' }))).toEqual({
      'Fn::Join': ['', ['AegisPtHealthStaging-chat-', { Ref: 'AWS::Region' }]],
    });
  });

  it("keeps a long stack name's configuration within Chatbot's 128 characters, and two long names apart", () => {
    const names = ['A', 'B'].map((end) => {
      const stackName = `Aegis${'x'.repeat(118)}${end}`; // 124 characters, CloudFormation allows 128
      const joined = configurationName(synth({ ...SLACK, stackName })) as { 'Fn::Join': [string, unknown[]] };
      const prefix = joined['Fn::Join'][1][0] as string;
      // The region is at most 14 characters today (ap-southeast-5); 16 are left for it.
      expect(prefix.length + 16).toBeLessThanOrEqual(128);
      expect(prefix).toMatch(/^[A-Za-z0-9_-]+$/);
      return prefix;
    });
    expect(names[0]).not.toBe(names[1]);
  });

  it.each([
    [{ slackWorkspaceId: 'T0123ABCD' }, 'slackChannelId'],
    [{ slackChannelId: 'C0123ABCD' }, 'slackWorkspaceId'],
    [{ ...SLACK, slackWorkspaceId: 'workspace' }, 'slackWorkspaceId'],
    [{ ...SLACK, slackChannelId: '#ops' }, 'slackChannelId'],
    [{ pageFloor: 'info' }, 'pageFloor'],
  ])('rejects %j naming %s', (context, key) => {
    expect(() => synth(context)).toThrow(ContextError);
    expect(() => synth(context)).toThrow(key);
  });
});
