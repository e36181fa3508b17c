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

/** Throws when a live collection failed only because this machine has no usable credentials or region. */
export function assertCredentials(bundle: ObservationBundle, profile: string | undefined): void {
  for (const reason of [bundle.ecs_error, bundle.dashboard_error]) {
    if (isRegionProblem(reason)) throw regionError(profile, reason);
    if (isCredentialsProblem(reason)) throw credentialsError(profile, reason as string);
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
    const reason = errorReason(err);
    if (isRegionProblem(reason)) throw regionError(profile, reason);
    if (isCredentialsProblem(reason)) throw credentialsError(profile, reason);
    throw err;
  } finally {
    client.destroy();
  }
}
