// `aegis-pt-health invoke --event FILE`: runs the real handler once, with the Lambda's environment.
import { parseArgs } from 'node:util';
import { awsDeps } from '../../lambda/aws-deps';
import { readRuntimeEnv } from '../../lambda/env';
import { createHandler } from '../../lambda/handler';
import { JsonLinesMetrics, jsonLinesLogger } from '../../lambda/adapters/stream-sinks';
import { EXIT, parseJson, readSource, type CliIo } from './io';

export const INVOKE_HELP = `Usage: aegis-pt-health invoke --event FILE|- [--profile NAME]

Runs the Lambda handler once on this machine, with the same environment variables the Lambda gets
(AEGIS_PT_CLUSTER, AEGIS_PT_DASHBOARD_URL, AEGIS_PT_STATE_BUCKET, AEGIS_PT_TOPIC_ARN, ...): it collects,
detects, publishes what is new to the topic and writes the snapshot and a run record.
The event is a Scheduler payload ({"trigger":"schedule:primary"}), an ECS event or {"trigger":"manual"}.`;

export async function invokeCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      event: { type: 'string' },
      profile: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout(INVOKE_HELP + '\n');
    return EXIT.ok;
  }
  const event = parseJson(await readSource(io, values.event ?? '-', 'event'), 'the event');
  const config = readRuntimeEnv(io.env);
  const profile = values.profile ?? io.env.AWS_PROFILE;
  const deps = awsDeps(config, io.env, profile ? { profile } : {});
  // Stdout carries the result; the handler's log and metrics lines go to stderr.
  const err = (line: string) => io.stderr(line);
  const handler = createHandler({ ...deps, log: jsonLinesLogger(err), metrics: new JsonLinesMetrics(err) });
  io.stdout(JSON.stringify(await handler(event), null, 2) + '\n');
  return EXIT.ok;
}
