// `aegis-pt-health doctor`: after a deploy, is the monitor complete and alive?
import { parseArgs } from 'node:util';
import { diagnose, formatDoctor, type DoctorFacts } from '../../lib/ops/doctor';
import { DEFAULT_STACK_NAME } from '../../lambda/shared/stack-outputs';
import { EXIT, UsageError, type CliIo } from './io';
import type { FactOptions } from './doctor-facts';

export const DOCTOR_HELP = `Usage: aegis-pt-health doctor [--stack NAME] [--profile NAME] [--json]

Checks the deployed monitor, one line each, PASS / WARN / FAIL with the value seen: the stack exists
and is in a complete state; every alert subscription is confirmed (no PendingConfirmation, no
reserved example address); the account's SMS sandbox status and whether each SMS number is verified
there; the last scheduled run against the deployed schedules; alarms in ALARM; the dead-letter queue's
depth; the Lambda's last error in 24 hours; and whether the Lambda reaches the dashboard and ECS (a
probe invocation that collects and reports, and neither notifies nor moves the snapshot).
Read-only, except that the probe invokes the function (lambda:InvokeFunction).
Exit codes: 0 no FAIL, 4 any FAIL, 2 bad usage or no usable credentials, 1 internal error.`;

export type FactGatherer = (o: FactOptions) => Promise<DoctorFacts>;

export async function doctorCommand(args: string[], io: CliIo, gather?: FactGatherer): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      stack: { type: 'string' },
      profile: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout(DOCTOR_HELP + '\n');
    return EXIT.ok;
  }
  const profile = values.profile ?? io.env.AWS_PROFILE;
  const now = io.now().getTime();
  const gatherFacts = gather ?? (await import('./doctor-facts')).gatherFacts;
  let facts: DoctorFacts;
  try {
    facts = await gatherFacts({
      stackName: values.stack ?? DEFAULT_STACK_NAME,
      ...(profile ? { profile } : {}),
      nowMs: now,
      s3PathStyle: Boolean(io.env.AWS_ENDPOINT_URL || io.env.AWS_ENDPOINT_URL_S3),
    });
  } catch (err) {
    throw new UsageError(`cannot read the stack: ${(err as Error).message} (check --profile and --stack)`);
  }
  const lines = diagnose(facts, now);
  io.stdout(values.json ? JSON.stringify({ lines }, null, 2) + '\n' : formatDoctor(lines) + '\n');
  return lines.some((l) => l.verdict === 'FAIL') ? EXIT.negative : EXIT.ok;
}
