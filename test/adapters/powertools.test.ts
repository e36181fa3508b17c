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
  it('emits only the budgeted signals and DetectorRun, plus DetectorRun per scheduled trigger', () => {
    const output = run({ status: { pending_orders: 2 } });
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
    const lines = captureStdout(() =>
      new PowertoolsMetricsSink(metrics).record(output, { trigger: 'schedule:primary' }),
    );
    const blobs = lines.map((l) => JSON.parse(l));
    expect(blobs).toHaveLength(2);
    const [all, perTrigger] = blobs;
    const names = all._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name);
    expect(names.sort()).toEqual([
      'DetectorRun',
      'ecs_running',
      'events_critical',
      'heartbeat_age_sec',
      'pending_orders',
    ]);
    expect(all._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'AegisPtHealth',
      Dimensions: [['service']],
    });
    expect(all).toMatchObject({ service: 'aegis-pt-health', pending_orders: 2, DetectorRun: 1 });
    // Not a metric: in the run's log line instead.
    expect(all.events_warn).toBeUndefined();
    expect(perTrigger._aws.CloudWatchMetrics[0].Dimensions[0]).toEqual(
      expect.arrayContaining(['service', 'Trigger']),
    );
    expect(perTrigger).toMatchObject({ Trigger: 'schedule:primary', DetectorRun: 1 });
  });

  it("emits every series with the deployment's own service dimension (forService)", () => {
    const output = run({ status: { pending_orders: 2 } });
    const lines = captureStdout(() =>
      PowertoolsMetricsSink.forService('AegisPtHealthStaging').record(output, {
        trigger: 'schedule:primary',
      }),
    );
    const blobs = lines.map((l) => JSON.parse(l));
    expect(blobs).toHaveLength(2);
    for (const b of blobs) {
      expect(b._aws.CloudWatchMetrics[0].Namespace).toBe(METRICS_NAMESPACE);
      expect(b.service).toBe('AegisPtHealthStaging');
    }
  });

  it('adds no per-trigger series for ECS-event, manual or CLI runs', () => {
    const output = run({});
    for (const trigger of ['ecs-event', 'manual', 'cli'] as const) {
      const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
      const lines = captureStdout(() => new PowertoolsMetricsSink(metrics).record(output, { trigger }));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0])._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']]);
    }
  });

  it('uses Seconds for *_sec signals and Count otherwise', () => {
    expect(unitOf('heartbeat_age_sec')).toBe('Seconds');
    expect(unitOf('pending_orders')).toBe('Count');
  });
});
