// Stage "hand-off": a run that cannot store its snapshot leaves what it saw open (bounded) under its
// own key; the next run that stores reads the new ones (bounded in number, bytes and time, oldest
// first) and merges them into each audience's log (detector/handoff.ts). Neither side ever fails the
// check: a hand-off that cannot be written is logged, one that cannot be read is said in an info item.
import type { Audience } from '../detector/audiences';
import {
  handoffOf,
  HANDOFF_LIST_MAX,
  HANDOFF_MAX_BYTES,
  HANDOFF_READ_MAX,
  HANDOFF_RETENTION_MS,
  parseHandoff,
  type Handoff,
} from '../detector/handoff';
import { advanceCursor, type HandoffCursor } from '../detector/handoff-cursor';
import { mergeTold } from '../detector/handoff-merge';
import type { DetectorOutput } from '../detector/types';
import type { CheckDeps, StoredSnapshot } from '../ports';
import { within } from '../run-budget';
import { LAMBDA_TIMEOUT_SEC } from '../shared/lambda-limits';
import { parseJsonInput } from '../shared/json-input';
import { HANDOFF_PREFIX, handoffKey } from '../shared/state-layout';
import { FUTURE_SNAPSHOT_TOLERANCE_MS } from './guard';

/** How long reading the hand-offs may take; past it the run goes on and the next run reads them. */
export const HANDOFF_READ_MS = 3_000;
/**
 * A key can still appear this long after the time it names (a run writes it at its own deadline, on
 * a clock up to the skew tolerance behind): only keys older than this are passed for good.
 */
export const HANDOFF_SETTLE_MS = 2 * LAMBDA_TIMEOUT_SEC * 1000 + FUTURE_SNAPSHOT_TOLERANCE_MS;

export interface HandoffsRead {
  /** Keys listed, in order; those read (usable or not) are consumed once this run stores. */
  readonly listed: readonly string[];
  readonly consumed: readonly string[];
  readonly docs: ReadonlyMap<string, Handoff>;
  readonly notes: readonly { readonly code: string; readonly summary: string }[];
}

const NONE: HandoffsRead = { listed: [], consumed: [], docs: new Map(), notes: [] };

async function readOne(deps: Required<Pick<CheckDeps, 'handoffs'>>, key: string) {
  const object = await deps.handoffs.readHandoff(key, { maxBytes: HANDOFF_MAX_BYTES });
  if (!object) return { problem: 'gone' };
  if (object.overLimit) return { problem: `${object.overLimit.bytes} bytes, over ${HANDOFF_MAX_BYTES}` };
  try {
    return parseHandoff(parseJsonInput(object.text));
  } catch {
    return { problem: 'not JSON' };
  }
}

/** The hand-offs after the snapshot's cursor, within the retention window, read in time or not at all. */
export async function readHandoffs(
  deps: Pick<CheckDeps, 'handoffs'>,
  cursor: HandoffCursor | undefined,
  nowMs: number,
  budgetMs: number,
): Promise<HandoffsRead> {
  const store = deps.handoffs;
  if (!store) return NONE;
  const windowStart = `${HANDOFF_PREFIX}${new Date(nowMs - HANDOFF_RETENTION_MS).toISOString()}`;
  const after = cursor && cursor.after > windowStart ? cursor.after : windowStart;
  const done = new Set(cursor?.done ?? []);
  const work = async (): Promise<HandoffsRead> => {
    const listed = await store.listHandoffs(after, HANDOFF_LIST_MAX);
    const todo = listed.filter((k) => !done.has(k)).slice(0, HANDOFF_READ_MAX);
    const reads = await Promise.all(todo.map((k) => readOne({ handoffs: store }, k)));
    const docs = new Map<string, Handoff>();
    const bad: string[] = [];
    reads.forEach((r, i) => {
      if ('problem' in r) bad.push(`${todo[i]} (${r.problem})`);
      else docs.set(todo[i], r);
    });
    const notes = bad.length
      ? [
          {
            code: 'handoff_unreadable',
            summary: `hand-off(s) not usable, skipped: ${bad.slice(0, 5).join('; ')}`,
          },
        ]
      : [];
    return { listed, consumed: todo, docs, notes };
  };
  const failed = (why: string): HandoffsRead => ({
    ...NONE,
    notes: [
      {
        code: 'handoff_unread',
        summary: `hand-offs of runs that could not store were not read (${why}): the next run reads them`,
      },
    ],
  });
  return within(
    work().catch((err: unknown) => failed((err as Error).message)),
    budgetMs,
    () => failed(`no answer within ${budgetMs} ms`),
  );
}

/** The hand-offs this run merges: those another run has not consumed meanwhile. */
export function unconsumed(read: HandoffsRead, cursor: HandoffCursor | undefined): Handoff[] {
  const done = new Set(cursor?.done ?? []);
  return [...read.docs].filter(([k]) => k > (cursor?.after ?? '') && !done.has(k)).map(([, h]) => h);
}

/** The cursor this run stores with its snapshot. */
export function cursorAfter(
  read: HandoffsRead,
  cursor: HandoffCursor | undefined,
  nowMs: number,
): HandoffCursor | undefined {
  if (read.listed.length === 0 && !cursor) return undefined;
  return advanceCursor(cursor, read.listed, read.consumed, HANDOFF_PREFIX, nowMs, HANDOFF_SETTLE_MS);
}

/**
 * The stored snapshot with what runs whose confirming write failed told merged into its log, and their
 * claims released (they wrote the hand-off after their publishes): nothing they told is owed again.
 */
export function withHandedTold(
  snapshot: StoredSnapshot | null,
  handed: readonly Handoff[],
  routed: readonly Audience[],
): StoredSnapshot | null {
  if (!snapshot?.nflog || !handed.some((h) => h.told)) return snapshot;
  const { log, released } = mergeTold(snapshot.nflog, handed, routed);
  const claim = snapshot.claim && !released.includes(snapshot.claim.run_id) ? snapshot.claim : undefined;
  return { ...snapshot, nflog: log, claim };
}

/** Leaves what this run saw open for the next run: `leave(..., handoffOf(output, observedAt, runId))`. */
export function leaveHandoff(
  deps: Pick<CheckDeps, 'handoffs' | 'log'>,
  output: DetectorOutput,
  observedAt: string,
  runId: string,
  budgetMs: number,
): Promise<boolean> {
  return leave(deps, handoffOf(output, observedAt, runId), budgetMs);
}

/**
 * Writes a hand-off under its own key; true when it was written. Bounded by `budgetMs`; a failure is
 * logged, never thrown (the run is failing already, and says why).
 */
export async function leave(
  deps: Pick<CheckDeps, 'handoffs' | 'log'>,
  doc: Handoff,
  budgetMs: number,
): Promise<boolean> {
  if (!deps.handoffs || (doc.events.length === 0 && !doc.told)) return false;
  const key = handoffKey(doc.observed_at, doc.run_id);
  const written = await within<Error | null>(
    deps.handoffs.writeHandoff(key, JSON.stringify(doc)).then(
      () => null,
      (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
    ),
    budgetMs,
    () => new Error(`no answer within ${budgetMs} ms`),
  );
  if (written) {
    deps.log.error('could not leave what this run saw for the next run', { key, error: written.message });
    return false;
  }
  deps.log.warn('left what this run saw or told for the next run', { key, events: doc.events.length });
  return true;
}
