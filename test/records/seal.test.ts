// The record sealer (a side job of the check): an hour's records packed once the hour is over, an ET
// day summarised once the day is over, each written once, within the run's time, and never a summary
// that leaves out a record it could not read.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsObjectStore } from '../../lambda/adapters/fs-objects';
import { FsStore } from '../../lambda/adapters/fs-store';
import { decodeDaySummary, decodePack } from '../../lambda/records/documents';
import { ObjectSealer, SEAL_STEP_MS } from '../../lambda/records/seal';
import { DocumentStore } from '../../lambda/state-store';
import { daySummaryKey, emptyHourKey, hourOfPack, hourPackKey } from '../../lambda/shared/state-layout';
import { counting } from '../helpers/counting-objects';
import { DAYS, recordDays } from '../helpers/record-days';

const records = recordDays();

async function written(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'aegis-seal-'));
  const store = new FsStore(dir);
  for (const r of records) await store.writeRun(r);
  return dir;
}

const at = (iso: string) => Date.parse(iso);
const later = () => Date.now() + 60_000;
const packs = (keys: readonly string[]) => keys.filter((k) => hourOfPack(k) !== null);
const summaries = (keys: readonly string[]) => keys.filter((k) => k.startsWith('runs/days/'));

describe('the record sealer', () => {
  it('packs each hour and summarises each ET day once it is over by the margin, and only once', async () => {
    const objects = counting(new FsObjectStore(await written()));
    const sealer = new ObjectSealer(objects);
    // Friday 20:07 UTC: Wednesday and Thursday are over, Friday up to its 19:00 hour.
    const outcome = await sealer.seal(at('2026-05-29T20:07:00Z'), later());
    // Every hour from the first record (Wednesday 13:00 UTC) to Friday 19:00: 25 with records, 30 empty.
    expect(outcome).toEqual({ state: 'sealed', hours: 55, days: 2 });
    expect(summaries(objects.puts)).toEqual([daySummaryKey(DAYS[0]), daySummaryKey(DAYS[1])]);
    expect(packs(objects.puts).filter((k) => k.endsWith('.jsonl'))).toHaveLength(25);
    expect(packs(objects.puts)).toContain(hourPackKey(at('2026-05-29T19:00:00Z')));
    expect(packs(objects.puts)).toContain(emptyHourKey(at('2026-05-28T03:00:00Z')));
    expect(packs(objects.puts)).not.toContain(emptyHourKey(at('2026-05-27T12:00:00Z')));
    expect(packs(objects.puts)).not.toContain(hourPackKey(at('2026-05-29T20:00:00Z')));
    // The same container within the hour: nothing to do, nothing read.
    objects.reset();
    expect(await sealer.seal(at('2026-05-29T20:50:00Z'), later())).toEqual({ state: 'up_to_date' });
    expect([...objects.gets, ...objects.lists, ...objects.puts]).toEqual([]);
    // Another container: it lists, finds everything sealed, writes nothing.
    expect(await new ObjectSealer(objects).seal(at('2026-05-29T20:50:00Z'), later())).toEqual({
      state: 'up_to_date',
    });
    expect(objects.puts).toEqual([]);
  });

  it('writes a pack that holds every record of its hour, byte for byte, and a summary of every record of its day', async () => {
    const dir = await written();
    const objects = new FsObjectStore(dir);
    await new ObjectSealer(objects).seal(at('2026-05-30T12:00:00Z'), later());
    const hour = at('2026-05-28T16:00:00Z');
    const pack = decodePack((await objects.get(hourPackKey(hour)))!.text, hour);
    if ('problem' in pack) throw new Error(pack.problem);
    const inHour = records.filter((r) => r.checked_at.startsWith('2026-05-28T16'));
    expect(pack.entries.map((e) => JSON.parse(e.text))).toEqual(inHour);
    expect(pack.rest).toEqual([]);
    const summary = decodeDaySummary((await objects.get(daySummaryKey('2026-05-28')))!.text, '2026-05-28');
    if ('problem' in summary) throw new Error(summary.problem);
    expect(summary.factsUsable).toBe(true);
    expect(summary.summary.facts.map((f) => f.checked_at)).toEqual(
      records.filter((r) => r.checked_at.startsWith('2026-05-28')).map((r) => r.checked_at),
    );
    expect(summary.summary.packs).toHaveLength(9);
  });

  it('writes no summary for the days before the monitor wrote its first record', async () => {
    const objects = counting(new FsObjectStore(await written()));
    await new ObjectSealer(objects, { lookbackDays: 14 }).seal(at('2026-05-30T12:00:00Z'), later());
    expect(summaries(objects.puts)).toEqual(DAYS.map(daySummaryKey));
  });

  it('stops between steps when the run has too little time left, and the next check goes on', async () => {
    const objects = counting(new FsObjectStore(await written()));
    const sealer = new ObjectSealer(objects);
    const outcome = await sealer.seal(at('2026-05-30T12:00:00Z'), Date.now() + SEAL_STEP_MS / 2);
    expect(outcome).toEqual({ state: 'partial', hours: 0, days: 0 });
    expect(objects.puts).toEqual([]);
    expect(await sealer.seal(at('2026-05-30T12:00:00Z'), later())).toMatchObject({
      state: 'sealed',
      days: 3,
    });
  });

  it('leaves a day unsummarised while one of its records cannot be read, then summarises it whole', async () => {
    const dir = await written();
    const objects = counting(new FsObjectStore(dir));
    const victim = records.find((r) => r.checked_at.startsWith('2026-05-28T15:20'))!;
    objects.failGets = new RegExp(victim.checked_at.replace(/[.:]/g, '.'));
    await expect(new ObjectSealer(objects).seal(at('2026-05-30T12:00:00Z'), later())).rejects.toThrow(
      /cannot read .*2026-05-28T15:20:20Z/,
    );
    expect(summaries(objects.puts)).toEqual([daySummaryKey('2026-05-27')]);
    // The record was left out of its hour's pack, beside it: the summary names it when it is written.
    objects.failGets = undefined;
    await new ObjectSealer(objects).seal(at('2026-05-30T12:00:00Z'), later());
    const summary = decodeDaySummary((await objects.get(daySummaryKey('2026-05-28')))!.text, '2026-05-28');
    if ('problem' in summary) throw new Error(summary.problem);
    expect(summary.summary.rest).toEqual([expect.stringContaining('2026-05-28T15:20:20Z')]);
    expect(summary.summary.facts.map((f) => f.checked_at)).toContain(victim.checked_at);
  });

  it('keeps a pack within its size bound: the other records of the hour stay beside it, and are still read', async () => {
    const dir = await written();
    const objects = new FsObjectStore(dir);
    const oneRecord = JSON.stringify(records[0]).length;
    await new ObjectSealer(objects, { packMaxBytes: oneRecord * 2.5 }).seal(
      at('2026-05-30T12:00:00Z'),
      later(),
    );
    const hour = at('2026-05-27T13:00:00Z');
    const pack = decodePack((await objects.get(hourPackKey(hour)))!.text, hour);
    if ('problem' in pack) throw new Error(pack.problem);
    expect(pack.entries.length).toBeLessThan(7);
    expect(pack.rest.length).toBe(7 - pack.entries.length);
    const listing = await new DocumentStore(objects).listRuns({
      from: '2026-05-27T00:00:00Z',
      to: '2026-05-30T00:00:00Z',
    });
    expect(listing.records).toEqual(records);
  });
});
