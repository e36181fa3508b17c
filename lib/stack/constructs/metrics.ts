// The detector's EMF metrics as CloudWatch metric objects (namespace and dimension from the Lambda).
import { Duration } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../../lambda/shared/metric-names';

export function detectorMetric(
  name: string,
  statistic = 'Maximum',
  period = Duration.minutes(5),
  extra: Record<string, string> = {},
): cw.Metric {
  return new cw.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: SERVICE_NAME, ...extra },
    statistic,
    period,
  });
}
