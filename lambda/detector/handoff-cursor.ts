// Which hand-offs (handoff.ts) the stored snapshot has consumed: every key up to `after`, and the keys
// past it in `done`. Pure, like the rest of the core.

/** Consumed keys remembered in the snapshot; beyond it, re-reading is harmless (the log dedups). */
export const HANDOFF_DONE_MAX = 200;

/** Where the snapshot says hand-offs were read up to: every listed key up to `after` is consumed. */
export interface HandoffCursor {
  readonly after: string;
  /** Consumed keys past `after` (written late, or not yet settled). */
  readonly done: readonly string[];
}

/** The time a hand-off key names (state/handoff/<observed_at>-<run>.json), or 0 when it names none. */
export function keyTimeMs(key: string, prefix: string): number {
  const at = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)-/.exec(key.slice(prefix.length));
  return at ? Date.parse(at[1]) : 0;
}

/**
 * The cursor once this run's reads are stored: consumed keys join `done`; `after` moves past the
 * listed keys that are consumed and settled (older than `settleMs`: no run can still write a key
 * that sorts before them), so later runs list only what is new.
 */
export function advanceCursor(
  cursor: HandoffCursor | undefined,
  listed: readonly string[],
  consumed: readonly string[],
  prefix: string,
  nowMs: number,
  settleMs: number,
): HandoffCursor {
  let after = cursor?.after ?? '';
  const done = new Set([...(cursor?.done ?? []), ...consumed]);
  for (const k of [...listed].sort()) {
    if (k <= after) continue;
    if (!done.has(k) || nowMs - keyTimeMs(k, prefix) < settleMs) break;
    after = k;
  }
  const kept = [...done].filter((k) => k > after).sort();
  return { after, done: kept.slice(-HANDOFF_DONE_MAX) };
}
