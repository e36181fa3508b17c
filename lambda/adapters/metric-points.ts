// What one run emits as CloudWatch metrics: the few series in lambda/shared/metric-names.ts, the same
// for the Lambda's EMF sink and the demo's JSON-lines sink.
import type { DetectorOutput, TriggerContext } from '../detector/types';
import { METRIC, PER_TRIGGER_RUN_TRIGGERS, SIGNAL_METRICS } from '../shared/metric-names';

export interface MetricPoint {
  readonly name: string;
  readonly value: number;
  readonly unit: 'Seconds' | 'Count';
  /** Dimensions beyond `service`, which every point carries. */
  readonly dimensions: Readonly<Record<string, string>>;
}

export function unitOf(signal: string): MetricPoint['unit'] {
  return signal.endsWith('_sec') ? 'Seconds' : 'Count';
}

export function metricPoints(output: DetectorOutput, trigger: TriggerContext): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const name of SIGNAL_METRICS) {
    const value = output.signals[name];
    if (value !== undefined) points.push({ name, value, unit: unitOf(name), dimensions: {} });
  }
  points.push({ name: METRIC.run, value: 1, unit: 'Count', dimensions: {} });
  // The stack's running-tasks alarm holds off while an approved deploy replaces the task.
  if (output.silences?.some((s) => s.kind === 'deploy-window'))
    points.push({ name: METRIC.deployWindow, value: 1, unit: 'Count', dimensions: {} });
  if (PER_TRIGGER_RUN_TRIGGERS.includes(trigger.trigger))
    points.push({ name: METRIC.run, value: 1, unit: 'Count', dimensions: { Trigger: trigger.trigger } });
  return points;
}
