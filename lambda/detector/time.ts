// Timestamp parsing and the ET / JST renderings. Pure: tz rules come from the runtime's ICU data.

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|z|[+-]\d{2}:?\d{2})$/;

/**
 * Milliseconds since the epoch for an ISO-8601 timestamp with an offset, or undefined.
 * Calendar-impossible values (Feb 30, 25:00) are rejected rather than rolled over.
 */
export function parseTimestamp(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = ISO_RE.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(local).getUTCDate() !== day) return undefined;
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(m[7]) * 1000);
  let offsetMin = 0;
  const zone = m[8];
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 23 || om > 59) return undefined;
    offsetMin = sign * (oh * 60 + om);
  }
  return local + fraction - offsetMin * 60_000;
}

/** `2026-06-01T14:05:00Z`: second precision, the form every output timestamp uses. */
export function formatUtc(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
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

/** Whole seconds from `thenMs` to `nowMs`; negative when `then` is in the future. */
export function ageSec(nowMs: number, thenMs: number): number {
  return Math.floor((nowMs - thenMs) / 1000);
}
