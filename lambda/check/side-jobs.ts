// Stage "side jobs": work a check carries once its own notification and record are done (the daily
// digest, from the run records only). Each has its own outcome: a side job never fails the check.
import type { RunNotification } from '../detector/types';
import { sendDigestIfDue, type DigestOutcome } from '../digest/send-digest';
import type { CheckDeps } from '../ports';
import type { RunBudget } from '../run-budget';

export interface SideJobOutcomes {
  readonly digest: DigestOutcome;
  /** Who the side jobs told what. */
  readonly notifications: readonly RunNotification[];
}

export async function runSideJobs(deps: CheckDeps, budget: RunBudget): Promise<SideJobOutcomes> {
  const notifications: RunNotification[] = [];
  try {
    const digest = await sendDigestIfDue(deps, {
      definitions: deps.schedules,
      deadlineMs: budget.deadlineMs,
      notifications,
    });
    return { digest, notifications };
  } catch (err) {
    const error = `${(err as Error).name ?? 'Error'}: ${(err as Error).message}`.slice(0, 300);
    deps.log.error('daily digest failed; the next check sends it again', { error });
    return { digest: { state: 'failed', error }, notifications };
  }
}
