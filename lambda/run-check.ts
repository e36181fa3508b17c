// One check, as a sequence of named stages (lambda/check/): collect -> order/guard -> decide ->
// deliver per audience -> record -> metrics -> side jobs. Every adapter is passed in: the Lambda, the
// CLI, the demo and the tests run this same sequence.
import { randomUUID } from 'node:crypto';
import { detect } from './detector/detect';
import { currentNotices } from './detector/announcements';
import { DEFAULT_PAGE_FLOOR } from './detector/routing';
import type { DetectorOutput, ObservationBundle, RunNotification, TriggerContext } from './detector/types';
import { listSignatures, previousFor, type Routing } from './check/claim';
import { collect, readSilences } from './check/collect';
import { decide, withInfo } from './check/decide';
import { deliver, floorsOf } from './check/deliver';
import { fromThePast, observedBefore, supersededWhy } from './check/guard';
import { recordRun, type RecordInput } from './check/record';
import { runSideJobs } from './check/side-jobs';
import type { DigestOutcome } from './digest/send-digest';
import { WriteConflictError, type CheckDeps } from './ports';
import { budgetFrom, collectBudgetMs, timeLeftMs, type RunBudget } from './run-budget';
import { mergeHandoffs } from './detector/handoff-merge';
import { unstored } from './check/unstored';
import {
  cursorAfter,
  HANDOFF_READ_MS,
  leaveHandoff,
  readHandoffs,
  unconsumed,
  withHandedTold,
  type HandoffsRead,
} from './check/handoff';

/** Whether the stored silence with this id says it holds escalations back too. */
function holdsEscalations(raw: readonly unknown[]): (id: string) => boolean {
  return (id) =>
    raw.some((s) => {
      const entry = s as { id?: unknown; include_escalations?: unknown } | null;
      return entry?.id === id && entry.include_escalations === true;
    });
}

/** Kept for this run's own delivery once it stops waiting on another run's claim. */
const WAIT_RESERVE_MS = 5_000;
const WAIT_FIRST_MS = 200;
const WAIT_MAX_MS = 2_000;

export interface CheckResult {
  readonly output: DetectorOutput;
  readonly notified: boolean;
  readonly runKey: string;
  readonly digest: DigestOutcome;
  readonly notifications: readonly RunNotification[];
  /** What was due to some audience at this run (new, and resolved) by signature. */
  readonly due: { readonly newEvents: readonly string[]; readonly resolvedEvents: readonly string[] };
}

/** Some audience was not told: the invocation fails (Lambda retries it), after its record is written. */
export class DeliveryFailedError extends Error {
  constructor(readonly failed: readonly RunNotification[]) {
    super(`publish failed for ${failed.map((n) => `${n.audience} (${n.error ?? 'unknown'})`).join('; ')}`);
    this.name = 'DeliveryFailedError';
  }
}

/**
 * Runs one check. A write conflict on the snapshot (another run stored first) re-reads it and decides
 * again; another run's live claim is waited for until it is released or expires. Both end at this
 * run's own deadline: then it still writes its run record, and says it could not store the snapshot.
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
  const routing: Routing = {
    routed: deps.notifier.audiences,
    floors: floorsOf(deps.pageFloor ?? DEFAULT_PAGE_FLOOR),
  };
  let waitMs = WAIT_FIRST_MS;
  let waitUntil: number | undefined;
  let attempt = 0;
  let last: DetectorOutput | undefined;
  let handoffs: HandoffsRead | undefined;
  const cannotStore = (err: unknown, why?: string) =>
    unstored(
      deps,
      { bundle, silences: silences.silences, trigger, runId, output: last },
      Math.min(WAIT_RESERVE_MS, timeLeftMs(budget)),
      err,
      why,
    );
  while (Date.now() < budget.deadlineMs - WAIT_RESERVE_MS || attempt === 0) {
    attempt++;
    let read;
    try {
      read = await deps.store.readLatest();
    } catch (err) {
      return await cannotStore(err);
    }
    const latest = fromThePast(read, deps.clock.now().getTime());
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
        continue;
      }
      return superseded(deps, bundle, trigger, latest.snapshot!.output, runId, budget);
    }
    const clockNow = deps.clock.now().getTime();
    const cursor = latest.snapshot?.handoff;
    // What runs that could not store saw or told: read once per run (again after waiting on a claim,
    // whose run may hand on what it told), merged against each attempt's log.
    handoffs ??= await readHandoffs(deps, cursor, clockNow, Math.min(HANDOFF_READ_MS, timeLeftMs(budget)));
    const handed = unconsumed(handoffs, cursor);
    const snapshot = withHandedTold(latest.snapshot, handed, routing.routed);
    let view = previousFor(snapshot, clockNow, routing);
    if (view.kind === 'wait') {
      // The claim's remaining time, on the wall clock: waited for, as long as this run's budget allows.
      waitUntil ??= Date.now() + (view.untilMs - clockNow);
      if (waitUntil < budget.deadlineMs - WAIT_RESERVE_MS) {
        deps.log.info('another run is delivering; waiting', { claim: view.claim, attempt });
        await sleep(Math.min(waitMs, Math.max(1, waitUntil - Date.now())));
        waitMs = Math.min(WAIT_MAX_MS, waitMs * 2);
        handoffs = undefined;
        continue;
      }
      deps.log.warn("another run holds the delivery past this run's time; telling it here", {
        claim: view.claim,
      });
      view = previousFor(snapshot, clockNow, routing, true);
      if (view.kind === 'wait') continue;
    }
    waitUntil = undefined;
    let output = decide(deps, {
      bundle,
      previous: view.previous,
      trigger,
      silences,
      snapshotProblem: latest.problem,
      redeliver: false,
    });
    for (const n of [...view.notes, ...handoffs.notes]) output = withInfo(output, n.code, n.summary);
    last = output;
    const seen = mergeHandoffs(view.log, handed, output, routing.routed, routing.floors);
    if (seen.merged.length > 0)
      output = withInfo(
        output,
        'handoff',
        `seen by a run that could not store its snapshot, told here: ${listSignatures(seen.merged)}`,
      );
    let delivered;
    try {
      delivered = await deliver(deps, {
        output,
        log: seen.log,
        announced: view.announced,
        notices: currentNotices(output, holdsEscalations(silences.silences)),
        etag: latest.etag,
        observedAt: bundle.now,
        runId,
        deadlineMs: budget.deadlineMs,
        routing,
        handoff: cursorAfter(handoffs, cursor, clockNow),
      });
    } catch (err) {
      // Nothing was published: the snapshot could not be written at all.
      if (!(err instanceof WriteConflictError)) return await cannotStore(err);
      deps.log.warn('snapshot changed under this run; re-reading and re-running dedup', { attempt });
      // Overlapping runs spread out instead of colliding again at once.
      await sleep(Math.floor(Math.random() * Math.min(WAIT_MAX_MS, WAIT_FIRST_MS * attempt)));
      continue;
    }
    if (delivered.unconfirmed)
      output = withInfo(
        output,
        'snapshot_not_confirmed',
        `told, but the snapshot could not be written after (${delivered.unconfirmed}): what was told is handed to the next run`,
      );
    return await finish(
      deps,
      {
        bundle,
        silences: silences.silences,
        trigger,
        output,
        previous: view.previous,
        runId,
        notifications: delivered.notifications,
        due: delivered.due,
      },
      budget,
    );
  }
  return cannotStore(
    new Error(`could not store the snapshot in ${attempt} attempt(s) of overlapping runs`),
    `overlapping runs kept the snapshot busy for ${attempt} attempt(s) until this run's deadline`,
  );
}

interface Finished extends RecordInput {
  readonly notifications: readonly RunNotification[];
  readonly due: CheckResult['due'];
}

/** Record, metrics and side jobs; then a failed audience fails the invocation. */
async function finish(deps: CheckDeps, run: Finished, budget: RunBudget): Promise<CheckResult> {
  const runKey = await recordRun(deps, run);
  deps.metrics.record(run.output, run.trigger);
  const side = await runSideJobs(deps, budget);
  const notifications = [...run.notifications, ...side.notifications];
  // The digest reads the day's records, this one included, so what it told is added after it.
  if (side.notifications.length > 0)
    await recordRun(deps, { ...run, notifications }).catch((err: unknown) =>
      deps.log.warn('could not add the digest to the run record', { error: (err as Error).message }),
    );
  const failed = run.notifications.filter((n) => n.outcome === 'failed');
  if (failed.length > 0) throw new DeliveryFailedError(failed);
  const notified = run.notifications.some((n) => n.kind === 'alert' && n.outcome === 'told');
  return { output: run.output, notified, runKey, digest: side.digest, notifications, due: run.due };
}

/** A run whose observation is older than the stored snapshot: recorded, never stored nor told. */
async function superseded(
  deps: CheckDeps,
  bundle: ObservationBundle,
  trigger: TriggerContext,
  stored: DetectorOutput,
  runId: string,
  budget: RunBudget,
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
  // What it alone saw (a critical that lasted under a second) is handed on: neither stored nor lost.
  const [runKey] = await Promise.all([
    recordRun(deps, { bundle, silences: [], trigger, output, previous: stored, runId }),
    leaveHandoff(deps, output, bundle.now, runId, timeLeftMs(budget)),
  ]);
  // The newer run that stored the snapshot decides the digest.
  return {
    output,
    notified: false,
    runKey,
    digest: { state: 'skipped' },
    notifications: [],
    due: { newEvents: [], resolvedEvents: [] },
  };
}
