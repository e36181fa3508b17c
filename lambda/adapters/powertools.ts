// Logging and metrics through Powertools for AWS Lambda: structured JSON logs and EMF metrics.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DetectorOutput, TriggerContext } from '../detector/types';
import type { CheckLogger, MetricsSink } from '../ports';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../shared/metric-names';
import { metricPoints } from './metric-points';

export { unitOf } from './metric-points';

export function createLogger(): CheckLogger {
  const logger = new Logger({ serviceName: SERVICE_NAME });
  return {
    info: (message, extra) => logger.info(message, extra ?? {}),
    warn: (message, extra) => logger.warn(message, extra ?? {}),
    error: (message, extra) => logger.error(message, extra ?? {}),
  };
}

/**
 * The budgeted series only (lambda/shared/metric-names.ts): the signals an alarm or a key graph needs
 * and `DetectorRun`, with the service dimension; `DetectorRun` per scheduled trigger as single metrics.
 * Every signal is in the run's log line as well.
 */
export class PowertoolsMetricsSink implements MetricsSink {
  /**
   * The sink of one deployment: its metrics carry that deployment's `service` dimension.
   * @param service the dimension's value (RuntimeEnv.metricsService)
   */
  static forService(service: string): PowertoolsMetricsSink {
    return new PowertoolsMetricsSink(new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service }));
  }

  constructor(
    private readonly metrics: Metrics = new Metrics({
      namespace: METRICS_NAMESPACE,
      serviceName: SERVICE_NAME,
    }),
  ) {}

  record(output: DetectorOutput, trigger: TriggerContext): void {
    const points = metricPoints(output, trigger);
    for (const p of points.filter((x) => Object.keys(x.dimensions).length === 0))
      this.metrics.addMetric(p.name, MetricUnit[p.unit], p.value);
    this.metrics.publishStoredMetrics();
    for (const p of points.filter((x) => Object.keys(x.dimensions).length > 0)) {
      const single = this.metrics.singleMetric();
      for (const [k, v] of Object.entries(p.dimensions)) single.addDimension(k, v);
      single.addMetric(p.name, MetricUnit[p.unit], p.value);
    }
  }
}
