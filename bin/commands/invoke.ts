// `aegis-pt-health invoke --event FILE`: runs the real handler once, with the Lambda's environment.
import { awsDeps } from '../../lambda/aws-deps';
import { readRuntimeEnv } from '../../lambda/env';
import { createHandler } from '../../lambda/handler';
import { JsonLinesMetrics, jsonLinesLogger } from '../../lambda/adapters/stream-sinks';
import { requireRegion } from './aws-env';
import { requireCredentials } from './credentials';
import { defineCommand } from './definition';
import { EXIT, parseJson, readSource } from './io';

export const command = defineCommand({
  description: `Runs the Lambda handler once on this machine, with the same environment variables the
Lambda gets (AEGIS_PT_CLUSTER, AEGIS_PT_DASHBOARD_URL, AEGIS_PT_STATE_BUCKET, AEGIS_PT_TOPIC_ARN, ...): it
collects, detects, publishes what is new to the topics and writes the snapshot and a run record. It
writes: use it only where a real check is wanted. The result is printed on stdout; the handler's log
and metric lines go to stderr.`,
  options: {
    event: {
      type: 'string',
      value: 'FILE|-',
      description:
        'the event: a Scheduler payload ({"trigger":"schedule:primary"}), an ECS event or {"trigger":"manual"} (- is stdin)',
      absent: 'stdin',
    },
  },
  exitCodes: { 0: 'the check ran (whatever the health)' },
  examples: [`invoke --event - --profile aegis-ops <<<'{"trigger":"manual"}'`],
  async run({ values }, io) {
    const event = parseJson(await readSource(io, values.event ?? '-', 'event'), 'the event');
    const config = readRuntimeEnv(io.env);
    const profile = values.profile ?? io.env.AWS_PROFILE;
    await requireRegion(profile);
    await requireCredentials(profile);
    const deps = awsDeps(config, io.env, profile ? { profile } : {});
    const err = (line: string) => io.stderr(line);
    const handler = createHandler({ ...deps, log: jsonLinesLogger(err), metrics: new JsonLinesMetrics(err) });
    io.stdout(JSON.stringify(await handler(event), null, 2) + '\n');
    return EXIT.ok;
  },
});
