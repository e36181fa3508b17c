// Who hears what: the paging level of a run and the one line every notification carries while
// silences are active. Pure, like messages.ts; the chat body is chat.ts.
import { LEVEL_RANK, levelOf } from './lifecycle';
import { formatEt, parseTimestamp } from './time';
import type { DetectorOutput, Level } from './types';

export const PAGE_FLOORS: readonly Level[] = ['escalate', 'critical', 'warn'];
/** By default a person is woken for what needs them now: escalations and new criticals. */
export const DEFAULT_PAGE_FLOOR: Level = 'critical';

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (PAGE_FLOORS as readonly string[]).includes(value);
}

export function meetsFloor(level: Level | null, floor: Level): boolean {
  return level !== null && LEVEL_RANK[level] >= LEVEL_RANK[floor];
}

/**
 * The highest level among what this run tells: each new event at its level, each resolution at the
 * highest level the event was told at (so whoever was paged hears it is over). Null: nothing to tell.
 */
export function pageLevel(output: DetectorOutput): Level | null {
  const levels: Level[] = [
    ...output.new_events.map(levelOf),
    ...output.resolved_events.map((e) => e.notified_level ?? levelOf(e)),
  ];
  return levels.reduce<Level | null>(
    (acc, l) => (acc === null || LEVEL_RANK[l] > LEVEL_RANK[acc] ? l : acc),
    null,
  );
}

/** HH:MM ET of a timestamp (the text as is when it is not one). */
export function etTime(iso: string): string {
  const ms = parseTimestamp(iso);
  return ms === undefined ? iso : `${formatEt(ms).slice(11, 16)} ET`;
}

/** One line: how many events the active silences hold back, until when, by whom, why. Null if none. */
export function silenceLine(output: DetectorOutput): string | null {
  const notes = output.silences ?? [];
  if (notes.length === 0) return null;
  const held = notes.reduce((n, s) => n + s.events, 0);
  const each = notes.map(
    (s) =>
      `${s.kind === 'deploy-window' ? 'deploy window' : 'silence'} ${s.id} until ${etTime(s.until)} by ${s.by}: ${s.reason}`,
  );
  return `Silenced: ${held} open event(s) held back by ${notes.length} active silence(s): ${each.join('; ')}`;
}
