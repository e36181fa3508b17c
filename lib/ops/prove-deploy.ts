// Post-deploy proof for the monitor itself: a run that EventBridge Scheduler started (an execution id),
// scheduled after the deploy (with a clock-skew allowance), running the new code, in the run records
// and in the Lambda's log. A hand invocation with a schedule payload proves nothing about the scheduler.
import { parseTimestamp } from '../../lambda/detector/time';
import type { RunRecord } from '../../lambda/detector/types';
import { firings, parseCron } from '../../lambda/shared/cron';
import { schedulerIdentity } from '../../lambda/shared/gap';
import type { ScheduleDefinition } from '../../lambda/shared/schedules';

/** A run scheduled less than this after the stated deploy start is not counted (clocks disagree). */
export const PROOF_SKEW_SEC = 60;

export interface LogEvidence {
  readonly timestamp: string;
  readonly message: string;
  /** The structured fields of the handler's JSON line, when the message is one. */
  readonly fields?: Readonly<Record<string, unknown>>;
}

export interface ProofOptions {
  /** The deployed code's version (stack output MonitorCodeVersion); without it nothing ties a run to the deploy. */
  readonly codeVersion?: string;
  /** Undefined when the log was not consulted. */
  readonly logs?: readonly LogEvidence[];
  /** The operator accepts the run records alone as evidence (the verdict says so). */
  readonly recordsOnly?: boolean;
  /** The deployed schedules: a proving run must be scheduled at a minute its own cron fires. */
  readonly schedules?: readonly ScheduleDefinition[];
  /** Where `schedules` came from, for the report. */
  readonly schedulesSource?: string;
}

export interface DeployProof {
  readonly started_at: string;
  readonly skew_allowance_sec: number;
  readonly code_version: string | null;
  readonly verdict: 'proven' | 'not_proven';
  readonly basis: 'records_and_log' | 'records_only' | 'none';
  readonly record?: {
    checked_at: string;
    trigger: string;
    execution_id: string;
    scheduled_time: string;
    code_version: string | null;
    decision: string;
  };
  readonly log?: LogEvidence;
  /** Why the evidence is not enough, or which sources were not checked. */
  readonly notes: readonly string[];
}

/** Whether the deployed cron of this trigger fires at the scheduled minute. */
function firesAt(schedules: readonly ScheduleDefinition[], trigger: string, scheduledMs: number): boolean {
  const def = schedules.find((d) => d.trigger === trigger);
  const minute = Math.floor(scheduledMs / 60_000) * 60_000;
  return def !== undefined && firings(parseCron(def.cron), minute, minute).length === 1;
}

function why(r: RunRecord, startMs: number, opts: ProofOptions): string | undefined {
  const t = r.trigger;
  // The Scheduler's identity (execution id, a scheduled time not after the run): gap's rule.
  const id = schedulerIdentity(r);
  if ('why' in id) return id.why;
  if (id.scheduledMs < startMs + PROOF_SKEW_SEC * 1000)
    return `scheduled ${t.scheduled_time}, not ${PROOF_SKEW_SEC}s after the deploy start`;
  // The old schedule may still fire once the new code is in (CloudFormation updates the function
  // before the schedule): only a minute the deployed cron fires at is the deployed schedule's.
  if (!opts.schedules) return 'the deployed crons are unknown (pass --cron, or read them from the stack)';
  if (!firesAt(opts.schedules, t.trigger, id.scheduledMs))
    return `scheduled ${t.scheduled_time}, a minute the deployed ${t.trigger} cron does not fire at (${opts.schedules.find((d) => d.trigger === t.trigger)?.cron ?? 'no such schedule'})`;
  const codeVersion = opts.codeVersion;
  if (codeVersion === undefined) return 'the new code version is unknown (pass --code-version)';
  if (t.code_version !== codeVersion)
    return `code version ${t.code_version ?? 'not recorded'}, not ${codeVersion}`;
  return undefined;
}

function logMatches(l: LogEvidence, record: RunRecord): boolean {
  const f = l.fields ?? {};
  return (
    typeof f.trigger === 'string' &&
    f.trigger.startsWith('schedule:') &&
    f.execution_id === record.trigger.execution_id &&
    f.code_version === record.trigger.code_version
  );
}

export function proveDeploy(
  records: readonly RunRecord[],
  startedAtMs: number,
  opts: ProofOptions = {},
): DeployProof {
  const notes: string[] = [];
  const after = [...records]
    .filter((r) => (parseTimestamp(r.checked_at) ?? 0) > startedAtMs)
    .sort((a, b) => a.checked_at.localeCompare(b.checked_at));
  const reasons = new Map<string, number>();
  const qualifying = after.filter((r) => {
    const reason = why(r, startedAtMs, opts);
    if (reason !== undefined) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    return reason === undefined;
  });
  for (const [reason, n] of reasons) notes.push(`${n} run(s) after the deploy do not count: ${reason}`);
  if (after.length === 0) notes.push('no run record after the deploy');
  if (opts.schedules)
    notes.push(
      `deployed crons (${opts.schedulesSource ?? 'given'}): ${opts.schedules.map((d) => `${d.name} ${d.cron}`).join(', ')}`,
    );
  let record = qualifying[0];
  let log: LogEvidence | undefined;
  let basis: DeployProof['basis'] = 'none';
  if (opts.logs !== undefined) {
    const pair = qualifying
      .map((r) => ({ r, l: opts.logs?.find((l) => logMatches(l, r)) }))
      .find((p) => p.l !== undefined);
    if (pair) {
      record = pair.r;
      log = pair.l;
      basis = 'records_and_log';
    } else if (record) {
      notes.push('no log line of the Lambda for a qualifying run (same execution id and code version)');
    }
  } else if (record && opts.recordsOnly) {
    basis = 'records_only';
    notes.push("the Lambda's log was not checked (--records-only): the proof rests on the run records alone");
  } else if (record) {
    notes.push(
      "the Lambda's log was not checked: records alone are not a proof (pass --log-file, or --records-only)",
    );
  }
  const proven = basis !== 'none';
  const t = record?.trigger;
  return {
    started_at: new Date(startedAtMs).toISOString(),
    skew_allowance_sec: PROOF_SKEW_SEC,
    code_version: opts.codeVersion ?? null,
    verdict: proven ? 'proven' : 'not_proven',
    basis,
    ...(record && t
      ? {
          record: {
            checked_at: record.checked_at,
            trigger: t.trigger,
            execution_id: t.execution_id ?? '',
            scheduled_time: t.scheduled_time ?? '',
            code_version: t.code_version ?? null,
            decision: record.decision,
          },
        }
      : {}),
    ...(log ? { log } : {}),
    notes,
  };
}

export function formatDeployProof(p: DeployProof): string {
  const verdict =
    p.basis === 'records_and_log'
      ? 'the deployed code ran on its schedule'
      : p.basis === 'records_only'
        ? 'the deployed code ran on its schedule, per the run records ONLY (log not checked)'
        : 'NOT proven';
  return [
    `Post-deploy proof since ${p.started_at} (skew allowance ${p.skew_allowance_sec}s, code version ${p.code_version ?? 'unknown'})`,
    p.record
      ? `  run record: ${p.record.checked_at} ${p.record.trigger} execution ${p.record.execution_id} scheduled ${p.record.scheduled_time} code ${p.record.code_version ?? '?'} decision=${p.record.decision}`
      : '  run record: none that qualifies',
    p.log ? `  log: ${p.log.timestamp} ${p.log.message.slice(0, 160)}` : '  log: none',
    ...p.notes.map((n) => `  note: ${n}`),
    `VERDICT: ${verdict}`,
  ].join('\n');
}
