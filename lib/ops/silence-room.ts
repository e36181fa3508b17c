// Room in a full silences file. Ended silences are kept a week for the record, and count towards the
// file's limits; when a new one would not fit, those that ended longest ago are dropped first, but only
// those nothing depends on any more: ended over a day ago (the monitor has told their end and any unclosed
// deploy window), and linked to no other silence in the file (no chain still counts their quiet time, and
// a silence added now, after their end, cannot link to them). Otherwise "expire some first" could never
// help: an expired silence stays in the file as long as an ended one.
import {
  judgeSilences,
  silenceEndMs,
  UNCLOSED_WINDOW_NOTICE_MS,
  type SilenceEntry,
} from '../../lambda/detector/silences';
import { parseTimestamp } from '../../lambda/detector/time';

const created = (s: SilenceEntry) => parseTimestamp(s.created_at) ?? -Infinity;

/** Two silences of a code are linked when the later-added one was added before the other ended. */
function linked(a: SilenceEntry, b: SilenceEntry): boolean {
  if (!a.codes.some((c) => b.codes.includes(c))) return false;
  const [first, later] = created(a) <= created(b) ? [a, b] : [b, a];
  return created(later) < silenceEndMs(first);
}

/** The raw entries with the fewest droppable ones removed (oldest end first) until `fits` says so. */
export function makeRoom(
  raw: readonly unknown[],
  nowMs: number,
  fits: (list: readonly unknown[]) => boolean,
): unknown[] {
  let list = [...raw];
  while (!fits(list)) {
    const parsed = judgeSilences(list, { nowMs, marketClosures: [], maxEntries: Infinity }).verdicts.flatMap(
      (v) => (v.silence ? [{ raw: v.raw, silence: v.silence }] : []),
    );
    const droppable = parsed
      .filter((p) => silenceEndMs(p.silence) <= nowMs - UNCLOSED_WINDOW_NOTICE_MS)
      .filter((p) => !parsed.some((q) => q !== p && linked(p.silence, q.silence)))
      .sort((a, b) => silenceEndMs(a.silence) - silenceEndMs(b.silence));
    if (droppable.length === 0) return list;
    const drop = droppable[0].raw;
    list = list.filter((r) => r !== drop);
  }
  return list;
}

/** Why an ended silence is still in a full file: what `silence add` says when no room can be made. */
export const ROOM_HELP =
  'an ended silence makes room a day after it ends, once no silence added before its end still holds';
