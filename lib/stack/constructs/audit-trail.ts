// Who wrote what to the state bucket: a CloudTrail trail of its object writes (S3 data events,
// write-only), each with the caller's IAM identity, source address, time and the version it created,
// kept as long as the run records. Chosen over S3 server access logs, which are best-effort and
// delivered hours late: a forged silence or snapshot must be attributable. Priced in the README
// (about $0.10 per 100,000 writes; roughly 30,000 a month at a one-minute cadence).
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { OBJECT_WRITE_ACTIONS } from './state-access';
import { RUN_RECORD_RETENTION_DAYS } from './state-bucket';

export interface AuditTrailProps {
  /** The bucket whose object writes are recorded. */
  readonly bucket: s3.IBucket;
}

/** The trail and the bucket it writes its log files to. */
export class AuditTrail extends Construct {
  readonly trail: cloudtrail.Trail;
  readonly logs: s3.Bucket;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    this.logs = new s3.Bucket(this, 'Logs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'expire-trail-logs', expiration: Duration.days(RUN_RECORD_RETENTION_DAYS) }],
    });
    // A record the forger can delete is no record: no principal of the account writes, overwrites or
    // deletes a log file, whatever its identity policy allows (S3 lifecycle expiry is not subject to
    // this); CloudTrail delivers only for trails of this account. An administrator who must empty the
    // bucket first removes this policy, which the account's management events record.
    this.logs.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyCloudTrailWritesTheLogs',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: OBJECT_WRITE_ACTIONS,
        resources: [this.logs.arnForObjects('*')],
        conditions: { Bool: { 'aws:PrincipalIsAWSService': 'false' } },
      }),
    );
    this.logs.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyThisAccountsTrails',
        effect: iam.Effect.DENY,
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.logs.arnForObjects('*')],
        conditions: { StringNotEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.trail = new cloudtrail.Trail(this, 'Trail', {
      bucket: this.logs,
      // Data events only: the account's own trail (or CloudTrail's free event history) has the
      // management events; a second copy of them would be billed.
      managementEvents: cloudtrail.ReadWriteType.NONE,
      includeGlobalServiceEvents: false,
      isMultiRegionTrail: false,
      enableFileValidation: true,
    });
    this.trail.addS3EventSelector([{ bucket: props.bucket }], {
      readWriteType: cloudtrail.ReadWriteType.WRITE_ONLY,
      includeManagementEvents: false,
    });
  }
}
