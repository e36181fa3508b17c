// Who an operator is, as AWS says: the caller's IAM identity from STS GetCallerIdentity, recorded as who
// created or expired a silence (never $USER, which anyone can set). Offline (--runs-dir) there is no
// AWS identity, and the record says so: `local:<name>`.
import { ArgumentError } from './definition';
import { errorReason } from '../../lambda/adapters/error-reason';
import { UsageError, type CliIo } from './io';
import { awsClientOptions, withCredentials, type SourceValues } from './ops-sources';

export const LOCAL_PREFIX = 'local:';

export async function operatorIdentity(
  values: SourceValues & { readonly by?: string },
  io: CliIo,
): Promise<string> {
  if (values['runs-dir'] !== undefined)
    return `${LOCAL_PREFIX}${values.by ?? io.env.USER ?? io.env.USERNAME ?? 'unknown'}`;
  if (values.by !== undefined)
    throw new ArgumentError(
      '--by is for --runs-dir only: on the state bucket the record names your AWS identity (STS), not a name you give',
    );
  const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const sts = new STSClient(await awsClientOptions(values, io));
  const out = await withCredentials(values, io, () => sts.send(new GetCallerIdentityCommand({}))).catch(
    (err: unknown) => {
      if (err instanceof UsageError) throw err;
      throw new UsageError(
        `cannot ask AWS who you are (STS GetCallerIdentity): ${errorReason(err)}; nothing written`,
      );
    },
  );
  if (!out.Arn) throw new UsageError('STS GetCallerIdentity named no identity; nothing written');
  return out.Arn;
}
