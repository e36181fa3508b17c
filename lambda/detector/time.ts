// Timestamp parsing and the ET / JST renderings. Pure: tz rules come from the runtime's ICU data.

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/** Two or more ASCII digits at `at` as a number, or -1. */
function digits(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * Milliseconds since the epoch for an ISO-8601 timestamp with an offset
 * (`YYYY-MM-DDTHH:MM[:SS[.fff]](Z|+HH:MM|+HHMM)`), or undefined.
 * Calendar-impossible values (Feb 30, 24:00) are rejected rather than rolled over.
 * Hand-written because a payload carries hundreds of timestamps and this is the detector's hot path.
 */
export function parseTimestamp(text: unknown): number | undefined {
  if (typeof text !== 'string' || text.length < 17 || text.length > 40) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  if (text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':') return undefined;
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
  let i = 16;
  let second = 0;
  let fraction = 0;
  if (text[i] === ':') {
    second = digits(text, i + 1, 2);
    if (second < 0 || second > 59) return undefined;
    i += 3;
    if (text[i] === '.') {
      let scale = 100;
      let n = 0;
      for (i++; i < text.length; i++) {
        const c = text.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        fraction += c * scale;
        scale /= 10;
        n++;
      }
      if (n === 0 || n > 9) return undefined;
      fraction = Math.floor(fraction + 1e-9);
    }
  }
  let offsetMin = 0;
  const zone = text[i];
  if (zone === 'Z' || zone === 'z') {
    if (i + 1 !== text.length) return undefined;
  } else if (zone === '+' || zone === '-') {
    const rest = text.length - i - 1;
    const oh = digits(text, i + 1, 2);
    const om =
      rest === 5 && text[i + 3] === ':' ? digits(text, i + 4, 2) : rest === 4 ? digits(text, i + 3, 2) : -1;
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
    offsetMin = (zone === '-' ? -1 : 1) * (oh * 60 + om);
  } else {
    return undefined;
  }
  let ms = Date.UTC(year, month - 1, day, hour, minute, second, fraction);
  if (year < 100) ms = new Date(ms).setUTCFullYear(year); // Date.UTC maps years 0-99 to 19xx
  return ms - offsetMin * 60_000;
}

/** `2026-06-01T14:05:00Z`: second precision, the form every output timestamp uses. */
export function formatUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

const HOUR_MS = 3_600_000;
const etFormatter = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});
const offsetCache = new Map<number, number>();

/**
 * America/New_York's UTC offset in minutes at an instant. US DST changes fall on whole UTC hours,
 * so the offset is cached per UTC hour; the cache is bounded because the Lambda lives for days.
 */
export function etOffsetMinutes(ms: number): number {
  const hourKey = Math.floor(ms / HOUR_MS);
  const cached = offsetCache.get(hourKey);
  if (cached !== undefined) return cached;
  const probe = hourKey * HOUR_MS;
  const parts: Record<string, number> = {};
  for (const p of etFormatter.formatToParts(new Date(probe))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  const offset = Math.round((asUtc - probe) / 60_000);
  if (offsetCache.size > 10_000) offsetCache.clear();
  offsetCache.set(hourKey, offset);
  return offset;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function formatOffset(offsetMin: number): string {
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Wall-clock rendering at a fixed offset, e.g. `2026-06-01T10:05:00-04:00`. */
export function formatAtOffset(ms: number, offsetMin: number): string {
  const local = new Date(Math.floor(ms / 1000) * 1000 + offsetMin * 60_000);
  return local.toISOString().slice(0, 19) + formatOffset(offsetMin);
}

export function formatEt(ms: number): string {
  return formatAtOffset(ms, etOffsetMinutes(ms));
}

const JST_OFFSET_MIN = 9 * 60;

export function formatJst(ms: number): string {
  return formatAtOffset(ms, JST_OFFSET_MIN);
}

/** The ET calendar date (YYYY-MM-DD) of an instant. */
export function etDate(ms: number): string {
  return new Date(ms + etOffsetMinutes(ms) * 60_000).toISOString().slice(0, 10);
}

/** The UTC instant of an ET wall-clock time on a date; market hours never sit in a DST fold. */
export function etWallToUtc(date: string, hour: number, minute: number): number {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  const guess = wall - etOffsetMinutes(wall + 5 * HOUR_MS) * 60_000;
  return wall - etOffsetMinutes(guess) * 60_000;
}
