// The one customer managed key under every topic (alert audiences and the health topic): $1 a month
// plus $1 for each of its first two rotations, where a key per topic multiplied that. It rotates every
// two years (TOPIC_KEY_ROTATION_DAYS), not KMS's default yearly: SNS keeps a message under it only
// until delivered, a few thousand small messages a month, far inside NIST SP 800-57's up-to-2-year
// originator period for a symmetric data-encryption key; yearly would add $1 a month from year 2 and
// put year 3 over the product's $5 budget for no protection a topic's short-lived messages need. A customer
// managed key, because CloudWatch alarms cannot publish to a topic under the AWS managed SNS key.
// CloudWatch may use it only on behalf of this stack's own alarms (`aws:SourceArn`). EventBridge gets it
// without a source condition: the SNS Developer Guide (Key management, "Enable compatibility between
// event sources from AWS services and encrypted topics") says adding aws:SourceAccount and
// aws:SourceArn to a KMS key policy is not supported for EventBridge-to-encrypted topics; the KMS call
// carries neither key, so a condition drops every event (FailedInvocations, nobody told). Which rule
// may publish to which topic is decided by the topic policy, where `aws:SourceArn` is supported.
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** What a publisher needs on the key of an encrypted topic. */
export const TOPIC_PUBLISH_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey*'];

/** How often the topic key's material rotates (KMS allows 90 to 2560 days). */
export const TOPIC_KEY_ROTATION_DAYS = 730;

/** The key shared by every topic of the stack. */
export class TopicKey extends kms.Key {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      enableKeyRotation: true,
      rotationPeriod: Duration.days(TOPIC_KEY_ROTATION_DAYS),
      description: 'aegis-pt-health topics (alert audiences and health)',
    });
  }

  /**
   * Lets a service publish to this key's topics for the given sources only.
   * @param sid the statement id
   * @param service the service principal, e.g. `cloudwatch.amazonaws.com`
   * @param sourceArns the alarms or rules that may cause a publish
   */
  allowService(sid: string, service: string, sourceArns: readonly string[]): void {
    this.addToResourcePolicy(
      new iam.PolicyStatement({
        sid,
        principals: [new iam.ServicePrincipal(service)],
        actions: TOPIC_PUBLISH_KEY_ACTIONS,
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnLike: { 'aws:SourceArn': [...sourceArns] },
        },
      }),
    );
  }

  /**
   * Lets EventBridge use this key for publishing to its topics, with no source condition (SNS does not
   * support one in the key policy for EventBridge). The topic policy names the rule (`aws:SourceArn`):
   * a rule its topic policy does not name publishes nothing, whatever the key allows.
   * @param sid the statement id
   */
  allowEventBridge(sid: string): void {
    this.addToResourcePolicy(
      new iam.PolicyStatement({
        sid,
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: TOPIC_PUBLISH_KEY_ACTIONS,
        resources: ['*'],
      }),
    );
  }
}
