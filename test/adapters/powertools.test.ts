import { Metrics } from '@aws-lambda-powertools/metrics';
import { PowertoolsMetricsSink, unitOf } from '../../lambda/adapters/powertools';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lambda/shared/metric-names';
import { run } from '../helpers/bundle';

function captureStdout(fn: () => void): string[] {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return lines.join('').split('\n').filter(Boolean);
}

describe('PowertoolsMetricsSink (EMF)', () => {
  it('emits every signal and DetectorRun, plus DetectorRun per trigger', () => {
    const output = run({ status: { pending_orders: 2 } });
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
    const lines = captureStdout(() =>
      new PowertoolsMetricsSink(metrics).record(output, { trigger: 'schedule:primary' }),
    );
    const blobs = lines.map((l) => JSON.parse(l));
    expect(blobs).toHaveLength(2);
    const [all, perTrigger] = blobs;
    const names = all._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name);
    expect(names).toEqual(
      expect.arrayContaining([
        'heartbeat_age_sec',
        'pending_orders',
        'ecs_running',
        'events_warn',
        'events_critical',
        'new_events',
        'DetectorRun',
      ]),
    );
    expect(all._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'AegisPtHealth',
      Dimensions: [['service']],
    });
    expect(all).toMatchObject({
      service: 'aegis-pt-health',
      pending_orders: 2,
      events_warn: 1,
      DetectorRun: 1,
    });
    expect(perTrigger._aws.CloudWatchMetrics[0].Dimensions[0]).toEqual(
      expect.arrayContaining(['service', 'Trigger']),
    );
    expect(perTrigger).toMatchObject({ Trigger: 'schedule:primary', DetectorRun: 1 });
  });

  it('uses Seconds for *_sec signals and Count otherwise', () => {
    expect(unitOf('heartbeat_age_sec')).toBe('Seconds');
    expect(unitOf('pending_orders')).toBe('Count');
  });
});
