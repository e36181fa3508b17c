// Secrets Manager secrets are regional: the Lambda asks its own region's endpoint, so a secret ARN of
// another region fails every run (dashboard_unreachable, critical, paged all day; or a dead-man's
// switch that never pings). The template is region-agnostic, so synth cannot compare: a template rule
// makes CloudFormation refuse the deploy to any other region, with a message that says what to do.
import { Aws, CfnRule, Fn, type Stack } from 'aws-cdk-lib';
import type { SecretRef } from './secret-arn';

/**
 * Adds a template rule: the stack deploys only to the region of the secret.
 * @param stack the monitor stack
 * @param key the context key that named the secret (the rule's id and message name it)
 * @param secret the secret as the stack grants it
 */
export function requireSecretRegion(stack: Stack, key: string, secret: SecretRef): void {
  const region = secret.arn.split(':')[3];
  new CfnRule(stack, `${key}Region`, {
    assertions: [
      {
        assert: Fn.conditionEquals(Aws.REGION, region),
        assertDescription:
          `${key} names a secret in ${region}; the Lambda reads secrets of its own region only. ` +
          `Deploy to ${region}, or replicate the secret to this region and give the replica's ARN.`,
      },
    ],
  });
}
