// The operator tools' AWS lookups, against recorded response shapes (aws-sdk-client-mock):
// CloudFormation stack outputs and CloudWatch Logs FilterLogEvents.
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { lambdaLogs, runStore, stackOutputs } from '../../bin/commands/ops-sources';
import { UsageError } from '../../bin/commands/io';
import { S3Store } from '../../lambda/adapters/s3-store';
import { captureIo } from '../helpers/cli-io';

const cfn = mockClient(CloudFormationClient);
const logs = mockClient(CloudWatchLogsClient);
const env = { AWS_REGION: 'ap-northeast-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' };

beforeEach(() => {
  cfn.reset();
  logs.reset();
  Object.assign(process.env, env);
});

const STACK = {
  StackName: 'AegisPtHealth',
  StackStatus: 'UPDATE_COMPLETE' as const,
  CreationTime: new Date('2026-05-01T00:00:00Z'),
  Outputs: [
    { OutputKey: 'StateBucketName', OutputValue: 'aegisptheal-statebucket-1abc' },
    {
      OutputKey: 'AlertTopicArn',
      OutputValue: 'arn:aws:sns:ap-northeast-1:123456789012:AegisPtHealth-Alerts',
    },
    { OutputKey: 'MonitorLogGroupName', OutputValue: 'AegisPtHealth-MonitorLogs-xyz' },
  ],
};

describe('ops sources', () => {
  it('finds the bucket from the stack outputs', async () => {
    cfn.on(DescribeStacksCommand, { StackName: 'AegisPtHealth' }).resolves({ Stacks: [STACK] });
    const store = await runStore({}, captureIo({ env }));
    expect(store).toBeInstanceOf(S3Store);
    expect((store as unknown as { props: { bucket: string } }).props.bucket).toBe(
      'aegisptheal-statebucket-1abc',
    );
  });

  it('uses --stack and reports a missing stack as bad usage', async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejects(Object.assign(new Error('Stack with id Other does not exist'), { name: 'ValidationError' }));
    await expect(stackOutputs({ stack: 'Other' }, captureIo({ env }))).rejects.toThrow(UsageError);
    await expect(stackOutputs({ stack: 'Other' }, captureIo({ env }))).rejects.toThrow(
      /Stack with id Other does not exist/,
    );
  });

  it('reads the stack outputs once per command, however many things it finds there', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [STACK] });
    const io = captureIo({ env });
    await runStore({}, io);
    expect((await stackOutputs({}, io)).MonitorLogGroupName).toBe('AegisPtHealth-MonitorLogs-xyz');
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(1);
    await stackOutputs({ stack: 'Other' }, io);
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(2);
  });

  it('reads scheduled runs from the Lambda log group with a JSON filter, across pages', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [STACK] });
    logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({
        events: [
          { timestamp: Date.parse('2026-06-01T14:07:31Z'), message: '{"trigger":"schedule:primary"}' },
        ],
        nextToken: 'n2',
      })
      .resolvesOnce({
        events: [
          { timestamp: Date.parse('2026-06-01T14:12:31Z'), message: '{"trigger":"schedule:fallback"}' },
        ],
      });
    const events = await lambdaLogs({}, captureIo({ env }), Date.parse('2026-06-01T14:00:00Z'));
    expect(events.map((e) => e.timestamp)).toEqual(['2026-06-01T14:07:31.000Z', '2026-06-01T14:12:31.000Z']);
    expect(logs.commandCalls(FilterLogEventsCommand)[0].args[0].input).toMatchObject({
      logGroupName: 'AegisPtHealth-MonitorLogs-xyz',
      startTime: Date.parse('2026-06-01T14:00:00Z'),
      filterPattern: '{ $.trigger = "schedule:*" }',
    });
  });
});
