// `aegis-pt-health detect`: evaluate one observation bundle (or collect live with stdin `{}`).
import { parseArgs } from 'node:util';
import { detect } from '../../lambda/detector/detect';
import { pickConfigVariables } from '../../lambda/detector/config';
import { EXIT, parseJson, readSource, UsageError, type CliIo } from './io';

export const DETECT_HELP = `Usage: aegis-pt-health detect [--observation FILE|-]

Evaluates one observation bundle (contract section 2.3) and prints the detector output as JSON.
Without --observation the bundle is read from stdin. A bundle of exactly {} means "collect live"
from the configured dashboard and ECS.

Thresholds come from AEGIS_PT_* environment variables; the bundle's "config" wins.
Exit codes: 0 done (whatever the health), 1 internal error, 2 bad input or configuration.`;

/** Live collection, wired in by the CLI entry point; absent where it is not configured. */
export type LiveCollector = () => Promise<unknown>;

export async function detectCommand(args: string[], io: CliIo, collectLive?: LiveCollector): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { observation: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
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
    if (!collectLive) {
      throw new UsageError(
        'live collection needs AEGIS_PT_DASHBOARD_URL, AEGIS_PT_CLUSTER and AWS credentials',
      );
    }
    output = await collectLive();
  } else {
    output = detect(bundle, pickConfigVariables(io.env));
  }
  io.stdout(JSON.stringify(output, null, 2) + '\n');
  return EXIT.ok;
}
