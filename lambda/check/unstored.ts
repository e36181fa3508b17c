// Stage "cannot store": a run whose snapshot write failed, hung or ran out of time before it told
// anything. It records its run and leaves what it saw for the next run (handoff.ts), then fails.
import { detect } from '../detector/detect';
import type { DetectorOutput, ObservationBundle, TriggerContext } from '../detector/types';
import type { CheckDeps } from '../ports';
import { within } from '../run-budget';
import { withInfo } from './decide';
import { leaveHandoff } from './handoff';
import { recordRun } from './record';

export interface Unstored {
  readonly bundle: ObservationBundle;
  readonly silences: unknown[];
  readonly trigger: TriggerContext;
  readonly runId: string;
  /** What this run decided last, if it got that far. */
  readonly output: DetectorOutput | undefined;
}

/**
 * A run that cannot store its snapshot (out of time, or the store refused): nothing was told. It
 * still writes its run record and leaves what it saw for the next run to tell, both within what is
 * left of its time (`ms`), then fails (Lambda retries it; the error alarm sees it).
 */
export async function unstored(
  deps: CheckDeps,
  run: Unstored,
  ms: number,
  err: unknown,
  why?: string,
): Promise<never> {
  const { bundle, trigger, silences, runId } = run;
  const output = withInfo(
    run.output ?? detect({ ...bundle, trigger, silences }, deps.config),
    'snapshot_not_stored',
    `${why ?? `the snapshot could not be stored (${(err as Error).name}: ${(err as Error).message})`}: recorded, not stored, not told here; what it saw is left for the next run`.slice(
      0,
      500,
    ),
  );
  deps.log.error('could not store the snapshot; the run record is written and what it saw is handed on', {
    error: (err as Error).message,
  });
  const [runKey] = await Promise.all([
    within(
      recordRun(deps, { bundle, silences, trigger, output, previous: null, runId }).catch((e: unknown) => {
        deps.log.error('could not write the run record', { error: (e as Error).message });
        return undefined;
      }),
      ms,
      () => undefined,
    ),
    leaveHandoff(deps, output, bundle.now, runId, ms),
  ]);
  throw Object.assign(err instanceof Error ? err : new Error(String(err)), { runKey });
}
