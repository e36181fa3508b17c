// Cost: the distinct custom metric series (namespace + name + dimensions) the Lambda emits over the
// demo's whole scripted day, counted from the EMF blobs Powertools writes, must stay within the budget.
import { Metrics } from '@aws-lambda-powertools/metrics';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsStore } from '../../lambda/adapters/fs-store';
import { PowertoolsMetricsSink } from '../../lambda/adapters/powertools';
import type { Trigger } from '../../lambda/detector/types';
import { METRIC_SERIES_BUDGET, METRICS_NAMESPACE, SERVICE_NAME } from '../../lambda/shared/metric-names';
import { runDemo } from '../../lib/demo/run-demo';

jest.setTimeout(120_000);

interface EmfBlob {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [key: string]: unknown;
}

/** Every series an EMF blob creates: one per metric per dimension set, with the dimension values. */
function seriesOf(blob: EmfBlob): string[] {
  return blob._aws.CloudWatchMetrics.flatMap((d) =>
    d.Dimensions.flatMap((dims) =>
      d.Metrics.map(
        (m) => `${d.Namespace}/${m.Name}{${dims.map((k) => `${k}=${String(blob[k])}`).join(',')}}`,
      ),
    ),
  );
}

function emit(record: Parameters<PowertoolsMetricsSink['record']>, metrics: Metrics): EmfBlob[] {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    new PowertoolsMetricsSink(metrics).record(...record);
  } finally {
    spy.mockRestore();
  }
  return lines
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as EmfBlob);
}

let dir: string;
beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), 'aegis-metrics-')), '.demo');
  await runDemo(dir, () => undefined);
});

describe('the metric series budget', () => {
  it(`emits at most ${METRIC_SERIES_BUDGET} series over the demo's whole day`, async () => {
    const { records } = await new FsStore(dir).listRuns({
      from: '2026-06-01T00:00:00Z',
      to: '2026-06-02T00:00:00Z',
    });
    expect(records.length).toBeGreaterThan(100);
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
    const series = new Set<string>();
    // Every trigger the Lambda can see, not only the demo's, so a new trigger cannot add series.
    const extra: Trigger[] = ['manual', 'cli', 'ecs-event'];
    for (const r of records)
      for (const blob of emit([r, { trigger: r.trigger.trigger }], metrics))
        for (const s of seriesOf(blob)) series.add(s);
    for (const t of extra)
      for (const blob of emit([records[0], { trigger: t }], metrics))
        for (const s of seriesOf(blob)) series.add(s);
    expect([...series].sort()).toEqual([
      // Only in the runs of the demo's approved deploy window (the running-tasks alarm holds off on it).
      'AegisPtHealth/DeployWindowOpen{service=aegis-pt-health}',
      'AegisPtHealth/DetectorRun{service=aegis-pt-health,Trigger=schedule:fallback}',
      'AegisPtHealth/DetectorRun{service=aegis-pt-health,Trigger=schedule:primary}',
      'AegisPtHealth/DetectorRun{service=aegis-pt-health}',
      'AegisPtHealth/ecs_running{service=aegis-pt-health}',
      'AegisPtHealth/events_critical{service=aegis-pt-health}',
      'AegisPtHealth/heartbeat_age_sec{service=aegis-pt-health}',
      'AegisPtHealth/pending_orders{service=aegis-pt-health}',
    ]);
    expect(series.size).toBeLessThanOrEqual(METRIC_SERIES_BUDGET);
  });

  it("agrees with the demo's own metrics file", () => {
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n');
    const series = new Set(
      lines.flatMap((l) =>
        (JSON.parse(l) as { points: { name: string; dimensions: Record<string, string> }[] }).points.map(
          (p) => `${p.name}${JSON.stringify(p.dimensions)}`,
        ),
      ),
    );
    expect(series.size).toBe(8);
  });
});
