// Stage "order": the delivery claim and the notification log on the snapshot. A run publishing holds
// a claim until its own deadline; others wait for it, then read what each audience was told.
import type { Announced } from '../detector/announcements';
import type { Audience } from '../detector/audiences';
import { expireLog, owedSignatures, seedLog, type NotificationLog } from '../detector/notification-log';
import { parseTimestamp } from '../detector/time';
import type { DetectorEvent, DetectorOutput, Level } from '../detector/types';
import type { DeliveryClaim, StoredSnapshot } from '../ports';
import { CLIENT_DEADLINES } from '../shared/client-deadlines';
import { LAMBDA_TIMEOUT_SEC } from '../shared/lambda-limits';

/** A claim of a snapshot written before claims carried their expiry: twice the Lambda timeout. */
export const LEGACY_CLAIM_TTL_MS = 2 * LAMBDA_TIMEOUT_SEC * 1000;

/** The longest one SDK call can take under the client deadlines: every attempt connects and waits. */
export const CALL_MAX_MS =
  CLIENT_DEADLINES.maxAttempts *
  (CLIENT_DEADLINES.requestHandler.connectionTimeout + CLIENT_DEADLINES.requestHandler.requestTimeout);

/**
 * How long a claim holds: the publishes (run side by side) and the confirming write, each as long as
 * the client deadlines allow, and never past the claimant's own deadline (both in wall-clock ms).
 */
export function claimHoldMs(wallNowMs: number, deadlineMs: number): number {
  return Math.max(0, Math.min(deadlineMs - wallNowMs, 2 * CALL_MAX_MS));
}

export interface Routing {
  readonly routed: readonly Audience[];
  readonly floors: Readonly<Record<Audience, Level>>;
}

export type PreviousView =
  | {
      readonly kind: 'ready';
      /** What the detector de-duplicates against: events still owed to an audience count as untold. */
      readonly previous: DetectorOutput | null;
      readonly log: NotificationLog;
      /** What each audience was told of silences (announcements.ts). */
      readonly announced: Announced;
      /** Owed notices of an earlier run that this run tells again, and log entries dropped. */
      readonly notes: readonly { readonly code: string; readonly summary: string }[];
    }
  | { readonly kind: 'wait'; readonly claim: DeliveryClaim; readonly untilMs: number };

/** The live claim on a snapshot and until when it holds, if any. */
function liveClaim(
  snapshot: StoredSnapshot,
  nowMs: number,
): { claim: DeliveryClaim; untilMs: number } | null {
  if (snapshot.claim) {
    const until = parseTimestamp(snapshot.claim.expires_at) ?? 0;
    return until > nowMs ? { claim: snapshot.claim, untilMs: until } : null;
  }
  const legacy = snapshot.delivery;
  if (legacy?.state !== 'pending') return null;
  const until = (parseTimestamp(legacy.claimed_at) ?? 0) + LEGACY_CLAIM_TTL_MS;
  return until > nowMs
    ? { claim: { ...legacy, expires_at: new Date(until).toISOString() }, untilMs: until }
    : null;
}

function untold(e: DetectorEvent): DetectorEvent {
  const copy: Record<string, unknown> = { ...e };
  delete copy.notified_at;
  return copy as unknown as DetectorEvent;
}

/**
 * What the next run may de-duplicate against. A live claim (`force` aside) means another run is
 * publishing right now: wait for it. Otherwise the log says what each audience heard; a snapshot
 * from before logs is seeded from its `notified_at`. An event still owed to some audience loses
 * `notified_at`, so the detector declares it due again (and `undelivered` if it is gone).
 */
export function previousFor(
  snapshot: StoredSnapshot | null,
  nowMs: number,
  routing: Routing,
  force = false,
): PreviousView {
  if (!snapshot) return { kind: 'ready', previous: null, log: {}, announced: {}, notes: [] };
  const live = force ? null : liveClaim(snapshot, nowMs);
  if (live) return { kind: 'wait', ...live };
  const seeded =
    snapshot.nflog ?? seedLog(snapshot.output, routing.routed, routing.floors, !!snapshot.delivery);
  const { log, dropped } = expireLog(seeded, routing.routed, nowMs);
  const owed = owedSignatures(log);
  const notes = [];
  if (owed.size > 0)
    notes.push({
      code: 'redelivery',
      summary: `not yet confirmed to every audience, told again: ${listSignatures([...owed])}`,
    });
  if (dropped.length > 0)
    notes.push({
      code: 'notification_log_trimmed',
      summary: `dropped from the log: ${dropped.slice(0, 10).join('; ')}`,
    });
  const output = snapshot.output;
  const previous =
    owed.size === 0
      ? output
      : { ...output, events: output.events.map((e) => (owed.has(e.signature) ? untold(e) : e)) };
  const announced = Object.fromEntries(
    routing.routed.flatMap((a) => (snapshot.announced?.[a] ? [[a, snapshot.announced[a]]] : [])),
  ) as Announced;
  return { kind: 'ready', previous, log, announced, notes };
}

/** The first ten signatures of an info note, the rest counted. */
export function listSignatures(sigs: readonly string[]): string {
  return `${sigs.slice(0, 10).join(', ')}${sigs.length > 10 ? ` (+${sigs.length - 10} more)` : ''}`;
}
