// The monitor's own CloudWatch alarms. Each one decides what missing data means and which transitions
// notify: "something happened" alarms (errors, dead letters, delivery failures, SMS spend) notify on
// ALARM only, because their OK means only "nothing more happened"; the running-tasks alarm also
// notifies its recovery; liveness does not (see below). The runtime's own state (one primary task, heartbeats, orders)
// is the detector's job, deduplicated there, and is not alarmed on twice here.
import { ArnFormat, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { wireAlarm, type AlarmRouting, type AlarmTransitions } from './alarm-routing';
import type { MonitorMetrics } from './monitor-metrics';
import { quietWindows } from '../../../lambda/shared/quiet-windows';
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

/** An alert topic and the audience it carries (page, email, chat). */
export interface AudienceTopic {
  readonly audience: string;
  readonly topic: sns.ITopic;
}

/** A dashboard graph of what an alarm watches, drawn with the alarm's threshold. */
export interface AlarmGraph {
  readonly title: string;
  readonly metrics: readonly cw.IMetric[];
  readonly alarm: cw.Alarm;
}

/**
 * How far back the dead-letter alarm looks, in one-minute periods: SQS delivers an idle queue's first
 * datapoints up to 15 minutes late (SQS Developer Guide, "Monitoring Amazon SQS queues using
 * CloudWatch"), plus margin. Letters within this many minutes of each other share one page.
 */
export const DEAD_LETTER_LOOKBACK_MIN = 20;

export interface MonitorAlarmsProps {
  /** The one definition of every metric, shared with the dashboard. */
  readonly metrics: MonitorMetrics;
  /** The alert topics, one per audience, whose failed deliveries are counted. */
  readonly alertTopics: readonly AudienceTopic[];
  readonly serviceName: string;
  /**
   * Read the running task count from Container Insights' `RunningTaskCount` (below and above 1).
   * @default false - the service's AWS/ECS CPU samples: below 1 only
   */
  readonly containerInsights?: boolean;
  /**
   * Consecutive minutes of a wrong running count before the running-tasks alarm pages.
   * @default 10
   */
  readonly runningTaskAlarmMinutes?: number;
  /** The deployed check schedules: liveness reads their runs and is muted in their gaps. */
  readonly schedules: readonly ScheduleDefinition[];
  /**
   * Alarm at this share of the account's SMS monthly spend limit (USD).
   * @default - no SMS spend alarm (the deployment sends no SMS)
   */
  readonly smsSpendAlarmUsd?: number;
  readonly routing: AlarmRouting;
}

/** The monitor's own CloudWatch alarms, routed through `AlarmRouting`, with a graph each. */
export class MonitorAlarms extends Construct {
  readonly alarms: cw.Alarm[] = [];
  /** The alarms about the monitor itself (not the runtime), for the independent health path. */
  readonly selfAlarms: cw.Alarm[] = [];
  /** What each alarm watches, for the dashboard (one graph per audience for failed deliveries). */
  readonly graphs: AlarmGraph[] = [];
  readonly liveness: cw.Alarm;
  /** The runtime's running task count, independent of the Lambda. */
  readonly runningTasks: cw.Alarm;

  /**
   * Each alarm's ARN, built from its name: topic and key policies name the alarms that may publish
   * without referring to them (an alarm refers to its topics, which refer to the key).
   * @param alarms the alarms to name
   */
  arnsOf(alarms: readonly cw.Alarm[]): string[] {
    const stack = Stack.of(this);
    return alarms.map((a) =>
      stack.formatArn({
        service: 'cloudwatch',
        resource: 'alarm',
        resourceName: (a.node.defaultChild as cw.CfnAlarm).alarmName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
  }

  constructor(scope: Construct, id: string, props: MonitorAlarmsProps) {
    super(scope, id);
    const { metrics } = props;
    const stackName = Stack.of(this).stackName;
    const ALARM_NAMES = Object.fromEntries(
      Object.entries(ALARM_SUFFIXES).map(([k, v]) => [k, `${stackName}-${v}`]),
    ) as Record<keyof typeof ALARM_SUFFIXES, string>;
    const add = (
      alarm: cw.Alarm,
      transitions: AlarmTransitions,
      graphs: readonly Omit<AlarmGraph, 'alarm'>[],
      self = true,
    ) => {
      wireAlarm(alarm, props.routing, transitions);
      this.alarms.push(alarm);
      if (self) this.selfAlarms.push(alarm);
      for (const g of graphs) this.graphs.push({ ...g, alarm });
      return alarm;
    };
    const eventAlarm = { alarm: true, ok: false } as const;

    const [primary, fallback] = props.schedules;
    const { liveness } = metrics;
    const scheduledRuns = metrics.scheduledRunsTotal([primary.trigger, fallback.trigger]);
    this.liveness = add(
      new cw.Alarm(this, 'MonitorLiveness', {
        alarmName: ALARM_NAMES.liveness,
        alarmDescription: `No scheduled check ran for ${liveness.detectionMin} minutes during the session: the monitor is blind.`,
        metric: scheduledRuns,
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
        // More empty periods than either schedule alone leaves: a dead lane is a slower monitor
        // (gap, the digest and doctor show it), a dead pair a blind one.
        evaluationPeriods: liveness.emptyPeriods,
        datapointsToAlarm: liveness.emptyPeriods,
        // Should FILL return nothing at all, no runs is still what it means.
        treatMissingData: cw.TreatMissingData.BREACHING,
      }),
      // No OK: it goes OK every morning inside its mute, and CloudWatch would run a muted OK
      // action when the mute ends, a daily false "resolved".
      eventAlarm,
      [
        {
          title: 'Scheduled detector runs',
          metrics: [
            scheduledRuns,
            ...[primary, fallback].map((d) => metrics.scheduledRuns(d.trigger).with({ label: d.trigger })),
          ],
        },
      ],
    );

    const errors = metrics.checkErrors();
    add(
      new cw.Alarm(this, 'LambdaErrors', {
        alarmName: ALARM_NAMES.lambdaErrors,
        alarmDescription: 'A check failed inside the monitor Lambda; its result may be missing.',
        metric: errors,
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING, // no invocation, no error
      }),
      eventAlarm,
      [{ title: 'Monitor Lambda errors', metrics: [errors] }],
    );
    // What arrives, not what waits: a queue nobody drains stays non-empty after the first letter.
    // The dead-letter queue is idle for hours, and SQS sends an idle queue's first datapoints up to
    // 15 minutes late: a one-minute, one-datapoint alarm would have evaluated that minute already.
    // Any letter in the last DEAD_LETTER_LOOKBACK_MIN minutes breaches, so a late one still pages.
    const letters = metrics.deadLettersArrived();
    add(
      new cw.Alarm(this, 'DeadLetters', {
        alarmName: ALARM_NAMES.deadLetter,
        alarmDescription:
          'A scheduled or ECS-event check (or a failed async run) landed in the dead-letter queue.',
        metric: letters,
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: DEAD_LETTER_LOOKBACK_MIN,
        datapointsToAlarm: 1,
        // Quiet for the whole look-back returns the alarm to OK, so the next dead letter pages again.
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      }),
      eventAlarm,
      [{ title: 'Dead letters arrived', metrics: [letters] }],
    );
    // A dead letter that could not be written is lost without a trace in the queue: count those too.
    const lost = metrics.lostChecks();
    add(
      new cw.Alarm(this, 'LostChecks', {
        alarmName: ALARM_NAMES.lostChecks,
        alarmDescription: 'A failed check could not even be written to the dead-letter queue: it is lost.',
        metric: lost,
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      }),
      eventAlarm,
      [{ title: 'Checks lost before the dead-letter queue', metrics: [lost] }],
    );
    add(
      new cw.Alarm(this, 'AlertDeliveryFailures', {
        alarmName: ALARM_NAMES.deliveryFailed,
        alarmDescription: 'SNS could not deliver an alert (SMS, email or chat) from an alert topic.',
        // Any of the audience topics.
        metric: metrics.notificationsFailedTotal(props.alertTopics.map((a) => a.topic)),
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      }),
      // Not through the topic that just failed: the health path carries it (see HealthPath).
      { alarm: false, ok: false },
      // One graph per audience: which of page, email and chat is failing.
      props.alertTopics.map((a) => ({
        title: `Failed notifications: ${a.audience}`,
        metrics: [metrics.notificationsFailed(a.topic).with({ label: `${a.audience} failed` })],
      })),
    );
    if (props.smsSpendAlarmUsd !== undefined) {
      const spend = metrics.smsMonthToDateSpend();
      add(
        new cw.Alarm(this, 'SmsSpend', {
          alarmName: ALARM_NAMES.smsSpend,
          alarmDescription:
            'SMS spend this month is near the account limit; past it SNS stops sending SMS without an error.',
          metric: spend,
          threshold: props.smsSpendAlarmUsd,
          comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cw.TreatMissingData.NOT_BREACHING, // no SMS sent yet this month
        }),
        eventAlarm,
        [{ title: 'SMS spend this month (USD)', metrics: [spend] }],
      );
    }
    this.runningTasks = this.runningTasksAlarm(props, ALARM_NAMES.runningTasks, add);

    // Mute rules take a five-field cron (no `?`, no year): the library's builder writes that form.
    // Liveness and running tasks are muted alike outside the monitoring window.
    quietWindows(props.schedules, metrics.liveness).forEach((w, i) => {
      new cw.AlarmMuteRule(this.liveness, `MuteQuiet${i}`, {
        description: 'aegis-pt-health: no checks are scheduled in this window',
        schedule: cw.ScheduleExpression.cron({
          minute: String(w.minute),
          hour: w.hours.join(','),
          weekDay: w.weekDays.join(','),
          timeZone: TimeZone.ETC_UTC,
        }),
        duration: Duration.minutes(w.durationMin),
        alarms: [this.liveness, this.runningTasks],
      });
    });
  }

  /**
   * The runtime's running task count, read from ECS by CloudWatch alone: the path that still pages
   * when the Lambda, its schedules or its dashboard access are broken. With Container Insights,
   * `RunningTaskCount` (below 1 and above 1); without, or when insights report nothing, whether the
   * service reports any CPU sample at all (below 1 only). A minute with a run inside an approved deploy
   * window does not breach; a Lambda that emits nothing never holds the alarm off (FILL to 0).
   */
  private runningTasksAlarm(
    props: MonitorAlarmsProps,
    alarmName: string,
    add: (
      alarm: cw.Alarm,
      t: AlarmTransitions,
      g: readonly Omit<AlarmGraph, 'alarm'>[],
      self: boolean,
    ) => cw.Alarm,
  ): cw.Alarm {
    const { metrics } = props;
    const minutes = props.runningTaskAlarmMinutes ?? 10;
    const reporting = metrics.serviceTasksReporting();
    const usingMetrics: Record<string, cw.IMetric> = { w: metrics.deployWindowOpen(), c: reporting };
    // 1 when ECS reports a running task this minute, else 0.
    const present = 'IF(FILL(c, 0) > 0, 1, 0)';
    let offOne = `1 - ${present}`;
    let what = 'no running task';
    const graphed: cw.IMetric[] = [reporting.with({ label: 'ECS CPU samples (a running task reports)' })];
    if (props.containerInsights === true) {
      usingMetrics.m = metrics.insightsRunningTasks();
      // Insights' count where it reports, the CPU samples' 0/1 where it does not.
      offOne = `ABS(IF(FILL(m, -1) >= 0, FILL(m, 0), ${present}) - 1)`;
      what = 'not exactly one running task';
      graphed.push(metrics.insightsRunningTasks().with({ label: 'running tasks (Container Insights)' }));
    }
    const breach = new cw.MathExpression({
      expression: `IF(FILL(w, 0) > 0, 0, ${offOne})`,
      usingMetrics,
      label: `${what} (outside a deploy window)`,
      period: Duration.minutes(1),
    });
    return add(
      new cw.Alarm(
        this,
        props.containerInsights === true ? 'ContainerInsightsRunningTasks' : 'RunningTasks',
        {
          alarmName,
          alarmDescription:
            `${props.serviceName}: ${what} for ${minutes} minutes outside a deploy window ` +
            `(${props.containerInsights === true ? 'Container Insights RunningTaskCount' : 'AWS/ECS CPUUtilization samples: below 1 only'}).`,
          metric: breach,
          threshold: 0,
          comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: minutes,
          datapointsToAlarm: minutes,
          // No data at all is no evidence of a running task.
          treatMissingData: cw.TreatMissingData.BREACHING,
        },
      ),
      // No OK, like liveness: muted overnight, CloudWatch would run a morning's muted OK at the mute's
      // end, a false "resolved"; the detector tells the recovery when the Lambda works.
      { alarm: true, ok: false },
      [{ title: 'Running tasks', metrics: [breach, ...graphed] }],
      false,
    );
  }
}
