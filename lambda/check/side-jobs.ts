// Stage "side jobs": work a check carries once its own notification and record are done (the daily
// digest, from the run records only; sealing past hours and days of run records for their readers).
// Each has its own outcome: a side job never fails the check.
import type { RunNotification } from '../detector/types';
import { sendDigestIfDue, type DigestOutcome } from '../digest/send-digest';
import type { CheckDeps, SealOutcome } from '../ports';
import type { RunBudget } from '../run-budget';

/** The most a check spends sealing records (a monitor catching up on days does it over several checks). */
export const SEAL_BUDGET_MS = 10_000;
/** Less than this left in the run, sealing waits for the next check. */
const SEAL_MIN_MS = 8_000;

export interface SideJobOutcomes {
  readonly digest: DigestOutcome;
  readonly seal: SealOutcome;
  /** Who the side jobs told what. */
  readonly notifications: readonly RunNotification[];
}

export async function runSideJobs(deps: CheckDeps, budget: RunBudget): Promise<SideJobOutcomes> {
  const notifications: RunNotification[] = [];
  const digest = await dailyDigest(deps, budget, notifications);
  return { digest, seal: await sealRecords(deps, budget), notifications };
}

async function dailyDigest(
  deps: CheckDeps,
  budget: RunBudget,
  notifications: RunNotification[],
): Promise<DigestOutcome> {
  try {
    return await sendDigestIfDue(deps, {
      definitions: deps.schedules,
      deadlineMs: budget.deadlineMs,
      notifications,
    });
  } catch (err) {
    const error = `${(err as Error).name ?? 'Error'}: ${(err as Error).message}`.slice(0, 300);
    deps.log.error('daily digest failed; the next check sends it again', { error });
    return { state: 'failed', error };
  }
}

/** Packs the hours and summarises the days that are over, for the record readers (lambda/records). */
async function sealRecords(deps: CheckDeps, budget: RunBudget): Promise<SealOutcome> {
  if (!deps.sealer || budget.deadlineMs - Date.now() < SEAL_MIN_MS) return { state: 'skipped' };
  try {
    const deadline = Math.min(budget.deadlineMs, Date.now() + SEAL_BUDGET_MS);
    const outcome = await deps.sealer.seal(deps.clock.now().getTime(), deadline);
    if (outcome.state === 'sealed' || outcome.state === 'partial')
      deps.log.info('run records sealed', outcome);
    return outcome;
  } catch (err) {
    const error = `${(err as Error).name ?? 'Error'}: ${(err as Error).message}`.slice(0, 300);
    deps.log.warn('could not seal past run records; the next check tries again', { error });
    return { state: 'failed', error };
  }
}
