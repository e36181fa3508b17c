// Deploy windows around the gate: `gate --phase pre --window 30m` with GO opens a silence on what a task
// replacement causes; `gate --phase post` closes it, lists what it held back (from the run records)
// (the two clean scheduled checks after the deploy are the gate's criterion, gate-rollout.ts).
import {
  deployWindowEnd,
  DEPLOY_WINDOW_CODES,
  MAX_DEPLOY_WINDOW_MS,
  spanText,
  type Silence,
} from '../../lambda/detector/silences';
import { formatUtc } from '../../lambda/detector/time';
import type { RunRecord } from '../../lambda/detector/types';
import type { SilenceStore } from '../../lambda/ports';
import { addSilence, buildSilence, expireSilence, SilenceError } from './silences';
import type { Criterion } from './gate';

export interface OpenedWindow {
  readonly window: Silence;
  /** Set when the window was cut short at the session close (it never outlasts it). */
  readonly clippedAt?: number;
}

/**
 * Opens a deploy window: the conditions a task replacement causes, and nothing else, for at most
 * MAX_DEPLOY_WINDOW_MS and never past the session close (cut there, and said so).
 */
export async function openWindow(
  store: SilenceStore,
  nowMs: number,
  durationMs: number,
  by: string,
  marketClosures: readonly string[] = [],
): Promise<OpenedWindow> {
  if (durationMs > MAX_DEPLOY_WINDOW_MS)
    throw new SilenceError(
      `a deploy window lasts at most ${spanText(MAX_DEPLOY_WINDOW_MS)}, got ${spanText(durationMs)}`,
    );
  const { endMs, clippedAt } = deployWindowEnd(nowMs, durationMs, marketClosures);
  const window = buildSilence(
    {
      codes: DEPLOY_WINDOW_CODES,
      startsMs: nowMs,
      endsMs: endMs,
      reason: 'deploy window opened by gate --phase pre (GO)',
      by,
      includeEscalations: true,
      kind: 'deploy-window',
    },
    nowMs,
    marketClosures,
  );
  await addSilence(store, window, nowMs, marketClosures);
  return clippedAt === undefined ? { window } : { window, clippedAt };
}

/**
 * The post gate closes its window: expires it if still open, and marks it closed by a post gate either
 * way (a window that ran out before the post gate has been told to the operators meanwhile).
 */
export async function closeWindow(
  store: SilenceStore,
  window: Silence,
  by: string,
  nowMs: number,
): Promise<Silence> {
  try {
    const closed = await expireSilence(store, window.id, by, nowMs, { post_gate_at: formatUtc(nowMs) });
    return closed.silence ?? window;
  } catch (err) {
    // Dropped from the file by hand: nothing left to close.
    if (err instanceof SilenceError && err.message.startsWith('no silence ')) return window;
    throw err;
  }
}

export interface HeldEvent {
  readonly signature: string;
  readonly severity: string;
  readonly first_at: string;
  readonly last_at: string;
  readonly runs: number;
}

/** Every event the window held back, from the run records, one line per signature. */
export function heldByWindow(records: readonly RunRecord[], windowId: string): HeldEvent[] {
  const held = new Map<string, HeldEvent>();
  for (const r of records) {
    for (const e of r.events) {
      if (e.silenced_by !== windowId) continue;
      const before = held.get(e.signature);
      held.set(e.signature, {
        signature: e.signature,
        severity: before?.severity === 'critical' ? 'critical' : e.severity,
        first_at: before?.first_at ?? r.checked_at,
        last_at: r.checked_at,
        runs: (before?.runs ?? 0) + 1,
      });
    }
  }
  return [...held.values()];
}

/** The post gate's list of what the window held back (always a pass: it informs, it does not judge). */
export function heldCriterion(records: readonly RunRecord[], window: Silence): Criterion {
  const held = heldByWindow(records, window.id);
  return {
    name: `held back by deploy window ${window.id}`,
    outcome: 'pass',
    seen: held.length
      ? held
          .map((h) => `${h.signature} (${h.severity}, ${h.first_at} - ${h.last_at}, ${h.runs} run(s))`)
          .join('; ')
      : 'nothing',
  };
}
