// EventBridge rules for the service's own ECS events: a stopped task, a WARN/ERROR service action and a
// failed deployment each run a full check at once.
import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface EcsEventRulesProps {
  readonly fn: lambda.IFunction;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly deadLetterQueue: sqs.IQueue;
}

/** The EventBridge rules that run a check on the service's own ECS events. */
export class EcsEventRules extends Construct {
  readonly rules: events.Rule[];

  constructor(scope: Construct, id: string, props: EcsEventRulesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const clusterArn = stack.formatArn({
      service: 'ecs',
      resource: 'cluster',
      resourceName: props.clusterName,
    });
    const serviceArn = stack.formatArn({
      service: 'ecs',
      resource: 'service',
      resourceName: `${props.clusterName}/${props.serviceName}`,
    });
    const target = new eventTargets.LambdaFunction(props.fn, {
      deadLetterQueue: props.deadLetterQueue,
      maxEventAge: Duration.minutes(10),
      retryAttempts: 3,
    });
    const patterns: Record<string, events.EventPattern> = {
      TaskStopped: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: {
          clusterArn: [clusterArn],
          group: [`service:${props.serviceName}`],
          lastStatus: ['STOPPED'],
        },
      },
      ServiceAction: {
        source: ['aws.ecs'],
        detailType: ['ECS Service Action'],
        resources: [serviceArn],
        detail: { eventType: ['WARN', 'ERROR'] },
      },
      DeploymentFailed: {
        source: ['aws.ecs'],
        detailType: ['ECS Deployment State Change'],
        resources: [serviceArn],
        detail: { eventName: ['SERVICE_DEPLOYMENT_FAILED'] },
      },
    };
    this.rules = Object.entries(patterns).map(
      ([name, eventPattern]) =>
        new events.Rule(this, name, {
          description: `aegis-pt-health: ${name} on ${props.serviceName}`,
          eventPattern,
          targets: [target],
        }),
    );
  }
}
