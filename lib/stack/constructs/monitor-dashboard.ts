// The golden signals on one CloudWatch dashboard.
import { Duration } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { detectorMetric } from './metrics';

const TRIGGERS = ['schedule:primary', 'schedule:fallback', 'ecs-event', 'manual'];

export class MonitorDashboard extends Construct {
  readonly dashboard: cw.Dashboard;

  constructor(scope: Construct, id: string, props: { readonly alarms: readonly cw.IAlarm[] }) {
    super(scope, id);
    const graph = (title: string, metrics: cw.IMetric[], extra: Partial<cw.GraphWidgetProps> = {}) =>
      new cw.GraphWidget({ title, left: metrics, width: 8, height: 6, ...extra });
    this.dashboard = new cw.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(8),
      widgets: [
        [
          graph('Heartbeat age (s)', [detectorMetric('heartbeat_age_sec')], {
            leftAnnotations: [{ value: 300, label: 'stale', color: cw.Color.RED }],
          }),
          graph('Pending orders and exits', [
            detectorMetric('pending_orders'),
            detectorMetric('pending_exits'),
            detectorMetric('stuck_exits'),
          ]),
          graph('Market data: 10197 notices', [detectorMetric('market_data_10197_recent')]),
        ],
        [
          graph('ECS service counts', [
            detectorMetric('ecs_desired'),
            detectorMetric('ecs_running'),
            detectorMetric('ecs_pending'),
          ]),
          graph('Open events by severity', [
            detectorMetric('events_critical'),
            detectorMetric('events_warn'),
            detectorMetric('new_events', 'Sum'),
          ]),
          graph(
            'Detector runs by trigger',
            TRIGGERS.map((t) => detectorMetric('DetectorRun', 'Sum', Duration.minutes(5), { Trigger: t })),
          ),
        ],
        [new cw.AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 4 })],
      ],
    });
  }
}
