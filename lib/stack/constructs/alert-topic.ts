// The alert topic: encrypted with a key CloudWatch alarms may use, TLS-only, with the operators'
// email and SMS subscriptions.
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
}

export class AlertTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    // A customer managed key: alarms cannot publish to a topic under the AWS managed SNS key.
    this.key = new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: 'aegis-pt-health alert topic',
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
    this.topic = new sns.Topic(this, 'Topic', {
      // SNS prefixes every SMS with it; the SMS renderer budgets for that same constant.
      displayName: ALERT_TOPIC_DISPLAY_NAME,
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    for (const email of props.emails) this.topic.addSubscription(new subs.EmailSubscription(email));
    for (const phone of props.phoneNumbers) this.topic.addSubscription(new subs.SmsSubscription(phone));
  }
}
