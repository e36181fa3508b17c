// The state bucket: the dedup snapshot and one record per run. Private, encrypted, TLS-only, versioned.
// Old versions of what the monitor rewrites all day (snapshot, digest markers) go after 30 days; old
// versions of the silences file stay as long as the run records and the audit trail, so that who
// changed a silence, and to what, can be read back as long as the runs it silenced.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  DIGESTS_PREFIX,
  HANDOFF_PREFIX,
  LATEST_KEY,
  RUN_RECORD_RETENTION_DAYS,
  RUNS_PREFIX,
  SILENCES_KEY,
} from '../../../lambda/shared/state-layout';

export { RUN_RECORD_RETENTION_DAYS };
export const OLD_VERSION_RETENTION_DAYS = 30;
/** Old versions of the silences file: as long as the run records (and the audit trail's logs). */
export const SILENCE_VERSION_RETENTION_DAYS = RUN_RECORD_RETENTION_DAYS;

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
      // One rule per prefix: overlapping expiration rules would let the shortest win.
      lifecycleRules: [
        {
          id: 'expire-run-records',
          prefix: RUNS_PREFIX,
          expiration: Duration.days(RUN_RECORD_RETENTION_DAYS),
          noncurrentVersionExpiration: Duration.days(OLD_VERSION_RETENTION_DAYS),
        },
        ...[LATEST_KEY, DIGESTS_PREFIX].map((prefix, i) => ({
          id: ['expire-old-snapshots', 'expire-old-digest-markers'][i],
          prefix,
          noncurrentVersionExpiration: Duration.days(OLD_VERSION_RETENTION_DAYS),
        })),
        {
          // Read within a day by the next run that stores; kept a while longer as evidence.
          id: 'expire-handoffs',
          prefix: HANDOFF_PREFIX,
          expiration: Duration.days(OLD_VERSION_RETENTION_DAYS),
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          id: 'keep-silence-versions',
          prefix: SILENCES_KEY,
          noncurrentVersionExpiration: Duration.days(SILENCE_VERSION_RETENTION_DAYS),
        },
        {
          id: 'tidy',
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
  }
}
