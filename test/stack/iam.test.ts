// Walks every IAM policy in the template: the monitor is read-only by construction.
import type { Template } from 'aws-cdk-lib/assertions';
import { synth } from './synth';

const ALLOWED = new Set([
  'ecs:DescribeServices',
  'ecs:ListTasks',
  'ecs:DescribeTasks',
  's3:GetObject',
  's3:PutObject',
  's3:ListBucket',
  'sns:Publish',
  'kms:Decrypt',
  'kms:GenerateDataKey*',
  'secretsmanager:GetSecretValue',
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  // SNS's SMS delivery-status role: the log groups SNS names itself under sns/<region>/<account>/.
  'logs:CreateLogGroup',
  // Scheduler's role: invoke the monitor, and dead-letter what it could not deliver.
  'lambda:InvokeFunction',
  'sqs:SendMessage',
  // Only with Slack: the chat channel's role reads CloudWatch for the alarm charts (chat-channel.ts).
  'cloudwatch:Describe*',
  'cloudwatch:Get*',
  'cloudwatch:List*',
  // Only with vpcId: the ENI actions Lambda needs to run in the operator's subnets.
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
]);

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

function statements(template: Template): Statement[] {
  const out: Statement[] = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    out.push(...policy.Properties.PolicyDocument.Statement);
  }
  for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
    for (const p of role.Properties.Policies ?? []) out.push(...p.PolicyDocument.Statement);
  }
  return out;
}

const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe.each([
  ['default configuration', {}],
  [
    'with secret, VPC, Container Insights and Slack',
    {
      dashboardSecretArn: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:aegis/dashboard-AbCdEf',
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: 'subnet-0aaaaaaaaaaaaaaa1',
      securityGroupIds: 'sg-0ccccccccccccccc3',
      containerInsights: true,
      slackWorkspaceId: 'T0123ABCD',
      slackChannelId: 'C0123ABCD',
    },
  ],
])('IAM in the %s', (_name, context) => {
  const template = synth(context);
  const all = statements(template);

  it('has policies to walk', () => {
    expect(all.length).toBeGreaterThan(5);
  });

  it('grants only actions from the read-only list', () => {
    const granted = all.filter((s) => s.Effect === 'Allow').flatMap(actions);
    const outside = granted.filter((a) => !ALLOWED.has(a));
    expect(outside).toEqual([]);
  });

  it('grants nothing on ECS but Describe and List, and no wildcard actions on ECS, ECR or IAM', () => {
    for (const action of all.flatMap(actions)) {
      if (action.startsWith('ecs:')) expect(action).toMatch(/^ecs:(Describe|List)[A-Za-z]+$/);
      expect(action).not.toMatch(/^(ecr|iam|ecs):.*\*/);
      expect(action).not.toMatch(/^(ecr|iam):/);
      expect(action).not.toBe('*');
    }
  });

  it('attaches no managed policies to any role', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns ?? []).toEqual([]);
    }
  });

  it('confines the task calls to the one cluster and DescribeServices to the one service', () => {
    const tasks = all.find((s) => actions(s).includes('ecs:ListTasks'));
    expect(tasks?.Condition).toEqual({ ArnEquals: { 'ecs:cluster': expect.anything() } });
    const service = all.find((s) => actions(s).includes('ecs:DescribeServices'));
    expect(JSON.stringify(service?.Resource)).toContain(':service/aegis-pt/aegis-pt-core');
  });

  it('puts every Resource * statement under a condition, on the VPC ENI actions or on CloudWatch reads only', () => {
    for (const s of all.filter((x) => x.Resource === '*')) {
      const isEni = actions(s).every((a) => a.startsWith('ec2:'));
      // The chat channel's chart reads: CloudWatch's Describe/Get/List have no narrower resource.
      const isCloudWatchRead = actions(s).every((a) => /^cloudwatch:(Describe|Get|List)\*$/.test(a));
      expect(isEni || isCloudWatchRead || s.Condition !== undefined).toBe(true);
    }
  });
});
