// The state bucket: the dedup snapshot and one record per run. Private, encrypted, TLS-only, versioned.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export const RUN_RECORD_RETENTION_DAYS = 400;
export const OLD_VERSION_RETENTION_DAYS = 30;

/** The monitor's state bucket (snapshot, run records, digest markers, silences). */
export class StateBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'expire-run-records', prefix: 'runs/', expiration: Duration.days(RUN_RECORD_RETENTION_DAYS) },
        {
          id: 'expire-old-versions',
          noncurrentVersionExpiration: Duration.days(OLD_VERSION_RETENTION_DAYS),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
  }
}
