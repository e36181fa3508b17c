// The one customer managed key under every topic (alert audiences and the health topic): $1 a month
// plus $1 for each of its first two rotations, where a key per topic multiplied that. A customer
// managed key, because CloudWatch alarms cannot publish to a topic under the AWS managed SNS key.
// Each service may use it only on behalf of this stack's own alarms and rule (`aws:SourceArn`), as
// the SNS Developer Guide's key policy for AWS service event sources shows.
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** What a publisher needs on the key of an encrypted topic. */
export const TOPIC_PUBLISH_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey*'];

/** The key shared by every topic of the stack. */
export class TopicKey extends kms.Key {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      enableKeyRotation: true,
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
}
