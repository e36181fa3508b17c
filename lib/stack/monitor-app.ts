// Builds the CDK app from context: used by bin/app.ts and by the stack tests.
import { Annotations, App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CONTEXT_KEYS, onlyExampleDestinations, parseMonitorConfig } from './config';
import { checkContextKeys } from './context-keys';
import { DEFAULT_STACK_NAME } from '../../lambda/shared/stack-outputs';
import { MonitorStack } from './monitor-stack';
import { acknowledgeNagFindings } from './nag-acknowledgements';

export interface MonitorApp {
  readonly app: App;
  readonly stack: MonitorStack;
}

/**
 * Builds the app: reads and validates the context, creates the stack, adds cdk-nag and its
 * acknowledgements.
 * @param props the App's props (tests pass their context here)
 * @returns the app and its one stack
 * @throws ContextError naming the key when the context is wrong
 */
export function createMonitorApp(props: AppProps = {}): MonitorApp {
  const app = new App(props);
  const raw: Record<string, unknown> = {};
  for (const key of CONTEXT_KEYS) raw[key] = app.node.tryGetContext(key);
  checkContextKeys(app.node.getAllContext(), CONTEXT_KEYS);
  const config = parseMonitorConfig(raw);
  const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? DEFAULT_STACK_NAME;
  // No env: the template is region- and account-agnostic (${AWS::Region} and ${AWS::AccountId} in every
  // ARN). The CLI fills CDK_DEFAULT_REGION with us-east-1 when no region is configured, which would pin
  // an offline synth's ARNs to a region the stack may never be deployed to; `cdk deploy --profile`
  // deploys the agnostic template to the profile's account and region. Nothing here needs lookups.
  const stack = new MonitorStack(app, stackName, {
    config,
    description: 'aegis-pt-health: read-only health monitor for the aegis-pt IBKR paper-trading runtime',
  });
  if (onlyExampleDestinations(config)) {
    // A warning, not an error: a fresh clone's offline `cdk synth` of cdk.json's example must work.
    Annotations.of(stack).addWarningV2(
      'aegis:example-destinations',
      `every alert destination is a reserved example address (${config.alertEmails.join(', ')}): nobody will receive alerts. Set alertEmails or alertSms before deploying.`,
    );
  }
  if (config.operatorRoleArns.length === 0) {
    // A warning, like the example destinations: a fresh clone's offline synth must work.
    Annotations.of(stack).addWarningV2(
      'aegis:no-operator-roles',
      "no operatorRoleArns: anyone the account allows can write silences and read the run records (positions and PnL). Name the operators' roles and attach the OperatorSilencePolicyArn and OperatorReadPolicyArn policies to them.",
    );
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  acknowledgeNagFindings(stack);
  return { app, stack };
}
