// Finding run records from their keys alone, before any read: a key's name holds its checked_at, hour
// packs and day summaries are named for their hour and date (shared/state-layout.ts). In the bucket the
// layout is known, so only the UTC day folders of a range are listed (records and packs together);
// below a local root (`--runs-dir`, an `aws s3 sync` of runs/ or of one day) records may lie
// anywhere, so every key is listed once.
import { etDate } from '../detector/time';
import type { ObjectStore } from '../ports';
import {
  dateOfSummary,
  DAY_SUMMARIES_PREFIX,
  dayPrefixes,
  hourOfPack,
  mayHoldRun,
  hourRunsPrefix,
  runKeyTime,
} from '../shared/state-layout';
import { mapOrdered, settle, unsettle } from './ordered-reads';

export const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const LIST_CONCURRENCY = 8;
const CACHED_LISTINGS = 48;
const nextDate = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** The record keys and packs of a span, by UTC hour; keys whose name holds no time apart. */
export interface SpanKeys {
  readonly hours: Map<number, { pack?: string; keys: string[] }>;
  readonly untimed: string[];
}

interface Index {
  readonly records: Map<number, string[]>;
  readonly packs: Map<number, string>;
  readonly summaries: Map<string, string>;
  readonly untimed: string[];
}

const ALL = { from: '0000-01-01T00:00:00Z', to: '9999-12-31T23:59:59Z' };

function emptyIndex(): Index {
  return { records: new Map(), packs: new Map(), summaries: new Map(), untimed: [] };
}

function add(index: Index, key: string): void {
  const packHour = hourOfPack(key);
  if (packHour !== null) {
    index.packs.set(packHour, key);
    return;
  }
  const date = dateOfSummary(key);
  if (date !== null) {
    index.summaries.set(date, key);
    return;
  }
  if (!mayHoldRun(key, ALL)) return;
  const t = runKeyTime(key);
  if (t === null) index.untimed.push(key);
  else {
    const hour = t - (t % HOUR_MS);
    const list = index.records.get(hour);
    if (list) list.push(key);
    else index.records.set(hour, [key]);
  }
}

export class KeyFinder {
  private whole: Promise<Index> | undefined;
  /** The last few day folders listed (a range walks forward: ET days share UTC days). */
  private readonly folders = new Map<string, Promise<Index>>();
  /** The day summaries of each month read so far. */
  private readonly months = new Map<string, Promise<Index>>();

  constructor(
    private readonly objects: ObjectStore,
    private readonly anywhere: boolean,
  ) {}

  /** Record keys (by their name's time) and hour packs in [fromMs, toMs], and the untimed keys there. */
  async span(fromMs: number, toMs: number): Promise<SpanKeys> {
    const indexes = this.anywhere ? [await this.all()] : await this.bucket(fromMs, toMs);
    const hours = new Map<number, { pack?: string; keys: string[] }>();
    const untimed: string[] = [];
    const first = fromMs - (fromMs % HOUR_MS);
    for (const index of indexes) {
      for (const [hour, keys] of index.records) {
        if (hour < first || hour > toMs) continue;
        const slot = hours.get(hour) ?? { keys: [] };
        slot.keys.push(...keys.filter((k) => inSpan(runKeyTime(k)!, fromMs, toMs)));
        hours.set(hour, slot);
      }
      for (const [hour, pack] of index.packs) {
        if (hour < first || hour > toMs) continue;
        hours.set(hour, { ...(hours.get(hour) ?? { keys: [] }), pack });
      }
      untimed.push(...index.untimed);
    }
    for (const slot of hours.values()) slot.keys.sort();
    return { hours, untimed: this.anywhere ? [] : [...new Set(untimed)] };
  }

  /**
   * The ET dates of [fromMs, toMs] that may hold records: every one in the bucket, only those with keys
   * below a local root (whose range may start in 1970).
   */
  async dates(fromMs: number, toMs: number): Promise<string[]> {
    const out: string[] = [];
    if (!this.anywhere) {
      for (let d = etDate(fromMs); d <= etDate(toMs); d = nextDate(d)) out.push(d);
      return out;
    }
    const index = await this.all();
    const dates = new Set<string>();
    const first = fromMs - (fromMs % HOUR_MS);
    for (const hour of [...index.records.keys(), ...index.packs.keys()])
      if (hour >= first && hour <= toMs) {
        dates.add(etDate(Math.max(hour, fromMs)));
        dates.add(etDate(Math.min(hour + HOUR_MS - 1, toMs)));
      }
    return [...dates].sort();
  }

  /** Below a local root: the keys whose name holds no time (read and judged by their content). */
  async untimed(): Promise<readonly string[]> {
    return this.anywhere ? (await this.all()).untimed : [];
  }

  /** Every record key of one hour (a pack that cannot be used is replaced by its records). */
  async hour(hourMs: number): Promise<string[]> {
    if (this.anywhere) return [...((await this.all()).records.get(hourMs) ?? [])].sort();
    const keys: string[] = [];
    for await (const key of this.objects.keys(hourRunsPrefix(hourMs)))
      if (mayHoldRun(key, ALL)) keys.push(key);
    return keys.sort();
  }

  /**
   * In the bucket, each UTC day folder of the span is listed once, whole: its records and its packs
   * folder come back in one page or two (about 700 keys a day at one-minute cadence). A listing per open
   * hour costs a request each, and on moto a listing costs the same whatever its prefix.
   */
  private async bucket(fromMs: number, toMs: number): Promise<Index[]> {
    const folders = dayPrefixes(new Date(fromMs).toISOString(), new Date(toMs).toISOString());
    const listings = mapOrdered(folders, LIST_CONCURRENCY, (folder) =>
      settle(this.cached(this.folders, folder, () => this.list(folder))),
    );
    const out: Index[] = [];
    for await (const listing of listings) out.push(unsettle(listing));
    return out;
  }

  /** A listing kept for the view's life, the oldest dropped beyond a few (memory flat over a range). */
  private cached(map: Map<string, Promise<Index>>, key: string, list: () => Promise<Index>): Promise<Index> {
    let listing = map.get(key);
    if (!listing) {
      listing = list();
      map.set(key, listing);
      for (const old of map.keys()) if (map.size > CACHED_LISTINGS) map.delete(old);
    }
    return listing;
  }

  /** The key of the ET day's summary, or null when the monitor wrote none (one listing per month). */
  async summary(date: string): Promise<string | null> {
    if (this.anywhere) return (await this.all()).summaries.get(date) ?? null;
    const month = date.slice(0, 7);
    let listing = this.months.get(month);
    if (!listing) {
      listing = this.list(`${DAY_SUMMARIES_PREFIX}${month}`);
      this.months.set(month, listing);
    }
    return (await listing).summaries.get(date) ?? null;
  }

  /** Below a local root: the hours that have record keys or a pack, at or before `untilMs`, newest first. */
  async hoursBefore(untilMs: number): Promise<number[]> {
    const index = await this.all();
    const hours = new Set([...index.records.keys(), ...index.packs.keys()]);
    return [...hours].filter((h) => h <= untilMs).sort((a, b) => b - a);
  }

  private all(): Promise<Index> {
    this.whole ??= this.list('');
    return this.whole;
  }

  private async list(prefix: string): Promise<Index> {
    const index = emptyIndex();
    for await (const key of this.objects.keys(prefix)) add(index, key);
    return index;
  }
}

const inSpan = (t: number, fromMs: number, toMs: number) => t >= fromMs && t <= toMs;
