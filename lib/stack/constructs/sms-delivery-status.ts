// The role SNS needs to log SMS delivery status to CloudWatch Logs. Delivery-status logging for SMS
// is an account-wide SNS setting (SetSMSAttributes), not a CloudFormation property, so the stack
// only provides the role and the README gives the one command that turns it on.
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** The IAM role SNS assumes to log SMS delivery status under `sns/<region>/<account>/`. */
export class SmsDeliveryStatusRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sns.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'SNS writes SMS delivery status (success and failure) to CloudWatch Logs',
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'SnsDeliveryStatusLogs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        // SNS writes to sns/<region>/<account>/DirectPublishToPhoneNumber[/Failure].
        resources: [
          stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: `sns/${stack.region}/${stack.account}/*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
  }
}
