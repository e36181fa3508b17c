// One definition of every metric the monitor's alarms and dashboard read (as cdk-monitoring-constructs'
// metric factories do): an alarm and the graph that shows it draw the same series, with the same
// namespace, dimensions, statistic and period, so they cannot drift apart.
import { Duration } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { METRIC, METRICS_NAMESPACE, TRIGGER_DIMENSION } from '../../../lambda/shared/metric-names';
import type { LivenessShape } from '../../../lambda/shared/quiet-windows';

/** The period of the "something happened" alarms (errors, lost checks, failed deliveries). */
const EVENT_PERIOD = Duration.minutes(5);
/** EventBridge rules a lost-checks expression reads: CloudWatch allows 10 metrics per math alarm. */
const MAX_EVENT_RULES = 8;

export interface MonitorMetricsProps {
  /** The monitor function (errors, failed on-failure deliveries). */
  readonly fn: lambda.IFunction;
  /** The dead-letter queue of the schedules, the ECS rules and the function's async failures. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The ECS event rules, whose failures to reach the dead-letter queue are counted. */
  readonly eventRuleNames: readonly string[];
  /** The runtime's ECS cluster. */
  readonly clusterName: string;
  /** The runtime's ECS service. */
  readonly serviceName: string;
  /** The liveness alarm's shape, derived from the deployed crons (`livenessShape`): its period is the cadence's. */
  readonly liveness: LivenessShape;
  /** The stack's schedule group, whose failures to reach the dead-letter queue are counted. */
  readonly scheduleGroupName: string;
  /** The `service` dimension of the Lambda's own metrics (`metricsServiceName` of the stack). */
  readonly metricsService: string;
}

/** Options of a detector (EMF) metric. */
export interface DetectorMetricOptions {
  /** @default 'Maximum' */
  readonly statistic?: string;
  /** @default - the cadence (the liveness period: 1 minute at the one-minute default) */
  readonly period?: Duration;
}

/** Makes each metric the alarms and the dashboard read, once (cdk-monitoring-constructs' MetricFactory). */
export class MonitorMetrics {
  /** The liveness alarm's shape: period and empty periods, from the crons. */
  readonly liveness: LivenessShape;
  /** One period per check at the deployed cadence: graphs show every run. */
  readonly cadencePeriod: Duration;

  constructor(private readonly props: MonitorMetricsProps) {
    this.liveness = props.liveness;
    this.cadencePeriod = Duration.minutes(props.liveness.periodMin);
  }

  /**
   * A signal the Lambda emits as an EMF metric, with the service dimension.
   * @param name one of `METRIC`'s names (a test checks the series is emitted)
   */
  detector(name: string, options: DetectorMetricOptions = {}): cw.Metric {
    return new cw.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: name,
      dimensionsMap: { service: this.props.metricsService },
      statistic: options.statistic ?? 'Maximum',
      period: options.period ?? this.cadencePeriod,
    });
  }

  /**
   * Runs started by one schedule, per liveness period. Only the scheduled triggers have this series:
   * an ECS event or a hand invocation must not hide two dead schedules.
   * @param trigger `schedule:primary` or `schedule:fallback`
   */
  scheduledRuns(trigger: string): cw.Metric {
    return new cw.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: METRIC.run,
      dimensionsMap: { service: this.props.metricsService, [TRIGGER_DIMENSION]: trigger },
      statistic: 'Sum',
      period: this.cadencePeriod,
    });
  }

  /**
   * All scheduled runs per liveness period (what the liveness alarm evaluates). FILL makes an empty
   * period a real 0, so the M-of-N rule applies from the first period.
   * @param triggers the primary and the fallback schedule's triggers, in that order
   */
  scheduledRunsTotal(triggers: readonly [string, string]): cw.MathExpression {
    return new cw.MathExpression({
      expression: 'FILL(p, 0) + FILL(f, 0)',
      usingMetrics: { p: this.scheduledRuns(triggers[0]), f: this.scheduledRuns(triggers[1]) },
      label: 'scheduled detector runs',
      period: this.cadencePeriod,
    });
  }

  /** Invocations of the monitor that ended in an error. */
  checkErrors(): cw.Metric {
    return this.props.fn.metricErrors({ period: EVENT_PERIOD, statistic: 'Sum' });
  }

  /** Messages that arrived in the dead-letter queue (what arrives, not what waits there). */
  deadLettersArrived(): cw.Metric {
    return this.props.deadLetterQueue.metricNumberOfMessagesSent({
      period: Duration.minutes(1),
      statistic: 'Sum',
    });
  }

  /**
   * Failed checks that could not even be written to the dead-letter queue: the function's on-failure
   * destination, the stack's schedule group and each ECS rule (the first eight).
   */
  lostChecks(): cw.MathExpression {
    const lost: Record<string, cw.IMetric> = {
      d: this.props.fn.metric('DestinationDeliveryFailures', { period: EVENT_PERIOD, statistic: 'Sum' }),
      s: new cw.Metric({
        namespace: 'AWS/Scheduler',
        metricName: 'InvocationsFailedToBeSentToDeadLetterCount',
        dimensionsMap: { ScheduleGroup: this.props.scheduleGroupName },
        statistic: 'Sum',
        period: EVENT_PERIOD,
      }),
    };
    this.props.eventRuleNames.slice(0, MAX_EVENT_RULES).forEach((ruleName, i) => {
      lost[`e${i}`] = new cw.Metric({
        namespace: 'AWS/Events',
        metricName: 'InvocationsFailedToBeSentToDlq',
        dimensionsMap: { RuleName: ruleName },
        statistic: 'Sum',
        period: EVENT_PERIOD,
      });
    });
    return new cw.MathExpression({
      expression: Object.keys(lost)
        .map((id) => `FILL(${id}, 0)`)
        .join(' + '),
      usingMetrics: lost,
      label: 'checks lost on the way to the dead-letter queue',
      period: EVENT_PERIOD,
    });
  }

  /** Notifications SNS could not deliver from one topic (endpoint errors, not failed publishes). */
  notificationsFailed(topic: sns.ITopic): cw.Metric {
    return new cw.Metric({
      namespace: 'AWS/SNS',
      metricName: 'NumberOfNotificationsFailed',
      dimensionsMap: { TopicName: topic.topicName },
      statistic: 'Sum',
      period: EVENT_PERIOD,
    });
  }

  /** Failed notifications summed over topics; FILL: a topic with no failures reports nothing. */
  notificationsFailedTotal(topics: readonly sns.ITopic[]): cw.MathExpression {
    return new cw.MathExpression({
      expression: topics.map((_, i) => `FILL(t${i}, 0)`).join(' + '),
      usingMetrics: Object.fromEntries(topics.map((t, i) => [`t${i}`, this.notificationsFailed(t)])),
      label: 'failed notifications',
      period: EVENT_PERIOD,
    });
  }

  /** The account's SMS spend this month (SNS stops sending SMS at the limit without an error). */
  smsMonthToDateSpend(): cw.Metric {
    return new cw.Metric({
      namespace: 'AWS/SNS',
      metricName: 'SMSMonthToDateSpentUSD',
      statistic: 'Maximum',
      period: Duration.minutes(15),
    });
  }

  /** 1 in a minute with a run inside an approved deploy window; absent otherwise (metric-points.ts). */
  deployWindowOpen(): cw.Metric {
    return this.detector(METRIC.deployWindow, { period: Duration.minutes(1) });
  }

  /**
   * The runtime service's CPUUtilization samples per minute (AWS/ECS, free, no Container Insights).
   * ECS publishes service metrics only while the service has a RUNNING task, so a minute without a
   * sample is a minute without a running task. It cannot count tasks: two running tasks report one
   * aggregated datapoint, like one.
   */
  serviceTasksReporting(): cw.Metric {
    return new cw.Metric({
      namespace: 'AWS/ECS',
      metricName: 'CPUUtilization',
      dimensionsMap: { ClusterName: this.props.clusterName, ServiceName: this.props.serviceName },
      statistic: 'SampleCount',
      period: Duration.minutes(1),
    });
  }

  /** Container Insights' running task count of the runtime's service (needs insights on the cluster). */
  insightsRunningTasks(): cw.Metric {
    return new cw.Metric({
      namespace: 'ECS/ContainerInsights',
      metricName: 'RunningTaskCount',
      dimensionsMap: { ClusterName: this.props.clusterName, ServiceName: this.props.serviceName },
      statistic: 'Maximum',
      period: Duration.minutes(1),
    });
  }
}
