// Live collection for the CLI: the Lambda's own adapters and environment, with the caller's profile.
import { collectSources } from '../../lambda/collect-sources';
import { detect } from '../../lambda/detector/detect';
import type { DetectorOutput } from '../../lambda/detector/types';
import { collect } from '../../lambda/check/collect';
import { liveEnvironment } from './aws-env';
import { assertCredentials } from './credentials';

export async function collectLive(
  env: Readonly<Record<string, string | undefined>>,
  profile?: string,
): Promise<DetectorOutput> {
  const config = await liveEnvironment(env, profile);
  const sources = collectSources(config, profile ? { profile } : {});
  const bundle = await collect({ ...sources, clock: { now: () => new Date() } });
  assertCredentials(bundle, profile);
  return detect({ ...bundle, trigger: { trigger: 'cli' } }, config.detector);
}
