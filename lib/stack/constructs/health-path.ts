// A second way to hear about the monitor itself, sharing nothing with the alert topic (own topic, own
// key): if that topic, its key or its subscriptions break, the alarm saying so still arrives here.
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlertTopic } from './alert-topic';

export interface HealthPathProps {
  readonly emails: readonly string[];
  /** Used only when there is no email address to send to. */
  readonly phoneNumbers: readonly string[];
  /** The monitor's own alarms whose ALARM state is forwarded (none of them muted on schedule). */
  readonly alarms: readonly cw.IAlarm[];
}

/** The health topic (own key) and the rule that forwards the monitor's own alarms to it. */
export class HealthPath extends Construct {
  readonly topic: sns.Topic;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: HealthPathProps) {
    super(scope, id);
    const channel = new AlertTopic(this, 'Topic', {
      emails: props.emails,
      phoneNumbers: props.emails.length > 0 ? [] : props.phoneNumbers,
    });
    this.topic = channel.topic;
    // EventBridge publishes to the encrypted topic with the key; the target adds the topic policy.
    channel.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowEventBridgeToPublish',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    // The state change event is emitted whatever the alarm's own actions are, so a broken action
    // (topic, key, policy) does not stop it.
    this.rule = new events.Rule(this, 'AlarmStateChanges', {
      description: "aegis-pt-health: the monitor's own alarms, outside the alert topic",
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        resources: props.alarms.map((a) => a.alarmArn),
        detail: { state: { value: ['ALARM'] } },
      },
      targets: [new targets.SnsTopic(this.topic)],
    });
  }
}
