// Who may touch the state bucket's objects, in its bucket policy, whatever their identity policies say:
// the monitor's role alone writes what the monitor remembers (snapshot, run records, digest markers,
// the hand-offs under HANDOFF_PREFIX that the next run merges into what it tells);
// the operators named in the context alone write silences; the monitor, the operators and the named
// readers alone read (run records keep positions and PnL for 400 days). Object actions only: the
// bucket's own configuration (policy, lifecycle, versioning) stays with CloudFormation's deployment
// role, and an administrator who must empty the bucket removes this policy first (an audited act).
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { SILENCES_KEY } from '../../../lambda/shared/state-layout';

/** Every action that creates, replaces or removes an object or one of its versions. */
export const OBJECT_WRITE_ACTIONS = [
  's3:PutObject',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:ReplicateObject',
  's3:ReplicateDelete',
];
/** Reading an object or an older version of it. */
export const OBJECT_READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion'];

export interface StateAccessProps {
  readonly bucket: s3.IBucket;
  /** The monitor Lambda's role. */
  readonly monitorRole: iam.IRole;
  /** Operators: read everything, write silences. None: anyone the account allows (synth warns). */
  readonly operatorArns: readonly string[];
  /** Read-only principals. */
  readonly readerArns: readonly string[];
}

/**
 * Adds the statements to the bucket's policy.
 * @param props the bucket and the principals named in the context
 */
export function restrictStateAccess(props: StateAccessProps): void {
  const { bucket } = props;
  const monitor = props.monitorRole.roleArn;
  const deny = (
    sid: string,
    actions: string[],
    allowed: string[],
    where: Partial<iam.PolicyStatementProps>,
  ) =>
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid,
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions,
        // aws:PrincipalArn is the role's ARN for its sessions (not the assumed-role session ARN).
        conditions: { ArnNotLike: { 'aws:PrincipalArn': allowed } },
        ...where,
      }),
    );
  deny('OnlyTheMonitorWritesItsState', OBJECT_WRITE_ACTIONS, [monitor], {
    notResources: [bucket.arnForObjects(SILENCES_KEY)],
  });
  if (props.operatorArns.length === 0) return;
  deny('OnlyOperatorsWriteSilences', OBJECT_WRITE_ACTIONS, [...props.operatorArns], {
    resources: [bucket.arnForObjects(SILENCES_KEY)],
  });
  deny(
    'OnlyTheMonitorAndOperatorsRead',
    OBJECT_READ_ACTIONS,
    [monitor, ...props.operatorArns, ...props.readerArns],
    {
      resources: [bucket.arnForObjects('*')],
    },
  );
}
