// The report's first lines: what happened that day, in one or two sentences an on-call person reads in
// ten seconds. What escalated or alerted (when, how long, resolved or still open), what each silence
// or deploy window held back, whether the schedules covered the day, and what was open at the last check.
// Plain text (the page escapes it), from the same report data the charts draw.
import { etDate } from '../../lambda/detector/time';
import type { GapReport } from './gap';
import { endOf, isOpen, type Episode, type ReportData, type SilenceSpan } from './report-data';
import { et } from './report-sections';

/** More alert episodes than this are counted, not listed: the Events chart and table list them all. */
const MAX_LISTED = 4;
const MAX_CODES = 3;

/** Told (or due) episodes that overlap in time: one thing that happened. */
interface Incident {
  readonly episodes: Episode[];
  readonly start: number;
  readonly end: number;
  readonly open: boolean;
}

const words = (code: string) => code.replace(/_/g, ' ');
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** HH:MM ET, with the ET date in front when it is not the report's (an event open since Friday). */
type Clock = (t: number) => string;
const clockOn =
  (date: string | undefined): Clock =>
  (t) =>
    date === undefined || etDate(t) === date ? et(t) : `${etDate(t)} ${et(t)}`;

function incidents(episodes: readonly Episode[]): Incident[] {
  const out: Incident[] = [];
  // Whatever was due to be told at some run, silenced before or after or not.
  const told = episodes.filter((e) => e.alerted).sort((a, b) => a.firstSeen - b.firstSeen);
  for (const e of told) {
    const last = out.at(-1);
    if (last && e.firstSeen <= last.end) {
      out[out.length - 1] = {
        episodes: [...last.episodes, e],
        start: last.start,
        end: Math.max(last.end, endOf(e)),
        open: last.open || isOpen(e),
      };
    } else out.push({ episodes: [e], start: e.firstSeen, end: endOf(e), open: isOpen(e) });
  }
  return out;
}

function codeList(codes: readonly string[]): string {
  const unique = [...new Set(codes)];
  const shown = unique.slice(0, MAX_CODES).map(words).join(' + ');
  return unique.length > MAX_CODES ? `${shown} + ${unique.length - MAX_CODES} more` : shown;
}

const rank = (i: Incident) =>
  i.episodes.some((e) => e.escalate) ? 2 : i.episodes.some((e) => e.severity === 'critical') ? 1 : 0;

function describe(i: Incident, at: Clock): string {
  // A replaced episode's successor starts where it ended, in the same incident: it decides the state.
  const when = `${at(i.start)}-${at(i.end)} ET, ${minutes(i.end - i.start)}, ${i.open ? 'still open' : 'resolved'}`;
  const escalating = i.episodes.filter((e) => e.escalate).map((e) => e.code);
  const others = i.episodes.filter((e) => !e.escalate).map((e) => e.code);
  if (escalating.length > 0) {
    const n = new Set(escalating).size;
    const withOthers = others.length > 0 ? ` with ${codeList(others)}` : '';
    return `${plural(n, 'escalation')} (${codeList(escalating)}${withOthers}, ${when})`;
  }
  const n = new Set(others).size;
  const what = rank(i) === 1 ? plural(n, 'critical event') : plural(n, 'warning');
  return `${what} (${codeList(others)}, ${when})`;
}

function alertSentence(list: Incident[], at: Clock): string {
  if (list.length === 0) return 'No alerts: nothing escalated or needed attention.';
  // The most serious first when they cannot all be named; then in time order.
  const named = [...list]
    .sort((a, b) => rank(b) - rank(a) || a.start - b.start)
    .slice(0, MAX_LISTED)
    .sort((a, b) => a.start - b.start);
  const rest = list.length - named.length;
  const more = rest > 0 ? `; and ${plural(rest, 'more alert episode')} (see Events)` : '';
  return `${named.map((i) => describe(i, at)).join('; ')}${more}.`;
}

function heldBack(span: SilenceSpan, episodes: readonly Episode[], at: Clock): string {
  const held = episodes.filter((e) => e.heldBy.includes(span.id));
  const open = held.filter(isOpen).length;
  const what = span.kind === 'deploy-window' ? 'deploy window' : 'silence';
  const fate = held.length === 0 ? '' : open > 0 ? `, ${open} still open` : ', all cleared';
  return `${what} ${span.id} ${at(span.start)}-${at(span.end)} ET by ${span.by || 'someone the record does not name'} held back ${plural(held.length, 'event')}${fate}`;
}

/**
 * Whether the schedules covered the day, judged against the schedules the command was given. Scheduled
 * runs that fit no window of them are said too: they were late beyond the grace, or the deployment runs
 * other schedules (a 1-minute cadence judged against the 5-minute defaults covers its 5-minute windows
 * and hides every other minute it missed).
 */
function coverage(gap: GapReport): string {
  const stray = gap.runs_outside_windows.filter((r) => r.trigger.startsWith('schedule:')).length;
  const doubt =
    stray > 0
      ? `; ${plural(stray, 'scheduled run')} fit no window of the schedules judged (late, or the deployment runs other schedules: see --cron)`
      : '';
  if (gap.expected === 0 && gap.pending_windows.length === 0)
    return `no schedule windows on this date${doubt}`;
  const pending = gap.pending_windows.length > 0 ? ` (${gap.pending_windows.length} not due yet)` : '';
  if (gap.missing_windows.length === 0)
    return `all ${gap.expected} schedule windows covered${pending}${doubt}`;
  const first = gap.missing_windows[0];
  return `${gap.missing_windows.length} of ${gap.expected} schedule windows MISSED (first ${et(Date.parse(first.at))} ET ${first.schedule})${pending}${doubt}`;
}

function openAtLast(data: ReportData, at: Clock): string {
  const last = data.runs.at(-1);
  if (!last) return 'no run records: nothing was checked';
  const open = data.episodes.filter(isOpen);
  // Unresolved but not in the last run's events: the records never say they ended (a missing record).
  const atLast = open.filter((e) => e.lastSeen === last.t);
  const unsure = open.filter((e) => e.lastSeen !== last.t);
  const parts: string[] = [];
  if (atLast.length > 0) {
    const since = Math.min(...atLast.map((e) => e.firstSeen));
    parts.push(
      `${plural(atLast.length, 'event')} OPEN at the last check (${at(last.t)} ET): ${codeList(atLast.map((e) => e.code))}, since ${at(since)} ET`,
    );
  } else parts.push(`nothing open at the last check (${at(last.t)} ET)`);
  if (unsure.length > 0) {
    const seen = Math.max(...unsure.map((e) => e.lastSeen));
    parts.push(
      `${plural(unsure.length, 'event')} never resolved in the records: ${codeList(unsure.map((e) => e.code))}, last seen ${at(seen)} ET`,
    );
  }
  return parts.join('; ');
}

function failures(data: ReportData): string | null {
  const failed = data.notifications.flatMap((n) =>
    Object.entries(n.audiences ?? {})
      .filter(([, o]) => o?.outcome === 'failed')
      .map(([a]) => `${a} at ${et(n.t)} ET`),
  );
  return failed.length > 0
    ? `${plural(failed.length, 'delivery', 'deliveries')} FAILED (${failed.join(', ')})`
    : null;
}

/**
 * One or two sentences: what alerted; then what was held back, coverage, delivery failures and what is
 * open. Times on another ET date than `date` (the report's) carry that date.
 */
export function summarySentences(data: ReportData, gap: GapReport, date?: string): string[] {
  const at = clockOn(date);
  const second = [
    ...data.silences.map((s) => heldBack(s, data.episodes, at)),
    coverage(gap),
    failures(data),
    openAtLast(data, at),
  ].filter((p): p is string => p !== null);
  return [alertSentence(incidents(data.episodes), at), `${second.join('; ')}.`].map(
    (t) => `${t.charAt(0).toUpperCase()}${t.slice(1)}`,
  );
}
