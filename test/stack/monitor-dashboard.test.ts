// The dashboard draws the series the alarms evaluate (one metric factory), each alarm's graph with its
// threshold, and one failed-notifications graph per audience topic.
import type { Template } from 'aws-cdk-lib/assertions';
import { synth } from './synth';

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The dashboard body as JSON, each CloudFormation token written as `@{"Ref":...}@` inside its string. */
function dashboard(t: Template): { widgets: Props[] } {
  const body = Object.values(t.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody;
  const parts: unknown[] = typeof body === 'string' ? [body] : body['Fn::Join'][1];
  const text = parts
    .map((p) => (typeof p === 'string' ? p : `@${JSON.stringify(p).replace(/"/g, "'")}@`))
    .join('');
  return JSON.parse(text);
}

const graphs = (t: Template) =>
  dashboard(t).widgets.filter((w) => w.type === 'metric' && w.properties.metrics);
const graph = (t: Template, title: string) => {
  const g = graphs(t).find((w) => w.properties.title === title);
  if (!g) throw new Error(`no graph ${title}`);
  return g.properties;
};
/** `[namespace, name, dim, value, ..., {options}]` as a comparable key (no options). */
const seriesKey = (row: unknown[]) => JSON.stringify(row.filter((x) => typeof x === 'string'));

function alarms(t: Template): Props[] {
  return Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
}

/** An alarm's metric rows in the dashboard's `[ns, name, dimName, dimValue...]` form, token-aware. */
function alarmSeries(a: Props): string[] {
  const metrics: Props[] = a.Metrics
    ? a.Metrics.filter((m: Props) => m.MetricStat).map((m: Props) => m.MetricStat.Metric)
    : [a];
  return metrics.map((m) =>
    JSON.stringify([
      m.Namespace,
      m.MetricName,
      ...(m.Dimensions ?? []).flatMap((d: Props) => [
        d.Name,
        typeof d.Value === 'string' ? d.Value : `@${JSON.stringify(d.Value).replace(/"/g, "'")}@`,
      ]),
    ]),
  );
}

describe('the dashboard', () => {
  const template = synth({ containerInsights: 'true' });

  it("draws every alarm's series in a graph with the alarm's threshold as a line", () => {
    const drawn = graphs(template).map((g) => ({
      series: new Set((g.properties.metrics as unknown[][]).map(seriesKey)),
      thresholds: (g.properties.annotations?.horizontal ?? []).map((h: Props) => h.value),
    }));
    const all = alarms(template);
    expect(all.length).toBeGreaterThanOrEqual(7);
    for (const a of all) {
      const series = alarmSeries(a);
      const shown = drawn.filter((d) => series.some((s) => d.series.has(s)));
      expect({ alarm: a.AlarmName, shown: shown.length > 0 }).toEqual({ alarm: a.AlarmName, shown: true });
      for (const d of shown) expect(d.thresholds).toContain(a.Threshold);
    }
  });

  it('reads the scheduled runs exactly as the liveness alarm does (Trigger dimension, Sum, period)', () => {
    const liveness = alarms(template).find((a) => a.AlarmName === 'AegisPtHealth-liveness') as Props;
    const fromAlarm = liveness.Metrics.filter((m: Props) => m.MetricStat).map((m: Props) => ({
      series: alarmSeries({ Metrics: [m] })[0],
      stat: m.MetricStat.Stat,
      period: m.MetricStat.Period,
    }));
    const runs = graph(template, 'Scheduled detector runs');
    const rows = (runs.metrics as unknown[][]).filter((r) => r.includes('DetectorRun'));
    expect(rows.map((r) => seriesKey(r)).sort()).toEqual(fromAlarm.map((m: Props) => m.series).sort());
    for (const r of rows) {
      const options = r[r.length - 1] as Props;
      expect(options.stat).toBe('Sum');
      // The graph's default period is 300 s, so a period is written only when it differs.
      expect(options.period ?? 300).toBe(fromAlarm[0].period);
    }
    expect(runs.annotations.horizontal).toEqual([expect.objectContaining({ value: 1 })]);
  });

  it('has a failed-notifications graph per audience topic, each on its own topic', () => {
    const topics = ['page', 'email', 'chat'].map((audience) => {
      const g = graph(template, `Failed notifications: ${audience}`);
      expect(g.metrics).toHaveLength(1);
      const [ns, name, dim, topic] = g.metrics[0];
      expect([ns, name, dim]).toEqual(['AWS/SNS', 'NumberOfNotificationsFailed', 'TopicName']);
      expect(g.annotations.horizontal).toEqual([expect.objectContaining({ value: 1 })]);
      return topic;
    });
    expect(topics[0]).toMatch(/AlertsPageTopic/);
    expect(topics[1]).toMatch(/AlertsTopic/);
    expect(topics[2]).toMatch(/AlertsChatTopic/);
  });
});
