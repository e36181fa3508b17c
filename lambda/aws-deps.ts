// Wires the AWS adapters from the validated environment. SDK clients are created once per container;
// endpoints follow the standard AWS configuration (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>).
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { createLogger, PowertoolsMetricsSink } from './adapters/powertools';
import { S3Store } from './adapters/s3-store';
import { RoutedSnsNotifier } from './adapters/sns-routes';
import { collectSources, type ClientOptions } from './collect-sources';
import type { RuntimeEnv } from './env';
import { CLIENT_DEADLINES } from './shared/client-deadlines';
import type { CheckDeps } from './ports';

export { collectSources, type ClientOptions };

type Env = Readonly<Record<string, string | undefined>>;

/** Emulators on loopback serve S3 on one host name, so buckets go in the path there. */
function usesCustomS3Endpoint(env: Env): boolean {
  return Boolean(env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_S3);
}

export function awsDeps(config: RuntimeEnv, env: Env, options: ClientOptions = {}): CheckDeps {
  const store = new S3Store({
    client: new S3Client({ ...CLIENT_DEADLINES, ...options, forcePathStyle: usesCustomS3Endpoint(env) }),
    bucket: config.bucket,
  });
  return {
    ...collectSources(config, options),
    store,
    markers: store,
    sealer: store.sealer,
    handoffs: store,
    silences: store,
    notifier: new RoutedSnsNotifier({
      client: new SNSClient({ ...CLIENT_DEADLINES, ...options }),
      routes: { email: config.topicArn, page: config.pageTopicArn, chat: config.chatTopicArn },
    }),
    pageFloor: config.pageFloor,
    metrics: PowertoolsMetricsSink.forService(config.metricsService),
    clock: { now: () => new Date() },
    config: config.detector,
    log: createLogger(),
    schedules: config.schedules,
  };
}
