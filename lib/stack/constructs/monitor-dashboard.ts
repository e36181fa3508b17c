// The golden signals on one CloudWatch dashboard. Only the budgeted metric series are metrics
// (lambda/shared/metric-names.ts); every other signal is charted from the run's JSON log line with
// Logs Insights, which costs per query instead of $0.30 per series per month.
import { Duration } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRIC } from '../../../lambda/shared/metric-names';
import type { AlarmGraph } from './monitor-alarms';
import type { MonitorMetrics } from './monitor-metrics';

export interface MonitorDashboardProps {
  /** The one definition of every metric, shared with the alarms. */
  readonly metrics: MonitorMetrics;
  /** The deployed AEGIS_PT_HEARTBEAT_STALE_SEC: the graph's "stale" line is where the detector pages. */
  readonly heartbeatStaleSec: number;
  readonly alarms: readonly cw.IAlarm[];
  /** What each alarm watches: drawn with the alarm's threshold as a line. */
  readonly alarmGraphs: readonly AlarmGraph[];
  /** The function's log group: one JSON line per run, `signals` holding every numeric signal. */
  readonly logGroup: logs.ILogGroup;
}

/** The handler's per-run line (`check <decision>: <reason>`), with `signals` and `trigger`. */
const RUN_LINES = 'filter ispresent(decision) and ispresent(signals.dashboard_up)';

/** Dashboard rows are 24 units wide. */
const ROW_WIDTH = 24;

/** Logs Insights chart of the run line's signals, the max per bin of the deployed cadence. */
function signalQuery(signals: readonly string[], binMin: number): string[] {
  return [
    RUN_LINES,
    `stats ${signals.map((s) => `max(signals.${s}) as ${s}`).join(', ')} by bin(${binMin}m)`,
  ];
}

/** The monitor's one CloudWatch dashboard: key signals, log charts and a graph per alarm. */
export class MonitorDashboard extends Construct {
  readonly dashboard: cw.Dashboard;

  constructor(scope: Construct, id: string, props: MonitorDashboardProps) {
    super(scope, id);
    const logGroupNames = [props.logGroup.logGroupName];
    const graph = (title: string, metrics: cw.IMetric[], extra: Partial<cw.GraphWidgetProps> = {}) =>
      new cw.GraphWidget({ title, left: metrics, width: 8, height: 6, ...extra });
    const { metrics } = props;
    const bin = metrics.liveness.periodMin;
    const alarmGraphs = props.alarmGraphs.map((g) =>
      graph(g.title, [...g.metrics], { leftAnnotations: [g.alarm.toAnnotation()] }),
    );
    const logChart = (title: string, queryLines: string[], view = cw.LogQueryVisualizationType.LINE) =>
      new cw.LogQueryWidget({ title, logGroupNames, queryLines, view, width: 8, height: 6 });
    this.dashboard = new cw.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(8),
      widgets: [
        [
          graph('Heartbeat age (s)', [metrics.detector(METRIC.heartbeatAge)], {
            leftAnnotations: [{ value: props.heartbeatStaleSec, label: 'stale', color: cw.Color.RED }],
            width: ROW_WIDTH / 2,
          }),
          graph(
            'Pending orders, open critical events, ECS running',
            [
              metrics.detector(METRIC.pendingOrders),
              metrics.detector(METRIC.eventsCritical),
              metrics.detector(METRIC.ecsRunning),
            ],
            { width: ROW_WIDTH / 2 },
          ),
        ],
        [
          logChart(
            'Exits (log)',
            signalQuery(['pending_exits', 'stuck_exits', 'max_exit_attempt_count'], bin),
          ),
          logChart(
            'Market data: 10197 notices and status (log)',
            signalQuery(['market_data_10197_recent', 'market_data_status'], bin),
          ),
          logChart(
            'ECS service counts (log)',
            signalQuery(['ecs_desired', 'ecs_running', 'ecs_pending', 'ecs_stopped_tasks'], bin),
          ),
        ],
        [
          logChart(
            'Open events by severity (log)',
            signalQuery(['events_critical', 'events_warn', 'new_events'], bin),
          ),
          logChart(
            'IBKR log signals (log)',
            signalQuery(['ibkr_1100', 'ibkr_1101', 'ibkr_1102', 'log_severe', 'log_fatal'], bin),
          ),
          logChart(
            'Runs by trigger and decision (log)',
            [RUN_LINES, 'stats count(*) as runs by trigger, decision', 'sort runs desc'],
            cw.LogQueryVisualizationType.TABLE,
          ),
        ],
        // The monitor's own alarms: each graph is what its alarm evaluates, with its threshold.
        ...rows(alarmGraphs, ROW_WIDTH / 8),
        [
          new cw.AlarmStatusWidget({
            title: 'Alarms',
            alarms: [...props.alarms],
            width: ROW_WIDTH,
            height: 4,
          }),
        ],
      ],
    });
  }
}

function rows<T>(items: readonly T[], perRow: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += perRow) out.push(items.slice(i, i + perRow));
  return out;
}
