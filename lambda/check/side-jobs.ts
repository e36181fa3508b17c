// Stage "side jobs": work a check carries once its own notification and record are done (the daily
// digest, from the run records only).
import { sendDigestIfDue, type DigestOutcome } from '../digest/send-digest';
import type { CheckDeps } from '../ports';
import type { RunBudget } from '../run-budget';

export interface SideJobOutcomes {
  readonly digest: DigestOutcome;
}

export async function runSideJobs(deps: CheckDeps, budget: RunBudget): Promise<SideJobOutcomes> {
  // Once per trading day when due.
  const digest = await sendDigestIfDue(deps, { definitions: deps.schedules, deadlineMs: budget.deadlineMs });
  return { digest };
}
