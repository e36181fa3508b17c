// Deploy windows: their bounds (at most 2 h, never past the session close, only the deploy codes), and
// the window that ended without a post gate, told with what it held back. Pure.
import { cut } from './bounds';
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

function heldBefore(previous: DetectorOutput | undefined, id: string): string[] {
  if (!previous) return [];
  const carried = previous.info.find(
    (i) => i.code === 'deploy_window_unclosed' && (i.details as { id?: unknown } | undefined)?.id === id,
  );
  const held = (carried?.details as { held?: unknown } | undefined)?.held;
  if (Array.isArray(held)) return held.filter((h): h is string => typeof h === 'string').slice(0, HELD_MAX);
  return previous.events.filter((e) => e.silenced_by === id).map((e) => e.signature);
}

/**
 * One `deploy_window_unclosed` info per accepted window that ended (ran out, or was expired by hand)
 * without a post gate, for a day after its end. `held` names what it held back at its last check: the
 * previous output's events silenced by it, carried forward from run to run once the window is over.
 */
export function unclosedWindows(
  accepted: readonly SilenceEntry[],
  previous: DetectorOutput | undefined,
  nowMs: number,
): InfoItem[] {
  const out: InfoItem[] = [];
  for (const w of accepted) {
    if (w.kind !== 'deploy-window' || w.post_gate_at !== undefined) continue;
    const end = silenceEndMs(w);
    if (!(end <= nowMs && nowMs - end < UNCLOSED_WINDOW_NOTICE_MS)) continue;
    const all = heldBefore(previous, w.id);
    const held = all.slice(0, HELD_MAX);
    const how =
      w.expired_at !== undefined && silenceEndMs(w) < (parseTimestamp(w.ends_at) ?? Infinity)
        ? 'was expired'
        : 'ran out';
    out.push({
      code: 'deploy_window_unclosed',
      summary: `deploy window ${w.id} ${how} at ${formatUtc(end)} without a post gate (gate --phase post): ${
        held.length
          ? `it held back ${held.join(', ')}${all.length > held.length ? ` and ${all.length - held.length} more` : ''}`
          : 'it held back nothing still open at its last check'
      }; run the post gate before accepting the deploy`,
      details: { id: w.id, ended_at: formatUtc(end), held, held_total: all.length },
    });
  }
  return out;
}
