// Who an operator is, as AWS says: the caller's IAM identity from STS GetCallerIdentity, recorded as who
// created or expired a silence (never $USER, which anyone can set). Offline (--runs-dir) there is no
// AWS identity, and the record says so: `local:<name>`.
import { ArgumentError } from './definition';
import { errorReason } from '../../lambda/adapters/error-reason';
import { UsageError, type CliIo } from './io';
import { awsClientOptions, withCredentials, type SourceValues } from './ops-sources';

export const LOCAL_PREFIX = 'local:';

/** Who writes, and the time to stamp the write with. */
export interface OperatorStamp {
  readonly by: string;
  /** AWS's time (this machine's clock corrected by STS's answer); offline, this machine's. */
  readonly nowMs: number;
}

/** A clock further off than this is said on stderr (the stamp is AWS's time either way). */
const SKEW_SAID_MS = 60_000;

function skewText(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s ${ms > 0 ? 'ahead of' : 'behind'}`;
}

/**
 * The operator's identity and AWS's time. The Lambda judges a silence's created_at by its own clock
 * (a silence "created" over 5 minutes after its check voids the whole file), so what an operator
 * writes is stamped with the clock of the answer STS just gave (the SDK's systemClockOffset, from the
 * response's Date), never with a laptop clock that may be minutes off.
 */
export async function operatorStamp(
  values: SourceValues & { readonly by?: string },
  io: CliIo,
): Promise<OperatorStamp> {
  if (values['runs-dir'] !== undefined)
    return {
      by: `${LOCAL_PREFIX}${values.by ?? io.env.USER ?? io.env.USERNAME ?? 'unknown'}`,
      nowMs: io.now().getTime(),
    };
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
  // AWS's time minus this machine's, as the SDK measured it on STS's answer.
  const offsetMs = (sts.config as { systemClockOffset?: number }).systemClockOffset ?? 0;
  if (Math.abs(offsetMs) >= SKEW_SAID_MS)
    io.stderr(
      `warning: this machine's clock is ${skewText(-offsetMs)} AWS's: what is written is stamped with AWS's time\n`,
    );
  return { by: out.Arn, nowMs: io.now().getTime() + offsetMs };
}

export async function operatorIdentity(
  values: SourceValues & { readonly by?: string },
  io: CliIo,
): Promise<string> {
  return (await operatorStamp(values, io)).by;
}
