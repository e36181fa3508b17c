import { ContextError, parseMonitorConfig } from '../../lib/stack/config';
import { DEFAULT_FALLBACK_CRON, DEFAULT_PRIMARY_CRON } from '../../lambda/shared/schedules';

const BASE = { clusterName: 'aegis-pt', dashboardUrl: 'https://d.example' };

describe('parseMonitorConfig (CDK context)', () => {
  it('fills the defaults', () => {
    expect(parseMonitorConfig(BASE)).toEqual({
      clusterName: 'aegis-pt',
      serviceName: 'aegis-pt-core',
      dashboardUrl: 'https://d.example',
      alertEmails: [],
      alertSms: [],
      primaryCron: DEFAULT_PRIMARY_CRON,
      fallbackCron: DEFAULT_FALLBACK_CRON,
      thresholds: {},
      containerInsights: false,
    });
  });

  it('reads lists from JSON arrays and from -c comma strings, and JSON thresholds from -c', () => {
    const config = parseMonitorConfig({
      ...BASE,
      alertEmails: 'a@x.example, b@x.example',
      alertSms: '["+15551234567"]',
      thresholds: '{"AEGIS_PT_PENDING_ORDER_WARN": 1}',
      containerInsights: 'true',
    });
    expect(config).toMatchObject({
      alertEmails: ['a@x.example', 'b@x.example'],
      alertSms: ['+15551234567'],
      thresholds: { AEGIS_PT_PENDING_ORDER_WARN: '1' },
      containerInsights: true,
    });
  });

  it.each([
    ['clusterName', { dashboardUrl: 'https://d.example' }],
    ['dashboardUrl', { clusterName: 'c' }],
    ['dashboardUrl', { ...BASE, dashboardUrl: 'http://d.example' }],
    ['dashboardUrl', { ...BASE, dashboardUrl: 'd.example' }],
    ['primaryCron', { ...BASE, primaryCron: 'cron(7 13-21 * * MON-FRI *)' }],
    ['fallbackCron', { ...BASE, fallbackCron: 'rate(5 minutes)' }],
    ['primaryCron', { ...BASE, primaryCron: 'cron(61 13 ? * MON-FRI *)' }],
    ['alertSms', { ...BASE, alertSms: '090-1234-5678' }],
    ['alertSms', { ...BASE, alertSms: ['+0123'] }],
    ['alertEmails', { ...BASE, alertEmails: 'not-an-email' }],
    ['dashboardSecretArn', { ...BASE, dashboardSecretArn: 'my-secret' }],
    ['vpcId', { ...BASE, subnetIds: 'subnet-0aaaaaaaaaaaaaaa1' }],
    ['subnetIds', { ...BASE, vpcId: 'vpc-0123456789abcdef0', securityGroupIds: 'sg-0ccccccccccccccc3' }],
    ['securityGroupIds', { ...BASE, vpcId: 'vpc-0123456789abcdef0', subnetIds: 'subnet-0aaaaaaaaaaaaaaa1' }],
    ['thresholds', { ...BASE, thresholds: { AEGIS_PT_NOT_A_SETTING: 1 } }],
    ['thresholds', { ...BASE, thresholds: { AEGIS_PT_PENDING_ORDER_WARN: 5 } }],
    ['containerInsights', { ...BASE, containerInsights: 'yes' }],
  ])('fails naming the key %s', (key, raw) => {
    expect(() => parseMonitorConfig(raw)).toThrow(ContextError);
    expect(() => parseMonitorConfig(raw)).toThrow(`context "${key}"`);
  });
});
