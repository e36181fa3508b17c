// The app-level context checks: unknown keys stop the synth; example-only destinations warn.
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { createMonitorApp } from '../../lib/stack/monitor-app';
import { BASE_CONTEXT } from './synth';

const app = (context: Record<string, unknown>) =>
  createMonitorApp({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });

describe('the CDK app context', () => {
  it('stops on an unknown key and suggests the right one', () => {
    expect(() => app({ ...BASE_CONTEXT, dashboardURL: 'https://x.example' })).toThrow(
      'context "dashboardURL": is not a known key; did you mean "dashboardUrl"?',
    );
  });

  it('warns that nobody will receive alerts when every destination is an example address', () => {
    const { stack } = app({ ...BASE_CONTEXT, alertSms: [] });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('nobody will receive alerts'));
  });

  it('does not warn once a real destination is set', () => {
    const { stack } = app(BASE_CONTEXT);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('nobody will receive alerts'));
  });

  it('warns that anyone may silence and read positions when no operator roles are named', () => {
    const { stack } = app(BASE_CONTEXT);
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('no operatorRoleArns: anyone'));
    const named = app({ ...BASE_CONTEXT, operatorRoleArns: 'arn:aws:iam::123456789012:role/ops' });
    Annotations.fromStack(named.stack).hasNoWarning('*', Match.stringLikeRegexp('no operatorRoleArns'));
  });
});
