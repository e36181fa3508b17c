import { Match, Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_FALLBACK_CRON, DEFAULT_PRIMARY_CRON } from '../../lambda/shared/schedules';
import { synth } from './synth';

let template: Template;
beforeAll(() => {
  template = synth({ thresholds: { AEGIS_PT_HEARTBEAT_STALE_SEC: 240 } });
});

/**
 * The form CloudWatch takes for a recurring mute (API Reference, "Schedule"): a five-field cron with
 * digits, day or month names and `* - ,` only (no `?`, no year); an ISO 8601 duration PT1M..P15D.
 */
function expectAcceptedMuteSchedule(schedule: { Expression: string; Duration: string }): void {
  const fields = /^cron\((.*)\)$/.exec(schedule.Expression)?.[1].split(' ') ?? [];
  expect(fields).toHaveLength(5);
  for (const f of fields) expect(f).toMatch(/^(\*|[0-9A-Z]+(-[0-9A-Z]+)?)(,[0-9A-Z]+(-[0-9A-Z]+)?)*$/);
  const d = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(schedule.Duration);
  expect(d).not.toBeNull();
  const minutes = Number(d?.[1] ?? 0) * 1440 + Number(d?.[2] ?? 0) * 60 + Number(d?.[3] ?? 0);
  expect(minutes).toBeGreaterThanOrEqual(1);
  expect(minutes).toBeLessThanOrEqual(15 * 1440);
}

const ref = (logicalIdPrefix: string) =>
  Match.objectLike({ Ref: Match.stringLikeRegexp(`^${logicalIdPrefix}`) });

describe('the monitor function', () => {
  it('runs on the latest Node.js LTS Lambda offers, arm64, sized from the benchmark', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 60,
      Handler: 'index.handler',
    });
  });

  it('gets its configuration from the environment, thresholds included', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          AEGIS_PT_CLUSTER: 'aegis-pt',
          AEGIS_PT_SERVICE: 'aegis-pt-core',
          AEGIS_PT_DASHBOARD_URL: 'https://dashboard.aegis-pt.example',
          AEGIS_PT_STATE_BUCKET: ref('StateBucket'),
          AEGIS_PT_TOPIC_ARN: ref('AlertsTopic'),
          AEGIS_PT_HEARTBEAT_STALE_SEC: '240',
          NODE_OPTIONS: '--enable-source-maps',
        }),
      },
      LoggingConfig: { LogGroup: ref('MonitorLogs') },
    });
  });

  it('has its own log group with a retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });
});

describe('the state bucket', () => {
  it('is private, encrypted, versioned, with lifecycle expiry for runs/ and old versions', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'runs/', ExpirationInDays: 400, Status: 'Enabled' }),
          Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }),
        ]),
      },
    });
  });

  it('denies requests without TLS (and below TLS 1.2)', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });
});

describe('the alert topic', () => {
  it('is encrypted with a rotating customer managed key that CloudWatch may use', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });

  it('only accepts publishes over TLS', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('has the configured email and SMS subscriptions', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 3);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@aegis-pt.example',
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'lead@aegis-pt.example',
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sms', Endpoint: '+819012345678' });
  });
});

describe('the schedules', () => {
  it.each([
    [DEFAULT_PRIMARY_CRON, 'schedule:primary'],
    [DEFAULT_FALLBACK_CRON, 'schedule:fallback'],
  ])('%s runs the check exactly on time, retried briefly, with a dead-letter queue', (cron, trigger) => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: cron,
      ScheduleExpressionTimezone: 'Etc/UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({
        // Scheduler replaces the context attributes at invocation (aws-contracts.md): the proof of a
        // scheduled run rests on them.
        Input: JSON.stringify({
          trigger,
          execution_id: '<aws.scheduler.execution-id>',
          scheduled_time: '<aws.scheduler.scheduled-time>',
          schedule_arn: '<aws.scheduler.schedule-arn>',
          attempt: '<aws.scheduler.attempt-number>',
        }),
        RetryPolicy: { MaximumEventAgeInSeconds: 240, MaximumRetryAttempts: 2 },
        DeadLetterConfig: { Arn: Match.anyValue() },
      }),
    });
  });

  it('outputs the code version that the bundle carries (prove-deploy ties runs to it)', () => {
    const outputs = template.findOutputs('MonitorCodeVersion');
    expect(Object.values(outputs)[0]?.Value).toMatch(/^[0-9a-f]{16}$/);
  });

  it('sends dead letters to an encrypted, TLS-only queue', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('the ECS event rules', () => {
  it('run a check on a stopped task of the service', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        detail: { group: ['service:aegis-pt-core'], lastStatus: ['STOPPED'], clusterArn: Match.anyValue() },
      },
      Targets: [Match.objectLike({ RetryPolicy: Match.anyValue(), DeadLetterConfig: Match.anyValue() })],
    });
  });

  it('run a check on a WARN/ERROR service action and a failed deployment', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        'detail-type': ['ECS Service Action'],
        detail: { eventType: ['WARN', 'ERROR'] },
      }),
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        'detail-type': ['ECS Deployment State Change'],
        detail: { eventName: ['SERVICE_DEPLOYMENT_FAILED'] },
      }),
    });
  });
});

describe('the alarms', () => {
  it('are five, each notifying the topic on ALARM and OK', () => {
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    expect(Object.keys(alarms)).toHaveLength(5);
    for (const alarm of Object.values(alarms)) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^AlertsTopic/) }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: expect.stringMatching(/^AlertsTopic/) }]);
    }
  });

  it('watch the running count from the detector metric (not 1)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'ABS(m - 1)' }),
        Match.objectLike({
          Id: 'm',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'ecs_running', Namespace: 'AegisPtHealth' }),
          }),
        }),
      ]),
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });

  it('watch Lambda errors, dead letters and SNS delivery failures', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'NumberOfNotificationsFailed',
      Namespace: 'AWS/SNS',
    });
  });

  it('watch monitor liveness: no DetectorRun in 15 minutes, muted outside the scheduled window', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DetectorRun',
      Namespace: 'AegisPtHealth',
      Period: 900,
      Statistic: 'Sum',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
    const mutes = Object.values(template.findResources('AWS::CloudWatch::AlarmMuteRule'));
    expect(mutes.map((m) => m.Properties.Rule.Schedule)).toEqual([
      { Expression: 'cron(10 22 * * MON,TUE,WED,THU)', Duration: 'PT15H15M', Timezone: 'Etc/UTC' },
      { Expression: 'cron(10 22 * * FRI)', Duration: 'P2DT15H15M', Timezone: 'Etc/UTC' },
    ]);
    for (const m of mutes) {
      expectAcceptedMuteSchedule(m.Properties.Rule.Schedule);
      expect(m.Properties.MuteTargets.AlarmNames).toHaveLength(1);
    }
  });

  it('derive the mute rules from the deployed schedules, in the form CloudWatch accepts', () => {
    const t = synth({
      primaryCron: 'cron(0,10,20,30,40,50 14-16,18-20 ? * TUE-SAT *)',
      fallbackCron: 'cron(5,15,25,35,45,55 14-16,18-20 ? * TUE-SAT *)',
    });
    const schedules = Object.values(t.findResources('AWS::CloudWatch::AlarmMuteRule')).map(
      (m) => m.Properties.Rule.Schedule,
    );
    for (const s of schedules) expectAcceptedMuteSchedule(s);
    expect(schedules.map((s) => [s.Expression, s.Duration])).toEqual([
      ['cron(10 17 * * TUE,WED,THU,FRI,SAT)', 'PT1H10M'],
      ['cron(10 21 * * TUE,WED,THU,FRI)', 'PT17H10M'],
      ['cron(10 21 * * SAT)', 'P2DT17H10M'],
    ]);
  });

  it('add a Container Insights RunningTaskCount alarm when enabled', () => {
    const withInsights = synth({ containerInsights: 'true' });
    withInsights.resourceCountIs('AWS::CloudWatch::Alarm', 6);
    withInsights.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({
              Namespace: 'ECS/ContainerInsights',
              MetricName: 'RunningTaskCount',
              Dimensions: Match.arrayWith([
                { Name: 'ClusterName', Value: 'aegis-pt' },
                { Name: 'ServiceName', Value: 'aegis-pt-core' },
              ]),
            }),
          }),
        }),
      ]),
    });
  });
});

describe('the dashboard and outputs', () => {
  it('charts the golden signals', () => {
    const body = JSON.stringify(
      Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody,
    );
    for (const name of [
      'heartbeat_age_sec',
      'pending_orders',
      'pending_exits',
      'market_data_10197_recent',
      'ecs_running',
      'events_critical',
      'DetectorRun',
      'schedule:fallback',
    ]) {
      expect(body).toContain(name);
    }
  });

  it('draws the heartbeat "stale" line at the configured AEGIS_PT_HEARTBEAT_STALE_SEC (240), not a copy', () => {
    const body = JSON.stringify(
      Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody,
    );
    expect(body).toMatch(/\\"value\\":240,\\"label\\":\\"stale\\"/);
    expect(body).not.toMatch(/\\"value\\":300,\\"label\\":\\"stale\\"/);
  });

  it('outputs the bucket, topic, function, its log group and the dashboard URL', () => {
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual([
      'AlertTopicArn',
      'DashboardUrl',
      'MonitorCodeVersion',
      'MonitorFunctionName',
      'MonitorLogGroupName',
      'StateBucketName',
    ]);
  });
});

describe('optional placement and secrets', () => {
  it('reads exactly the configured dashboard secret', () => {
    const arn = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:aegis/dashboard-AbCdEf';
    const t = synth({ dashboardSecretArn: arn });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'secretsmanager:GetSecretValue', Resource: arn }),
        ]),
      },
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ AEGIS_PT_DASHBOARD_SECRET_ARN: arn }) },
    });
  });

  it('runs inside the VPC when vpcId, subnetIds and securityGroupIds are given', () => {
    const t = synth({
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: 'subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2',
      securityGroupIds: ['sg-0ccccccccccccccc3'],
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: {
        SubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
        SecurityGroupIds: ['sg-0ccccccccccccccc3'],
      },
    });
  });
});
