// Stage "record": one run record per run, with what it observed, so any run can be replayed.
import type {
  DetectorOutput,
  ObservationBundle,
  RunNotification,
  RunRecord,
  TriggerContext,
} from '../detector/types';
import type { CheckDeps } from '../ports';
import { runObservation } from '../run-observation';

export interface RecordInput {
  readonly bundle: ObservationBundle;
  readonly silences: unknown[];
  readonly trigger: TriggerContext;
  readonly output: DetectorOutput;
  /** What the run de-duplicated against. */
  readonly previous: DetectorOutput | null;
  readonly runId: string;
  /** Who this run told what; absent when it published nothing. */
  readonly notifications?: readonly RunNotification[];
}

/** Writes the run record; returns its key. */
export function recordRun(
  deps: Pick<CheckDeps, 'store' | 'config'> & Partial<Pick<CheckDeps, 'notifier'>>,
  input: RecordInput,
): Promise<string> {
  const { bundle, trigger, output } = input;
  const observation = runObservation(
    { ...bundle, silences: input.silences },
    trigger,
    deps.config,
    input.previous,
  );
  const notifications = input.notifications?.length ? { notifications: input.notifications } : {};
  return deps.store.writeRun({
    ...output,
    trigger,
    observation,
    run_id: input.runId,
    ...(deps.notifier ? { routed: [...deps.notifier.audiences] } : {}),
    ...notifications,
  } as RunRecord);
}
