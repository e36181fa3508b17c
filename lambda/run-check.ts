// One check, as a sequence of named stages (lambda/check/): collect -> order/guard -> decide ->
// deliver -> record -> metrics -> side jobs. Every adapter is passed in: the Lambda, the CLI, the demo
// and the tests run this same sequence.
import { randomUUID } from 'node:crypto';
import { detect } from './detector/detect';
import type { DetectorOutput, ObservationBundle, TriggerContext } from './detector/types';
import { previousFor } from './check/claim';
import { collect, readSilences } from './check/collect';
import { decide, withInfo } from './check/decide';
import { deliver } from './check/deliver';
import { fromThePast, observedBefore, supersededWhy } from './check/guard';
import { recordRun } from './check/record';
import { runSideJobs } from './check/side-jobs';
import type { DigestOutcome } from './digest/send-digest';
import { WriteConflictError, type CheckDeps } from './ports';
import { budgetFrom, collectBudgetMs, type RunBudget } from './run-budget';

const MAX_ATTEMPTS = 8;
const WAIT_MS = 500;

export interface CheckResult {
  readonly output: DetectorOutput;
  readonly notified: boolean;
  readonly runKey: string;
  readonly digest: DigestOutcome;
}

/**
 * Runs one check. A write conflict on the snapshot (another run stored first) re-reads it and decides
 * again; a live claim of another run is waited for, as long as this run's patience allows.
 */
export async function runCheck(
  deps: CheckDeps,
  trigger: TriggerContext,
  budget: RunBudget = budgetFrom(Date.now()),
): Promise<CheckResult> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let bundle = await collect(deps, collectBudgetMs(budget, Date.now()));
  let recollected = false;
  const silences = await readSilences(deps);
  const runId = randomUUID();
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const latest = fromThePast(await deps.store.readLatest(), deps.clock.now().getTime());
    if (latest.problem)
      deps.log.warn('the stored snapshot was unusable; recovered', { problem: latest.problem });
    // An observation older than the stored one is collected again once; still older (a clock behind
    // the other run's), this run neither stores nor tells it.
    if (observedBefore(bundle, latest)) {
      if (!recollected) {
        deps.log.warn('this run observed before the stored snapshot; collecting again', {
          observed_at: bundle.now,
          stored_checked_at: latest.snapshot?.output.checked_at,
        });
        recollected = true;
        bundle = await collect(deps, collectBudgetMs(budget, Date.now()));
        attempt--;
        continue;
      }
      return superseded(deps, bundle, trigger, latest.snapshot!.output, runId);
    }
    // On the last attempt, or with too little time left to wait, a live claim is treated as lost:
    // re-deliver rather than risk silence.
    const patient = attempt < MAX_ATTEMPTS && budget.deadlineMs - Date.now() > WAIT_MS * attempt * 4;
    const view = previousFor(latest.snapshot, deps.clock.now().getTime(), patient);
    if (view.kind === 'wait') {
      deps.log.info('another run is delivering; waiting', { claim: view.claim, attempt });
      await sleep(WAIT_MS * attempt);
      continue;
    }
    const output = decide(deps, {
      bundle,
      previous: view.previous,
      trigger,
      silences,
      snapshotProblem: latest.problem,
      redeliver: view.redeliver,
    });
    try {
      const notified = await deliver(deps, output, latest.etag, runId);
      const runKey = await recordRun(deps, {
        bundle,
        silences: silences.silences,
        trigger,
        output,
        previous: view.previous,
        runId,
      });
      deps.metrics.record(output, trigger);
      const { digest } = await runSideJobs(deps, budget);
      return { output, notified, runKey, digest };
    } catch (err) {
      if (!(err instanceof WriteConflictError)) throw err;
      deps.log.warn('snapshot changed under this run; re-reading and re-running dedup', { attempt });
    }
  }
  throw new Error(`could not write the snapshot after ${MAX_ATTEMPTS} attempts of overlapping runs`);
}

/** A run whose observation is older than the stored snapshot: recorded, never stored nor told. */
async function superseded(
  deps: CheckDeps,
  bundle: ObservationBundle,
  trigger: TriggerContext,
  stored: DetectorOutput,
  runId: string,
): Promise<CheckResult> {
  deps.log.warn('this run is older than the stored snapshot; it neither replaces it nor notifies', {
    observed_at: bundle.now,
    stored_checked_at: stored.checked_at,
  });
  // Judged against the newer snapshot (a "repeat": nothing it already told is new), for the log only.
  const output = withInfo(
    detect({ ...bundle, previous: stored, trigger }, deps.config),
    'observation_superseded',
    supersededWhy(bundle, stored.checked_at),
  );
  const runKey = await recordRun(deps, { bundle, silences: [], trigger, output, previous: stored, runId });
  // The newer run that stored the snapshot decides the digest.
  return { output, notified: false, runKey, digest: { state: 'skipped' } };
}
