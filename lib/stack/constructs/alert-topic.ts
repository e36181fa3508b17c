// The alert topic: encrypted with a key CloudWatch alarms may use, TLS-only, with the operators'
// email and SMS subscriptions. With `audiences`, one topic per audience (page = SMS, email, chat) under
// the same key: separate topics, not filter policies, because alarm notifications carry no message
// attributes and an attribute filter would drop them.
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { ALERT_TOPIC_DISPLAY_NAME } from '../../../lambda/detector/messages';

export interface AlertTopicProps {
  readonly emails: readonly string[];
  readonly phoneNumbers: readonly string[];
  /**
   * Split into page, email and chat topics (the alert routes) under the same key.
   * @default false - one topic carries every audience (the health path's use)
   */
  readonly audiences?: boolean;
}

/** Encrypted, TLS-only SNS topics for the operators, with their email and SMS subscriptions. */
export class AlertTopic extends Construct {
  /** The email topic: every notification with its full body (the stack's AlertTopicArn). */
  readonly topic: sns.Topic;
  /** SMS: what needs a person now (the Lambda applies the paging floor); `topic` without audiences. */
  readonly pageTopic: sns.Topic;
  /** Chatbot: every notification, short; alarms render natively. `topic` without audiences. */
  readonly chatTopic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    // A customer managed key: alarms cannot publish to a topic under the AWS managed SNS key.
    this.key = new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: 'aegis-pt-health alert topics',
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    const account = Stack.of(this).account;
    const topic = (topicId: string) => {
      const t = new sns.Topic(this, topicId, {
        // SNS prefixes every SMS with it; the SMS renderer budgets for that same constant.
        displayName: ALERT_TOPIC_DISPLAY_NAME,
        masterKey: this.key,
        enforceSSL: true,
      });
      t.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowCloudWatchAlarms',
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [t.topicArn],
          conditions: { StringEquals: { 'aws:SourceAccount': account } },
        }),
      );
      return t;
    };
    this.topic = topic('Topic');
    this.pageTopic = props.audiences ? topic('PageTopic') : this.topic;
    this.chatTopic = props.audiences ? topic('ChatTopic') : this.topic;
    for (const email of props.emails) this.topic.addSubscription(new subs.EmailSubscription(email));
    for (const phone of props.phoneNumbers) this.pageTopic.addSubscription(new subs.SmsSubscription(phone));
  }

  /** Each distinct topic once: page, email, chat. */
  get topics(): sns.Topic[] {
    return [...new Set([this.pageTopic, this.topic, this.chatTopic])];
  }
}
