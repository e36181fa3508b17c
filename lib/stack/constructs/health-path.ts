// A second way to hear about the monitor itself: its own topic and subscriptions, outside the alert
// topics, fed by an EventBridge rule on the alarms' state changes. If an alert topic, its policy or its
// subscriptions break, the alarm saying so still arrives here. It shares the stack's one topic key
// (issue #20: a key per topic cost $1 a month each for no independence a broken key policy would
// not take from both anyway); the dead-man's switch outside AWS covers a key or account that fails.
import { Stack } from 'aws-cdk-lib';
import type * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlertTopic } from './alert-topic';
import type { TopicKey } from './topic-key';
import { boundedName } from '../names';

/** EventBridge rule names: at most 64 characters. */
const RULE_NAME_MAX = 64;

export interface HealthPathProps {
  readonly emails: readonly string[];
  /** Used only when there is no email address to send to. */
  readonly phoneNumbers: readonly string[];
  /** The stack's topic key: EventBridge may use it to publish (its topic policy names the rule). */
  readonly key: TopicKey;
  /** The monitor's own alarms whose ALARM state is forwarded (none of them muted on schedule). */
  readonly alarms: readonly cw.IAlarm[];
}

/** The health topic and the rule that forwards the monitor's own alarms to it. */
export class HealthPath extends Construct {
  readonly channel: AlertTopic;
  readonly topic: sns.Topic;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: HealthPathProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.channel = new AlertTopic(this, 'Topic', {
      emails: props.emails,
      phoneNumbers: props.emails.length > 0 ? [] : props.phoneNumbers,
      key: props.key,
    });
    this.topic = this.channel.topic;
    // A fixed name per stack: operators and `doctor` find it as `<stack>-alarms-to-health`.
    const ruleName = boundedName(stack.stackName, 'alarms-to-health', RULE_NAME_MAX);
    // The state change event is emitted whatever the alarm's own actions are, so a broken action
    // (topic, policy) does not stop it.
    this.rule = new events.Rule(this, 'AlarmStateChanges', {
      ruleName,
      description: "aegis-pt-health: the monitor's own alarms, outside the alert topics",
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        resources: props.alarms.map((a) => a.alarmArn),
        detail: { state: { value: ['ALARM'] } },
      },
      // The topic ARN only: events-targets' SnsTopic would also grant EventBridge the topic and the key
      // with no condition; the grants below name this rule.
      targets: [{ bind: () => ({ arn: this.topic.topicArn }) }],
    });
    this.channel.allowService('AllowEventBridgeRule', 'events.amazonaws.com', [this.rule.ruleArn]);
    // The key cannot name the rule for EventBridge (topic-key.ts): the topic policy above does.
    props.key.allowEventBridge('AllowEventBridgeToPublish');
  }
}
