// Times on the command line, by one rule in every command: an ISO-8601 time with an offset, `now`, a
// time relative to now (-2h), or a bare date meaning 00:00 ET that day (the session's date, as report,
// kpi and calendar use dates). A deploy's start needs the time itself: there a bare date is refused.
import { isCalendarDate } from '../../lambda/detector/config';
import { etWallToUtc, parseTimestamp } from '../../lambda/detector/time';
import { RUN_RECORD_RETENTION_DAYS } from '../../lambda/shared/state-layout';
import { ArgumentError } from './definition';

export const TIMES_HELP = `Times (T): an ISO-8601 time with an offset (2026-06-01T14:05:00Z,
2026-06-01T10:05-04:00), now, a time before now (-90s, -30m, -2h, -1d), or a date YYYY-MM-DD meaning
00:00 ET that day (the session's date, as report and kpi take it).`;

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const RELATIVE = /^-(\d{1,6})([smhd])$/;

/** An instant from the command line; `exact` refuses a bare date (a deploy's start is never midnight). */
export function parseInstant(
  flag: string,
  text: string | undefined,
  now: Date,
  options: { readonly exact?: boolean } = {},
): number {
  if (text === undefined) throw new ArgumentError(`${flag} is required`);
  if (text === 'now') return now.getTime();
  const relative = RELATIVE.exec(text);
  if (relative) return now.getTime() - Number(relative[1]) * UNIT_MS[relative[2]];
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    if (options.exact)
      throw new ArgumentError(
        `${flag} needs a time with an offset (e.g. ${text}T14:05:00Z) or a relative time (-20m), got the date ${JSON.stringify(text)}`,
      );
    if (!isCalendarDate(text)) throw new ArgumentError(`${flag}: ${text} is not a calendar date`);
    return etWallToUtc(text, 0, 0);
  }
  const ms = parseTimestamp(text);
  if (ms === undefined)
    throw new ArgumentError(
      `${flag} must be an ISO-8601 time with an offset, now, a relative time (-2h)${options.exact ? '' : ' or a date YYYY-MM-DD'}, got ${JSON.stringify(text)}`,
    );
  return ms;
}

/**
 * A range of schedule windows judged against run records spans at most as long as the bucket keeps
 * them: further back every window is missing by construction, and enumerating centuries of windows
 * (`-99999d`, `1900-01-01`) would take minutes and gigabytes before saying so.
 */
export function assertRunRecordRange(flag: string, fromMs: number, untilMs: number): void {
  const days = (untilMs - fromMs) / UNIT_MS.d;
  if (days > RUN_RECORD_RETENTION_DAYS)
    throw new ArgumentError(
      `${flag} reaches ${Math.ceil(days)} days back: run records are kept ${RUN_RECORD_RETENTION_DAYS} days, so a range spans at most that`,
    );
}
