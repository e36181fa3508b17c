// `aegis-pt-health detect`: evaluate one observation bundle (or collect live with stdin `{}`).
import { detect } from '../../lambda/detector/detect';
import { parseDetectorConfig } from '../../lambda/detector/config';
import { defineCommand, type LiveCollector } from './definition';
import { EXIT, parseJson, readSource } from './io';

/** Live collection loads the SDK clients it needs only when stdin is `{}`. */
const collectLive: LiveCollector = async (env, profile) => (await import('./live')).collectLive(env, profile);

export const command = defineCommand({
  description: `Evaluates one observation bundle (contract section 2.3) and prints the detector output as JSON.
A bundle of exactly {} means "collect live" from the configured dashboard and ECS (AEGIS_PT_DASHBOARD_URL,
AEGIS_PT_CLUSTER, AEGIS_PT_SERVICE, AEGIS_PT_DASHBOARD_SECRET_ARN) with --profile. Read-only: nothing is
stored or sent.

Thresholds come from AEGIS_PT_* environment variables; the bundle's "config" wins.`,
  options: {
    observation: {
      type: 'string',
      value: 'FILE|-',
      description: 'the observation bundle (- is stdin)',
      absent: 'stdin',
    },
  },
  exitCodes: { 0: 'done, whatever the health' },
  examples: ['detect --observation ../shared/spec/examples/observation.healthy.json'],
  async run({ values }, io, deps) {
    const text = await readSource(io, values.observation ?? '-', 'observation');
    const bundle = parseJson(text, 'the observation bundle');
    const isEmptyObject =
      typeof bundle === 'object' &&
      bundle !== null &&
      !Array.isArray(bundle) &&
      Object.keys(bundle).length === 0;
    const output = isEmptyObject
      ? await (deps.collectLive ?? collectLive)(io.env, values.profile ?? io.env.AWS_PROFILE)
      : detect(bundle, parseDetectorConfig(io.env));
    io.stdout(JSON.stringify(output, null, 2) + '\n');
    return EXIT.ok;
  },
});
