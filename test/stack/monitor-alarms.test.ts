import { Match, Template } from 'aws-cdk-lib/assertions';
import { firings, parseCron } from '../../lambda/shared/cron';
import { cadenceDefinitions, type CadenceName } from '../../lambda/shared/schedules';
import { simulate, type Mute, type Sample } from '../helpers/alarm-evaluator';
import { synth } from './synth';

let template: Template;
beforeAll(() => {
  template = synth();
});

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function alarm(t: Template, name: string): Props {
  const found = Object.values(t.findResources('AWS::CloudWatch::Alarm')).find(
    (a) => a.Properties.AlarmName === name,
  );
  if (!found) throw new Error(`no alarm ${name}`);
  return found.Properties;
}

function mutesOf(t: Template): Mute[] {
  return Object.values(t.findResources('AWS::CloudWatch::AlarmMuteRule')).map((m) => ({
    expression: m.Properties.Rule.Schedule.Expression,
    duration: m.Properties.Rule.Schedule.Duration,
  }));
}

/**
 * The form CloudWatch takes for a recurring mute (API Reference, "Schedule"): a five-field cron with
 * digits, day or month names and `* - ,` only (no `?`, no year); an ISO 8601 duration PT1M..P15D.
 */
function expectAcceptedMuteSchedule(schedule: { Expression: string; Duration: string }): void {
  const fields = /^cron\((.*)\)$/.exec(schedule.Expression)?.[1].split(' ') ?? [];
  expect(fields).toHaveLength(5);
  for (const f of fields) expect(f).toMatch(/^(\*|[0-9A-Z]+(-[0-9A-Z]+)?)(,[0-9A-Z]+(-[0-9A-Z]+)?)*$/);
  const d = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(schedule.Duration);
  expect(d).not.toBeNull();
  const minutes = Number(d?.[1] ?? 0) * 1440 + Number(d?.[2] ?? 0) * 60 + Number(d?.[3] ?? 0);
  expect(minutes).toBeGreaterThanOrEqual(1);
  expect(minutes).toBeLessThanOrEqual(15 * 1440);
}

// ALARM reaches every audience (page, email, chat); no alarm here notifies OK (alarm-routing.ts).
const alertTopic = ['AlertsPageTopic', 'AlertsTopic', 'AlertsChatTopic'].map((id) => ({
  Ref: expect.stringMatching(new RegExp(`^${id}[0-9A-F]{8}$`)),
}));

describe('the alarms', () => {
  it("are the monitor's own and the runtime's running count, with short explicit names", () => {
    const names = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .map((a) => a.Properties.AlarmName)
      .sort();
    expect(names).toEqual([
      'AegisPtHealth-dead-letter',
      'AegisPtHealth-delivery-failed',
      'AegisPtHealth-lambda-errors',
      'AegisPtHealth-liveness',
      'AegisPtHealth-lost-checks',
      'AegisPtHealth-running-tasks',
      'AegisPtHealth-sms-spend',
    ]);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(30);
  });

  it.each([
    ['the one-minute default', {}, 60, 6],
    ['the 5-minute interleave', { cadence: '5m' }, 300, 4],
  ])(
    'liveness at %s: scheduled runs only, FILL to 0, periods and count from the crons, pages alert and health topics',
    (_, context, period, empty) => {
      const a = alarm(synth(context), 'AegisPtHealth-liveness');
      expect(a.Metrics).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Expression: 'FILL(p, 0) + FILL(f, 0)' }),
          ...['p', 'f'].map((id, i) =>
            expect.objectContaining({
              Id: id,
              MetricStat: expect.objectContaining({
                Metric: {
                  Namespace: 'AegisPtHealth',
                  MetricName: 'DetectorRun',
                  Dimensions: [
                    { Name: 'Trigger', Value: ['schedule:primary', 'schedule:fallback'][i] },
                    { Name: 'service', Value: 'aegis-pt-health' },
                  ],
                },
                Period: period,
                Stat: 'Sum',
              }),
            }),
          ),
        ]),
      );
      expect(a).toMatchObject({
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        EvaluationPeriods: empty,
        DatapointsToAlarm: empty,
        TreatMissingData: 'breaching',
        AlarmDescription: `No scheduled check ran for ${(period / 60) * empty} minutes during the session: the monitor is blind.`,
      });
      expect(a.AlarmActions).toEqual(
        expect.arrayContaining([...alertTopic, { Ref: expect.stringMatching(/^HealthTopic/) }]),
      );
      expect(a.OKActions).toBeUndefined();
    },
  );

  it.each([
    [
      'the one-minute default',
      {},
      [
        { Expression: 'cron(3 22 * * MON,TUE,WED,THU)', Duration: 'PT15H4M', Timezone: 'Etc/UTC' },
        { Expression: 'cron(3 22 * * FRI)', Duration: 'P2DT15H4M', Timezone: 'Etc/UTC' },
      ],
    ],
    [
      'the 5-minute interleave',
      { cadence: '5m' },
      [
        { Expression: 'cron(10 22 * * MON,TUE,WED,THU)', Duration: 'PT15H20M', Timezone: 'Etc/UTC' },
        { Expression: 'cron(10 22 * * FRI)', Duration: 'P2DT15H20M', Timezone: 'Etc/UTC' },
      ],
    ],
  ])(
    'liveness at %s is muted in the gaps of its schedules, in the form CloudWatch accepts',
    (_, ctx, want) => {
      const mutes = Object.values(synth(ctx).findResources('AWS::CloudWatch::AlarmMuteRule'));
      expect(mutes.map((m) => m.Properties.Rule.Schedule)).toEqual(want);
      for (const m of mutes) {
        expectAcceptedMuteSchedule(m.Properties.Rule.Schedule);
        // Liveness and the running count are muted alike outside the monitoring window.
        expect(m.Properties.MuteTargets.AlarmNames).toEqual([
          { Ref: expect.stringMatching(/Liveness/) },
          { Ref: expect.stringMatching(/RunningTasks/) },
        ]);
      }
    },
  );

  it('derive the mute rules from the deployed schedules, in the form CloudWatch accepts', () => {
    const t = synth({
      primaryCron: 'cron(0,10,20,30,40,50 14-16,18-20 ? * TUE-SAT *)',
      fallbackCron: 'cron(5,15,25,35,45,55 14-16,18-20 ? * TUE-SAT *)',
    });
    const schedules = Object.values(t.findResources('AWS::CloudWatch::AlarmMuteRule')).map(
      (m) => m.Properties.Rule.Schedule,
    );
    for (const s of schedules) expectAcceptedMuteSchedule(s);
    // Each mute starts one period before the alarm could breach with only the lane that stops first
    // (the primary, 10 minutes apart, at :50) still running.
    expect(schedules.map((s) => [s.Expression, s.Duration])).toEqual([
      ['cron(5 17 * * TUE,WED,THU,FRI,SAT)', 'PT1H15M'],
      ['cron(5 21 * * TUE,WED,THU,FRI)', 'PT17H15M'],
      ['cron(5 21 * * SAT)', 'P2DT17H15M'],
    ]);
  });

  it.each([
    ['AegisPtHealth-lambda-errors', { Namespace: 'AWS/Lambda', MetricName: 'Errors', Period: 300 }],
    [
      'AegisPtHealth-dead-letter',
      {
        Namespace: 'AWS/SQS',
        MetricName: 'NumberOfMessagesSent',
        Period: 60,
        EvaluationPeriods: 20,
        DatapointsToAlarm: 1,
      },
    ],
    [
      'AegisPtHealth-sms-spend',
      { Namespace: 'AWS/SNS', MetricName: 'SMSMonthToDateSpentUSD', Threshold: 0.8 },
    ],
  ])('%s notifies on ALARM only, with missing data as nothing happened', (name, shape) => {
    const a = alarm(template, name);
    expect(a).toMatchObject({
      ...shape,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(a.AlarmActions).toEqual(alertTopic);
    expect(a.OKActions).toBeUndefined();
    expect(a.InsufficientDataActions).toBeUndefined();
  });

  it('lost checks: dead letters that could not be written (Lambda, Scheduler, each ECS rule)', () => {
    const a = alarm(template, 'AegisPtHealth-lost-checks');
    const names = a.Metrics.filter((q: Props) => q.MetricStat).map(
      (q: Props) => `${q.MetricStat.Metric.Namespace}/${q.MetricStat.Metric.MetricName}`,
    );
    expect(names).toEqual([
      'AWS/Lambda/DestinationDeliveryFailures',
      'AWS/Scheduler/InvocationsFailedToBeSentToDeadLetterCount',
      'AWS/Events/InvocationsFailedToBeSentToDlq',
      'AWS/Events/InvocationsFailedToBeSentToDlq',
      'AWS/Events/InvocationsFailedToBeSentToDlq',
    ]);
    expect(a.Metrics.find((q: Props) => q.Expression).Expression).toBe(
      'FILL(d, 0) + FILL(s, 0) + FILL(e0, 0) + FILL(e1, 0) + FILL(e2, 0)',
    );
    expect(a).toMatchObject({ TreatMissingData: 'notBreaching', AlarmActions: alertTopic });
    expect(a.OKActions).toBeUndefined();
  });

  it('alert delivery failures go only through the independent health path', () => {
    const a = alarm(template, 'AegisPtHealth-delivery-failed');
    // Failures on any of the three audience topics.
    const failed = JSON.stringify(a.Metrics).match(/"NumberOfNotificationsFailed"/g);
    expect(failed).toHaveLength(3);
    expect(JSON.stringify(a.Metrics)).toContain('AWS/SNS');
    expect(a.AlarmActions).toBeUndefined();
    const rule = Object.values(template.findResources('AWS::Events::Rule')).find(
      (r) => r.Properties.EventPattern.source?.[0] === 'aws.cloudwatch',
    );
    expect(rule?.Properties.EventPattern).toMatchObject({
      'detail-type': ['CloudWatch Alarm State Change'],
      detail: { state: { value: ['ALARM'] } },
    });
    // Every self alarm except liveness (muted nightly, it reaches the health topic by its action).
    expect(rule?.Properties.EventPattern.resources).toHaveLength(5);
    expect(rule?.Properties.Targets).toEqual([
      expect.objectContaining({ Arn: { Ref: expect.stringMatching(/^HealthTopic/) } }),
    ]);
  });

  it('the health topic shares the one topic key, which EventBridge and CloudWatch may use', () => {
    template.resourceCountIs('AWS::SNS::Topic', 4); // page, email, chat; health
    template.resourceCountIs('AWS::KMS::Key', 1); // one key for every topic (issue #20)
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } }),
          Match.objectLike({ Principal: { Service: 'events.amazonaws.com' } }),
        ]),
      },
    });
  });

  it('no SMS destination, no SMS spend alarm', () => {
    const t = synth({ alertSms: '' });
    expect(() => alarm(t, 'AegisPtHealth-sms-spend')).toThrow();
  });

  it('running tasks, with or without containerInsights: 1-minute periods, 10 of 10, missing is breaching, ALARM only', () => {
    for (const t of [template, synth({ containerInsights: 'true' })]) {
      const a = alarm(t, 'AegisPtHealth-running-tasks');
      expect(a).toMatchObject({
        EvaluationPeriods: 10,
        DatapointsToAlarm: 10,
        TreatMissingData: 'breaching',
        AlarmActions: alertTopic,
      });
      expect(a.OKActions).toBeUndefined();
    }
    expect(
      JSON.stringify(alarm(synth({ containerInsights: 'true' }), 'AegisPtHealth-running-tasks').Metrics),
    ).toContain('"RunningTaskCount"');
  });
});

// ---- evaluated against simulated metric series --------------------------------------------------

const MIN = 60_000;
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const MON = day('2026-06-01');
const hm = (base: number, h: number, m: number) => base + (h * 60 + m) * MIN;

/** Detector runs as the Lambda emits them: DetectorRun per trigger, with the service dimension. */
function runs(trigger: string, times: number[]): Sample[] {
  return times.map((t) => ({
    namespace: 'AegisPtHealth',
    name: 'DetectorRun',
    dims: { service: 'aegis-pt-health', Trigger: trigger },
    t,
    value: 1,
  }));
}

/**
 * Runs of the cadence's schedules on [from, to), each lane stopping at its `dead` time, started the
 * way EventBridge Scheduler starts them: somewhere in the scheduled minute (60 s precision), with the
 * datapoint stamped when the run ends, up to 5 s later.
 */
function scheduled(
  cadence: CadenceName,
  from: number,
  to: number,
  dead: { primary?: number; fallback?: number } = {},
): Sample[] {
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  return cadenceDefinitions(cadence).flatMap((d) =>
    runs(
      d.trigger,
      firings(parseCron(d.cron), from, to - 1)
        .filter((t) => t < (dead[d.name] ?? Infinity))
        .map((t) => t + Math.floor(random() * 65_000)),
    ),
  );
}

const iso = (t: number) => new Date(t).toISOString().slice(0, 16);

describe.each([
  ['the one-minute default', '1m' as const, {}, { detection: 6, morning: '13:07', evening: '22:06' }],
  [
    'the 5-minute interleave',
    '5m' as const,
    { cadence: '5m' },
    { detection: 20, morning: '13:30', evening: '22:20' },
  ],
])('the liveness alarm at %s, evaluated', (_, cadence, context, expected) => {
  let t: Template;
  beforeAll(() => {
    t = synth(context);
  });
  const liveness = () => alarm(t, 'AegisPtHealth-liveness');

  it("stays silent through a healthy week with Scheduler's start jitter: evenings, nights, the weekend", () => {
    const from = day('2026-05-31'); // Sunday
    const to = day('2026-06-08');
    expect(simulate(liveness(), scheduled(cadence, from, to), from, to, mutesOf(t))).toEqual([]);
  });

  it.each(['primary', 'fallback'] as const)(
    'stays silent all week while the %s schedule alone is dead: a slower monitor, not a blind one',
    (lane) => {
      const from = day('2026-05-31');
      const to = day('2026-06-08');
      const samples = scheduled(cadence, from, to, { [lane]: from });
      expect(simulate(liveness(), samples, from, to, mutesOf(t))).toEqual([]);
    },
  );

  it('pages once, within its detection time of the first missed run, when both schedules die in the session', () => {
    const end = MON + 1440 * MIN;
    const dead = hm(MON, 15, 0) + 30_000;
    const samples = scheduled(cadence, MON, end, { primary: dead, fallback: dead });
    const pages = simulate(liveness(), samples, MON, end, mutesOf(t));
    expect(pages.map((p) => p.state)).toEqual(['ALARM']);
    const firstMissed = Math.min(
      ...cadenceDefinitions(cadence).map((d) => firings(parseCron(d.cron), dead, end)[0]),
    );
    expect(pages[0].t - firstMissed).toBeLessThanOrEqual((expected.detection + 1) * MIN);
  });

  it('pages on an ECS-event-only day (schedules dead since the night) when the morning mute ends', () => {
    const ecsEvents = runs(
      'ecs-event',
      Array.from({ length: 200 }, (_, i) => hm(MON, 10, 0) + i * 5 * MIN),
    );
    const pages = simulate(liveness(), ecsEvents, MON, MON + 1440 * MIN, mutesOf(t));
    expect(pages.map((p) => [iso(p.t), p.state])).toEqual([[`2026-06-01T${expected.morning}`, 'ALARM']]);
  });

  it('says nothing the evening after the last run, nor the next morning', () => {
    const from = hm(MON, 20, 0);
    const to = hm(MON + 1440 * MIN, 14, 0); // Tuesday 14:00
    const samples = scheduled(cadence, MON, MON + 2 * 1440 * MIN);
    expect(simulate(liveness(), samples, from, to, mutesOf(t))).toEqual([]);
    // Without its mutes, the same evening would page: the mutes are what keeps it quiet.
    const unmuted = simulate(liveness(), samples, from, hm(MON, 23, 0));
    expect(unmuted.map((p) => iso(p.t))).toEqual([`2026-06-01T${expected.evening}`]);
  });
});

describe('the dead-letter alarm, evaluated', () => {
  const letters = (times: number[]): Sample[] =>
    times.map((t) => ({
      namespace: 'AWS/SQS',
      name: 'NumberOfMessagesSent',
      dims: { QueueName: '' },
      t,
      value: 1,
    }));

  function deadLetterAlarm(): Props {
    const a = alarm(template, 'AegisPtHealth-dead-letter');
    // The queue name is a token in the template; the simulation names it ''.
    return { ...a, Dimensions: [{ Name: 'QueueName', Value: '' }] };
  }

  it('pages for each of two dead letters an hour apart', () => {
    const pages = simulate(deadLetterAlarm(), letters([hm(MON, 10, 3), hm(MON, 11, 3)]), MON, hm(MON, 12, 0));
    expect(pages.map((p) => [iso(p.t), p.state])).toEqual([
      ['2026-06-01T10:04', 'ALARM'],
      ['2026-06-01T11:04', 'ALARM'],
    ]);
  });

  it('pages once for letters within 20 minutes of each other, and again after 20 quiet minutes', () => {
    const pages = simulate(
      deadLetterAlarm(),
      letters([hm(MON, 10, 3), hm(MON, 10, 3) + 20_000, hm(MON, 10, 5), hm(MON, 10, 26)]),
      MON,
      hm(MON, 11, 0),
    );
    // 10:26 is 21 minutes after the last letter: the alarm was OK again at 10:25.
    expect(pages.map((p) => iso(p.t))).toEqual(['2026-06-01T10:04', '2026-06-01T10:27']);
  });

  it('pages for the first letter after a quiet night although SQS sends its datapoint 15 minutes late', () => {
    const late = letters([hm(MON, 3, 2)]).map((l) => ({ ...l, arrives: l.t + 15 * MIN }));
    const pages = simulate(deadLetterAlarm(), late, MON, hm(MON, 4, 0));
    expect(pages.map((p) => [iso(p.t), p.state])).toEqual([['2026-06-01T03:17', 'ALARM']]);
    // The old one-minute, one-datapoint alarm had already evaluated 03:02 when the datapoint arrived.
    const oneOfOne = { ...deadLetterAlarm(), EvaluationPeriods: 1, DatapointsToAlarm: undefined };
    expect(simulate(oneOfOne, late, MON, hm(MON, 4, 0))).toEqual([]);
  });

  it('would have paged once with the old definition (messages visible, never drained)', () => {
    const old = {
      ...deadLetterAlarm(),
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Period: 300,
    };
    const visible: Sample[] = [];
    for (let t = hm(MON, 10, 3); t < hm(MON, 12, 0); t += MIN) {
      visible.push({
        namespace: 'AWS/SQS',
        name: 'ApproximateNumberOfMessagesVisible',
        dims: { QueueName: '' },
        t,
        value: t >= hm(MON, 11, 3) ? 2 : 1,
      });
    }
    expect(simulate(old, visible, MON, hm(MON, 12, 0))).toHaveLength(1);
  });

  it('sends nothing on a fresh deploy with an empty queue (INSUFFICIENT_DATA -> OK is silent)', () => {
    expect(simulate(deadLetterAlarm(), [], MON, hm(MON, 1, 0))).toEqual([]);
  });
});
