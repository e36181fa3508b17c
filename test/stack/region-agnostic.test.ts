// The template names no region and no account, even when the CDK CLI fills CDK_DEFAULT_REGION with its
// us-east-1 fallback (an offline synth on a laptop without a region): every ARN uses the pseudo
// parameters, so the same template deploys to whichever account and region the profile names.
import { Template } from 'aws-cdk-lib/assertions';
import { createMonitorApp } from '../../lib/stack/monitor-app';
import { BASE_CONTEXT } from './synth';

const EVERYTHING = {
  ...BASE_CONTEXT,
  dashboardSecretArn: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:aegis/dashboard-AbCdEf',
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: 'subnet-0aaaaaaaaaaaaaaa1',
  securityGroupIds: 'sg-0ccccccccccccccc3',
  slackWorkspaceId: 'T0123ABCD',
  slackChannelId: 'C0123ABCD',
  containerInsights: 'true',
};

describe('with the CLI fallback region and an account in the environment', () => {
  const saved = { region: process.env.CDK_DEFAULT_REGION, account: process.env.CDK_DEFAULT_ACCOUNT };
  let text: string;
  let environment: string;
  beforeAll(() => {
    process.env.CDK_DEFAULT_REGION = 'us-east-1';
    process.env.CDK_DEFAULT_ACCOUNT = '111122223333';
    const { stack } = createMonitorApp({ context: { ...EVERYTHING, 'aws:cdk:bundling-stacks': [] } });
    environment = stack.environment;
    // The configured secret names its own region and account: leave its ARN out of the search.
    text = JSON.stringify(Template.fromStack(stack).toJSON()).replaceAll(EVERYTHING.dashboardSecretArn, '');
  });
  afterAll(() => {
    for (const [k, v] of [
      ['CDK_DEFAULT_REGION', saved.region],
      ['CDK_DEFAULT_ACCOUNT', saved.account],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('synthesizes an environment-agnostic stack', () => {
    expect(environment).toBe('aws://unknown-account/unknown-region');
  });

  it('writes no region and no account into the template: ARNs use the pseudo parameters', () => {
    expect(text).not.toContain('us-east-1');
    expect(text).not.toContain('111122223333');
    expect(text).toContain('{"Ref":"AWS::Region"}');
    expect(text).toContain('{"Ref":"AWS::AccountId"}');
  });
});
