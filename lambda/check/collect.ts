// Stage "collect": what the world looks like (dashboard and ECS, each within its deadline) and which
// silences the operators set. Nothing here reads or writes the snapshot.
import { SILENCE_LIMITS } from '../detector/silences';
import type { ObservationBundle } from '../detector/types';
import type { CheckDeps, DashboardResult, EcsResult } from '../ports';
import { COLLECT_MAX_MS, within } from '../run-budget';

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
  // The abort ends ECS's calls with the budget, so none goes on using the run's time or sockets.
  const abort = new AbortController();
  const ecsRead = within<EcsResult>(deps.ecs.observe(abort.signal), budgetMs, () => {
    abort.abort(new Error(`ECS did not answer within ${budgetMs} ms`));
    return { error: `ECS did not answer within ${budgetMs} ms` };
  });
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

export interface SilencesRead {
  readonly silences: unknown[];
  /** Why none apply although a file may exist (the check goes on, and says so). */
  readonly problem?: string;
  /** The read itself failed (not the file): the last check's silences hold (silence-carry.ts). */
  readonly unreadable?: boolean;
}

/** Silences only hold alerts back: when they cannot be read, the check goes on without them. */
export async function readSilences(deps: Pick<CheckDeps, 'silences'>): Promise<SilencesRead> {
  if (!deps.silences) return { silences: [] };
  try {
    // Bounded input: a file over the limit is neither downloaded nor parsed (none of it applies).
    const read = await deps.silences.readSilences({ maxBytes: SILENCE_LIMITS.fileBytes });
    return read.problem ? { silences: [], problem: `${read.problem}: no silences apply` } : read;
  } catch (err) {
    // A read error says nothing about the file: what held at the last check holds until its end.
    return {
      silences: [],
      unreadable: true,
      problem: `silences could not be read (${(err as Error).message}): the silences of the last check hold until their end, no other applies`,
    };
  }
}
