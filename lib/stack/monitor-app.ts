// Builds the CDK app from context: used by bin/app.ts and by the stack tests.
import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CONTEXT_KEYS, parseMonitorConfig } from './config';
import { DEFAULT_STACK_NAME } from '../../lambda/shared/stack-outputs';
import { MonitorStack } from './monitor-stack';
import { acknowledgeNagFindings } from './nag-acknowledgements';

export interface MonitorApp {
  readonly app: App;
  readonly stack: MonitorStack;
}

export function createMonitorApp(props: AppProps = {}): MonitorApp {
  const app = new App(props);
  const raw: Record<string, unknown> = {};
  for (const key of CONTEXT_KEYS) raw[key] = app.node.tryGetContext(key);
  const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? DEFAULT_STACK_NAME;
  const stack = new MonitorStack(app, stackName, {
    config: parseMonitorConfig(raw),
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    description: 'aegis-pt-health: read-only health monitor for the aegis-pt IBKR paper-trading runtime',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  acknowledgeNagFindings(stack);
  return { app, stack };
}
