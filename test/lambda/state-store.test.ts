// The object-store primitive and the documents on it: conditional writes, and run listing that
// filters on the key (it holds checked_at) before reading anything.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsObjectStore } from '../../lambda/adapters/fs-objects';
import { FsStore } from '../../lambda/adapters/fs-store';
import { WriteConflictError, type ObjectStore } from '../../lambda/ports';
import { DocumentStore } from '../../lambda/state-store';
import { record } from '../helpers/runs';

const fresh = () => mkdtempSync(join(tmpdir(), 'aegis-objects-'));

/** Counts the reads an ObjectStore serves. */
function counting(objects: ObjectStore): ObjectStore & { gets: string[] } {
  const gets: string[] = [];
  return {
    gets,
    get: (key) => {
      gets.push(key);
      return objects.get(key);
    },
    putIf: (key, text, etag) => objects.putIf(key, text, etag),
    put: (key, text) => objects.put(key, text),
    keys: (prefix) => objects.keys(prefix),
  };
}

describe('the object store on a directory', () => {
  it('creates only when absent, replaces only the version read, and lists keys under a prefix', async () => {
    const objects = new FsObjectStore(fresh());
    expect(await objects.get('state/a.json')).toBeNull();
    const v1 = await objects.putIf('state/a.json', '{"n":1}', null);
    await expect(objects.putIf('state/a.json', '{"n":2}', null)).rejects.toThrow(WriteConflictError);
    const v2 = await objects.putIf('state/a.json', '{"n":2}', v1);
    await expect(objects.putIf('state/a.json', '{"n":3}', v1)).rejects.toThrow(WriteConflictError);
    expect(await objects.get('state/a.json')).toEqual({ text: '{"n":2}', etag: v2 });
    await objects.put('runs/2026/06/01/x.json', '{}');
    const keys: string[] = [];
    for await (const k of objects.keys('runs/2026/06/')) keys.push(k);
    expect(keys).toEqual(['runs/2026/06/01/x.json']);
    for await (const k of objects.keys('runs/2026/07/')) keys.push(k);
    expect(keys).toHaveLength(1);
  });
});

describe('run records on the object store', () => {
  const day = [
    '2026-06-01T13:00:30Z',
    '2026-06-01T14:00:30Z',
    '2026-06-01T15:00:30Z',
    '2026-06-01T16:00:30Z',
  ];

  it.each([
    ['the bucket layout (day folders)', false],
    ['a directory (records anywhere below it)', true],
  ])('reads only the records whose key is in the range: %s', async (_name, runsAnywhere) => {
    const dir = fresh();
    const writer = new FsStore(dir);
    for (const at of day) await writer.writeRun(record(at, 'schedule:primary'));
    const objects = counting(new FsObjectStore(dir));
    const store = new DocumentStore(objects, { runsAnywhere });
    const listing = await store.listRuns({ from: '2026-06-01T14:00:00Z', to: '2026-06-01T15:30:00Z' });
    expect(listing.records.map((r) => r.checked_at)).toEqual([
      '2026-06-01T14:00:30Z',
      '2026-06-01T15:00:30Z',
    ]);
    // Of the records, only those two are read (in the bucket, the day's summary is asked for first:
    // its key is known, and this day has none).
    const records = objects.gets.filter((k) => !k.startsWith('runs/days/'));
    expect(records).toHaveLength(2);
    expect(objects.gets.length - records.length).toBe(runsAnywhere ? 0 : 1);
  });

  it('still reads, and names, a file whose name holds no time', async () => {
    const dir = fresh();
    const objects = new FsObjectStore(dir);
    await objects.put('junk/broken.json', '{"schema": ');
    await new FsStore(dir).writeRun(record('2026-06-01T14:00:30Z', 'schedule:primary'));
    const listing = await new FsStore(dir).listRuns({ from: '2026-06-01', to: '2026-06-02' });
    expect(listing.records).toHaveLength(1);
    expect(listing.skipped).toEqual([{ key: 'junk/broken.json', reason: 'not JSON' }]);
  });
});
