// The operator's machine must be able to call AWS at all before a command reads anything from it: a
// laptop with no region (no ~/.aws, no AWS_REGION) is the operator's environment, exit 2 in one line
// naming --profile and AWS_REGION, never a critical `ecs_unavailable` or a stack trace.
import { errorReason } from '../../lambda/adapters/error-reason';
import { UsageError } from './io';

const REGION_PROBLEM = /Region is missing|region.*(?:not|must be) (?:set|configured|specified)/i;

export function isRegionProblem(reason: string | undefined): boolean {
  return reason !== undefined && REGION_PROBLEM.test(reason);
}

/** This machine cannot call AWS (no region, no usable credentials): exit 2, never worked around. */
export class EnvironmentError extends UsageError {}

export function regionError(profile: string | undefined): EnvironmentError {
  const where = profile
    ? `profile ${profile} names no region and AWS_REGION is not set`
    : 'no --profile given, AWS_PROFILE unset, and AWS_REGION not set';
  return new EnvironmentError(
    `no AWS region: ${where}. This is the operator's environment, not the runtime: pass --profile NAME for a ` +
      "profile with a region, or set AWS_REGION to the stack's region",
  );
}

/**
 * The region the SDK will use, resolved exactly as its clients resolve it (AWS_REGION, then the
 * profile's `region` in the shared config files), before any call is made.
 */
export async function requireRegion(profile: string | undefined): Promise<string> {
  const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
  const client = new CloudFormationClient(profile ? { profile } : {});
  try {
    const region = await client.config.region();
    if (!region) throw regionError(profile);
    return region;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (isRegionProblem(errorReason(err))) throw regionError(profile);
    throw err;
  } finally {
    client.destroy();
  }
}
