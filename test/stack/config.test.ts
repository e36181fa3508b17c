import { ContextError, onlyExampleDestinations, parseMonitorConfig } from '../../lib/stack/config';
import { checkContextKeys, editDistance } from '../../lib/stack/context-keys';
import { DEFAULT_CONFIG } from '../../lambda/detector/config';
import { DEFAULT_FALLBACK_CRON, DEFAULT_PRIMARY_CRON } from '../../lambda/shared/schedules';

const BASE = {
  clusterName: 'aegis-pt',
  dashboardUrl: 'https://d.example',
  alertEmails: ['ops@aegis.test'],
};
const VPC = {
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: 'subnet-0aaaaaaaaaaaaaaa1',
  securityGroupIds: 'sg-0ccccccccccccccc3',
};

describe('parseMonitorConfig (CDK context)', () => {
  it('fills the defaults', () => {
    expect(parseMonitorConfig(BASE)).toEqual({
      clusterName: 'aegis-pt',
      serviceName: 'aegis-pt-core',
      dashboardUrl: 'https://d.example',
      alertEmails: ['ops@aegis.test'],
      alertSms: [],
      cadence: '1m',
      primaryCron: DEFAULT_PRIMARY_CRON,
      fallbackCron: DEFAULT_FALLBACK_CRON,
      thresholds: {},
      detector: DEFAULT_CONFIG,
      containerInsights: false,
      runningTaskAlarmMinutes: 10,
      smsSpendLimitUsd: 1,
      pageFloor: 'critical',
      operatorRoleArns: [],
      readerRoleArns: [],
    });
  });

  it('runs every minute by default; the 5-minute interleave is one setting away, and a cron overrides its lane', () => {
    expect(parseMonitorConfig(BASE)).toMatchObject({
      primaryCron: 'cron(* 13-21 ? * MON-FRI *)',
      fallbackCron: 'cron(2/5 13-21 ? * MON-FRI *)',
    });
    expect(parseMonitorConfig({ ...BASE, cadence: '5m' })).toMatchObject({
      cadence: '5m',
      primaryCron: 'cron(7,17,27,37,47,57 13-21 ? * MON-FRI *)',
      fallbackCron: 'cron(12,22,32,42,52 13-21 ? * MON-FRI *)',
    });
    expect(
      parseMonitorConfig({
        ...BASE,
        cadence: '5m',
        fallbackCron: 'cron(2,12,22,32,42,52 13-21 ? * MON-FRI *)',
      }),
    ).toMatchObject({
      primaryCron: 'cron(7,17,27,37,47,57 13-21 ? * MON-FRI *)',
      fallbackCron: 'cron(2,12,22,32,42,52 13-21 ? * MON-FRI *)',
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
      detector: { ...DEFAULT_CONFIG, pendingOrderWarn: 1 },
      containerInsights: true,
    });
  });

  it.each([
    ['clusterName', { dashboardUrl: 'https://d.example' }],
    ['dashboardUrl', { clusterName: 'c' }],
    ['dashboardUrl', { ...BASE, dashboardUrl: 'ftp://d.example' }],
    ['dashboardUrl', { ...BASE, dashboardUrl: 'http://{taskIp}:8080' }],
    ['dashboardUrl', { ...BASE, ...VPC, dashboardUrl: 'http://d.example/{taskIp}' }],
    ['dashboardUrl', { ...BASE, ...VPC, dashboardUrl: 'http://{taskIp}.{zone}:8080' }],
    ['dashboardUrl', { ...BASE, ...VPC, dashboardUrl: 'http://{taskip}:8080' }],
    ['alertEmails', { ...BASE, alertEmails: '[a@b.co' }],
    ['alertSms', { ...BASE, alertSms: '["+15551234567",' }],
    ['alertEmails', { ...BASE, alertEmails: [], alertSms: [] }],
    ['alertEmails', { clusterName: 'c', dashboardUrl: 'https://d.example' }],
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
    ['cadence', { ...BASE, cadence: '2m' }],
    ['cadence', { ...BASE, cadence: 5 }],
  ])('fails naming the key %s', (key, raw) => {
    expect(() => parseMonitorConfig(raw)).toThrow(ContextError);
    expect(() => parseMonitorConfig(raw)).toThrow(`context "${key}"`);
  });
});

describe('dashboardUrl and the VPC', () => {
  it('says why plain http is refused outside the VPC', () => {
    expect(() => parseMonitorConfig({ ...BASE, dashboardUrl: 'http://10.0.1.5:8080' })).toThrow(
      'plain http is allowed only with the Lambda in the VPC',
    );
  });

  it('allows http to a private address and task discovery once the Lambda is in the VPC', () => {
    expect(parseMonitorConfig({ ...BASE, ...VPC, dashboardUrl: 'http://10.0.1.5:8080' }).dashboardUrl).toBe(
      'http://10.0.1.5:8080',
    );
    expect(parseMonitorConfig({ ...BASE, ...VPC, dashboardUrl: 'http://{taskIp}:8080' }).dashboardUrl).toBe(
      'http://{taskIp}:8080',
    );
  });

  it('names the key of a malformed JSON list with the parser message', () => {
    expect(() => parseMonitorConfig({ ...BASE, alertEmails: '[a@b.co' })).toThrow(
      /context "alertEmails": is not a valid JSON list: /,
    );
  });
});

describe('destinations', () => {
  it('knows a stack whose every destination is a reserved example', () => {
    const parse = (extra: Record<string, unknown>) => parseMonitorConfig({ ...BASE, ...extra });
    expect(onlyExampleDestinations(parse({ alertEmails: ['oncall@aegis-pt.example'] }))).toBe(true);
    expect(onlyExampleDestinations(parse({ alertEmails: 'a@example.com,b@x.invalid' }))).toBe(true);
    expect(onlyExampleDestinations(parse({ alertEmails: ['oncall@aegis-pt.co'] }))).toBe(false);
    expect(onlyExampleDestinations(parse({ alertEmails: ['a@example.community'] }))).toBe(false);
    expect(onlyExampleDestinations(parse({ alertSms: '+15551234567' }))).toBe(false);
  });
});

describe('unknown context keys', () => {
  const known = ['clusterName', 'dashboardUrl', 'alertEmails', 'alertSms', 'securityGroupIds'];

  it.each([
    ['dashboardURL', 'dashboardUrl'],
    ['alertEmail', 'alertEmails'],
    ['clustername', 'clusterName'],
    ['securityGroups', 'securityGroupIds'],
    ['alertSMS', 'alertSms'],
  ])('%s suggests %s', (typo, meant) => {
    expect(() => checkContextKeys({ [typo]: 'x' }, known)).toThrow(
      `context "${typo}": is not a known key; did you mean "${meant}"?`,
    );
  });

  it('lists the known keys when nothing is close', () => {
    expect(() => checkContextKeys({ bananas: 1 }, known)).toThrow(/is not a known key \(known: clusterName/);
  });

  it("leaves CDK's own keys alone: feature flags, CLI internals, cached lookups, stackName", () => {
    expect(() =>
      checkContextKeys(
        {
          '@aws-cdk/core:checkSecretUsage': true,
          'aws:cdk:bundling-stacks': [],
          'availability-zones:account=123456789012:region=us-east-1': ['a'],
          stackName: 'X',
          clusterName: 'c',
        },
        known,
      ),
    ).not.toThrow();
  });

  it('measures edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});
