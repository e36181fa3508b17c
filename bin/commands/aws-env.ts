// The operator's machine must be able to call AWS at all before a command reads anything from it: a
// laptop with no region (no ~/.aws, no AWS_REGION) is the operator's environment, exit 2 in one line
// naming --profile and AWS_REGION, never a critical `ecs_unavailable` or a stack trace.
import { errorReason } from '../../lambda/adapters/error-reason';
import { TASK_IP } from '../../lambda/adapters/task-dashboard';
import { tokenTransportProblem } from '../../lambda/adapters/token-transport';
import type { CollectEnv } from '../../lambda/env';
import { ENV } from '../../lambda/shared/env-names';
import { UsageError } from './io';

const REGION_PROBLEM = /Region is missing|region.*(?:not|must be) (?:set|configured|specified)/i;
/** The SDK's refusal of a region that is not a host name label (`us east 1`, a trailing space). */
const REGION_REFUSED = /Region not accepted: region="([^"]*)"/;

export function isRegionProblem(reason: string | undefined): boolean {
  return reason !== undefined && (REGION_PROBLEM.test(reason) || REGION_REFUSED.test(reason));
}

/** This machine cannot call AWS (no region, no usable credentials): exit 2, never worked around. */
export class EnvironmentError extends UsageError {}

/**
 * No region, or one the SDK refuses (from AWS_REGION, else the profile's `region`): exit 2 naming where
 * it came from. `reason` is the SDK's message, when there is one.
 */
export function regionError(
  profile: string | undefined,
  reason?: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): EnvironmentError {
  const refused = reason === undefined ? undefined : REGION_REFUSED.exec(reason);
  if (refused) {
    const from = env.AWS_REGION
      ? 'AWS_REGION'
      : profile
        ? `the region of profile ${profile} in the AWS config file`
        : 'the region of the default profile in the AWS config file';
    return new EnvironmentError(
      `the AWS region ${JSON.stringify(refused[1])} (from ${from}) is not a region name (like us-east-1). ` +
        "This is the operator's environment, not the runtime: correct it, or pass --profile NAME for a profile with a region",
    );
  }
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
    const reason = errorReason(err);
    if (isRegionProblem(reason)) throw regionError(profile, reason);
    throw err;
  } finally {
    client.destroy();
  }
}

/**
 * The CLI refuses, before any call, to send the dashboard's bearer token over plain http to anything
 * but a private address (exit 2 naming the variable). A {taskIp} URL is checked by the adapter, on the
 * task's address.
 */
export async function assertTokenTransport(config: CollectEnv): Promise<void> {
  if (!config.dashboardSecretArn || config.dashboardUrl.includes(TASK_IP)) return;
  const problem = await tokenTransportProblem(config.dashboardUrl, undefined, config.dashboardTimeoutMs);
  if (problem) throw new UsageError(`${ENV.dashboardUrl}: ${problem}`);
}

/**
 * Everything a live collection needs from this machine, checked before its first call: the Lambda's
 * configuration (naming a bad variable), a safe way to send the token, and a region.
 */
export async function liveEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  profile: string | undefined,
): Promise<CollectEnv> {
  // Loaded here, so an offline command never pays for the Lambda's environment reader.
  const { readCollectEnv } = await import('../../lambda/env');
  const config = readCollectEnv(env);
  await assertTokenTransport(config);
  await requireRegion(profile);
  return config;
}
