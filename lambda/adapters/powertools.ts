// Logging and metrics through Powertools for AWS Lambda: structured JSON logs and EMF metrics.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DetectorOutput, TriggerContext } from '../detector/types';
import type { CheckLogger, MetricsSink } from '../ports';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../shared/metric-names';

export function createLogger(): CheckLogger {
  const logger = new Logger({ serviceName: SERVICE_NAME });
  return {
    info: (message, extra) => logger.info(message, extra ?? {}),
    warn: (message, extra) => logger.warn(message, extra ?? {}),
    error: (message, extra) => logger.error(message, extra ?? {}),
  };
}

export function unitOf(signal: string): (typeof MetricUnit)[keyof typeof MetricUnit] {
  return signal.endsWith('_sec') ? MetricUnit.Seconds : MetricUnit.Count;
}

/**
 * Every numeric signal, events open by severity and new events (all in `signals`), plus `DetectorRun`
 * twice: once with the service dimension only (the liveness alarm's metric) and once per trigger.
 */
export class PowertoolsMetricsSink implements MetricsSink {
  constructor(
    private readonly metrics: Metrics = new Metrics({
      namespace: METRICS_NAMESPACE,
      serviceName: SERVICE_NAME,
    }),
  ) {}

  record(output: DetectorOutput, trigger: TriggerContext): void {
    for (const [name, value] of Object.entries(output.signals))
      this.metrics.addMetric(name, unitOf(name), value);
    this.metrics.addMetric('DetectorRun', MetricUnit.Count, 1);
    this.metrics.publishStoredMetrics();
    const perTrigger = this.metrics.singleMetric();
    perTrigger.addDimension('Trigger', trigger.trigger);
    perTrigger.addMetric('DetectorRun', MetricUnit.Count, 1);
  }
}
