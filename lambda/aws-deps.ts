// Wires the AWS adapters from the validated environment. SDK clients are created once per container;
// endpoints follow the standard AWS configuration (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>).
import { ECSClient } from '@aws-sdk/client-ecs';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { HttpDashboard } from './adapters/dashboard-http';
import { EcsApiSource } from './adapters/ecs-source';
import { TASK_IP, TaskIpDashboard } from './adapters/task-dashboard';
import { createLogger, PowertoolsMetricsSink } from './adapters/powertools';
import { S3Store } from './adapters/s3-store';
import { secretToken } from './adapters/secret-token';
import { RoutedSnsNotifier } from './adapters/sns-routes';
import type { CollectEnv, RuntimeEnv } from './env';
import { CLIENT_DEADLINES } from './shared/client-deadlines';
import type { CheckDeps, DashboardSource, EcsSource } from './ports';

type Env = Readonly<Record<string, string | undefined>>;

/** Emulators on loopback serve S3 on one host name, so buckets go in the path there. */
function usesCustomS3Endpoint(env: Env): boolean {
  return Boolean(env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_S3);
}

/** Client settings: a named profile for operators' laptops; the Lambda uses its role. */
export interface ClientOptions {
  readonly profile?: string;
}

export function collectSources(
  config: CollectEnv,
  options: ClientOptions = {},
): { dashboard: DashboardSource; ecs: EcsSource } {
  const token = config.dashboardSecretArn
    ? secretToken(new SecretsManagerClient({ ...CLIENT_DEADLINES, ...options }), config.dashboardSecretArn)
    : undefined;
  const http = { baseUrl: config.dashboardUrl, timeoutMs: config.dashboardTimeoutMs, token };
  return {
    dashboard: config.dashboardUrl.includes(TASK_IP) ? new TaskIpDashboard(http) : new HttpDashboard(http),
    ecs: new EcsApiSource({
      client: new ECSClient({ ...CLIENT_DEADLINES, ...options }),
      cluster: config.cluster,
      service: config.service,
    }),
  };
}

export function awsDeps(config: RuntimeEnv, env: Env, options: ClientOptions = {}): CheckDeps {
  const store = new S3Store({
    client: new S3Client({ ...CLIENT_DEADLINES, ...options, forcePathStyle: usesCustomS3Endpoint(env) }),
    bucket: config.bucket,
  });
  return {
    ...collectSources(config, options),
    store,
    silences: store,
    notifier: new RoutedSnsNotifier({
      client: new SNSClient({ ...CLIENT_DEADLINES, ...options }),
      routes: { email: config.topicArn, page: config.pageTopicArn, chat: config.chatTopicArn },
      pageFloor: config.pageFloor,
    }),
    metrics: new PowertoolsMetricsSink(),
    clock: { now: () => new Date() },
    config: config.detector,
    log: createLogger(),
  };
}
