// One observation for the operator tools: an offline bundle file, or a live collection with the
// Lambda's own adapters (read-only) and the operator's profile.
import { parseDetectorConfig, withBundleConfig, type DetectorConfig } from '../../lambda/detector/config';
import { detect } from '../../lambda/detector/detect';
import { parseTimestamp } from '../../lambda/detector/time';
import type { DetectorOutput, ObservationBundle } from '../../lambda/detector/types';
import { liveEnvironment } from './aws-env';
import { assertCredentials } from './credentials';
import { parseJson, readSource, UsageError, type CliIo } from './io';

export interface Observed {
  readonly bundle: ObservationBundle;
  readonly output: DetectorOutput;
  readonly config: DetectorConfig;
}

export async function readBundle(io: CliIo, source: string, what: string): Promise<ObservationBundle> {
  const bundle = parseJson(await readSource(io, source, what), what);
  if (typeof bundle !== 'object' || bundle === null || Array.isArray(bundle))
    throw new UsageError(`${what} must be a JSON object`);
  if (parseTimestamp((bundle as ObservationBundle).now) === undefined)
    throw new UsageError(`${what} has no valid "now"`);
  return bundle as ObservationBundle;
}

/**
 * `previous` (live only) is the monitor's stored snapshot, so events keep the first-seen times the
 * monitor itself recorded.
 */
export async function observe(
  io: CliIo,
  observation: string | undefined,
  profile: string | undefined,
  previous?: unknown,
): Promise<Observed> {
  let bundle: ObservationBundle;
  let config: DetectorConfig;
  if (observation !== undefined) {
    config = parseDetectorConfig(io.env);
    bundle = await readBundle(io, observation, 'the observation bundle');
  } else {
    // Live only: the SDK clients and adapters load here, never for an offline bundle.
    const env = await liveEnvironment(io.env, profile);
    const [{ collectSources }, { collect }] = await Promise.all([
      import('../../lambda/collect-sources'),
      import('../../lambda/check/collect'),
    ]);
    config = env.detector;
    const sources = collectSources(env, profile ? { profile } : {});
    bundle = {
      ...(await collect({ ...sources, clock: { now: () => io.now() } })),
      trigger: { trigger: 'cli' },
      ...(previous ? { previous } : {}),
    };
    assertCredentials(bundle, profile);
  }
  const output = detect(bundle, config);
  return { bundle, output, config: withBundleConfig(config, bundle.config) };
}
