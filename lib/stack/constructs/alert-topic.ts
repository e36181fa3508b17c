// The alert topics: encrypted under the stack's one topic key, TLS-only, with the operators' email and
// SMS subscriptions. With `audiences`, one topic per audience (page = SMS, email, chat): separate topics,
// not filter policies, because alarm notifications carry no message attributes and an attribute filter
// would drop them. Who may publish besides the Lambda's role is added by name (`allowService`): only
// this stack's alarms and rule, never any alarm in the account.
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { ALERT_TOPIC_DISPLAY_NAME } from '../../../lambda/detector/messages';
import { TopicKey } from './topic-key';

export interface AlertTopicProps {
  /** Addresses subscribed to the email topic. */
  readonly emails: readonly string[];
  /** E.164 numbers subscribed to the page topic. */
  readonly phoneNumbers: readonly string[];
  /**
   * The stack's one topic key.
   * @default - a new key, `Key`, in this construct (the alert topics own the stack's key)
   */
  readonly key?: TopicKey;
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
  /** The key every topic here is encrypted under. */
  readonly key: TopicKey;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    this.key = props.key ?? new TopicKey(this, 'Key');
    const topic = (topicId: string) =>
      new sns.Topic(this, topicId, {
        // SNS prefixes every SMS with it; the SMS renderer budgets for that same constant.
        displayName: ALERT_TOPIC_DISPLAY_NAME,
        masterKey: this.key,
        enforceSSL: true,
      });
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

  /**
   * Lets a service publish to every topic here, for the given sources only (`aws:SourceArn`).
   * @param sid the statement id
   * @param service the service principal, e.g. `cloudwatch.amazonaws.com`
   * @param sourceArns the alarms or rules that may publish
   */
  allowService(sid: string, service: string, sourceArns: readonly string[]): void {
    const account = Stack.of(this).account;
    for (const t of this.topics) {
      t.addToResourcePolicy(
        new iam.PolicyStatement({
          sid,
          principals: [new iam.ServicePrincipal(service)],
          actions: ['sns:Publish'],
          resources: [t.topicArn],
          conditions: {
            StringEquals: { 'aws:SourceAccount': account },
            ArnLike: { 'aws:SourceArn': [...sourceArns] },
          },
        }),
      );
    }
  }
}
