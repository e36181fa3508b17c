// The path of one check: collect -> read snapshot -> detect -> notify -> persist -> record -> metrics.
// Every adapter is passed in: the Lambda, the CLI, the demo and the tests run this same sequence.
import { randomUUID } from 'node:crypto';
import { detect } from './detector/detect';
import { hasNews, renderMessage } from './detector/messages';
import { formatUtc, parseTimestamp } from './detector/time';
import type { DetectorOutput, ObservationBundle, RunRecord, TriggerContext } from './detector/types';
import { previousFor } from './delivery';
import { runObservation } from './run-observation';
import { sendDigestIfDue, type DigestOutcome } from './digest/send-digest';
import {
  WriteConflictError,
  type CheckDeps,
  type DashboardResult,
  type EcsResult,
  type LatestRead,
  type StoredSnapshot,
} from './ports';
import { budgetFrom, COLLECT_MAX_MS, collectBudgetMs, within, type RunBudget } from './run-budget';

const MAX_ATTEMPTS = 8;
const WAIT_MS = 500;

/**
 * Observations of the world, without the snapshot: collected once per run. Each source gets
 * `budgetMs`: one that has not answered by then is that source's error, and the other is still used.
 */
export async function collect(
  deps: Pick<CheckDeps, 'dashboard' | 'ecs' | 'clock'> & Partial<Pick<CheckDeps, 'log'>>,
  budgetMs: number = COLLECT_MAX_MS,
): Promise<ObservationBundle> {
  // The observation is as old as its first read: stamped after a source that stalled, it would pass
  // for newer than a run that started later and stored fresher data (class 5: NEW, RESOLVED, NEW).
  const now = deps.clock.now().toISOString();
  // Task discovery reads the dashboard at the RUNNING task's address, so ECS comes first then.
  const ecsRead = within<EcsResult>(deps.ecs.observe(), budgetMs, () => ({
    error: `ECS did not answer within ${budgetMs} ms`,
  }));
  const dashRead = within<DashboardResult>(
    deps.dashboard.needsEcs ? ecsRead.then((e) => deps.dashboard.fetch(e)) : deps.dashboard.fetch(),
    budgetMs,
    () => ({ error: `dashboard did not answer within ${budgetMs} ms` }),
  );
  const [dash, ecs] = await Promise.all([dashRead, ecsRead]);
  if ('note' in dash && dash.note) deps.log?.info(dash.note);
  return {
    now,
    ...('payload' in dash ? { status_v3: dash.payload } : { dashboard_error: dash.error }),
    ...('ecs' in ecs ? { ecs: ecs.ecs } : { ecs_error: ecs.error }),
  };
}

export interface CheckResult {
  readonly output: DetectorOutput;
  readonly notified: boolean;
  readonly runKey: string;
  readonly digest: DigestOutcome;
}

function withInfo(output: DetectorOutput, code: string, summary: string): DetectorOutput {
  return { ...output, info: [...output.info, { code, summary }] };
}

/**
 * Runs one check. Publishing comes before advancing the snapshot: a failed publish fails the run and
 * leaves the snapshot marked undelivered, so the next run notifies again (twice at worst, never zero).
 * A conditional write claims the delivery first, so an overlapping run sees the claim and does not
 * publish the same events.
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
    // The snapshot never moves back in time: an observation older than the stored one is collected
    // again once; still older (a clock behind the other run's), this run neither stores nor tells it.
    const stored = parseTimestamp(latest.snapshot?.output.checked_at);
    const seen = Math.floor((parseTimestamp(bundle.now) ?? 0) / 1000) * 1000;
    if (stored !== undefined && seen < stored) {
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
    let output = detect(
      { ...bundle, previous: view.previous, trigger, silences: silences.silences },
      deps.config,
    );
    if (latest.problem) output = withInfo(output, 'snapshot_recovered', latest.problem);
    if (silences.problem) output = withInfo(output, 'silences_unreadable', silences.problem);
    if (view.redeliver) {
      output = withInfo(
        output,
        'redelivery',
        'the previous run did not confirm its notification: telling it again',
      );
    }
    try {
      const notified = await deliver(deps, output, latest.etag, runId);
      const observation = runObservation(
        { ...bundle, silences: silences.silences },
        trigger,
        deps.config,
        view.previous,
      );
      const runKey = await deps.store.writeRun({
        ...output,
        trigger,
        observation,
        run_id: runId,
      } as RunRecord);
      deps.metrics.record(output, trigger);
      // Once per trading day when due: the daily digest, from the run records only (lambda/digest).
      const digest = await sendDigestIfDue(deps, {
        definitions: deps.schedules,
        deadlineMs: budget.deadlineMs,
      });
      return { output, notified, runKey, digest };
    } catch (err) {
      if (!(err instanceof WriteConflictError)) throw err;
      deps.log.warn('snapshot changed under this run; re-reading and re-running dedup', { attempt });
    }
  }
  throw new Error(`could not write the snapshot after ${MAX_ATTEMPTS} attempts of overlapping runs`);
}

/** How far a stored snapshot may be ahead of this run's clock: clock skew between runs, never more. */
export const FUTURE_SNAPSHOT_TOLERANCE_MS = 5 * 60_000;

/**
 * A snapshot stamped further in the future than any skew (a clock gone wrong once, a hand edit) is
 * unusable: kept, every later run would count as older than it and tell nothing, ever. Its events
 * are dropped (told again if still there: twice rather than never); its ETag still guards the write.
 */
function fromThePast(latest: LatestRead, nowMs: number): LatestRead {
  const checkedAt = latest.snapshot?.output.checked_at;
  const at = parseTimestamp(checkedAt);
  if (at === undefined || at - nowMs <= FUTURE_SNAPSHOT_TOLERANCE_MS) return latest;
  const problem = `checked_at ${checkedAt} is ${Math.round((at - nowMs) / 1000)}s ahead of this run's clock: not used`;
  return { ...latest, snapshot: null, problem: latest.problem ? `${latest.problem}; ${problem}` : problem };
}

/** Silences only hold alerts back: when they cannot be read, the check goes on without them. */
async function readSilences(deps: CheckDeps): Promise<{ silences: unknown[]; problem?: string }> {
  if (!deps.silences) return { silences: [] };
  try {
    const read = await deps.silences.readSilences();
    return read.problem ? { silences: [], problem: `${read.problem}: no silences apply` } : read;
  } catch (err) {
    return { silences: [], problem: `silences could not be read (${(err as Error).message}): none apply` };
  }
}

/** A run whose observation is older than the stored snapshot: recorded, never stored nor told. */
async function superseded(
  deps: CheckDeps,
  bundle: ObservationBundle,
  trigger: TriggerContext,
  stored: DetectorOutput,
  runId: string,
): Promise<CheckResult> {
  const why = `observed at ${bundle.now}, before the stored snapshot (${stored.checked_at}): not stored, not told`;
  deps.log.warn('this run is older than the stored snapshot; it neither replaces it nor notifies', {
    observed_at: bundle.now,
    stored_checked_at: stored.checked_at,
  });
  // Judged against the newer snapshot (a "repeat": nothing it already told is new), for the log only.
  const output = withInfo(
    detect({ ...bundle, previous: stored, trigger }, deps.config),
    'observation_superseded',
    why,
  );
  const observation = runObservation(bundle, trigger, deps.config, stored);
  const runKey = await deps.store.writeRun({ ...output, trigger, observation, run_id: runId } as RunRecord);
  // The newer run that stored the snapshot decides the digest.
  return { output, notified: false, runKey, digest: { state: 'skipped' } };
}

async function deliver(
  deps: CheckDeps,
  output: DetectorOutput,
  etag: string | null,
  runId: string,
): Promise<boolean> {
  if (!hasNews(output)) {
    await deps.store.writeLatest({ output }, etag);
    return false;
  }
  const claim = (state: 'pending' | 'failed'): StoredSnapshot => ({
    output,
    delivery: { state, run_id: runId, claimed_at: formatUtc(deps.clock.now().getTime()) },
  });
  const claimEtag = await deps.store.writeLatest(claim('pending'), etag);
  try {
    await deps.notifier.publish(renderMessage(output));
  } catch (err) {
    deps.log.error('publish failed; the snapshot stays undelivered so the next run notifies again', {
      error: (err as Error).message,
    });
    await deps.store.writeLatest(claim('failed'), claimEtag).catch((markErr: unknown) => {
      // The pending claim stays; it expires and the next run re-delivers.
      deps.log.warn('could not mark the delivery failed', { error: (markErr as Error).message });
    });
    throw err;
  }
  await deps.store.writeLatest({ output }, claimEtag).catch((err: unknown) => {
    // Published already: a lost confirmation only risks one more notification later, never none.
    deps.log.warn('could not confirm the delivery on the snapshot', { error: (err as Error).message });
  });
  return true;
}
