// Stage "order": the delivery claim on the snapshot. How overlapping runs avoid notifying twice while
// a failed or interrupted publish is never lost.
import type { DetectorEvent, DetectorOutput } from '../detector/types';
import { parseTimestamp } from '../detector/time';
import type { DeliveryClaim, StoredSnapshot } from '../ports';
import { LAMBDA_TIMEOUT_SEC } from '../shared/lambda-limits';

/**
 * A claim older than this belongs to a run that died: twice the Lambda timeout, so a run that is
 * still allowed to finish is never taken over, whatever the timeout is set to.
 */
export const CLAIM_TTL_MS = 2 * LAMBDA_TIMEOUT_SEC * 1000;

export type PreviousView =
  | { readonly kind: 'ready'; readonly previous: DetectorOutput | null; readonly redeliver: boolean }
  | { readonly kind: 'wait'; readonly claim: DeliveryClaim };

/**
 * What the next run may de-duplicate against. A snapshot whose delivery failed, or whose claim has
 * expired, did not reach anyone: its newly notified events lose `notified_at` and its resolved events
 * count as open again, so this run tells them once more. A fresh pending claim means another run is
 * publishing right now: wait for it.
 */
export function previousFor(snapshot: StoredSnapshot | null, nowMs: number, patient = true): PreviousView {
  if (!snapshot) return { kind: 'ready', previous: null, redeliver: false };
  const claim = snapshot.delivery;
  if (!claim) return { kind: 'ready', previous: snapshot.output, redeliver: false };
  const claimedAt = parseTimestamp(claim.claimed_at) ?? 0;
  if (patient && claim.state === 'pending' && nowMs - claimedAt < CLAIM_TTL_MS)
    return { kind: 'wait', claim };
  return { kind: 'ready', previous: reopenUntold(snapshot.output), redeliver: true };
}

/** The output as if its own notification never went out: what it told is untold again. */
function reopenUntold(output: DetectorOutput): DetectorOutput {
  const stripped = (e: DetectorEvent): DetectorEvent => {
    if (e.notified_at !== output.checked_at) return e;
    const copy: Record<string, unknown> = { ...e };
    delete copy.notified_at;
    return copy as unknown as DetectorEvent;
  };
  // Its resolutions were not told either: open again, so the next run resolves them once more (a
  // resolution of an event that itself was never told stays untold: no notified_at).
  const reopened = output.resolved_events.map((e) => {
    const copy: Record<string, unknown> = { ...e };
    delete copy.resolved_at;
    delete copy.undelivered;
    return copy as unknown as DetectorEvent;
  });
  return { ...output, events: [...output.events.map(stripped), ...reopened] };
}
