// Post-deploy proof: a scheduled run after the deploy, seen in the run records and in the Lambda's log.
import type { RunRecord } from '../../lambda/detector/types';

export interface LogEvidence {
  readonly timestamp: string;
  readonly message: string;
}

export interface DeployProof {
  readonly started_at: string;
  readonly verdict: 'proven' | 'not_proven';
  readonly record?: { checked_at: string; trigger: string; decision: string };
  readonly log?: LogEvidence;
  /** Why the evidence is not enough, or which sources were not checked. */
  readonly notes: readonly string[];
}

/**
 * `logs` is undefined when the log was not consulted (offline without --log-file): the proof then rests
 * on the run records alone, and says so.
 */
export function proveDeploy(
  records: readonly RunRecord[],
  startedAtMs: number,
  logs?: readonly LogEvidence[],
): DeployProof {
  const notes: string[] = [];
  const after = records.filter((r) => Date.parse(r.checked_at) > startedAtMs);
  const scheduled = after.filter((r) => r.trigger.trigger.startsWith('schedule:'));
  const ignored = after.length - scheduled.length;
  if (ignored > 0)
    notes.push(
      `${ignored} run(s) after the deploy were manual or ECS-event runs: they prove nothing about the scheduler`,
    );
  const first = scheduled.sort((a, b) => a.checked_at.localeCompare(b.checked_at))[0];
  if (!first) notes.push('no scheduled run record after the deploy');
  let log: LogEvidence | undefined;
  if (logs === undefined) {
    notes.push("the Lambda's log was not checked (offline): the proof rests on the run records");
  } else {
    log = logs.find((l) => Date.parse(l.timestamp) > startedAtMs && /"trigger":"schedule:/.test(l.message));
    if (!log) notes.push("no scheduled run in the Lambda's log after the deploy");
  }
  const proven = first !== undefined && (logs === undefined || log !== undefined);
  return {
    started_at: new Date(startedAtMs).toISOString(),
    verdict: proven ? 'proven' : 'not_proven',
    ...(first
      ? { record: { checked_at: first.checked_at, trigger: first.trigger.trigger, decision: first.decision } }
      : {}),
    ...(log ? { log } : {}),
    notes,
  };
}

export function formatDeployProof(p: DeployProof): string {
  return [
    `Post-deploy proof since ${p.started_at}`,
    p.record
      ? `  run record: ${p.record.checked_at} ${p.record.trigger} decision=${p.record.decision}`
      : '  run record: none',
    p.log ? `  log: ${p.log.timestamp} ${p.log.message.slice(0, 160)}` : '  log: none',
    ...p.notes.map((n) => `  note: ${n}`),
    `VERDICT: ${p.verdict === 'proven' ? 'the deployed scheduler is alive' : 'NOT proven'}`,
  ].join('\n');
}
