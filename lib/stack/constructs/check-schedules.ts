// The primary and fallback check schedules (EventBridge Scheduler), exact in time, retried briefly,
// with an encrypted dead-letter queue for invocations that never succeed.
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SCHEDULER_INPUT, type ScheduleDefinition } from '../../../lambda/shared/schedules';
import { boundedName } from '../names';

/** Schedule group names: at most 64 characters. */
const GROUP_NAME_MAX = 64;

/** A check older than this is worthless: the next scheduled one is five minutes away. */
export const SCHEDULE_MAX_EVENT_AGE = Duration.minutes(4);
export const SCHEDULE_RETRY_ATTEMPTS = 2;

/** The invocation input: the trigger plus EventBridge Scheduler's context attributes. */
export function scheduleInput(trigger: string): Record<string, string> {
  return {
    trigger,
    [SCHEDULER_INPUT.executionId]: scheduler.ContextAttribute.executionId,
    [SCHEDULER_INPUT.scheduledTime]: scheduler.ContextAttribute.scheduledTime,
    [SCHEDULER_INPUT.scheduleArn]: scheduler.ContextAttribute.scheduleArn,
    [SCHEDULER_INPUT.attempt]: scheduler.ContextAttribute.attemptNumber,
  };
}

export interface CheckSchedulesProps {
  readonly fn: lambda.IFunction;
  readonly definitions: readonly ScheduleDefinition[];
  readonly deadLetterQueue: sqs.IQueue;
}

/** One EventBridge Scheduler schedule per check definition (primary, fallback), invoking the monitor. */
export class CheckSchedules extends Construct {
  readonly schedules: scheduler.Schedule[];
  /**
   * The stack's own schedule group: Scheduler's dead-letter failures are counted per group, and the
   * account's `default` group holds every other schedule in the region (another stack's included),
   * whose failures must not page here.
   */
  readonly group: scheduler.ScheduleGroup;

  constructor(scope: Construct, id: string, props: CheckSchedulesProps) {
    super(scope, id);
    this.group = new scheduler.ScheduleGroup(this, 'Group', {
      scheduleGroupName: boundedName(Stack.of(this).stackName, 'checks', GROUP_NAME_MAX),
    });
    this.schedules = props.definitions.map(
      (def) =>
        new scheduler.Schedule(this, def.name === 'primary' ? 'Primary' : 'Fallback', {
          description: `aegis-pt-health ${def.name} check`,
          scheduleGroup: this.group,
          schedule: scheduler.ScheduleExpression.expression(def.cron, TimeZone.ETC_UTC),
          timeWindow: scheduler.TimeWindow.off(),
          target: new targets.LambdaInvoke(props.fn, {
            // Scheduler fills the context attributes per invocation: a run with an execution id was
            // started by the scheduler, not by hand with a copied payload (prove-deploy relies on it).
            input: scheduler.ScheduleTargetInput.fromObject(scheduleInput(def.trigger)),
            retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
            maxEventAge: SCHEDULE_MAX_EVENT_AGE,
            deadLetterQueue: props.deadLetterQueue,
          }),
        }),
    );
    // The schedules name the group by its name: create it first.
    for (const s of this.schedules) s.node.addDependency(this.group);
  }
}
