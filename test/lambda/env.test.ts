import { ConfigError, DEFAULT_CONFIG } from '../../lambda/detector/config';
import { EnvError, readCollectEnv, readRuntimeEnv } from '../../lambda/env';
import { CADENCES, scheduleDefinitions } from '../../lambda/shared/schedules';

const BASE = {
  AEGIS_PT_CLUSTER: 'aegis-pt',
  AEGIS_PT_DASHBOARD_URL: 'https://dash.example',
  AEGIS_PT_STATE_BUCKET: 'state-bucket',
  AEGIS_PT_TOPIC_ARN: 'arn:aws:sns:ap-northeast-1:123456789012:aegis',
};

describe('the Lambda environment', () => {
  it('reads the configuration with defaults', () => {
    expect(readRuntimeEnv({ ...BASE, AEGIS_PT_HEARTBEAT_STALE_SEC: '240', PATH: '/bin' })).toEqual({
      cluster: 'aegis-pt',
      service: 'aegis-pt-core',
      dashboardUrl: 'https://dash.example',
      dashboardTimeoutMs: 5000,
      bucket: 'state-bucket',
      topicArn: BASE.AEGIS_PT_TOPIC_ARN,
      pageFloor: 'critical',
      detector: { ...DEFAULT_CONFIG, heartbeatStaleSec: 240 },
      schedules: scheduleDefinitions(),
      metricsService: 'aegis-pt-health',
    });
  });

  it("reads the metrics' service dimension the stack set (its name), so two stacks never share a series", () => {
    expect(readRuntimeEnv({ ...BASE, POWERTOOLS_SERVICE_NAME: 'AegisPtHealthStaging' }).metricsService).toBe(
      'AegisPtHealthStaging',
    );
  });

  it('reads the deployed schedules, so the digest follows the crons the stack set', () => {
    const { primary, fallback } = CADENCES['5m'];
    expect(
      readRuntimeEnv({ ...BASE, AEGIS_PT_PRIMARY_CRON: primary, AEGIS_PT_FALLBACK_CRON: fallback }).schedules,
    ).toEqual(scheduleDefinitions(primary, fallback));
  });

  it('reads the page and chat routes and the paging floor', () => {
    const page = 'arn:aws:sns:ap-northeast-1:123456789012:page';
    const chat = 'arn:aws:sns:ap-northeast-1:123456789012:chat';
    expect(
      readRuntimeEnv({
        ...BASE,
        AEGIS_PT_PAGE_TOPIC_ARN: page,
        AEGIS_PT_CHAT_TOPIC_ARN: chat,
        AEGIS_PT_PAGE_FLOOR: 'escalate',
      }),
    ).toMatchObject({ pageTopicArn: page, chatTopicArn: chat, pageFloor: 'escalate' });
  });

  it.each([
    ['AEGIS_PT_CLUSTER', ''],
    ['AEGIS_PT_DASHBOARD_URL', 'not a url'],
    ['AEGIS_PT_DASHBOARD_URL', 'ftp://dash.example'],
    ['AEGIS_PT_DASHBOARD_TIMEOUT_MS', 'soon'],
    ['AEGIS_PT_DASHBOARD_TIMEOUT_MS', '10'],
    ['AEGIS_PT_DASHBOARD_SECRET_ARN', 'my-token'],
    ['AEGIS_PT_STATE_BUCKET', ''],
    ['AEGIS_PT_TOPIC_ARN', 'topic'],
    ['AEGIS_PT_PAGE_TOPIC_ARN', 'page'],
    ['AEGIS_PT_CHAT_TOPIC_ARN', 'chat'],
    ['AEGIS_PT_PAGE_FLOOR', 'info'],
    ['AEGIS_PT_PAGE_FLOOR', 'CRITICAL'],
    ['AEGIS_PT_PRIMARY_CRON', 'rate(1 minute)'],
    ['AEGIS_PT_FALLBACK_CRON', 'cron(61 13-21 ? * MON-FRI *)'],
  ])('fails loudly on %s=%j, naming it', (name, value) => {
    expect(() => readRuntimeEnv({ ...BASE, [name]: value })).toThrow(EnvError);
    expect(() => readRuntimeEnv({ ...BASE, [name]: value })).toThrow(name);
  });

  it('validates the detector thresholds at start', () => {
    expect(() => readRuntimeEnv({ ...BASE, AEGIS_PT_PENDING_ORDER_WARN: 'x' })).toThrow(ConfigError);
  });

  it('needs no bucket or topic for live collection alone', () => {
    expect(
      readCollectEnv({ AEGIS_PT_CLUSTER: 'c', AEGIS_PT_DASHBOARD_URL: 'http://127.0.0.1:8080' }).cluster,
    ).toBe('c');
  });

  describe("the dead-man's switch", () => {
    const SECRET = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:aegis/dead-man';

    it('is read when both variables are set (the URL without a trailing slash)', () => {
      expect(
        readRuntimeEnv({
          ...BASE,
          AEGIS_PT_DEAD_MAN_URL: 'https://hc-ping.com/',
          AEGIS_PT_DEAD_MAN_SECRET_ARN: SECRET,
        }).deadMan,
      ).toEqual({ url: 'https://hc-ping.com', secretArn: SECRET });
    });

    it.each([
      [{ AEGIS_PT_DEAD_MAN_URL: 'https://hc-ping.com' }, 'AEGIS_PT_DEAD_MAN_SECRET_ARN'],
      [{ AEGIS_PT_DEAD_MAN_SECRET_ARN: SECRET }, 'AEGIS_PT_DEAD_MAN_URL'],
      [
        { AEGIS_PT_DEAD_MAN_URL: 'http://hc-ping.com', AEGIS_PT_DEAD_MAN_SECRET_ARN: SECRET },
        'AEGIS_PT_DEAD_MAN_URL',
      ],
    ])('%j is an error naming %s', (vars, name) => {
      expect(() => readRuntimeEnv({ ...BASE, ...vars })).toThrow(EnvError);
      expect(() => readRuntimeEnv({ ...BASE, ...vars })).toThrow(name);
    });
  });
});
