// An ObjectStore that counts what it serves (gets by key, listings by prefix, the most gets in flight at
// once) and can fail chosen calls: for the record reader and sealer tests.
import type { ObjectStore, StoredObject } from '../../lambda/ports';

export interface CountingObjects extends ObjectStore {
  readonly gets: string[];
  readonly lists: string[];
  readonly puts: string[];
  /** The most gets in flight at the same time so far. */
  readonly maxInFlight: number;
  /** Gets of keys matching this fail (a network error) while set. */
  failGets?: RegExp;
  /** Puts of keys matching this fail while set. */
  failPuts?: RegExp;
  reset(): void;
}

export function counting(objects: ObjectStore): CountingObjects {
  let inFlight = 0;
  const c: CountingObjects = {
    gets: [],
    lists: [],
    puts: [],
    maxInFlight: 0,
    async get(key: string): Promise<StoredObject | null> {
      c.gets.push(key);
      inFlight++;
      (c as { maxInFlight: number }).maxInFlight = Math.max(c.maxInFlight, inFlight);
      try {
        await new Promise((r) => setImmediate(r));
        if (c.failGets?.test(key))
          throw Object.assign(new Error(`injected: ${key}`), { name: 'TimeoutError' });
        return await objects.get(key);
      } finally {
        inFlight--;
      }
    },
    putIf(key, text, etag) {
      c.puts.push(key);
      if (c.failPuts?.test(key)) return Promise.reject(new Error(`injected put failure: ${key}`));
      return objects.putIf(key, text, etag);
    },
    put(key, text) {
      c.puts.push(key);
      if (c.failPuts?.test(key)) return Promise.reject(new Error(`injected put failure: ${key}`));
      return objects.put(key, text);
    },
    keys(prefix) {
      c.lists.push(prefix);
      return objects.keys(prefix);
    },
    reset() {
      c.gets.length = 0;
      c.lists.length = 0;
      c.puts.length = 0;
      (c as { maxInFlight: number }).maxInFlight = 0;
    },
  };
  return c;
}
