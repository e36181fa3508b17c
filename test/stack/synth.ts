// Synthesizes the monitor stack for assertions. Bundling is skipped here (the CLI synth test bundles
// for real), so each synth takes well under a second.
import { Template } from 'aws-cdk-lib/assertions';
import { createMonitorApp } from '../../lib/stack/monitor-app';

export const BASE_CONTEXT = {
  clusterName: 'aegis-pt',
  dashboardUrl: 'https://dashboard.aegis-pt.example',
  alertEmails: ['oncall@aegis-pt.example', 'lead@aegis-pt.example'],
  alertSms: '+819012345678',
};

export function synth(context: Record<string, unknown> = {}): Template {
  const { stack } = createMonitorApp({
    context: { ...BASE_CONTEXT, ...context, 'aws:cdk:bundling-stacks': [] },
  });
  return Template.fromStack(stack);
}
