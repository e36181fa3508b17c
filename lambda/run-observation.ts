// The observation bundle a run keeps beside its output: what it saw, the settings in force and which
// previous output it judged against, so `detect --observation` and `replay` can judge it again.
import { withBundleConfig, type DetectorConfig } from './detector/config';
import { configVariables } from './detector/config-variables';
import { silenceReferences } from './detector/silences';
import { parseTimestamp } from './detector/time';
import type {
  DetectorOutput,
  ObservationBundle,
  RunObservation,
  RunRecord,
  TriggerContext,
} from './detector/types';

export function runObservation(
  bundle: ObservationBundle,
  trigger: TriggerContext,
  config: DetectorConfig,
  previous: DetectorOutput | null,
): RunObservation {
  // A live bundle has no `config` of its own; applying it anyway is exactly what detect() used.
  const applied = withBundleConfig(config, bundle.config);
  // The silences it was judged with, as bounded references (never the file itself), so a replay
  // holds back what the run held back.
  const nowMs = Math.floor((parseTimestamp(bundle.now) ?? 0) / 1000) * 1000;
  const silences = silenceReferences(bundle.silences, nowMs, { marketClosures: applied.marketClosures });
  return {
    now: bundle.now,
    ...('status_v3' in bundle
      ? { status_v3: bundle.status_v3 }
      : { dashboard_error: bundle.dashboard_error }),
    ...('ecs' in bundle ? { ecs: bundle.ecs } : { ecs_error: bundle.ecs_error }),
    trigger,
    ...(silences.length > 0 ? { silences } : {}),
    config: configVariables(applied),
    previous_checked_at: previous?.checked_at ?? null,
  };
}

/** The bundle that re-judges a stored run: its observation, with the output it should follow. */
export function replayBundle(
  observation: RunObservation,
  previous: DetectorOutput | null,
): ObservationBundle {
  return { ...observation, previous };
}

/** A run record's detector output alone: what the run's detect() returned, without what the record adds. */
export function outputOfRecord(record: RunRecord): DetectorOutput {
  const copy: Record<string, unknown> = { ...record };
  delete copy.observation;
  delete copy.run_id;
  delete copy.notifications;
  delete copy.routed;
  return copy as unknown as DetectorOutput;
}
