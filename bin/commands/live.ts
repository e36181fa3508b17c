// Live collection for the CLI: the Lambda's own adapters and environment, with the caller's profile.
import { collectSources } from '../../lambda/collect-sources';
import { detect } from '../../lambda/detector/detect';
import type { DetectorOutput } from '../../lambda/detector/types';
import { readCollectEnv } from '../../lambda/env';
import { collect } from '../../lambda/check/collect';
import { requireRegion } from './aws-env';
import { assertCredentials } from './credentials';

export async function collectLive(
  env: Readonly<Record<string, string | undefined>>,
  profile?: string,
): Promise<DetectorOutput> {
  const config = readCollectEnv(env);
  await requireRegion(profile);
  const sources = collectSources(config, profile ? { profile } : {});
  const bundle = await collect({ ...sources, clock: { now: () => new Date() } });
  assertCredentials(bundle, profile);
  return detect({ ...bundle, trigger: { trigger: 'cli' } }, config.detector);
}
