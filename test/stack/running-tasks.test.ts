// The ECS running-count alarm, the path that pages when the Lambda is broken: evaluated against
// simulated ECS, Container Insights and DeployWindowOpen series, with the template's mute rules.
import type { Template } from 'aws-cdk-lib/assertions';
import { simulate, type Mute, type Sample } from '../helpers/alarm-evaluator';
import { synth } from './synth';

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const MIN = 60_000;
const MON = Date.parse('2026-06-01T00:00:00Z');
const at = (h: number, m: number) => MON + (h * 60 + m) * MIN;
const iso = (t: number) => new Date(t).toISOString().slice(11, 16);

function runningAlarm(t: Template): Props {
  return Object.values(t.findResources('AWS::CloudWatch::Alarm')).find(
    (a) => a.Properties.AlarmName === 'AegisPtHealth-running-tasks',
  )!.Properties;
}

function mutesOf(t: Template): Mute[] {
  return Object.values(t.findResources('AWS::CloudWatch::AlarmMuteRule')).map((m) => ({
    expression: m.Properties.Rule.Schedule.Expression,
    duration: m.Properties.Rule.Schedule.Duration,
  }));
}

const minutes = (from: number, to: number) => {
  const out: number[] = [];
  for (let t = from; t < to; t += MIN) out.push(t + 20_000);
  return out;
};

/** AWS/ECS CPUUtilization for the service: one datapoint a minute while a task is RUNNING. */
const cpu = (times: number[]): Sample[] =>
  times.map((t) => ({
    namespace: 'AWS/ECS',
    name: 'CPUUtilization',
    dims: { ClusterName: 'aegis-pt', ServiceName: 'aegis-pt-core' },
    t,
    value: 12,
  }));

/** Container Insights' RunningTaskCount. */
const insights = (times: number[], count: number): Sample[] =>
  times.map((t) => ({
    namespace: 'ECS/ContainerInsights',
    name: 'RunningTaskCount',
    dims: { ClusterName: 'aegis-pt', ServiceName: 'aegis-pt-core' },
    t,
    value: count,
  }));

/** DeployWindowOpen from the Lambda's runs inside a deploy window, every `every` minutes. */
const windowRuns = (from: number, to: number, every: number): Sample[] => {
  const out: Sample[] = [];
  for (let t = from; t < to; t += every * MIN)
    out.push({
      namespace: 'AegisPtHealth',
      name: 'DeployWindowOpen',
      dims: { service: 'aegis-pt-health' },
      t: t + 5_000,
      value: 1,
    });
  return out;
};

/** SampleCount is what the alarm reads of CPUUtilization: the evaluator counts samples as a Sum of 1s. */
function withSampleCount(a: Props): Props {
  return {
    ...a,
    Metrics: a.Metrics.map((q: Props) =>
      q.MetricStat?.Stat === 'SampleCount' ? { ...q, MetricStat: { ...q.MetricStat, Stat: 'Sum' } } : q,
    ),
  };
}

describe.each([
  ['without Container Insights (AWS/ECS CPU samples)', {}],
  ['with Container Insights', { containerInsights: 'true' }],
])('the running-tasks alarm %s', (_name, context) => {
  const template = synth(context);
  const alarm = withSampleCount(runningAlarm(template));
  const mutes = mutesOf(template);
  const day = (samples: Sample[]) => simulate(alarm, samples, at(12, 0), at(23, 0), mutes);
  const healthy = (from: number, to: number) =>
    'containerInsights' in context
      ? [...cpu(minutes(from, to)), ...insights(minutes(from, to), 1)]
      : cpu(minutes(from, to));

  it('stays silent through a day with one task running', () => {
    expect(day(healthy(at(0, 0), at(24, 0)))).toEqual([]);
  });

  it('pages after 10 minutes without a running task in the session, whatever the Lambda does', () => {
    const pages = day([...healthy(at(0, 0), at(15, 0)), ...healthy(at(15, 30), at(24, 0))]);
    expect(pages.map((p) => [iso(p.t), p.state])).toEqual([['15:10', 'ALARM']]);
  });

  it('holds off through an approved deploy window with runs every 5 minutes, then pages if still down', () => {
    const samples = [
      ...healthy(at(0, 0), at(15, 0)),
      ...windowRuns(at(15, 0), at(15, 30), 5), // the window: no task from 15:00
    ];
    // The window's last run is at 15:25: ten minutes without a task after it is 15:26-15:35.
    expect(day(samples).map((p) => [iso(p.t), p.state])).toEqual([['15:36', 'ALARM']]);
    // Back within the window: nothing at all.
    expect(day([...samples, ...healthy(at(15, 25), at(24, 0))])).toEqual([]);
  });

  it('is not held off by a Lambda that emits nothing during a deploy (absent is not a window)', () => {
    const pages = day(healthy(at(0, 0), at(15, 0)));
    expect(pages.map((p) => iso(p.t))).toEqual(['15:10']);
  });

  it('is muted outside the monitoring window and pages when the mute ends if still down', () => {
    // Down from 22:30 (muted from 22:03 at the one-minute default) to the next morning: nothing tonight.
    expect(day(healthy(at(0, 0), at(22, 30)))).toEqual([]);
    const tuesday = (h: number, m: number) => at(h, m) + 1440 * MIN;
    const pages = simulate(alarm, healthy(at(0, 0), at(22, 30)), at(12, 0), tuesday(16, 0), mutes);
    // The quiet window ends at 13:07 UTC on Tuesday: still no task then, so it pages.
    expect(pages.map((p) => [new Date(p.t).toISOString().slice(0, 16), p.state])).toEqual([
      ['2026-06-02T13:07', 'ALARM'],
    ]);
  });
});

describe('with Container Insights, the count itself', () => {
  const template = synth({ containerInsights: 'true' });
  const alarm = withSampleCount(runningAlarm(template));
  const day = (samples: Sample[]) => simulate(alarm, samples, at(12, 0), at(23, 0), mutesOf(template));
  const session = minutes(at(0, 0), at(24, 0));

  it('pages on two running tasks (two primaries) for 10 minutes', () => {
    const two = [
      ...cpu(session),
      ...insights(minutes(at(0, 0), at(15, 0)), 1),
      ...insights(minutes(at(15, 0), at(15, 30)), 2),
      ...insights(minutes(at(15, 30), at(24, 0)), 1),
    ];
    expect(day(two).map((p) => [iso(p.t), p.state])).toEqual([['15:10', 'ALARM']]);
  });

  it('falls back to the CPU samples where Container Insights reports nothing (insights off)', () => {
    expect(day(cpu(session))).toEqual([]);
    expect(day(cpu(minutes(at(0, 0), at(15, 0)))).map((p) => iso(p.t))).toEqual(['15:10']);
  });
});

describe('without Container Insights, the limits', () => {
  it('cannot see two running tasks: ECS sends one aggregated datapoint for the service', () => {
    const template = synth();
    const alarm = withSampleCount(runningAlarm(template));
    expect(JSON.stringify(alarm.Metrics)).not.toContain('RunningTaskCount');
    expect(alarm.Metrics.find((q: Props) => q.Expression).Expression).toBe(
      'IF(FILL(w, 0) > 0, 0, 1 - IF(FILL(c, 0) > 0, 1, 0))',
    );
  });
});

describe('runningTaskAlarmMinutes', () => {
  it('sets the minutes', () => {
    const a = runningAlarm(synth({ runningTaskAlarmMinutes: '15' }));
    expect(a).toMatchObject({ EvaluationPeriods: 15, DatapointsToAlarm: 15 });
  });

  it.each([
    ['0', /whole number of minutes from 1 to 60/],
    ['2.5', /whole number of minutes from 1 to 60/],
    ['61', /whole number of minutes from 1 to 60/],
    // The 5-minute interleave leaves 10 minutes between :57 and :07 (the one-minute default, 1).
    ['9', /shorter than the longest gap between scheduled checks in the session \(10 minutes\)/],
  ])('rejects %s naming the key', (value, message) => {
    const context = { cadence: '5m', runningTaskAlarmMinutes: value };
    expect(() => synth(context)).toThrow(/context "runningTaskAlarmMinutes"/);
    expect(() => synth(context)).toThrow(message);
  });
});
