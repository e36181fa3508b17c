import { Match, Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_FALLBACK_CRON, DEFAULT_PRIMARY_CRON } from '../../lambda/shared/schedules';
import { synth } from './synth';

let template: Template;
beforeAll(() => {
  template = synth({ thresholds: { AEGIS_PT_HEARTBEAT_STALE_SEC: 240 } });
});

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
      RotationPeriodInDays: 730,
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
    // Three on the alert topic, and the two addresses again on the independent health topic.
    template.resourceCountIs('AWS::SNS::Subscription', 5);
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

  it('outputs the bucket, topic, function, its log group, the dead-letter queue, the dashboard URL, the operator policies and the audit trail', () => {
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual([
      'AlertTopicArn',
      'AuditTrailArn',
      'ChatTopicArn',
      'DashboardUrl',
      'DeadLetterQueueUrl',
      'HealthTopicArn',
      'MonitorCodeVersion',
      'MonitorFunctionName',
      'MonitorLogGroupName',
      'OperatorInvokePolicyArn',
      'OperatorReadPolicyArn',
      'OperatorSilencePolicyArn',
      'PageTopicArn',
      'SmsDeliveryStatusRoleArn',
      'StateBucketName',
    ]);
  });
});

describe('one cadence setting, followed everywhere', () => {
  it.each([
    ['the one-minute default', {}, 'cron(* 13-21 ? * MON-FRI *)', 'cron(2/5 13-21 ? * MON-FRI *)', 1],
    [
      'the 5-minute interleave',
      { cadence: '5m' },
      'cron(7,17,27,37,47,57 13-21 ? * MON-FRI *)',
      'cron(12,22,32,42,52 13-21 ? * MON-FRI *)',
      5,
    ],
  ])(
    '%s: schedules, the Lambda (the digest; the operator tools read it there) and the dashboard follow it',
    (_, ctx, primary, fallback, bin) => {
      const t = Object.keys(ctx).length === 0 ? template : synth(ctx);
      const expressions = Object.values(t.findResources('AWS::Scheduler::Schedule')).map(
        (r) => r.Properties.ScheduleExpression,
      );
      expect(expressions.sort()).toEqual([primary, fallback].sort());
      // The digest's due time and coverage follow the deployed crons.
      t.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({ AEGIS_PT_PRIMARY_CRON: primary, AEGIS_PT_FALLBACK_CRON: fallback }),
        },
      });
      const body = JSON.stringify(Object.values(t.findResources('AWS::CloudWatch::Dashboard'))[0].Properties);
      expect(body).toContain(`by bin(${bin}m)`);
      expect(body).not.toContain(`by bin(${bin === 1 ? 5 : 1}m)`);
    },
  );
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

  it('grants a partial secret ARN as <arn>-?????? (IAM needs the random suffix matched)', () => {
    const partial = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:aegis/dashboard';
    const t = synth({ dashboardSecretArn: partial });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'secretsmanager:GetSecretValue', Resource: `${partial}-??????` }),
        ]),
      },
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ AEGIS_PT_DASHBOARD_SECRET_ARN: partial }) },
    });
  });

  it('grants kms:Decrypt on the secret key, only through Secrets Manager, when one is given', () => {
    const key = 'arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const t = synth({
      dashboardSecretArn: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:aegis/dashboard-AbCdEf',
      dashboardSecretKmsKeyArn: key,
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'kms:Decrypt',
            Resource: key,
            Condition: { StringEquals: { 'kms:ViaService': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it.each([
    [
      { dashboardSecretArn: 'aegis/dashboard' },
      /context "dashboardSecretArn": .*not a Secrets Manager secret ARN/,
    ],
    [
      {
        dashboardSecretKmsKeyArn:
          'arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
      /context "dashboardSecretKmsKeyArn": needs dashboardSecretArn/,
    ],
    [
      {
        dashboardSecretArn: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:aegis/dashboard',
        dashboardSecretKmsKeyArn: 'arn:aws:kms:ap-northeast-1:123456789012:alias/aegis',
      },
      /context "dashboardSecretKmsKeyArn": .*an alias cannot be granted/,
    ],
    [{ smsSpendLimitUsd: '-3' }, /context "smsSpendLimitUsd": must be a positive number/],
  ])('rejects %j with the key named', (context, message) => {
    expect(() => synth(context)).toThrow(message);
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
