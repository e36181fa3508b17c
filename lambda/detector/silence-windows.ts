// Deploy windows: their bounds (at most 2 h, never past the session close, only the deploy codes), and
// the window that ended without a post gate, told with what it held back. Pure.
import { cut, SIGNATURE_MAX, SUMMARY_MAX } from './bounds';
import { sessionsBetween } from './market-clock';
import {
  DEPLOY_WINDOW_CODES,
  MAX_DEPLOY_WINDOW_MS,
  MAX_SILENCE_MS,
  silenceEndMs,
  spanText,
  type SilenceEntry,
} from './silence-schema';
import { etDate, formatEt, formatUtc, parseTimestamp } from './time';
import type { DetectorOutput, InfoItem } from './types';

/** The first session close strictly inside (startMs, endMs), or undefined. */
export function closeWithin(startMs: number, endMs: number, closures: readonly string[]): number | undefined {
  if (!(endMs > startMs) || endMs - startMs > MAX_SILENCE_MS * 2) return undefined;
  for (const s of sessionsBetween(etDate(startMs), etDate(endMs), closures)) {
    const close = Date.parse(s.close);
    if (close > startMs && close < endMs) return close;
  }
  return undefined;
}

/**
 * Where a window opened at `startMs` for `durationMs` ends: at most MAX_DEPLOY_WINDOW_MS, and at the
 * session close when that comes first (`clippedAt` then says so).
 */
export function deployWindowEnd(
  startMs: number,
  durationMs: number,
  closures: readonly string[],
): { readonly endMs: number; readonly clippedAt?: number } {
  const endMs = startMs + Math.min(durationMs, MAX_DEPLOY_WINDOW_MS);
  const close = closeWithin(startMs, endMs, closures);
  return close === undefined ? { endMs } : { endMs: close, clippedAt: close };
}

/** What makes a deploy-window entry not apply (the manual rules are checked besides). */
export function windowProblems(s: SilenceEntry, closures: readonly string[]): string[] {
  const problems: string[] = [];
  const extra = s.codes.filter((c) => !DEPLOY_WINDOW_CODES.includes(c));
  if (extra.length > 0)
    problems.push(
      `a deploy window holds back only what a task replacement causes (${DEPLOY_WINDOW_CODES.join(', ')}), not ${cut(extra.join(', '), 200)}`,
    );
  const start = parseTimestamp(s.starts_at);
  const end = parseTimestamp(s.ends_at);
  if (start === undefined || end === undefined || end <= start) return problems;
  if (end - start > MAX_DEPLOY_WINDOW_MS)
    problems.push(
      `a deploy window lasts at most ${spanText(MAX_DEPLOY_WINDOW_MS)}; this one ${spanText(end - start)}`,
    );
  const close = closeWithin(start, end, closures);
  if (close !== undefined)
    problems.push(
      `a deploy window ends at the session close at the latest (${formatEt(close).slice(11, 16)} ET on ${etDate(close)}); this one ends ${s.ends_at}`,
    );
  return problems;
}

/** A window that ended without a post gate is told for this long after its end (core announces it once). */
export const UNCLOSED_WINDOW_NOTICE_MS = 24 * 3_600_000;
const HELD_MAX = 20;

/** Windows told one by one; more are summed up in one item (like refusals: the snapshot stays bounded). */
const WINDOWS_TOLD = 10;
/** Ids named in the item that sums up the rest. */
const IDS_NAMED = 20;

function heldBefore(previous: DetectorOutput | undefined, id: string): string[] {
  if (!previous) return [];
  const carried = previous.info.find(
    (i) => i.code === 'deploy_window_unclosed' && (i.details as { id?: unknown } | undefined)?.id === id,
  );
  const held = (carried?.details as { held?: unknown } | undefined)?.held;
  // Carried from the stored snapshot: bounded again, whatever the snapshot holds.
  if (Array.isArray(held))
    return held
      .filter((h): h is string => typeof h === 'string')
      .slice(0, HELD_MAX)
      .map((h) => cut(h, SIGNATURE_MAX));
  return previous.events.filter((e) => e.silenced_by === id).map((e) => cut(e.signature, SIGNATURE_MAX));
}

/** `it held back a, b and N more` in at most `room` characters: as many names as fit, the rest counted. */
function heldText(held: readonly string[], total: number, room: number): string {
  if (total === 0) return 'it held back nothing still open at its last check';
  const text = (k: number) =>
    `it held back ${held.slice(0, k).join(', ')}${total > k ? ` and ${total - k} more` : ''}`;
  let kept = held.length;
  while (kept > 1 && text(kept).length > room) kept--;
  return cut(text(kept), room);
}

function unclosedInfo(w: SilenceEntry, previous: DetectorOutput | undefined): InfoItem {
  const end = silenceEndMs(w);
  const all = heldBefore(previous, w.id);
  const held = all.slice(0, HELD_MAX);
  const how =
    w.expired_at !== undefined && end < (parseTimestamp(w.ends_at) ?? Infinity) ? 'was expired' : 'ran out';
  const head = `deploy window ${w.id} ${how} at ${formatUtc(end)} without a post gate (gate --phase post): `;
  const tail = '; run the post gate before accepting the deploy';
  return {
    code: 'deploy_window_unclosed',
    summary: cut(
      `${head}${heldText(held, all.length, SUMMARY_MAX - head.length - tail.length)}${tail}`,
      SUMMARY_MAX,
    ),
    details: { id: w.id, ended_at: formatUtc(end), held, held_total: all.length },
  };
}

/**
 * One `deploy_window_unclosed` info per accepted window that ended (ran out, or was expired by hand)
 * without a post gate, for a day after its end; past WINDOWS_TOLD, one item counts and names the rest.
 * `held` names what it held back at its last check: the previous output's events silenced by it,
 * carried forward from run to run once the window is over.
 */
export function unclosedWindows(
  accepted: readonly SilenceEntry[],
  previous: DetectorOutput | undefined,
  nowMs: number,
): InfoItem[] {
  const unclosed = accepted.filter((w) => {
    if (w.kind !== 'deploy-window' || w.post_gate_at !== undefined) return false;
    const end = silenceEndMs(w);
    return end <= nowMs && nowMs - end < UNCLOSED_WINDOW_NOTICE_MS;
  });
  const told = unclosed.slice(0, WINDOWS_TOLD).map((w) => unclosedInfo(w, previous));
  const rest = unclosed.slice(WINDOWS_TOLD);
  if (rest.length === 0) return told;
  const ids = rest.slice(0, IDS_NAMED).map((w) => w.id);
  return [
    ...told,
    {
      code: 'deploy_window_unclosed',
      summary: cut(
        `${rest.length} more deploy windows ended without a post gate: ${ids.join(', ')}${rest.length > ids.length ? ', ...' : ''}; run the post gate before accepting each deploy`,
        SUMMARY_MAX,
      ),
      details: { more: rest.length, ids },
    },
  ];
}
