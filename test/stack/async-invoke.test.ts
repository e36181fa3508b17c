// Class 7 of issue #9: a check that fails is retried by Lambda's async queue and then lands, with its
// error, in the encrypted dead-letter queue whose alarm pages; it never vanishes.
import { Match } from 'aws-cdk-lib/assertions';
import { ASYNC_MAX_EVENT_AGE_MIN, ASYNC_RETRY_ATTEMPTS } from '../../lib/stack/constructs/monitor-function';
import { synth } from './synth';

describe('asynchronous invocation of the monitor', () => {
  const template = synth();
  const queues = template.findResources('AWS::SQS::Queue');
  const dlqId = Object.keys(queues).find((id) => id.startsWith('DeadLetters')) as string;
  const fnId = Object.keys(template.findResources('AWS::Lambda::Function')).find((id) =>
    id.startsWith('MonitorFunction'),
  ) as string;

  it('retries a failed check, then sends it to the encrypted dead-letter queue', () => {
    expect(dlqId).toBeDefined();
    expect(queues[dlqId].Properties.SqsManagedSseEnabled).toBe(true);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId },
      MaximumRetryAttempts: ASYNC_RETRY_ATTEMPTS,
      MaximumEventAgeInSeconds: ASYNC_MAX_EVENT_AGE_MIN * 60,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
    });
  });

  it('the function may send to that queue, and only send', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'FailedChecksToDeadLetters',
            Action: 'sqs:SendMessage',
            Resource: { 'Fn::GetAtt': [dlqId, 'Arn'] },
          }),
        ]),
      },
    });
  });

  it('the DeadLetters alarm watches that queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
    });
  });
});
