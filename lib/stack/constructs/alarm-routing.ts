// The one place that turns an alarm transition into notifications, so routing (audiences, chat)
// changes here and nowhere else.
import * as cw from 'aws-cdk-lib/aws-cloudwatch';

export interface AlarmRouting {
  /** Who hears an alarm go into ALARM (paged). */
  readonly onAlarm: readonly cw.IAlarmAction[];
  /** Who hears it recover. */
  readonly onOk: readonly cw.IAlarmAction[];
}

export interface AlarmTransitions {
  readonly alarm: boolean;
  readonly ok: boolean;
}

/**
 * No alarm notifies INSUFFICIENT_DATA: it is what a fresh deploy, a disabled feature or a quiet
 * queue looks like, and the liveness alarm (missing = breaching) covers a monitor that stopped.
 */
export function wireAlarm(alarm: cw.Alarm, routing: AlarmRouting, transitions: AlarmTransitions): void {
  if (transitions.alarm) alarm.addAlarmAction(...routing.onAlarm);
  if (transitions.ok) alarm.addOkAction(...routing.onOk);
}
