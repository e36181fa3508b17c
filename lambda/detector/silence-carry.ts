// When the silences file cannot be read (S3 answered with an error for a moment), the silences the
// previous check applied still hold, each until its own end and only over the events it held then:
// a read error never releases what operators silenced, and never tells a silence as ended. Anything
// those silences did not hold (a new event, an escalation a silence held back only while it was not
// one) is told as usual. Pure.
import type { SilenceEntry } from './silence-schema';
import type { SilenceNote } from './silences';
import { parseTimestamp } from './time';
import type { DetectorOutput } from './types';

export interface CarriedSilences {
  /** One matcher per event held back at the previous check: its code and exact signature. */
  readonly entries: SilenceEntry[];
  /** The previous check's silences that have not ended by their own time, as it noted them. */
  readonly notes: SilenceNote[];
}

export function carriedSilences(previous: DetectorOutput | undefined, nowMs: number): CarriedSilences {
  if (!previous) return { entries: [], notes: [] };
  const notes = (previous.silences ?? []).filter((n) => (parseTimestamp(n.until) ?? 0) > nowMs);
  const entries: SilenceEntry[] = [];
  for (const n of notes)
    for (const e of previous.events)
      if (e.silenced_by === n.id)
        entries.push({
          id: n.id,
          kind: n.kind,
          codes: [e.code],
          signature: e.signature,
          starts_at: previous.checked_at,
          ends_at: n.until,
          created_at: previous.checked_at,
          // An escalation held back means the silence said so; otherwise a new escalation is told.
          include_escalations: e.escalate === true,
          created_by: n.by,
          reason: n.reason,
        });
  return { entries, notes };
}
