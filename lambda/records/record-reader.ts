// How every reader finds and reads run records (the CLI's kpi, report, replay, gap and snapshot, the
// Lambda's digest and the deploy proofs): ET day by ET day, hour by hour, in checked_at order. A day that
// is over has a summary (its KPI inputs and coverage, and where its records are); an hour that is over
// has a pack (its records in one object). Whatever has neither is found by listing its day folder and
// read record by record, at most READ_CONCURRENCY at a time. Memory is one hour's records at a time
// (one day's facts for the KPIs), whatever the range.
import { etDate, etWallToUtc, formatUtc } from '../detector/time';
import type { RunRecord, SessionInfo } from '../detector/types';
import type { RunStamp } from '../shared/gap';
import { kpiFacts, sessionKpisOfFacts, type SessionKpis } from '../digest/kpi';
import type { ObjectStore, RunRange } from '../ports';
import {
  daySummaryKey,
  decodeRun,
  hourOfPack,
  inRange,
  isEmptyHour,
  runKeyTime,
} from '../shared/state-layout';
import { decodeDaySummary, decodePack, type DaySummary, type RunFacts } from './documents';
import { HOUR_MS, KeyFinder, type SpanKeys } from './key-finder';
import { mapOrdered, settle, unsettle } from './ordered-reads';

/** Records read at once: enough to hide a GET's latency, few enough for the Lambda's sockets and memory. */
export const READ_CONCURRENCY = 16;
/**
 * ET days whose facts are fetched ahead (kpi, gap): a day summary is one GET and a parse, so a few in
 * flight hide the latency while memory stays a few days' facts.
 */
export const DAY_CONCURRENCY = 4;

export type RunRead =
  { readonly key: string; readonly record: RunRecord } | { readonly key: string; readonly skipped: string };

export interface RecordReaderOptions {
  /** Records may lie anywhere below the root (a local directory): every key is listed once. */
  readonly anywhere?: boolean;
  /** A summary or pack that cannot be used, and why (its records are read instead). */
  readonly note?: (text: string) => void;
}

export interface DayFacts {
  readonly date: string;
  readonly facts: RunFacts[];
  readonly skipped: { readonly key: string; readonly reason: string }[];
}

const DAY_MS = 86_400_000;
const nextDate = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** The instants [start, end] of an ET calendar day. */
export function etDay(date: string): { readonly from: number; readonly to: number } {
  return { from: etWallToUtc(date, 0, 0), to: etWallToUtc(nextDate(date), 0, 0) - 1 };
}

export function runFacts(record: RunRecord): RunFacts {
  const { trigger, execution_id, scheduled_time } = record.trigger;
  return {
    ...kpiFacts(record),
    trigger: {
      trigger,
      ...(execution_id ? { execution_id } : {}),
      ...(scheduled_time ? { scheduled_time } : {}),
    },
  };
}

const errorName = (err: unknown) => (err as { name?: string })?.name || String(err);

/** Where run records are read from; each view lists afresh (a store lives across checks). */
export class RecordReader {
  constructor(
    private readonly objects: ObjectStore,
    private readonly options: RecordReaderOptions = {},
  ) {}

  /** The records as listed from now on: a view keeps its listings, so use one per command or digest. */
  view(): RecordView {
    return new RecordView(this.objects, this.options);
  }
}

export class RecordView {
  private readonly finder: KeyFinder;

  constructor(
    private readonly objects: ObjectStore,
    private readonly options: RecordReaderOptions = {},
  ) {
    this.finder = new KeyFinder(objects, options.anywhere ?? false);
  }

  /** Every record checked within the range, in checked_at order; unreadable ones as skipped. */
  async *runs(range: RunRange): AsyncGenerator<RunRead> {
    const fromMs = Date.parse(range.from);
    const toMs = Date.parse(range.to);
    if (!(fromMs <= toMs)) return;
    // Keys whose name holds no time (other names below a local root) are judged by their content, once.
    const untimed = this.options.anywhere
      ? await this.readAll(await this.finder.untimed(), fromMs, toMs)
      : [];
    for (const date of await this.finder.dates(fromMs, toMs)) {
      const day = etDay(date);
      const from = Math.max(fromMs, day.from);
      const to = Math.min(toMs, day.to);
      const keys = await this.dayKeys(date, from, to);
      if (!this.options.anywhere) untimed.push(...(await this.readAll(keys.untimed, from, to)));
      for (const hour of [...keys.hours.keys()].sort((a, b) => a - b)) {
        const reads = await this.readHour(hour, keys.hours.get(hour)!, from, to);
        while (untimed.length > 0 && timeOf(untimed[0]) < hour) reads.push(untimed.shift()!);
        yield* sortReads(reads);
      }
      while (untimed.length > 0 && timeOf(untimed[0]) <= to) yield untimed.shift()!;
    }
    yield* untimed;
  }

  /**
   * What each record of an ET day (or of the part of it within `within`) gives the KPIs and the
   * coverage: from the day's summary when the monitor wrote one, else from its records.
   */
  async dayFacts(date: string, within?: { readonly from: number; readonly to: number }): Promise<DayFacts> {
    const day = etDay(date);
    const from = Math.max(day.from, within?.from ?? day.from);
    const to = Math.min(day.to, within?.to ?? day.to);
    const summary = await this.summary(date);
    if (summary?.factsUsable) {
      const inside = (at: string) => {
        const t = Date.parse(at);
        return t >= from && t <= to;
      };
      return {
        date,
        facts: summary.summary.facts.filter((f) => inside(f.checked_at)),
        skipped: summary.summary.skipped.filter(
          (s) => runKeyTime(s.key) === null || inside(formatUtc(runKeyTime(s.key)!)),
        ),
      };
    }
    const out: DayFacts = { date, facts: [], skipped: [] };
    for await (const read of this.runs({ from: formatUtc(from), to: formatUtc(to) })) {
      if ('record' in read) out.facts.push(runFacts(read.record));
      else out.skipped.push({ key: read.key, reason: read.skipped });
    }
    return out;
  }

  /** Each session's KPIs, one ET day at a time (memory: one day's facts). */
  async sessionKpis(
    sessions: readonly SessionInfo[],
  ): Promise<{ kpis: SessionKpis[]; skipped: DayFacts['skipped'] }> {
    const kpis: SessionKpis[] = [];
    const skipped: DayFacts['skipped'] = [];
    const days = mapOrdered(sessions, DAY_CONCURRENCY, (s) => settle(this.dayFacts(s.date)));
    let i = 0;
    for await (const day of days) {
      kpis.push(sessionKpisOfFacts(sessions[i++], unsettle(day).facts));
      skipped.push(...unsettle(day).skipped);
    }
    return { kpis, skipped };
  }

  /** When and by what every run in the range was started (schedule coverage), in time order. */
  async stamps(range: RunRange): Promise<{ stamps: RunStamp[]; skipped: DayFacts['skipped'] }> {
    const fromMs = Date.parse(range.from);
    const toMs = Date.parse(range.to);
    const stamps: RunStamp[] = [];
    const skipped: DayFacts['skipped'] = [];
    const dates = await this.recordDates(fromMs, toMs);
    const within = { from: fromMs, to: toMs };
    for await (const read of mapOrdered(dates, DAY_CONCURRENCY, (d) => settle(this.dayFacts(d, within)))) {
      const day = unsettle(read);
      for (const f of day.facts) stamps.push({ checked_at: f.checked_at, trigger: f.trigger });
      skipped.push(...day.skipped);
    }
    return { stamps, skipped };
  }

  /**
   * The ET dates that may hold records in the range: every date in the bucket; below a local root those
   * its record keys name (and those of records whose name holds no time, read for it).
   */
  async recordDates(fromMs: number, toMs: number): Promise<string[]> {
    const dates = new Set(await this.finder.dates(fromMs, toMs));
    for (const read of await this.readAll(await this.finder.untimed(), fromMs, toMs))
      if ('record' in read) dates.add(etDate(Date.parse(read.record.checked_at)));
    return [...dates].sort();
  }

  /**
   * The newest readable record checked at or before `untilMs`, and the unreadable ones met on the way
   * (below a local root: hour by hour back from the newest key; the bucket: up to 14 days back).
   */
  async latest(untilMs: number): Promise<{ read: RunRead | null; skipped: DayFacts['skipped'] }> {
    const skipped: DayFacts['skipped'] = [];
    let newest: { key: string; record: RunRecord } | null = null;
    const consider = (read: RunRead) => {
      if ('skipped' in read) skipped.push({ key: read.key, reason: read.skipped });
      else if (!newest || read.record.checked_at.localeCompare(newest.record.checked_at) >= 0) newest = read;
    };
    const spans: { from: number; to: number }[] = [];
    if (this.options.anywhere) {
      for (const read of await this.readAll(await this.finder.untimed(), 0, untilMs)) consider(read);
      for (const hour of await this.finder.hoursBefore(untilMs))
        spans.push({ from: hour, to: Math.min(untilMs, hour + HOUR_MS - 1) });
    } else {
      for (let back = 0; back < 14; back++) {
        const day = etDay(etDate(untilMs - back * DAY_MS));
        spans.push({ from: day.from, to: Math.min(day.to, untilMs) });
      }
    }
    for (const span of spans) {
      const before = newest as { record: RunRecord } | null;
      if (before && Date.parse(before.record.checked_at) > span.to) break;
      for await (const read of this.runs({ from: formatUtc(span.from), to: formatUtc(span.to) }))
        consider(read);
      if (newest && newest !== before) break;
    }
    return { read: newest, skipped };
  }

  /** The day's keys by hour: from its summary when the monitor wrote one, else from its folders. */
  private async dayKeys(date: string, from: number, to: number): Promise<SpanKeys> {
    const read = await this.summary(date);
    if (!read) return this.finder.span(from, to);
    const hours: SpanKeys['hours'] = new Map();
    const slot = (hour: number) => {
      const existing = hours.get(hour) ?? { keys: [] };
      hours.set(hour, existing);
      return existing;
    };
    const first = from - (from % HOUR_MS);
    for (const pack of read.summary.packs) {
      const hour = hourOfPack(pack.key);
      if (hour !== null && hour >= first && hour <= to) slot(hour).pack = pack.key;
    }
    const untimed: string[] = [];
    for (const key of read.summary.rest) {
      const t = runKeyTime(key);
      if (t === null) untimed.push(key);
      else if (t >= from && t <= to) slot(t - (t % HOUR_MS)).keys.push(key);
    }
    return { hours, untimed };
  }

  private async summary(date: string): Promise<{ summary: DaySummary; factsUsable: boolean } | null> {
    // In the bucket a summary's key is known: one GET says whether it is there (a listing first would
    // be a second request). Below a local root it may lie anywhere: the listing says where.
    const key = this.options.anywhere ? await this.finder.summary(date) : daySummaryKey(date);
    if (!key) return null;
    // A read that fails (after the SDK's own retry) fails the reader, as a failed listing does: the
    // records beside it are in the same store, and credentials or access errors must reach the operator.
    const text = (await this.objects.get(key))?.text;
    if (text === undefined) return null;
    const decoded = decodeDaySummary(text, date);
    if ('problem' in decoded) {
      this.options.note?.(`day summary ${key} is not used (${decoded.problem}): reading its records`);
      return null;
    }
    return decoded;
  }

  /** One hour: its pack (and any record keys beside it), or its records one by one. */
  private async readHour(
    hour: number,
    slot: { readonly pack?: string; readonly keys: readonly string[] },
    from: number,
    to: number,
  ): Promise<RunRead[]> {
    let keys = slot.keys;
    const reads: RunRead[] = [];
    if (slot.pack && isEmptyHour(slot.pack)) {
      // Sealed without records: nothing to read but what the listing found beside it (nothing, in time).
    } else if (slot.pack) {
      const pack = await this.pack(slot.pack, hour);
      if (pack) {
        const packed = new Set<string>();
        for (const e of pack.entries) {
          packed.add(e.key);
          const t = runKeyTime(e.key)!;
          if (t >= from && t <= to) reads.push(decoded(e.key, e.text));
        }
        keys = [...new Set([...keys, ...pack.rest])].filter((k) => !packed.has(k));
      } else keys = await this.finder.hour(hour);
    }
    const wanted = keys.filter((k) => {
      const t = runKeyTime(k);
      return t === null || (t >= from && t <= to);
    });
    reads.push(...(await this.readAll(wanted, from, to)));
    return reads.filter((r) => !('record' in r) || inRange(r.record, formatUtc(from), formatUtc(to)));
  }

  private async pack(key: string, hour: number) {
    let text: string | undefined;
    try {
      text = (await this.objects.get(key))?.text;
    } catch (err) {
      this.options.note?.(`hour pack ${key} could not be read (${errorName(err)}): reading its records`);
      return null;
    }
    if (text === undefined) {
      this.options.note?.(`hour pack ${key} is gone: reading its records`);
      return null;
    }
    const pack = decodePack(text, hour);
    if ('problem' in pack) {
      this.options.note?.(`hour pack ${key} is not used (${pack.problem}): reading its records`);
      return null;
    }
    return pack;
  }

  /** Reads keys, READ_CONCURRENCY at a time; records outside [from, to] by their content are left out. */
  private async readAll(keys: readonly string[], from: number, to: number): Promise<RunRead[]> {
    const out: RunRead[] = [];
    for await (const read of mapOrdered(keys, READ_CONCURRENCY, (k) => this.readOne(k))) {
      if ('record' in read && !inRange(read.record, formatUtc(from), formatUtc(to))) continue;
      out.push(read);
    }
    return sortReads(out);
  }

  private async readOne(key: string): Promise<RunRead> {
    try {
      const object = await this.objects.get(key);
      return decoded(key, object?.text ?? '');
    } catch (err) {
      return { key, skipped: errorName(err) };
    }
  }
}

function decoded(key: string, text: string): RunRead {
  const d = decodeRun(text);
  return 'problem' in d ? { key, skipped: d.problem } : { key, record: d.record };
}

function timeOf(read: RunRead): number {
  return 'record' in read ? Date.parse(read.record.checked_at) : (runKeyTime(read.key) ?? 0);
}

/** Records in checked_at order (as every reader sorted them), unreadable ones by their key's name. */
function sortReads(reads: RunRead[]): RunRead[] {
  const at = (r: RunRead) => ('record' in r ? r.record.checked_at : r.key.slice(r.key.lastIndexOf('/') + 1));
  return reads.sort((a, b) => at(a).localeCompare(at(b)));
}
