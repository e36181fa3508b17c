// A side job of the check: what the record readers need per hour and per day, written once by the
// monitor when that time is over. An hour's run records go into one pack (one read instead of ~70 for
// the report, replay and digest); an ET day gets a summary (each record's KPI inputs and schedule
// coverage, and where its records are: one read instead of ~650 for kpi and gap). Both are written
// create-only, never replaced; a reader that cannot use one reads the records themselves.
import { etDate, formatUtc } from '../detector/time';
import { WriteConflictError, type ObjectStore, type RecordSealer, type SealOutcome } from '../ports';
import {
  decodeRun,
  daySummaryKey,
  emptyHourKey,
  hourPackKey,
  inRange,
  isEmptyHour,
} from '../shared/state-layout';
import {
  decodePack,
  encodeDaySummary,
  encodePack,
  type DaySummary,
  type PackEntry,
  type RunFacts,
} from './documents';
import { KPI_FACTS_VERSION } from '../digest/kpi';
import { HOUR_MS, KeyFinder, type SpanKeys } from './key-finder';
import { mapOrdered } from './ordered-reads';
import { etDay, READ_CONCURRENCY, runFacts } from './record-reader';

export interface SealOptions {
  /**
   * How long after an hour or a day ends it is sealed: a run writes its record within the Lambda's
   * timeout of its checked_at, so by then every record of that time is there.
   * @default 5 minutes
   */
  readonly marginMs?: number;
  /**
   * How far back hours and days are sealed (a monitor down for a while, or just deployed, catches up).
   * @default 14 days
   */
  readonly lookbackDays?: number;
  /**
   * The most record text one pack holds; the hour's other records stay apart (the Lambda's memory).
   * @default 8 MiB
   */
  readonly packMaxBytes?: number;
}

const DAY_MS = 86_400_000;
/** What packing one hour needs at most (~70 reads and a write); less left, the next check does it. */
export const SEAL_STEP_MS = 3_000;

const errorText = (err: unknown) => (err as Error)?.message || String(err);

export class ObjectSealer implements RecordSealer {
  /** Every hour up to this one is packed and every day before it summarised (this container). */
  private doneThrough: number | null = null;

  constructor(
    private readonly objects: ObjectStore,
    private readonly options: SealOptions = {},
  ) {}

  async seal(nowMs: number, deadlineMs: number): Promise<SealOutcome> {
    const margin = this.options.marginMs ?? 5 * 60_000;
    const lastHour = Math.floor((nowMs - margin) / HOUR_MS) * HOUR_MS - HOUR_MS;
    if (this.doneThrough !== null && this.doneThrough >= lastHour) return { state: 'up_to_date' };
    const finder = new KeyFinder(this.objects, false);
    const done = { hours: 0, days: 0 };
    const lookback = (this.options.lookbackDays ?? 14) * DAY_MS;
    // Nothing before the first record (the monitor not yet deployed) is sealed, not even as empty.
    let watched = false;
    for (let date = etDate(nowMs - lookback); date <= etDate(nowMs); date = nextDate(date)) {
      if ((await finder.summary(date)) !== null) {
        watched = true;
        continue;
      }
      const day = etDay(date);
      const keys = await finder.span(day.from, day.to);
      watched ||= keys.untimed.length > 0;
      for (let hour = day.from; hour <= Math.min(day.to, lastHour); hour += HOUR_MS) {
        const slot = keys.hours.get(hour);
        watched ||= Boolean(slot?.pack || slot?.keys.length);
        if (!watched || slot?.pack) continue;
        if (deadlineMs - Date.now() < SEAL_STEP_MS) return { state: 'partial', ...done };
        if (slot && slot.keys.length > 0) slot.pack = await this.packHour(hour, slot.keys);
        // An hour without records says so too: a reader of the day then lists only the open hours.
        // Its key says it all; a body of no bytes makes the SDK warn of a stream of unknown length.
        else await this.createOnly(emptyHourKey(hour), 'no run records\n');
        done.hours++;
      }
      watched ||= [...keys.hours.values()].some((h) => h.keys.length > 0);
      if (!watched) continue;
      if (day.to + margin > nowMs) continue;
      if (deadlineMs - Date.now() < SEAL_STEP_MS) return { state: 'partial', ...done };
      await this.summarise(date, keys, nowMs);
      done.days++;
    }
    this.doneThrough = lastHour;
    return done.hours + done.days > 0 ? { state: 'sealed', ...done } : { state: 'up_to_date' };
  }

  /** The hour's records in one object: create-only, so a pack is never replaced. Returns its key. */
  private async packHour(hour: number, keys: readonly string[]): Promise<string> {
    const maxBytes = this.options.packMaxBytes ?? 8 * 1024 * 1024;
    const entries: PackEntry[] = [];
    const rest: string[] = [];
    let bytes = 0;
    const reads = mapOrdered(keys, READ_CONCURRENCY, (key) =>
      this.objects.get(key).then(
        (o) => ({ key, text: o?.text }),
        () => ({ key, text: undefined }),
      ),
    );
    for await (const { key, text } of reads) {
      // A record that cannot be read now, or one that cannot sit on a line, is read on its own later.
      if (text === undefined || text.includes('\n') || key.includes('\t') || bytes + text.length > maxBytes)
        rest.push(key);
      else {
        entries.push({ key, text });
        bytes += text.length;
      }
    }
    const key = hourPackKey(hour);
    await this.createOnly(key, encodePack({ hour, entries, rest }));
    return key;
  }

  /** Written once: another check that wrote it first wrote the same. */
  private async createOnly(key: string, text: string): Promise<void> {
    try {
      await this.objects.putIf(key, text, null);
    } catch (err) {
      if (!(err instanceof WriteConflictError)) throw err;
    }
  }

  /** The day's summary from its packs (and the records beside them). Create-only. */
  private async summarise(date: string, keys: SpanKeys, nowMs: number): Promise<void> {
    const day = etDay(date);
    const facts: RunFacts[] = [];
    const skipped: { key: string; reason: string }[] = [];
    const packs: { key: string; etag: string }[] = [];
    const rest: string[] = [];
    const take = (key: string, text: string) => {
      const d = decodeRun(text);
      if ('problem' in d) skipped.push({ key, reason: d.problem });
      else if (inRange(d.record, formatUtc(day.from), formatUtc(day.to))) facts.push(runFacts(d.record));
    };
    for (const hour of [...keys.hours.keys()].sort((a, b) => a - b)) {
      const slot = keys.hours.get(hour)!;
      let apart = slot.keys;
      if (slot.pack && isEmptyHour(slot.pack)) continue;
      if (slot.pack) {
        const object = await this.objects.get(slot.pack);
        const pack = object ? decodePack(object.text, hour) : { problem: 'gone' };
        if (!('problem' in pack)) {
          packs.push({ key: slot.pack, etag: object!.etag });
          pack.entries.forEach((e) => take(e.key, e.text));
          const packed = new Set(pack.entries.map((e) => e.key));
          apart = [...new Set([...slot.keys, ...pack.rest])].filter((k) => !packed.has(k));
        }
      }
      rest.push(...apart);
      await this.readApart(apart, take, skipped);
    }
    // Keys whose name holds no time: those whose record is of this day are kept beside the packs.
    for (const key of keys.untimed) {
      const text = await this.objects.get(key).then((o) => o?.text);
      const d = text === undefined ? null : decodeRun(text);
      if (d && 'record' in d && inRange(d.record, formatUtc(day.from), formatUtc(day.to))) {
        rest.push(key);
        facts.push(runFacts(d.record));
      }
    }
    facts.sort((a, b) => a.checked_at.localeCompare(b.checked_at));
    const summary: DaySummary = {
      date,
      from: formatUtc(day.from),
      to: formatUtc(day.to),
      written_at: formatUtc(nowMs),
      packs,
      rest,
      facts_version: KPI_FACTS_VERSION,
      facts,
      skipped,
    };
    await this.createOnly(daySummaryKey(date), encodeDaySummary(summary));
  }

  private async readApart(
    keys: readonly string[],
    take: (key: string, text: string) => void,
    skipped: { key: string; reason: string }[],
  ): Promise<void> {
    const reads = mapOrdered(keys, READ_CONCURRENCY, (key) =>
      this.objects.get(key).then(
        (o) => ({ key, text: o?.text, error: o ? undefined : 'gone' }),
        (err: unknown) => ({ key, text: undefined, error: errorText(err) }),
      ),
    );
    for await (const r of reads) {
      // A read that failed now may work later: no summary yet (the next check tries again), never
      // one that leaves a record out for good. A record gone since the listing is named as skipped.
      if (r.error && r.error !== 'gone') throw new Error(`cannot read ${r.key}: ${r.error}`);
      if (r.text === undefined) skipped.push({ key: r.key, reason: 'gone since it was listed' });
      else take(r.key, r.text);
    }
  }
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}
