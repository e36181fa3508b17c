// `aegis-pt-health doctor`: after a deploy, is the monitor complete and alive?
import { diagnose, formatDoctor, type DoctorFacts } from '../../lib/ops/doctor';
import { DEFAULT_STACK_NAME } from '../../lambda/shared/stack-outputs';
import { errorReason } from '../../lambda/adapters/error-reason';
import { requireRegion } from './aws-env';
import { isCredentialsProblem } from './credentials';
import { defineCommand } from './definition';
import { EXIT, UsageError } from './io';

export const command = defineCommand({
  description: `Checks the deployed monitor, one line each, PASS / WARN / FAIL with the value seen: the stack
exists and is in a complete state; every subscription of the page, email, chat and health topics is
confirmed (no PendingConfirmation, no reserved example address); every address the stack configures
(alertEmails, alertSms: the template's subscriptions) is still subscribed on its topic, so one that
unsubscribed from a forwarded email is named, and the health topic reaches someone; the account's SMS sandbox status and whether each SMS number is verified
there; the last scheduled run against the deployed schedules; alarms in ALARM; the dead-letter queue's
depth; the Lambda's last error in 24 hours; and whether the Lambda reaches the dashboard and ECS (a probe
invocation that collects and reports, and neither notifies nor moves the snapshot).

Read-only, except that the probe invokes the function (lambda:InvokeFunction). It reads the stack with
cloudformation:DescribeStacks, GetTemplate and ListStackResources.`,
  options: {
    stack: { type: 'string', value: 'NAME', description: 'the deployed stack', absent: DEFAULT_STACK_NAME },
  },
  exitCodes: { 0: 'no FAIL', 4: 'any FAIL' },
  examples: ['doctor --profile aegis-ops'],
  async run({ values }, io) {
    const profile = values.profile ?? io.env.AWS_PROFILE;
    const now = io.now().getTime();
    await requireRegion(profile);
    const { gatherFacts } = await import('./doctor-facts');
    let facts: DoctorFacts;
    try {
      facts = await gatherFacts({
        stackName: values.stack ?? DEFAULT_STACK_NAME,
        ...(profile ? { profile } : {}),
        nowMs: now,
        s3PathStyle: Boolean(io.env.AWS_ENDPOINT_URL || io.env.AWS_ENDPOINT_URL_S3),
      });
    } catch (err) {
      const message = (err as Error).message;
      const who = profile
        ? `profile ${profile}`
        : 'the default profile (no --profile given, AWS_PROFILE unset)';
      throw new UsageError(
        isCredentialsProblem(errorReason(err))
          ? `cannot read the stack: ${message} (no usable AWS credentials from ${who}: pass --profile NAME for a profile that can read the stack)`
          : `cannot read the stack: ${message} (check --profile and --stack)`,
      );
    }
    const lines = diagnose(facts, now);
    io.stdout(values.json ? JSON.stringify({ lines }, null, 2) + '\n' : formatDoctor(lines) + '\n');
    return lines.some((l) => l.verdict === 'FAIL') ? EXIT.negative : EXIT.ok;
  },
});
