// The Lambda handler: parse the trigger, run the one check sequence, log one line with the decision.
import { randomUUID } from 'node:crypto';
import type { DeadManSwitch } from './adapters/dead-man';
import type { CheckDeps } from './ports';
import { budgetFrom } from './run-budget';
import { runCheck } from './run-check';
import { parseTrigger, type CodeIdentity } from './triggers';

export interface HandlerResult {
  readonly checked_at: string;
  readonly trigger: string;
  readonly decision: string;
  readonly decision_reason: string;
  /** What was due to some audience at this run (the detector's new events not yet told, resolutions). */
  readonly new_events: string[];
  readonly resolved_events: string[];
  readonly notified: boolean;
  readonly run_key: string;
  /** The daily digest step: sent, not_due, already_sent, ... */
  readonly digest: string;
}

/** The part of the Lambda context the run needs: its remaining time is the run's budget. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

export function createHandler(
  deps: CheckDeps,
  code: CodeIdentity = {},
  deadMan?: DeadManSwitch,
): (event: unknown, context?: InvocationContext) => Promise<HandlerResult> {
  return async (event, context) => {
    const { trigger, warning } = parseTrigger(event, code);
    if (warning) deps.log.warn(warning);
    const budget = budgetFrom(Date.now(), context?.getRemainingTimeInMillis?.());
    // Scheduled runs only: the switch outside AWS expects a ping per schedule window (never an
    // ECS event's or a manual run's, which would hide dead schedules). A ping never fails the run.
    const ping =
      deadMan && trigger.trigger.startsWith('schedule:')
        ? deadMan.forRun(randomUUID(), budget.deadlineMs)
        : undefined;
    await ping?.('start');
    let checked: Awaited<ReturnType<typeof runCheck>>;
    try {
      checked = await runCheck(deps, trigger, budget);
    } catch (err) {
      await ping?.('fail');
      throw err;
    }
    const { output, notified, runKey, digest, due } = checked;
    const result: HandlerResult = {
      checked_at: output.checked_at,
      trigger: trigger.trigger,
      decision: output.decision,
      decision_reason: output.decision_reason,
      new_events: [...due.newEvents],
      resolved_events: [...due.resolvedEvents],
      notified,
      run_key: runKey,
      digest: digest.state,
    };
    deps.log.info(`check ${output.decision}: ${output.decision_reason}`, {
      ...result,
      open_events: output.events.map((e) => `${e.severity}:${e.signature}`),
      trigger_reason: trigger.reason,
      // What prove-deploy matches in the log: the scheduler's execution and the code that ran.
      execution_id: trigger.execution_id,
      scheduled_time: trigger.scheduled_time,
      code_version: trigger.code_version,
      // Every signal, for the dashboard's Logs Insights widgets: only a few are metrics (cost).
      signals: output.signals,
    });
    await ping?.('success');
    return result;
  };
}
