// doctor's judgement: each fact to a PASS / WARN / FAIL line with the value seen.
import {
  diagnose,
  formatDoctor,
  lastDueWindow,
  type DoctorFacts,
  type Subscription,
  type TopicRef,
} from '../../lib/ops/doctor';
import { CADENCES } from '../../lambda/shared/schedules';

const NOW = Date.parse('2026-06-01T15:00:00Z'); // a Monday, 11:00 ET
const HEALTHY: DoctorFacts = {
  stack: { name: 'AegisPtHealth', status: 'UPDATE_COMPLETE' },
  subscriptions: [
    { protocol: 'email', endpoint: 'oncall@aegis-pt.co', arn: 'arn:aws:sns:us-east-1:123456789012:t:1' },
    { protocol: 'sms', endpoint: '+819012345678', arn: 'arn:aws:sns:us-east-1:123456789012:t:2' },
  ],
  sms: { inSandbox: false, verified: [] },
  // A deployment at the 5-minute interleave (`-c cadence=5m`): the windows these tests name.
  schedules: [CADENCES['5m'].primary, CADENCES['5m'].fallback],
  lastScheduledRun: { checkedAt: '2026-06-01T14:57:20Z', trigger: 'schedule:primary' },
  alarmsInAlarm: [],
  deadLetters: 0,
  lastError: null,
  probe: {
    dashboard: { ok: true, detail: 'GET /api/status_v3 answered with JSON' },
    ecs: { ok: true, detail: 'service aegis-pt-core: runningCount 1, 1 task(s) listed' },
  },
};

const verdicts = (f: Partial<DoctorFacts>, now = NOW) =>
  diagnose({ ...HEALTHY, ...f }, now).map((l) => `${l.verdict} ${l.check}: ${l.seen}`);

describe('doctor', () => {
  it('passes a complete, alive monitor', () => {
    const lines = diagnose(HEALTHY, NOW);
    expect(lines.every((l) => l.verdict === 'PASS')).toBe(true);
    expect(formatDoctor(lines).split('\n').at(-1)).toBe('DOCTOR: no FAIL (0 WARN)');
  });

  it.each<[string, Partial<DoctorFacts>, string]>([
    [
      'a rolled-back stack',
      { stack: { name: 'S', status: 'UPDATE_ROLLBACK_COMPLETE' } },
      'WARN stack exists',
    ],
    ['a failed stack', { stack: { name: 'S', status: 'ROLLBACK_COMPLETE' } }, 'FAIL stack exists'],
    ['a stack in progress', { stack: { name: 'S', status: 'UPDATE_IN_PROGRESS' } }, 'FAIL stack exists'],
    [
      'an unconfirmed email',
      { subscriptions: [{ protocol: 'email', endpoint: 'a@b.co', arn: 'PendingConfirmation' }] },
      'FAIL alert subscriptions confirmed: email a@b.co PendingConfirmation',
    ],
    [
      "cdk.json's example address",
      { subscriptions: [{ protocol: 'email', endpoint: 'oncall@aegis-pt.example', arn: 'arn:x' }] },
      'FAIL alert subscriptions confirmed: email oncall@aegis-pt.example is a reserved example address',
    ],
    [
      'no subscription at all',
      { subscriptions: [] },
      'FAIL alert subscriptions confirmed: no subscription at all',
    ],
    [
      'an SMS number not verified in the sandbox',
      { sms: { inSandbox: true, verified: [] } },
      'FAIL SMS delivery (sandbox): in the SMS sandbox; +819012345678 NOT verified',
    ],
    [
      'a verified number in the sandbox',
      { sms: { inSandbox: true, verified: ['+819012345678'] } },
      'WARN SMS delivery (sandbox): in the SMS sandbox; +819012345678 verified',
    ],
    [
      'a missed scheduled window',
      { lastScheduledRun: { checkedAt: '2026-06-01T14:17:20Z', trigger: 'schedule:primary' } },
      'FAIL last scheduled run vs the schedule: no scheduled run since the window due 2026-06-01T14:52:00.000Z (8 min ago); newest seen 2026-06-01T14:17:20Z',
    ],
    ['no run at all', { lastScheduledRun: { checkedAt: null } }, 'FAIL last scheduled run'],
    [
      'an alarm in ALARM',
      { alarmsInAlarm: ['AegisPtHealth-AlarmsLambdaErrors-X (Threshold Crossed)'] },
      'FAIL alarms in ALARM: AegisPtHealth-AlarmsLambdaErrors-X',
    ],
    [
      'dead letters',
      { deadLetters: 3 },
      'FAIL dead-letter queue depth: 3 message(s): invocations were dropped',
    ],
    [
      'a recent Lambda error',
      { lastError: { at: '2026-06-01T14:30:00.000Z', message: 'ERROR boom' } },
      'WARN Lambda last error (24 h): 2026-06-01T14:30:00.000Z (30 min ago): ERROR boom',
    ],
    [
      'a Lambda that cannot reach the dashboard',
      {
        probe: { dashboard: { ok: false, detail: 'timeout after 5000 ms' }, ecs: { ok: true, detail: 'ok' } },
      },
      'FAIL Lambda reaches the dashboard (probe): timeout after 5000 ms',
    ],
    [
      'an unreadable fact',
      { deadLetters: { error: 'GetQueueAttributes: AccessDenied' } },
      'FAIL dead-letter queue depth: GetQueueAttributes: AccessDenied',
    ],
  ])('%s', (_name, facts, expected) => {
    expect(verdicts(facts)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  it('expects no run outside the schedule: Saturday sees Friday 21:57 as the last due window', () => {
    const saturday = Date.parse('2026-06-06T12:00:00Z');
    expect(new Date(lastDueWindow(HEALTHY.schedules as string[], saturday)!).toISOString()).toBe(
      '2026-06-05T21:57:00.000Z',
    );
    expect(
      verdicts(
        { lastScheduledRun: { checkedAt: '2026-06-05T21:57:21Z', trigger: 'schedule:primary' } },
        saturday,
      ),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/^PASS last scheduled run/)]));
  });

  it('gives a window its grace before calling it missed', () => {
    // 14:57 is due at 15:05; at 15:04 the 14:52 fallback is the last due window.
    const at = Date.parse('2026-06-01T15:04:00Z');
    expect(new Date(lastDueWindow(HEALTHY.schedules as string[], at)!).toISOString()).toBe(
      '2026-06-01T14:52:00.000Z',
    );
  });
});

describe('doctor: configured destinations against the confirmed subscriptions', () => {
  const EMAIL = 'arn:aws:sns:us-east-1:123456789012:alerts';
  const PAGE = 'arn:aws:sns:us-east-1:123456789012:page';
  const HEALTH = 'arn:aws:sns:us-east-1:123456789012:health';
  const topics = [
    { label: 'email', arn: EMAIL },
    { label: 'page', arn: PAGE },
    { label: 'health', arn: HEALTH },
  ] as const;
  const sub = (
    protocol: string,
    endpoint: string,
    topicArn: string,
    topic: TopicRef['label'],
  ): Subscription => ({
    protocol,
    endpoint,
    arn: `${topicArn}:1`,
    topicArn,
    topic,
  });
  const configured = [
    { protocol: 'email', endpoint: 'oncall@aegis-pt.co', topicArn: EMAIL },
    { protocol: 'email', endpoint: 'lead@aegis-pt.co', topicArn: EMAIL },
    { protocol: 'sms', endpoint: '+819012345678', topicArn: PAGE },
    { protocol: 'email', endpoint: 'oncall@aegis-pt.co', topicArn: HEALTH },
  ];
  const all = [
    sub('email', 'oncall@aegis-pt.co', EMAIL, 'email'),
    sub('email', 'lead@aegis-pt.co', EMAIL, 'email'),
    sub('sms', '+819012345678', PAGE, 'page'),
    sub('email', 'oncall@aegis-pt.co', HEALTH, 'health'),
  ];
  const lines = (f: Partial<DoctorFacts>) =>
    diagnose({ ...HEALTHY, topics, configured, subscriptions: all, ...f }, NOW).map(
      (l) => `${l.verdict} ${l.check}: ${l.seen}`,
    );

  it('passes when every configured address is subscribed on its topic, the health topic included', () => {
    const out = lines({});
    expect(out).toContain('PASS configured destinations subscribed: 4 of 4 (email, page, health topics)');
    expect(out.filter((l) => !l.startsWith('PASS'))).toEqual([]);
  });

  it('fails for an address that unsubscribed from a forwarded email (gone from SNS, still configured)', () => {
    const out = lines({ subscriptions: all.filter((s) => s.endpoint !== 'lead@aegis-pt.co') });
    expect(out).toContain(
      'FAIL configured destinations subscribed: email lead@aegis-pt.co is configured on the email topic but not subscribed (unsubscribed or deleted): it receives nothing until subscribed again (redeploy, or subscribe it and confirm)',
    );
  });

  it('fails for the health topic too, when its subscription is gone', () => {
    const out = lines({ subscriptions: all.filter((s) => s.topic !== 'health') });
    expect(out.filter((l) => l.startsWith('FAIL'))).toEqual([
      expect.stringContaining(
        'email oncall@aegis-pt.co is configured on the health topic but not subscribed',
      ),
    ]);
    expect(out).toContain(
      "WARN health topic has a subscriber: none: the monitor's own alarms forwarded outside the alert topics reach nobody (give alertEmails or alertSms)",
    );
  });

  it('an SMS number subscribed on the email topic does not stand in for the page topic', () => {
    const moved = all.map((s) => (s.protocol === 'sms' ? sub('sms', s.endpoint, EMAIL, 'email') : s));
    expect(lines({ subscriptions: moved })).toContain(
      'FAIL configured destinations subscribed: sms +819012345678 is configured on the page topic but not subscribed (unsubscribed or deleted): it receives nothing until subscribed again (redeploy, or subscribe it and confirm)',
    );
  });

  it('warns about a subscription added by hand, and fails when the configuration cannot be read', () => {
    expect(lines({ subscriptions: [...all, sub('email', 'someone@else.co', EMAIL, 'email')] })).toContain(
      "WARN configured destinations subscribed: email someone@else.co on the email topic is not in the stack's configuration (alertEmails, alertSms): added by hand",
    );
    expect(lines({ configured: { error: 'ListStackResources: AccessDenied' } })).toContain(
      'FAIL configured destinations subscribed: ListStackResources: AccessDenied',
    );
  });
});
