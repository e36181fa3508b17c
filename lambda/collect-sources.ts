// The read-only sources of one check (dashboard, ECS), wired from the validated environment. Apart
// from aws-deps so the CLI's live commands load only the ECS and Secrets Manager clients.
import { ECSClient } from '@aws-sdk/client-ecs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { HttpDashboard } from './adapters/dashboard-http';
import { EcsApiSource } from './adapters/ecs-source';
import { TASK_IP, TaskIpDashboard } from './adapters/task-dashboard';
import { secretToken } from './adapters/secret-token';
import type { CollectEnv } from './env';
import type { DashboardSource, EcsSource } from './ports';
import { CLIENT_DEADLINES } from './shared/client-deadlines';

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
