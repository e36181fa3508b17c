// The monitor's own CloudWatch alarms. Each one decides what missing data means and which transitions
// notify: "something happened" alarms (errors, dead letters, delivery failures, SMS spend) notify on
// ALARM only, because their OK means only "nothing more happened"; the running-tasks alarm also
// notifies its recovery; liveness does not (see below). The runtime's own state (one primary task, heartbeats, orders)
// is the detector's job, deduplicated there, and is not alarmed on twice here.
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { detectorMetric } from './metrics';
import { wireAlarm, type AlarmRouting, type AlarmTransitions } from './alarm-routing';
import { METRIC, TRIGGER_DIMENSION } from '../../../lambda/shared/metric-names';
import {
  LIVENESS_EMPTY_PERIODS,
  LIVENESS_PERIOD_MIN,
  quietWindows,
} from '../../../lambda/shared/quiet-windows';
import type { ScheduleDefinition } from '../../../lambda/shared/schedules';

/**
 * Short, explicit names (`<stack>-liveness`): CloudWatch puts the alarm name in every SMS it sends,
 * and `doctor` finds the stack's alarms by the `<stack>-` prefix.
 */
export const ALARM_SUFFIXES = {
  liveness: 'liveness',
  lambdaErrors: 'lambda-errors',
  deadLetter: 'dead-letter',
  deliveryFailed: 'delivery-failed',
  lostChecks: 'lost-checks',
  smsSpend: 'sms-spend',
  runningTasks: 'running-tasks',
} as const;

export interface MonitorAlarmsProps {
  readonly fn: lambda.IFunction;
  /** The alert (audience) topic names whose failed deliveries are counted. */
  readonly alertTopicNames: readonly string[];
  readonly deadLetterQueue: sqs.IQueue;
  /** The ECS event rules, whose failures to reach the dead-letter queue are counted. */
  readonly eventRuleNames: readonly string[];
  readonly clusterName: string;
  readonly serviceName: string;
  readonly containerInsights: boolean;
  /** The deployed check schedules: liveness reads their runs and is muted in their gaps. */
  readonly schedules: readonly ScheduleDefinition[];
  /** Alarm at this share of the account's SMS monthly spend limit; undefined: no SMS, no alarm. */
  readonly smsSpendAlarmUsd?: number;
  readonly routing: AlarmRouting;
}

export class MonitorAlarms extends Construct {
  readonly alarms: cw.Alarm[] = [];
  /** The alarms about the monitor itself (not the runtime), for the independent health path. */
  readonly selfAlarms: cw.Alarm[] = [];
  readonly liveness: cw.Alarm;

  constructor(scope: Construct, id: string, props: MonitorAlarmsProps) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;
    const ALARM_NAMES = Object.fromEntries(
      Object.entries(ALARM_SUFFIXES).map(([k, v]) => [k, `${stackName}-${v}`]),
    ) as Record<keyof typeof ALARM_SUFFIXES, string>;
    const add = (alarm: cw.Alarm, transitions: AlarmTransitions, self = true) => {
      wireAlarm(alarm, props.routing, transitions);
      this.alarms.push(alarm);
      if (self) this.selfAlarms.push(alarm);
      return alarm;
    };
    const eventAlarm = { alarm: true, ok: false } as const;

    // Scheduled runs only: an ECS event or a hand invocation must not hide two dead schedules.
    const scheduled = (trigger: string) =>
      detectorMetric(METRIC.run, 'Sum', Duration.minutes(LIVENESS_PERIOD_MIN), {
        [TRIGGER_DIMENSION]: trigger,
      });
    const [primary, fallback] = props.schedules;
    this.liveness = add(
      new cw.Alarm(this, 'MonitorLiveness', {
        alarmName: ALARM_NAMES.liveness,
        alarmDescription: `No scheduled check ran for ${LIVENESS_PERIOD_MIN * LIVENESS_EMPTY_PERIODS} minutes during the session: the monitor is blind.`,
        metric: new cw.MathExpression({
          // FILL makes an empty period a real 0, so the M-of-N rule applies from the first period.
          expression: 'FILL(p, 0) + FILL(f, 0)',
          usingMetrics: { p: scheduled(primary.trigger), f: scheduled(fallback.trigger) },
          label: 'scheduled detector runs',
          period: Duration.minutes(LIVENESS_PERIOD_MIN),
        }),
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: LIVENESS_EMPTY_PERIODS,
        datapointsToAlarm: LIVENESS_EMPTY_PERIODS,
        // Should FILL return nothing at all, no runs is still what it means.
        treatMissingData: cw.TreatMissingData.BREACHING,
      }),
      // No OK: it goes OK every morning inside its mute, and CloudWatch would run a muted OK
      // action when the mute ends, a daily false "resolved".
      eventAlarm,
    );
    // Mute rules take a five-field cron (no `?`, no year): the library's builder writes that form.
    quietWindows(props.schedules).forEach((w, i) => {
      this.liveness.addAlarmMuteRule(`MuteQuiet${i}`, {
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

    add(
      new cw.Alarm(this, 'LambdaErrors', {
        alarmName: ALARM_NAMES.lambdaErrors,
        alarmDescription: 'A check failed inside the monitor Lambda; its result may be missing.',
        metric: props.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING, // no invocation, no error
      }),
      eventAlarm,
    );
    // What arrives, not what waits: a queue nobody drains stays non-empty after the first letter.
    add(
      new cw.Alarm(this, 'DeadLetters', {
        alarmName: ALARM_NAMES.deadLetter,
        alarmDescription:
          'A scheduled or ECS-event check (or a failed async run) landed in the dead-letter queue.',
        metric: props.deadLetterQueue.metricNumberOfMessagesSent({
          period: Duration.minutes(1),
          statistic: 'Sum',
        }),
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        // A quiet minute returns the alarm to OK, so the next dead letter pages again.
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      }),
      eventAlarm,
    );
    // A dead letter that could not be written is lost without a trace in the queue: count those too.
    const lost: Record<string, cw.IMetric> = {
      d: props.fn.metric('DestinationDeliveryFailures', { period: Duration.minutes(5), statistic: 'Sum' }),
      s: new cw.Metric({
        namespace: 'AWS/Scheduler',
        metricName: 'InvocationsFailedToBeSentToDeadLetterCount',
        dimensionsMap: { ScheduleGroup: 'default' },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
    };
    props.eventRuleNames.slice(0, 8).forEach((ruleName, i) => {
      lost[`e${i}`] = new cw.Metric({
        namespace: 'AWS/Events',
        metricName: 'InvocationsFailedToBeSentToDlq',
        dimensionsMap: { RuleName: ruleName },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
    });
    add(
      new cw.Alarm(this, 'LostChecks', {
        alarmName: ALARM_NAMES.lostChecks,
        alarmDescription: 'A failed check could not even be written to the dead-letter queue: it is lost.',
        metric: new cw.MathExpression({
          expression: Object.keys(lost)
            .map((id) => `FILL(${id}, 0)`)
            .join(' + '),
          usingMetrics: lost,
          label: 'checks lost on the way to the dead-letter queue',
          period: Duration.minutes(5),
        }),
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      }),
      eventAlarm,
    );
    add(
      new cw.Alarm(this, 'AlertDeliveryFailures', {
        alarmName: ALARM_NAMES.deliveryFailed,
        alarmDescription: 'SNS could not deliver an alert (SMS, email or chat) from an alert topic.',
        // Any of the audience topics; FILL: a topic with no failures reports nothing.
        metric: new cw.MathExpression({
          expression: props.alertTopicNames.map((_, i) => `FILL(t${i}, 0)`).join(' + '),
          usingMetrics: Object.fromEntries(
            props.alertTopicNames.map((name, i) => [
              `t${i}`,
              new cw.Metric({
                namespace: 'AWS/SNS',
                metricName: 'NumberOfNotificationsFailed',
                dimensionsMap: { TopicName: name },
                statistic: 'Sum',
                period: Duration.minutes(5),
              }),
            ]),
          ),
          label: 'failed notifications',
          period: Duration.minutes(5),
        }),
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      }),
      // Not through the topic that just failed: the health path carries it (see HealthPath).
      { alarm: false, ok: false },
    );
    if (props.smsSpendAlarmUsd !== undefined) {
      add(
        new cw.Alarm(this, 'SmsSpend', {
          alarmName: ALARM_NAMES.smsSpend,
          alarmDescription:
            'SMS spend this month is near the account limit; past it SNS stops sending SMS without an error.',
          metric: new cw.Metric({
            namespace: 'AWS/SNS',
            metricName: 'SMSMonthToDateSpentUSD',
            statistic: 'Maximum',
            period: Duration.minutes(15),
          }),
          threshold: props.smsSpendAlarmUsd,
          comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cw.TreatMissingData.NOT_BREACHING, // no SMS sent yet this month
        }),
        eventAlarm,
      );
    }
    if (props.containerInsights) {
      // Independent of the Lambda. Container Insights reports 0 tasks as 0, so missing data means
      // insights are off (or the service is gone): INSUFFICIENT_DATA, which notifies nobody. Ten
      // minutes of "not 1" rides out a rolling deploy (2 tasks, or 0 for a moment).
      add(
        new cw.Alarm(this, 'ContainerInsightsRunningTasks', {
          alarmName: ALARM_NAMES.runningTasks,
          alarmDescription: `${props.serviceName} has not had exactly 1 running task for 10 minutes (Container Insights).`,
          metric: new cw.MathExpression({
            expression: 'ABS(m - 1)',
            usingMetrics: {
              m: new cw.Metric({
                namespace: 'ECS/ContainerInsights',
                metricName: 'RunningTaskCount',
                dimensionsMap: { ClusterName: props.clusterName, ServiceName: props.serviceName },
                statistic: 'Maximum',
                period: Duration.minutes(1),
              }),
            },
            label: 'running tasks off 1',
            period: Duration.minutes(1),
          }),
          threshold: 0,
          comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 10,
          datapointsToAlarm: 10,
          treatMissingData: cw.TreatMissingData.MISSING,
        }),
        { alarm: true, ok: true },
        false,
      );
    }
  }
}
