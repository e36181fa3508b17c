// Stage "order/guard": the snapshot never moves back in time. A snapshot from the future is not used;
// an observation older than the stored snapshot is neither stored nor told.
import { parseTimestamp } from '../detector/time';
import type { ObservationBundle } from '../detector/types';
import type { LatestRead } from '../ports';

/** How far a stored snapshot may be ahead of this run's clock: clock skew between runs, never more. */
export const FUTURE_SNAPSHOT_TOLERANCE_MS = 5 * 60_000;

/**
 * A snapshot stamped further in the future than any skew (a clock gone wrong once, a hand edit) is
 * unusable: kept, every later run would count as older than it and tell nothing, ever. Its events
 * are dropped (told again if still there: twice rather than never); its ETag still guards the write.
 */
export function fromThePast(latest: LatestRead, nowMs: number): LatestRead {
  const checkedAt = latest.snapshot?.output.checked_at;
  const at = parseTimestamp(checkedAt);
  if (at === undefined || at - nowMs <= FUTURE_SNAPSHOT_TOLERANCE_MS) return latest;
  const problem = `checked_at ${checkedAt} is ${Math.round((at - nowMs) / 1000)}s ahead of this run's clock: not used`;
  return { ...latest, snapshot: null, problem: latest.problem ? `${latest.problem}; ${problem}` : problem };
}

/**
 * Whether this observation is older than the stored snapshot's. Compared at full precision when the
 * snapshot keeps its observation time (two runs in one second are ordered, never "not older"); a
 * snapshot from before that has only its checked_at, at second precision.
 */
export function observedBefore(bundle: ObservationBundle, latest: LatestRead): boolean {
  const seen = parseTimestamp(bundle.now) ?? 0;
  const observed = parseTimestamp(latest.snapshot?.observed_at);
  if (observed !== undefined) return seen < observed;
  const stored = parseTimestamp(latest.snapshot?.output.checked_at);
  return stored !== undefined && Math.floor(seen / 1000) * 1000 < stored;
}

/** Why a run older than the stored snapshot neither stores nor tells what it saw. */
export function supersededWhy(bundle: ObservationBundle, storedCheckedAt: string): string {
  return `observed at ${bundle.now}, before the stored snapshot (${storedCheckedAt}): not stored, not told`;
}
