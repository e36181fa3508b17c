// cdk-nag and cfn-lint over the synthesized stack.
import { App, Validations } from 'aws-cdk-lib';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseMonitorConfig } from '../../lib/stack/config';
import { createMonitorApp } from '../../lib/stack/monitor-app';
import { MonitorStack } from '../../lib/stack/monitor-stack';
import { NAG_ACKNOWLEDGEMENTS } from '../../lib/stack/nag-acknowledgements';
import { BASE_CONTEXT, synth } from './synth';

const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

describe('cdk-nag AwsSolutions', () => {
  it('passes with every acknowledgement carrying a reason', () => {
    const { app } = createMonitorApp({
      context: {
        ...BASE_CONTEXT,
        ...NO_BUNDLING,
        containerInsights: true,
        slackWorkspaceId: 'T0123ABCD',
        slackChannelId: 'C0456EFGH',
      },
    });
    expect(() => app.synth()).not.toThrow();
    for (const ack of NAG_ACKNOWLEDGEMENTS) expect(ack.reason.length).toBeGreaterThan(40);
  });

  it('fails synthesis on the findings when they are not acknowledged (the checks are live)', () => {
    const app = new App({ context: { ...NO_BUNDLING } });
    new MonitorStack(app, 'Unacknowledged', { config: parseMonitorConfig(BASE_CONTEXT) });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-(S1|IAM5|SQS3)/);
  });
});

describe('cfn-lint', () => {
  const cfnLint = resolve(__dirname, '../../.venv/bin/cfn-lint');

  it.each([
    ['default', {}],
    [
      'full',
      {
        containerInsights: true,
        vpcId: 'vpc-0123456789abcdef0',
        subnetIds: 'subnet-0aaaaaaaaaaaaaaa1',
        securityGroupIds: 'sg-0ccccccccccccccc3',
        slackWorkspaceId: 'T0123ABCD',
        slackChannelId: 'C0456EFGH',
      },
    ],
  ])('finds nothing in the %s template', (_name, context) => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-cfn-'));
    const file = join(dir, 'template.json');
    writeFileSync(file, JSON.stringify(synth(context).toJSON()));
    const run = spawnSync(cfnLint, ['--config-file', resolve(__dirname, '../../.cfnlintrc.yaml'), file], {
      encoding: 'utf8',
    });
    expect(run.error).toBeUndefined();
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
