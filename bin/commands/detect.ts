// `aegis-pt-health detect`: evaluate one observation bundle (or collect live with stdin `{}`).
import { parseArgs } from 'node:util';
import { detect } from '../../lambda/detector/detect';
import { parseDetectorConfig } from '../../lambda/detector/config';
import { EXIT, parseJson, readSource, type CliIo } from './io';

export const DETECT_HELP = `Usage: aegis-pt-health detect [--observation FILE|-] [--profile NAME]

Evaluates one observation bundle (contract section 2.3) and prints the detector output as JSON.
Without --observation the bundle is read from stdin. A bundle of exactly {} means "collect live"
from the configured dashboard and ECS (AEGIS_PT_DASHBOARD_URL, AEGIS_PT_CLUSTER, AEGIS_PT_SERVICE,
AEGIS_PT_DASHBOARD_SECRET_ARN) with the AWS profile given or AWS_PROFILE. Read-only: nothing is
stored or sent.

Thresholds come from AEGIS_PT_* environment variables; the bundle's "config" wins.
Exit codes: 0 done (whatever the health), 1 internal error, 2 bad input or configuration.`;

/** Live collection from the environment's dashboard and ECS. */
export type LiveCollector = (env: CliIo['env'], profile?: string) => Promise<unknown>;

export async function detectCommand(args: string[], io: CliIo, collectLive: LiveCollector): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      observation: { type: 'string' },
      profile: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout(DETECT_HELP + '\n');
    return EXIT.ok;
  }
  const text = await readSource(io, values.observation ?? '-', 'observation');
  const bundle = parseJson(text, 'the observation bundle');
  const isEmptyObject =
    typeof bundle === 'object' &&
    bundle !== null &&
    !Array.isArray(bundle) &&
    Object.keys(bundle).length === 0;
  let output: unknown;
  if (isEmptyObject) {
    output = await collectLive(io.env, values.profile ?? io.env.AWS_PROFILE);
  } else {
    output = detect(bundle, parseDetectorConfig(io.env));
  }
  io.stdout(JSON.stringify(output, null, 2) + '\n');
  return EXIT.ok;
}
