// The golden signals on one CloudWatch dashboard. Only the budgeted metric series are metrics
// (lambda/shared/metric-names.ts); every other signal is charted from the run's JSON log line with
// Logs Insights, which costs per query instead of $0.30 per series per month.
import { Duration } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRIC, PER_TRIGGER_RUN_TRIGGERS } from '../../../lambda/shared/metric-names';
import { detectorMetric } from './metrics';

export interface MonitorDashboardProps {
  /** The deployed AEGIS_PT_HEARTBEAT_STALE_SEC: the graph's "stale" line is where the detector pages. */
  readonly heartbeatStaleSec: number;
  readonly alarms: readonly cw.IAlarm[];
  /** The function's log group: one JSON line per run, `signals` holding every numeric signal. */
  readonly logGroup: logs.ILogGroup;
}

/** The handler's per-run line (`check <decision>: <reason>`), with `signals` and `trigger`. */
const RUN_LINES = 'filter ispresent(decision) and ispresent(signals.dashboard_up)';

/** Logs Insights chart of the run line's signals, the max per 5 minutes. */
function signalQuery(signals: readonly string[]): string[] {
  return [RUN_LINES, `stats ${signals.map((s) => `max(signals.${s}) as ${s}`).join(', ')} by bin(5m)`];
}

export class MonitorDashboard extends Construct {
  readonly dashboard: cw.Dashboard;

  constructor(scope: Construct, id: string, props: MonitorDashboardProps) {
    super(scope, id);
    const logGroupNames = [props.logGroup.logGroupName];
    const graph = (title: string, metrics: cw.IMetric[], extra: Partial<cw.GraphWidgetProps> = {}) =>
      new cw.GraphWidget({ title, left: metrics, width: 8, height: 6, ...extra });
    const logChart = (title: string, queryLines: string[], view = cw.LogQueryVisualizationType.LINE) =>
      new cw.LogQueryWidget({ title, logGroupNames, queryLines, view, width: 8, height: 6 });
    this.dashboard = new cw.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(8),
      widgets: [
        [
          graph('Heartbeat age (s)', [detectorMetric(METRIC.heartbeatAge)], {
            leftAnnotations: [{ value: props.heartbeatStaleSec, label: 'stale', color: cw.Color.RED }],
          }),
          graph('Pending orders, open critical events, ECS running', [
            detectorMetric(METRIC.pendingOrders),
            detectorMetric(METRIC.eventsCritical),
            detectorMetric(METRIC.ecsRunning),
          ]),
          graph(
            'Scheduled detector runs',
            PER_TRIGGER_RUN_TRIGGERS.map((t) =>
              detectorMetric(METRIC.run, 'Sum', Duration.minutes(5), { Trigger: t }),
            ),
          ),
        ],
        [
          logChart('Exits (log)', signalQuery(['pending_exits', 'stuck_exits', 'max_exit_attempt_count'])),
          logChart(
            'Market data: 10197 notices and status (log)',
            signalQuery(['market_data_10197_recent', 'market_data_status']),
          ),
          logChart(
            'ECS service counts (log)',
            signalQuery(['ecs_desired', 'ecs_running', 'ecs_pending', 'ecs_stopped_tasks']),
          ),
        ],
        [
          logChart(
            'Open events by severity (log)',
            signalQuery(['events_critical', 'events_warn', 'new_events']),
          ),
          logChart(
            'IBKR log signals (log)',
            signalQuery(['ibkr_1100', 'ibkr_1101', 'ibkr_1102', 'log_severe', 'log_fatal']),
          ),
          logChart(
            'Runs by trigger and decision (log)',
            [RUN_LINES, 'stats count(*) as runs by trigger, decision', 'sort runs desc'],
            cw.LogQueryVisualizationType.TABLE,
          ),
        ],
        [new cw.AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 4 })],
      ],
    });
  }
}
