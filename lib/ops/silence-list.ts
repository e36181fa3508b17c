// `silence list`: every entry of the file with the verdict the Lambda gives it (applies, pending, ended,
// refused and why, malformed), and warnings when the file as a whole is past a limit. A malformed entry
// is named, never a reason to fail.
import {
  judgeSilences,
  SILENCE_LIMITS,
  type Silence,
  type SilenceVerdict,
} from '../../lambda/detector/silences';
import type { SilenceStore } from '../../lambda/ports';
import { allowed, formatSilence, printable, SilenceError } from './silences';

export interface SilenceListing {
  readonly rows: readonly SilenceVerdict[];
  /** The file as a whole: over a size limit, or not applied at all by the monitor. */
  readonly warnings: readonly string[];
}

export async function listSilences(
  store: SilenceStore,
  nowMs: number,
  all: boolean,
  marketClosures: readonly string[] = [],
): Promise<SilenceListing> {
  const read = await allowed('read', () => store.readSilences());
  if (read.problem) throw new SilenceError(`${read.problem}: the monitor applies none of it`);
  const warnings: string[] = [];
  if (read.bytes !== undefined && read.bytes > SILENCE_LIMITS.fileBytes)
    warnings.push(
      `the file is ${read.bytes} bytes, over the limit of ${SILENCE_LIMITS.fileBytes}: the monitor reads none of it (expire silences to shrink it)`,
    );
  if (read.silences.length > SILENCE_LIMITS.entries)
    warnings.push(
      `the file holds ${read.silences.length} silences, over the limit of ${SILENCE_LIMITS.entries}: the monitor applies none of them (expire some)`,
    );
  const judged = judgeSilences(read.silences, { nowMs, marketClosures, maxEntries: Infinity });
  if (judged.ignored) warnings.push(`the monitor applies none of the file: ${judged.ignored}`);
  const rows = all ? judged.verdicts : judged.verdicts.filter((v) => v.state !== 'ended');
  return { rows, warnings };
}

/** One line per entry, its state first (as `silence list` prints it). */
export function formatVerdict(v: SilenceVerdict, nowMs: number): string {
  if (!v.silence)
    return `MALFORMED #${v.index}${v.id !== undefined ? ` (id ${printable(JSON.stringify(v.id))})` : ''}: ${printable(v.why ?? '')}; it silences nothing (remove it: silence expire '#${v.index}')`;
  const line = formatSilence(v.silence as Silence, nowMs);
  return v.state === 'refused'
    ? `REFUSED ${line.slice(8)}\n        does not apply: ${printable(v.why ?? '')}`
    : line;
}

/** The JSON form: one object per entry, with its verdict. */
export function verdictJson(v: SilenceVerdict): Record<string, unknown> {
  return {
    index: v.index,
    state: v.silence ? v.state : 'malformed',
    ...(v.id !== undefined ? { id: v.id } : {}),
    ...(v.why !== undefined ? { why: v.why } : {}),
    ...(v.silence ? { silence: v.silence } : {}),
  };
}
