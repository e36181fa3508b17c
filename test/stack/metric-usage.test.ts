// The alarms and the dashboard read only series the Lambda emits: a metric the budget dropped would
// otherwise be an alarm that never fires or a graph that stays empty.
import {
  METRIC,
  METRICS_NAMESPACE,
  PER_TRIGGER_RUN_TRIGGERS,
  SIGNAL_METRICS,
} from '../../lambda/shared/metric-names';
import { synth } from './synth';

const template = synth({ containerInsights: 'true' });
const emitted = new Set([...SIGNAL_METRICS, METRIC.run, METRIC.deployWindow]);

interface MetricRef {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: { Name: string; Value: unknown }[];
}

function alarmMetrics(): MetricRef[] {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm')).flatMap((a) => {
    const p = a.Properties as MetricRef & { Metrics?: { MetricStat?: { Metric: MetricRef } }[] };
    return p.MetricName ? [p] : (p.Metrics ?? []).flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []));
  });
}

describe('metric usage in the template', () => {
  it('every alarm on our namespace reads an emitted series', () => {
    const ours = alarmMetrics().filter((m) => m.Namespace === METRICS_NAMESPACE);
    expect(ours.length).toBeGreaterThan(0);
    for (const m of ours) {
      expect(emitted).toContain(m.MetricName);
      const trigger = m.Dimensions?.find((d) => d.Name === 'Trigger');
      if (trigger) expect(PER_TRIGGER_RUN_TRIGGERS).toContain(trigger.Value);
    }
  });

  it('every dashboard metric graph reads an emitted series; the rest come from Logs Insights', () => {
    const body = JSON.stringify(
      Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody,
    );
    const names = [...body.matchAll(/\\"AegisPtHealth\\",\\"(\w+)\\"/g)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(emitted).toContain(n);
    expect(body).toContain('max(signals.pending_exits)');
    expect(body).toContain('stats count(*) as runs by trigger, decision');
  });
});
