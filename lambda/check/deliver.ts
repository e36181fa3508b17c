// Stage "deliver": per audience (Alertmanager's Dedup -> Retry -> SetNotifies per receiver). What each
// audience is due is written ahead as owed, together with a claim; each audience is published on its
// own; only the audiences whose publish succeeded have it moved to told. A failed audience stays owed,
// so the next run (or Lambda's retry of this one) tells that audience alone.
import type { Audience } from '../detector/audiences';
import { renderMessage } from '../detector/messages';
import {
  dueFor,
  hasDue,
  owedAhead,
  recordTold,
  viewFor,
  type AudiencePlan,
  type NotificationLog,
} from '../detector/notification-log';
import {
  noticesFor,
  renderNotices,
  type Announced,
  type AnnouncedLog,
  type Notice,
} from '../detector/announcements';
import { toldOf } from '../detector/handoff';
import type { HandoffCursor } from '../detector/handoff-cursor';
import { formatUtc } from '../detector/time';
import type { DetectorOutput, Level, NotificationMessage, RunNotification } from '../detector/types';
import type { CheckDeps } from '../ports';
import { timeLeftMs, within } from '../run-budget';
import { claimHoldMs, type Routing } from './claim';
import { leave } from './handoff';

export interface DeliverInput {
  readonly output: DetectorOutput;
  readonly log: NotificationLog;
  /** What each audience was told of silences, and what is in force now. */
  readonly announced: Announced;
  readonly notices: readonly Notice[];
  readonly etag: string | null;
  readonly observedAt: string;
  readonly runId: string;
  readonly deadlineMs: number;
  readonly routing: Routing;
  /** Which hand-offs this run read, stored with the snapshot. */
  readonly handoff?: HandoffCursor;
}

export interface DeliverResult {
  /** One entry per audience this run published to. */
  readonly notifications: readonly RunNotification[];
  /** What was due to some audience at this run: new (or again) and resolved signatures. */
  readonly due: { readonly newEvents: readonly string[]; readonly resolvedEvents: readonly string[] };
  /** Why the snapshot could not be written after the publishes (what was told is handed on). */
  readonly unconfirmed?: string;
}

/** Room kept after the publishes for the confirming write. */
const CONFIRM_RESERVE_MS = 2_000;

export function plansFor(
  deps: Pick<CheckDeps, 'config'>,
  output: DetectorOutput,
  log: NotificationLog,
  routing: Routing,
): AudiencePlan[] {
  return routing.routed.map((a) =>
    dueFor(a, output, log[a], {
      floor: routing.floors[a],
      renotifyCriticalSec: deps.config.renotifyCriticalSec,
    }),
  );
}

/** The floors of a run: the pager's as configured, everything else from warn. */
export function floorsOf(pageFloor: Level): Readonly<Record<Audience, Level>> {
  return { page: pageFloor, email: 'warn', chat: 'warn' };
}

/**
 * Stores the snapshot and tells each audience what it is due. Throws WriteConflictError when another
 * run wrote the snapshot first (nothing was published then). A failed publish is not thrown: it is
 * in the result, and the audience stays owed in the stored log.
 */
export async function deliver(
  deps: Pick<CheckDeps, 'store' | 'notifier' | 'clock' | 'log' | 'config' | 'handoffs'>,
  input: DeliverInput,
): Promise<DeliverResult> {
  const { output, log, observedAt, runId, handoff } = input;
  const due = plansFor(deps, output, log, input.routing).filter(hasDue);
  const sigs = (pick: (p: AudiencePlan) => readonly { signature: string }[]) => [
    ...new Set(due.flatMap((p) => pick(p).map((e) => e.signature))),
  ];
  const dueSigs = { newEvents: sigs((p) => p.newEvents), resolvedEvents: sigs((p) => p.resolvedEvents) };
  const at = output.checked_at;
  const noticePlans = input.routing.routed.map((a) => noticesFor(a, input.notices, input.announced[a], at));
  const dueNotices = noticePlans.filter((p) => p.lines.length > 0);
  // What each audience's notice log becomes whatever it hears: entries no longer in force and never
  // needing an end (a refusal resolved) go quietly; ended silences are only dropped once told.
  const announced: Partial<Record<Audience, AnnouncedLog>> = {};
  for (const p of noticePlans) if (p.lines.length === 0) announced[p.audience] = p.next;
  if (due.length === 0 && dueNotices.length === 0) {
    await deps.store.writeLatest(
      { output, observed_at: observedAt, nflog: log, announced, handoff },
      input.etag,
    );
    return { notifications: [], due: dueSigs };
  }
  const ahead: Partial<Record<Audience, NotificationLog[Audience]>> = { ...log };
  for (const p of due) ahead[p.audience] = owedAhead(log[p.audience], p, at);
  // Claim times are on the run's clock, like every other stamp of the snapshot; how long it holds is
  // what this run's budget and the client deadlines allow.
  const nowMs = deps.clock.now().getTime();
  const startedMs = Date.now();
  const holdMs = claimHoldMs(startedMs, input.deadlineMs);
  const claim = {
    run_id: runId,
    claimed_at: formatUtc(nowMs),
    expires_at: new Date(nowMs + holdMs).toISOString(),
  };
  const kept = { ...input.announced, ...announced };
  const claimEtag = await deps.store.writeLatest(
    { output, observed_at: observedAt, nflog: ahead, claim, announced: kept, handoff },
    input.etag,
  );
  // Each publish ends before the claim does: one still unanswered then counts as failed (it stays owed).
  const publishMs = Math.max(1, holdMs - (Date.now() - startedMs) - CONFIRM_RESERVE_MS);
  const messages = due.map((p) => renderMessage(viewFor(output, p)));
  const publish = (audience: Audience, message: NotificationMessage) =>
    within<Error | null>(
      deps.notifier.publish(audience, message).then(
        () => null,
        (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
      ),
      publishMs,
      () => new Error(`${audience}: no answer within ${publishMs} ms`),
    );
  const noticeMessages = dueNotices.map((p) => renderNotices(p, output));
  const [results, noticeResults] = await Promise.all([
    Promise.all(due.map((p, i) => publish(p.audience, messages[i]))),
    Promise.all(dueNotices.map((p, i) => publish(p.audience, noticeMessages[i]))),
  ]);
  const after: Partial<Record<Audience, NotificationLog[Audience]>> = { ...ahead };
  const notifications: RunNotification[] = due.map((p, i) => {
    const error = results[i];
    const signatures = [...p.newEvents, ...p.resolvedEvents].map((e) => e.signature);
    const base = { audience: p.audience, kind: 'alert' as const, signatures, subject: messages[i].subject };
    if (error) {
      deps.log.error('publish failed; this audience stays owed and is told by the next run', {
        audience: p.audience,
        error: error.message,
      });
      return { ...base, outcome: 'failed', error: `${error.name}: ${error.message}`.slice(0, 300) };
    }
    after[p.audience] = recordTold(ahead[p.audience], p, at, observedAt);
    return { ...base, outcome: 'told' };
  });
  const announcedAfter: Partial<Record<Audience, AnnouncedLog>> = { ...kept };
  dueNotices.forEach((p, i) => {
    const error = noticeResults[i];
    const base = {
      audience: p.audience,
      kind: 'silence' as const,
      signatures: [],
      subject: noticeMessages[i].subject,
    };
    if (error) {
      deps.log.error('silence notice failed; this audience hears it from the next run', {
        audience: p.audience,
        error: error.message,
      });
      notifications.push({
        ...base,
        outcome: 'failed',
        error: `${error.name}: ${error.message}`.slice(0, 300),
      });
    } else {
      announcedAfter[p.audience] = p.next;
      notifications.push({ ...base, outcome: 'told' });
    }
  });
  const unconfirmed = await deps.store
    .writeLatest(
      { output, observed_at: observedAt, nflog: after, announced: announcedAfter, handoff },
      claimEtag,
    )
    .then(
      () => undefined,
      async (err: unknown) => {
        // Published already, the snapshot still says owed: what was told is handed to the next run,
        // which then tells it neither again nor late (a lost hand-off: told once more, never none).
        const told = due.filter((_, i) => !results[i]);
        const left =
          told.length > 0 && (await leave(deps, toldOf(told, after, observedAt, runId), timeLeftMs(input)));
        deps.log.error('could not confirm the delivery on the snapshot', {
          error: (err as Error).message,
          handedOn: left,
        });
        return `${(err as Error).name}: ${(err as Error).message}`.slice(0, 200);
      },
    );
  return { notifications, due: dueSigs, ...(unconfirmed ? { unconfirmed } : {}) };
}
