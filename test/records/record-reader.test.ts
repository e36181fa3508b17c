// The record readers: what the monitor sealed (day summaries, hour packs) gives the same answers as the
// records themselves, with far fewer reads; whatever cannot be used is said and read record by record.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsObjectStore } from '../../lambda/adapters/fs-objects';
import { FsStore } from '../../lambda/adapters/fs-store';
import { sessionOn } from '../../lambda/detector/market-clock';
import type { SessionInfo } from '../../lambda/detector/types';
import { KPI_FACTS_VERSION, sessionKpis } from '../../lambda/digest/kpi';
import { READ_CONCURRENCY } from '../../lambda/records/record-reader';
import { ObjectSealer } from '../../lambda/records/seal';
import { checkGaps } from '../../lambda/shared/gap';
import { scheduleDefinitions } from '../../lambda/shared/schedules';
import { daySummaryKey, hourOfPack, hourPackKey } from '../../lambda/shared/state-layout';
import { DocumentStore } from '../../lambda/state-store';
import { counting } from '../helpers/counting-objects';
import { copyOf, DAYS, recordDays } from '../helpers/record-days';

const records = recordDays();
const RANGE = { from: '2026-05-27T04:00:00Z', to: '2026-05-30T03:59:59Z' };
const sessions = DAYS.map((d) => sessionOn(d) as SessionInfo);

let plain: string;
let sealed: string;

beforeAll(async () => {
  plain = mkdtempSync(join(tmpdir(), 'aegis-reader-'));
  const store = new FsStore(plain);
  for (const r of records) await store.writeRun(r);
  sealed = copyOf(plain);
  await new ObjectSealer(new FsObjectStore(sealed)).seal(
    Date.parse('2026-05-30T12:00:00Z'),
    Date.now() + 60_000,
  );
});

function storeOn(dir: string, anywhere: boolean, notes: string[] = []) {
  const objects = counting(new FsObjectStore(dir));
  return {
    objects,
    store: new DocumentStore(objects, { runsAnywhere: anywhere, note: (t) => notes.push(t) }),
  };
}

const gapOf = (stamps: Parameters<typeof checkGaps>[0]) =>
  checkGaps(
    stamps,
    scheduleDefinitions(),
    Date.parse(RANGE.from),
    Date.parse(RANGE.to),
    8,
    Date.parse(RANGE.to),
  );

describe.each([
  ['the bucket layout', false],
  ['a local directory (records anywhere below it)', true],
])('sealed days and hours read as their records: %s', (_name, anywhere) => {
  it('gives the same records, KPIs, coverage and latest run as the records alone', async () => {
    const a = storeOn(plain, anywhere).store;
    const b = storeOn(sealed, anywhere).store;
    expect((await b.listRuns(RANGE)).records).toEqual((await a.listRuns(RANGE)).records);
    expect((await b.listRuns(RANGE)).records).toEqual(records);
    const kpis = await b.records.view().sessionKpis(sessions);
    expect(kpis.kpis).toEqual(sessions.map((s) => sessionKpis(s, records)));
    expect(kpis.kpis.map((k) => k.kpis?.broker_import_positions)).toEqual([1, 1, 1]);
    expect(gapOf((await b.records.view().stamps(RANGE)).stamps)).toEqual(gapOf(records));
    const latest = await b.records.view().latest(Date.parse('2026-05-30T00:00:00Z'));
    expect(latest.read).toEqual({ key: expect.any(String), record: records.at(-1) });
  });

  it('reads one summary per day for the KPIs and the coverage, and one pack per hour for the records', async () => {
    const { objects, store } = storeOn(sealed, anywhere);
    await store.records.view().sessionKpis(sessions);
    expect(objects.gets).toEqual(DAYS.map(daySummaryKey));
    objects.reset();
    await store.records.view().stamps(RANGE);
    expect(objects.gets).toEqual(DAYS.map(daySummaryKey));
    objects.reset();
    await store.listRuns({ from: '2026-05-28T04:00:00Z', to: '2026-05-29T03:59:59Z' });
    expect(objects.gets).toEqual([daySummaryKey('2026-05-28'), ...hoursOf('2026-05-28').map(hourPackKey)]);
  });
});

const hoursOf = (date: string) => Array.from({ length: 9 }, (_, i) => Date.parse(`${date}T${13 + i}:00:00Z`));

describe('what cannot be used is said, and its records are read', () => {
  it.each([
    [
      'a summary that is not JSON',
      (dir: string) => writeFileSync(join(dir, daySummaryKey('2026-05-28')), '{"sch'),
    ],
    [
      'a summary of another day',
      (dir: string) =>
        writeFileSync(
          join(dir, daySummaryKey('2026-05-28')),
          readFileSync(join(dir, daySummaryKey('2026-05-27')), 'utf8'),
        ),
    ],
    [
      'a pack that holds fewer records than it says',
      (dir: string) => {
        const path = join(dir, hourPackKey(Date.parse('2026-05-28T15:00:00Z')));
        const text = readFileSync(path, 'utf8') as string;
        writeFileSync(path, text.split('\n').slice(0, -1).join('\n'));
      },
    ],
    [
      'a pack that is gone',
      (dir: string) => rmSync(join(dir, hourPackKey(Date.parse('2026-05-28T15:00:00Z')))),
    ],
  ])('%s', async (_name, damage) => {
    const dir = copyOf(sealed);
    damage(dir);
    for (const anywhere of [false, true]) {
      const notes: string[] = [];
      const store = storeOn(dir, anywhere, notes).store;
      expect((await store.listRuns(RANGE)).records).toEqual(records);
      expect((await store.records.view().sessionKpis(sessions)).kpis).toEqual(
        sessions.map((s) => sessionKpis(s, records)),
      );
      expect(notes.join('\n')).toMatch(/is not used|is gone/);
    }
  });

  it('a summary that cannot be read fails the reader (as a listing would), never an answer without it', async () => {
    for (const anywhere of [false, true]) {
      const { objects, store } = storeOn(sealed, anywhere);
      objects.failGets = /^runs\/days\/2026-05-28\.json$/;
      await expect(store.records.view().sessionKpis(sessions)).rejects.toThrow(/injected/);
      await expect(store.records.view().stamps(RANGE)).rejects.toThrow(/injected/);
      await expect(store.listRuns(RANGE)).rejects.toThrow(/injected/);
    }
  });

  it('facts counted by another version of the KPI code: the records are read for the KPIs', async () => {
    const dir = copyOf(sealed);
    const path = join(dir, daySummaryKey('2026-05-28'));
    const text = readFileSync(path, 'utf8') as string;
    const stored = `"facts_version":${KPI_FACTS_VERSION}`;
    expect(text).toContain(stored);
    writeFileSync(path, text.replace(stored, `"facts_version":${KPI_FACTS_VERSION - 1}`));
    const { objects, store } = storeOn(dir, false);
    expect((await store.records.view().sessionKpis(sessions)).kpis).toEqual(
      sessions.map((s) => sessionKpis(s, records)),
    );
    expect(objects.gets.filter((k) => hourOfPack(k) !== null)).toEqual(
      hoursOf('2026-05-28').map(hourPackKey),
    );
  });
});

describe('a day that is not over', () => {
  it('reads its sealed hours from their packs, lists each UTC day folder once, reads the hours not sealed one by one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-reader-today-'));
    const store = new FsStore(dir);
    for (const r of records.filter((r) => r.checked_at >= '2026-05-28')) await store.writeRun(r);
    const friday = records.filter((r) => r.checked_at.startsWith('2026-05-29'));
    await new ObjectSealer(new FsObjectStore(dir)).seal(
      Date.parse('2026-05-29T17:30:00Z'),
      Date.now() + 60_000,
    );
    const objects = counting(new FsObjectStore(dir));
    const reader = new DocumentStore(objects);
    const day = { from: '2026-05-29T04:00:00Z', to: '2026-05-30T03:59:59Z' };
    // Records stamped after the reader's clock are found too (gap names them: they cover nothing).
    expect((await reader.listRuns(day)).records).toEqual(friday);
    // Up to 16:00 every hour was over at 17:30 (by the margin): packs, or empty. From 17:00 the hours
    // are open: their records are read one by one.
    const singles = objects.gets.filter((k) => hourOfPack(k) === null && !k.startsWith('runs/days/'));
    expect(singles.map((k) => k.slice(k.lastIndexOf('/') + 1, k.indexOf('Z-') + 1))).toEqual(
      friday.filter((r) => r.checked_at >= '2026-05-29T17').map((r) => r.checked_at),
    );
    expect(singles.length).toBeGreaterThan(0);
    expect(objects.gets.filter((k) => hourOfPack(k) !== null).length).toBeGreaterThan(0);
    // One listing per UTC day folder of the ET day (records and packs together), nothing else.
    expect(objects.lists).toEqual(['runs/2026/05/29/', 'runs/2026/05/30/']);
  });

  it('reads record by record at most READ_CONCURRENCY at a time', async () => {
    const { objects, store } = storeOn(plain, false);
    await store.listRuns(RANGE);
    // Each day's summary is asked for first (none here), then every record is read.
    expect(objects.gets.filter((k) => !k.startsWith('runs/days/')).length).toBe(records.length);
    expect(objects.maxInFlight).toBeGreaterThan(1);
    expect(objects.maxInFlight).toBeLessThanOrEqual(READ_CONCURRENCY);
  });
});

describe('the latest run below a local root', () => {
  it('is the newest readable record, found from the keys; an unreadable newer one is named', async () => {
    const dir = copyOf(plain);
    writeFileSync(join(dir, 'runs/2026/05/29/2026-05-29T23:59:00Z-schedule:primary-zzz.json'), '{"not":');
    const { objects, store } = storeOn(dir, true);
    const latest = await store.records.view().latest(Date.parse('2026-06-01T00:00:00Z'));
    expect(latest.read).toEqual({ key: expect.any(String), record: records.at(-1) });
    expect(latest.skipped).toEqual([{ key: expect.stringContaining('23:59:00Z'), reason: 'not JSON' }]);
    expect(objects.gets.length).toBeLessThan(20);
  });
});
