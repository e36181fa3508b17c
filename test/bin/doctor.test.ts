// `doctor` against recorded response shapes (aws-sdk-client-mock): CloudFormation, SNS (subscriptions,
// SMS sandbox), S3 run records, CloudWatch alarms, SQS, CloudWatch Logs and the Lambda probe.
import {
  CloudFormationClient,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  GetSMSSandboxAccountStatusCommand,
  ListSMSSandboxPhoneNumbersCommand,
  ListSubscriptionsByTopicCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../bin/commands/main';
import { DEFAULT_FALLBACK_CRON, DEFAULT_PRIMARY_CRON } from '../../lambda/shared/schedules';
import { run } from '../helpers/bundle';
import { captureIo } from '../helpers/cli-io';
import { describedStack } from '../helpers/described-stack';

const cfn = mockClient(CloudFormationClient);
const sns = mockClient(SNSClient);
const s3 = mockClient(S3Client);
const cw = mockClient(CloudWatchClient);
const sqs = mockClient(SQSClient);
const logs = mockClient(CloudWatchLogsClient);
const lambda = mockClient(LambdaClient);
const env = { AWS_REGION: 'ap-northeast-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' };
const NOW = '2026-06-01T15:00:00Z';
const TOPIC = 'arn:aws:sns:ap-northeast-1:123456789012:AegisPtHealth-AlertsTopic-AbC';

/** The part of the SDK's streaming body that the S3 store reads. */
const body = (text: string) => ({ transformToString: async () => text }) as never;

const HEALTHY_OUTPUTS = [
  { OutputKey: 'StateBucketName', OutputValue: 'aegis-state' },
  { OutputKey: 'AlertTopicArn', OutputValue: TOPIC },
  { OutputKey: 'MonitorFunctionName', OutputValue: 'AegisPtHealth-MonitorFunction-X' },
  { OutputKey: 'MonitorLogGroupName', OutputValue: 'AegisPtHealth-MonitorLogs-Y' },
  {
    OutputKey: 'DeadLetterQueueUrl',
    OutputValue: 'https://sqs.ap-northeast-1.amazonaws.com/123456789012/AegisPtHealth-DeadLetters',
  },
];

function healthy() {
  for (const m of [cfn, sns, s3, cw, sqs, logs, lambda]) m.reset();
  Object.assign(process.env, env);
  cfn.on(DescribeStacksCommand).resolves(describedStack(HEALTHY_OUTPUTS));
  cfn.on(GetTemplateCommand).resolves({
    TemplateBody: JSON.stringify({
      Resources: {
        P: { Type: 'AWS::Scheduler::Schedule', Properties: { ScheduleExpression: DEFAULT_PRIMARY_CRON } },
        F: { Type: 'AWS::Scheduler::Schedule', Properties: { ScheduleExpression: DEFAULT_FALLBACK_CRON } },
      },
    }),
  });
  sns.on(ListSubscriptionsByTopicCommand).resolves({
    Subscriptions: [
      {
        Protocol: 'email',
        Endpoint: 'oncall@aegis-pt.co',
        SubscriptionArn: `${TOPIC}:1111`,
        TopicArn: TOPIC,
      },
      { Protocol: 'sms', Endpoint: '+819012345678', SubscriptionArn: `${TOPIC}:2222`, TopicArn: TOPIC },
    ],
  });
  sns.on(GetSMSSandboxAccountStatusCommand).resolves({ IsInSandbox: false });
  const key = 'runs/2026/06/01/2026-06-01T14:57:20Z-schedule:primary.json';
  s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: key }], IsTruncated: false });
  s3.on(GetObjectCommand).callsFake(() => ({
    Body: body(
      JSON.stringify({ ...run({ now: '2026-06-01T14:57:20Z' }), trigger: { trigger: 'schedule:primary' } }),
    ),
  }));
  cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
  sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0' } });
  logs.on(FilterLogEventsCommand).resolves({ events: [] });
  lambda.on(InvokeCommand).resolves({
    StatusCode: 200,
    Payload: new TextEncoder().encode(
      JSON.stringify({
        probe: true,
        checked_at: NOW,
        dashboard: { ok: true, detail: 'GET /api/status_v3 answered with JSON' },
        ecs: { ok: true, detail: 'service aegis-pt-core: runningCount 1, 1 task(s) listed' },
      }),
    ) as never,
  });
}

async function doctor(args: string[] = []) {
  const io = captureIo({ env, now: NOW });
  const code = await main(['doctor', ...args], io);
  return { code, out: io.out, err: io.err };
}

describe('aegis-pt-health doctor', () => {
  beforeEach(healthy);

  it('passes a complete, alive monitor (exit 0), and asks the Lambda for a probe, not a check', async () => {
    const r = await doctor();
    expect(r.err).toBe('');
    expect(r.out.split('\n').filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(r.out).toContain(
      'PASS  last scheduled run vs the schedule: schedule:primary run at 2026-06-01T14:57:20Z',
    );
    expect(r.out).toContain('PASS  Lambda reaches the dashboard (probe)');
    expect(r.code).toBe(0);
    const invoked = lambda.commandCalls(InvokeCommand)[0].args[0].input;
    expect(new TextDecoder().decode(invoked.Payload as Uint8Array)).toBe('{"trigger":"probe"}');
    expect(cw.commandCalls(DescribeAlarmsCommand)[0].args[0].input).toMatchObject({
      AlarmNamePrefix: 'AegisPtHealth-',
      StateValue: 'ALARM',
    });
  });

  it("reads the log's last error and last dead-man ping across pages, each by its own filter", async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolves(
        describedStack([
          ...HEALTHY_OUTPUTS,
          { OutputKey: 'DeadManPingUrl', OutputValue: 'https://hc-ping.com' },
        ]),
      );
    const at = (iso: string) => Date.parse(iso);
    logs
      .on(FilterLogEventsCommand, { filterPattern: '?ERROR ?"Task timed out"' })
      .resolves({
        events: [{ timestamp: at('2026-06-01T13:00:00Z'), message: 'first error' }],
        nextToken: 'p2',
      })
      .on(FilterLogEventsCommand, { filterPattern: '?ERROR ?"Task timed out"', nextToken: 'p2' })
      .resolves({ events: [{ timestamp: at('2026-06-01T14:00:00Z'), message: '  the last error \n' }] });
    logs.on(FilterLogEventsCommand, { filterPattern: '"dead-man ping"' }).resolves({
      events: [
        {
          timestamp: at('2026-06-01T14:58:00Z'),
          message: JSON.stringify({ message: 'dead-man ping', outcome: 'success', status: 200 }),
        },
      ],
    });
    const r = await doctor();
    expect(r.out).toMatch(/2026-06-01T14:00:00\.000Z \([^)]*\): the last error\n/);
    expect(r.out).not.toContain('first error');
    expect(r.out).toMatch(/PASS .*dead-man.*2026-06-01T14:58:00\.000Z .*dead-man ping/);
  });

  it('checks the subscriptions of the page topic too: an SMS number there that is not verified fails', async () => {
    const PAGE = TOPIC.replace(/[^:]+$/, 'AegisPtHealth-AlertsPageTopic');
    const outputs = [
      { OutputKey: 'StateBucketName', OutputValue: 'aegis-state' },
      { OutputKey: 'AlertTopicArn', OutputValue: TOPIC },
      { OutputKey: 'MonitorFunctionName', OutputValue: 'AegisPtHealth-MonitorFunction-X' },
      { OutputKey: 'MonitorLogGroupName', OutputValue: 'AegisPtHealth-MonitorLogs-Y' },
    ];
    cfn
      .on(DescribeStacksCommand)
      .resolves(describedStack([...outputs, { OutputKey: 'PageTopicArn', OutputValue: PAGE }]));
    sns.on(ListSubscriptionsByTopicCommand, { TopicArn: TOPIC }).resolves({
      Subscriptions: [{ Protocol: 'email', Endpoint: 'oncall@aegis-pt.co', SubscriptionArn: `${TOPIC}:1` }],
    });
    sns.on(ListSubscriptionsByTopicCommand, { TopicArn: PAGE }).resolves({
      Subscriptions: [{ Protocol: 'sms', Endpoint: '+819012345678', SubscriptionArn: `${PAGE}:2` }],
    });
    sns.on(GetSMSSandboxAccountStatusCommand).resolves({ IsInSandbox: true });
    sns.on(ListSMSSandboxPhoneNumbersCommand).resolves({ PhoneNumbers: [] });
    const r = await doctor();
    expect(r.out).toContain('+819012345678 NOT verified');
    expect(r.code).toBe(4);
  });

  it('fails (exit 4) on a pending email, an unverified SMS number in the sandbox, dead letters and an alarm', async () => {
    sns.on(ListSubscriptionsByTopicCommand).resolves({
      Subscriptions: [
        {
          Protocol: 'email',
          Endpoint: 'new@aegis-pt.co',
          SubscriptionArn: 'PendingConfirmation',
          TopicArn: TOPIC,
        },
        { Protocol: 'sms', Endpoint: '+819012345678', SubscriptionArn: `${TOPIC}:2222`, TopicArn: TOPIC },
      ],
    });
    sns.on(GetSMSSandboxAccountStatusCommand).resolves({ IsInSandbox: true });
    sns.on(ListSMSSandboxPhoneNumbersCommand).resolves({
      PhoneNumbers: [{ PhoneNumber: '+15551234567', Status: 'Verified' }],
    });
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '2' } });
    cw.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        {
          AlarmName: 'AegisPtHealth-AlarmsMonitorLiveness-1A',
          StateValue: 'ALARM',
          StateReason: 'Threshold Crossed',
        },
      ],
    });
    const r = await doctor();
    expect(r.code).toBe(4);
    expect(r.out).toContain('FAIL  alert subscriptions confirmed: email new@aegis-pt.co PendingConfirmation');
    expect(r.out).toContain('FAIL  SMS delivery (sandbox): in the SMS sandbox; +819012345678 NOT verified');
    expect(r.out).toContain('FAIL  dead-letter queue depth: 2 message(s)');
    expect(r.out).toContain(
      'FAIL  alarms in ALARM: AegisPtHealth-AlarmsMonitorLiveness-1A (Threshold Crossed)',
    );
    expect(r.out.trim().split('\n').at(-1)).toBe('DOCTOR: 4 FAIL, 0 WARN');
  });

  it.each([
    ['gone from the list', []],
    // An unauthenticated unsubscribe (the email's link) leaves the subscription listed for up to 72 h
    // with SubscriptionArn "Deleted" (AWS knowledge center: sns-cross-account-subscription).
    ['listed as Deleted', [{ Protocol: 'email', Endpoint: 'lead@aegis-pt.co', SubscriptionArn: 'Deleted' }]],
  ])(
    "compares the template's subscriptions with SNS, on every topic and the health topic (unsubscribed: %s)",
    async (_how, leftover) => {
      const HEALTH = TOPIC.replace(/[^:]+$/, 'AegisPtHealth-HealthTopic');
      cfn.on(DescribeStacksCommand).resolves(
        describedStack([
          { OutputKey: 'StateBucketName', OutputValue: 'aegis-state' },
          { OutputKey: 'AlertTopicArn', OutputValue: TOPIC },
          { OutputKey: 'HealthTopicArn', OutputValue: HEALTH },
          { OutputKey: 'MonitorFunctionName', OutputValue: 'AegisPtHealth-MonitorFunction-X' },
          { OutputKey: 'MonitorLogGroupName', OutputValue: 'AegisPtHealth-MonitorLogs-Y' },
        ]),
      );
      const subscription = (id: string, Protocol: string, Endpoint: string) => ({
        [id]: {
          Type: 'AWS::SNS::Subscription',
          Properties: {
            Protocol,
            Endpoint,
            TopicArn: { Ref: id.startsWith('H') ? 'HealthTopic' : 'AlertsTopic' },
          },
        },
      });
      cfn.on(GetTemplateCommand).resolves({
        TemplateBody: JSON.stringify({
          Resources: {
            P: { Type: 'AWS::Scheduler::Schedule', Properties: { ScheduleExpression: DEFAULT_PRIMARY_CRON } },
            ...subscription('A1', 'email', 'oncall@aegis-pt.co'),
            ...subscription('A2', 'email', 'lead@aegis-pt.co'),
            ...subscription('H1', 'email', 'oncall@aegis-pt.co'),
            ...subscription('H2', 'email', 'lead@aegis-pt.co'),
          },
        }),
      });
      cfn.on(ListStackResourcesCommand).resolves({
        StackResourceSummaries: [
          {
            LogicalResourceId: 'AlertsTopic',
            PhysicalResourceId: TOPIC,
            ResourceType: 'AWS::SNS::Topic',
          } as never,
          {
            LogicalResourceId: 'HealthTopic',
            PhysicalResourceId: HEALTH,
            ResourceType: 'AWS::SNS::Topic',
          } as never,
        ],
      });
      const email = (topic: string, Endpoint: string) => ({
        Protocol: 'email',
        Endpoint,
        SubscriptionArn: `${topic}:${Endpoint}`,
      });
      sns.on(ListSubscriptionsByTopicCommand, { TopicArn: TOPIC }).resolves({
        Subscriptions: [email(TOPIC, 'oncall@aegis-pt.co'), email(TOPIC, 'lead@aegis-pt.co')],
      });
      // lead@ clicked "unsubscribe" in a forwarded health email: SNS dropped it, the stack still names it.
      sns.on(ListSubscriptionsByTopicCommand, { TopicArn: HEALTH }).resolves({
        Subscriptions: [email(HEALTH, 'oncall@aegis-pt.co'), ...leftover],
      });
      const r = await doctor();
      expect(sns.commandCalls(ListSubscriptionsByTopicCommand).map((c) => c.args[0].input.TopicArn)).toEqual([
        TOPIC,
        HEALTH,
      ]);
      expect(r.out).toContain(
        'PASS  alert subscriptions confirmed: email oncall@aegis-pt.co confirmed (health topic)',
      );
      expect(r.out).toContain(
        'FAIL  configured destinations subscribed: email lead@aegis-pt.co is configured on the health topic but not subscribed',
      );
      expect(r.out).not.toMatch(/PASS .*lead@aegis-pt\.co confirmed \(health topic\)/);
      expect(r.code).toBe(4);
    },
  );

  it('fails when the probe cannot reach the dashboard or the function errors', async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: new TextEncoder().encode('{"errorType":"EnvError"}') as never,
    });
    const r = await doctor();
    expect(r.out).toContain(
      'FAIL  Lambda reaches the dashboard and ECS (probe): probe invocation: the function failed (Unhandled)',
    );
    expect(r.code).toBe(4);
  });

  it('fails on a missing stack with one line per check, and maps no credentials to exit 2', async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejects(
        Object.assign(new Error('Stack with id AegisPtHealth does not exist'), { name: 'ValidationError' }),
      );
    const gone = await doctor();
    expect(gone.code).toBe(4);
    expect(gone.out).toContain('FAIL  stack exists and is complete: stack AegisPtHealth does not exist');
    cfn.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
    );
    const nocreds = await doctor(['--profile', 'nobody']);
    expect(nocreds.code).toBe(2);
    expect(nocreds.err).toContain('cannot read the stack: Could not load credentials');
  });

  it('a reading it cannot make is a FAIL naming the call, never a crash', async () => {
    logs
      .on(FilterLogEventsCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const r = await doctor(['--json']);
    const lines = JSON.parse(r.out).lines as { verdict: string; check: string; seen: string }[];
    expect(lines.find((l) => l.check.startsWith('Lambda last error'))).toEqual({
      verdict: 'FAIL',
      check: 'Lambda last error (24 h)',
      seen: 'FilterLogEvents: AccessDeniedException: not authorized',
    });
    expect(r.code).toBe(4);
  });
});
