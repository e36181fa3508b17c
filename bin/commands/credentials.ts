// Missing or unusable AWS credentials on the operator's machine are an environment problem (exit 2
// naming the profile), not an AWS runtime failure to report as a critical ecs_unavailable.
import type { ObservationBundle } from '../../lambda/detector/types';
import { errorReason } from '../../lambda/adapters/error-reason';
import { EnvironmentError, isRegionProblem, regionError } from './aws-env';

const CREDENTIAL_PROBLEM =
  /CredentialsProviderError|Could not load credentials|TokenProviderError|ExpiredToken|UnrecognizedClientException|InvalidClientTokenId|security token included in the request is (?:invalid|expired)|SSO session .*(?:expired|invalid)|profile .*(?:could not be found|not found)/i;

export function isCredentialsProblem(reason: string | undefined): boolean {
  return reason !== undefined && CREDENTIAL_PROBLEM.test(reason);
}

export function credentialsError(profile: string | undefined, reason: string): EnvironmentError {
  const who = profile ? `profile ${profile}` : 'the default profile (no --profile given, AWS_PROFILE unset)';
  return new EnvironmentError(
    `no usable AWS credentials from ${who}: ${reason}. This is the operator's environment, not the runtime: ` +
      'pass --profile NAME (or set AWS_PROFILE) for a profile that can read the stack, ECS and Secrets Manager',
  );
}

/**
 * The operator's environment as the problem, when the SDK's `reason` says it is one (no region, or no
 * usable credentials): the exit-2 error naming the profile; otherwise undefined.
 */
export function environmentError(
  profile: string | undefined,
  reason: string | undefined,
  env?: Readonly<Record<string, string | undefined>>,
): EnvironmentError | undefined {
  if (isRegionProblem(reason)) return regionError(profile, reason, env);
  if (isCredentialsProblem(reason)) return credentialsError(profile, reason as string);
  return undefined;
}

/** Throws when a live collection failed only because this machine has no usable credentials or region. */
export function assertCredentials(bundle: ObservationBundle, profile: string | undefined): void {
  for (const reason of [bundle.ecs_error, bundle.dashboard_error]) {
    const problem = environmentError(profile, reason);
    if (problem) throw problem;
  }
}

/**
 * Resolves the SDK's credentials before a command that writes (`invoke` runs the real handler, which
 * stores state and publishes): without them the run would half-happen and log its store failures
 * before the one-line environment error.
 */
export async function requireCredentials(profile: string | undefined): Promise<void> {
  const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
  const client = new CloudFormationClient(profile ? { profile } : {});
  try {
    await client.config.credentials();
  } catch (err) {
    throw environmentError(profile, errorReason(err)) ?? err;
  } finally {
    client.destroy();
  }
}
