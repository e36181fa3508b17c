// CloudWatch alarms on the runtime and on the monitor itself; every one notifies the topic on ALARM
// and on OK. The liveness alarm is muted outside the scheduled window, when no runs are expected.
import { Duration, TimeZone } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { detectorMetric } from './metrics';
import { quietWindows } from '../../../lambda/shared/quiet-windows';
import type { ScheduleDefinition } from '../../../lambda/shared/schedules';

export interface MonitorAlarmsProps {
  readonly fn: lambda.IFunction;
  readonly topic: sns.ITopic;
  readonly deadLetterQueue: sqs.IQueue;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly containerInsights: boolean;
  /** The deployed check schedules: the liveness alarm is muted in the gaps between their runs. */
  readonly schedules: readonly ScheduleDefinition[];
}

export class MonitorAlarms extends Construct {
  readonly alarms: cw.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitorAlarmsProps) {
    super(scope, id);
    const notify = new cwActions.SnsAction(props.topic);
    const add = (alarm: cw.Alarm) => {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
      this.alarms.push(alarm);
      return alarm;
    };
    const notOne = (metric: cw.IMetric, label: string) =>
      new cw.MathExpression({
        expression: 'ABS(m - 1)',
        usingMetrics: { m: metric },
        label,
        period: Duration.minutes(5),
      });

    add(
      new cw.Alarm(this, 'EcsRunningCount', {
        alarmDescription: 'aegis-pt-core running task count is not 1 (from the detector)',
        metric: notOne(detectorMetric('ecs_running', 'Maximum'), 'running count off 1'),
        threshold: 0,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING, // liveness covers missing runs
      }),
    );
    if (props.containerInsights) {
      add(
        new cw.Alarm(this, 'ContainerInsightsRunningTasks', {
          alarmDescription: 'aegis-pt-core RunningTaskCount is not 1 (Container Insights)',
          metric: notOne(
            new cw.Metric({
              namespace: 'ECS/ContainerInsights',
              metricName: 'RunningTaskCount',
              dimensionsMap: { ClusterName: props.clusterName, ServiceName: props.serviceName },
              statistic: 'Maximum',
            }),
            'running tasks off 1',
          ),
          threshold: 0,
          comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 2,
          treatMissingData: cw.TreatMissingData.BREACHING,
        }),
      );
    }
    add(
      new cw.Alarm(this, 'LambdaErrors', {
        alarmDescription: 'the monitor Lambda failed (a check did not complete)',
        metric: props.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      }),
    );
    add(
      new cw.Alarm(this, 'DeadLetters', {
        alarmDescription: 'scheduled or ECS-event invocations were dropped into the dead-letter queue',
        metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      }),
    );
    add(
      new cw.Alarm(this, 'AlertDeliveryFailures', {
        alarmDescription: 'SNS could not deliver alerts (email or SMS)',
        metric: new cw.Metric({
          namespace: 'AWS/SNS',
          metricName: 'NumberOfNotificationsFailed',
          dimensionsMap: { TopicName: props.topic.topicName },
          statistic: 'Sum',
          period: Duration.minutes(5),
        }),
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      }),
    );
    const liveness = add(
      new cw.Alarm(this, 'MonitorLiveness', {
        alarmDescription: 'no detector run in 15 minutes during the scheduled window',
        metric: detectorMetric('DetectorRun', 'Sum', Duration.minutes(15)),
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cw.TreatMissingData.BREACHING,
      }),
    );
    // Mute rules take a five-field cron (no `?`, no year): the library's builder writes that form.
    quietWindows(props.schedules).forEach((w, i) => {
      liveness.addAlarmMuteRule(`MuteQuiet${i}`, {
        description: 'aegis-pt-health: no checks are scheduled in this window',
        schedule: cw.ScheduleExpression.cron({
          minute: String(w.minute),
          hour: w.hours.join(','),
          weekDay: w.weekDays.join(','),
          timeZone: TimeZone.ETC_UTC,
        }),
        duration: Duration.minutes(w.durationMin),
      });
    });
  }
}
