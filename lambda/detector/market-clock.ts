// The NYSE regular-session calendar: holiday and early-close rules, checked against the
// exchange_calendars XNYS answers in shared/oracles and the exchange's published 2026-2028 dates.
import type { ClockInfo, MarketState, SessionInfo } from './types';
import { etDate, etOffsetMinutes, etWallToUtc, formatEt, formatJst, formatUtc } from './time';

const DAY_MS = 86_400_000;

function ymd(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The nth (1-based) given weekday of a month; n = -1 for the last. */
function nthWeekday(year: number, month: number, dow: number, n: number): string {
  if (n > 0) {
    const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
    return ymd(year, month, 1 + ((dow - first + 7) % 7) + (n - 1) * 7);
  }
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const last = new Date(Date.UTC(year, month - 1, lastDay)).getUTCDay();
  return ymd(year, month, lastDay - ((last - dow + 7) % 7));
}

/** Western Easter Sunday (anonymous Gregorian algorithm). */
function easter(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, day);
}

/** Saturday holidays are observed on Friday, Sunday holidays on Monday. */
function observed(date: string): string {
  const dow = weekday(date);
  if (dow === 6) return addDays(date, -1);
  if (dow === 0) return addDays(date, 1);
  return date;
}

function holidaysOf(year: number): Set<string> {
  const days = new Set<string>();
  // New Year's Day on a Saturday is not moved to Friday Dec 31 (NYSE Rule 7.2).
  const newYear = ymd(year, 1, 1);
  if (weekday(newYear) !== 6) days.add(observed(newYear));
  days.add(nthWeekday(year, 1, 1, 3)); // Martin Luther King Jr. Day
  days.add(nthWeekday(year, 2, 1, 3)); // Washington's Birthday
  days.add(addDays(easter(year), -2)); // Good Friday
  days.add(nthWeekday(year, 5, 1, -1)); // Memorial Day
  if (year >= 2022) days.add(observed(ymd(year, 6, 19))); // Juneteenth
  days.add(observed(ymd(year, 7, 4)));
  days.add(nthWeekday(year, 9, 1, 1)); // Labor Day
  days.add(nthWeekday(year, 11, 4, 4)); // Thanksgiving
  days.add(observed(ymd(year, 12, 25)));
  return days;
}

function earlyClosesOf(year: number): Set<string> {
  const days = new Set<string>();
  days.add(addDays(nthWeekday(year, 11, 4, 4), 1)); // day after Thanksgiving
  const christmasEve = ymd(year, 12, 24);
  if ([1, 2, 3, 4].includes(weekday(christmasEve))) days.add(christmasEve);
  const july3 = ymd(year, 7, 3);
  const july3Dow = weekday(july3);
  if (july3Dow === 1 || july3Dow === 2 || july3Dow === 4 || (year >= 2013 && july3Dow === 3)) days.add(july3);
  // Before 2013 the Friday after a Thursday Independence Day closed early instead.
  const july5 = ymd(year, 7, 5);
  if (year < 2013 && weekday(july5) === 5) days.add(july5);
  return days;
}

/** Early closes that no rule predicts, from the exchange's own record. */
const AD_HOC_EARLY_CLOSES: readonly string[] = ['2003-12-26'];

interface YearCalendar {
  readonly holidays: Set<string>;
  readonly earlyCloses: Set<string>;
}

const yearCache = new Map<number, YearCalendar>();

function yearCalendar(year: number): YearCalendar {
  let cal = yearCache.get(year);
  if (!cal) {
    cal = { holidays: holidaysOf(year), earlyCloses: earlyClosesOf(year) };
    yearCache.set(year, cal);
  }
  return cal;
}

const sessionCache = new Map<string, SessionInfo | null>();

/** The regular session on an ET calendar date, or null when the exchange is closed that day. */
export function sessionOn(date: string, extraClosures: readonly string[] = []): SessionInfo | null {
  if (extraClosures.includes(date)) return null;
  let session = sessionCache.get(date);
  if (session === undefined) {
    session = ruleSession(date);
    if (sessionCache.size > 5000) sessionCache.clear();
    sessionCache.set(date, session);
  }
  return session;
}

function ruleSession(date: string): SessionInfo | null {
  const dow = weekday(date);
  if (dow === 0 || dow === 6) return null;
  const cal = yearCalendar(Number(date.slice(0, 4)));
  if (cal.holidays.has(date)) return null;
  const earlyClose = cal.earlyCloses.has(date) || AD_HOC_EARLY_CLOSES.includes(date);
  return {
    date,
    open: formatUtc(etWallToUtc(date, 9, 30)),
    close: formatUtc(etWallToUtc(date, earlyClose ? 13 : 16, 0)),
    early_close: earlyClose,
  };
}

/** Every session from `from` to `to` inclusive (YYYY-MM-DD). */
export function sessionsBetween(
  from: string,
  to: string,
  extraClosures: readonly string[] = [],
): SessionInfo[] {
  const out: SessionInfo[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const s = sessionOn(d, extraClosures);
    if (s) out.push(s);
  }
  return out;
}

export interface ClockOptions {
  readonly openGraceMinute: number;
  readonly marketClosures: readonly string[];
}

export function clockAt(nowMs: number, options: ClockOptions): ClockInfo {
  const date = etDate(nowMs);
  const session = sessionOn(date, options.marketClosures);
  let market: MarketState = 'closed';
  let pastOpenGrace = false;
  if (session) {
    const open = Date.parse(session.open);
    const close = Date.parse(session.close);
    market = nowMs < open ? 'pre_open' : nowMs < close ? 'open' : 'after_close';
    const etMinutes = Math.floor((nowMs / 60_000 + etOffsetMinutes(nowMs)) % 1440);
    pastOpenGrace = market === 'open' && etMinutes >= 9 * 60 + options.openGraceMinute;
  }
  return {
    utc: formatUtc(nowMs),
    et: formatEt(nowMs),
    jst: formatJst(nowMs),
    market,
    past_open_grace: pastOpenGrace,
    session,
  };
}
