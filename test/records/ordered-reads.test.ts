// Bounded parallel reads that keep their order.
import { mapOrdered } from '../../lambda/records/ordered-reads';

describe('mapOrdered', () => {
  it('yields in input order whatever order the calls finish in, with at most N in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const out: number[] = [];
    const delays = [30, 1, 20, 5, 0, 12, 3, 25, 2, 8];
    for await (const v of mapOrdered(delays.keys(), 3, async (i) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, delays[i]));
      inFlight--;
      return i;
    }))
      out.push(v);
    expect(out).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(3);
  });

  it('starts nothing for no items, and no more than asked when the consumer stops early', async () => {
    const started: number[] = [];
    for await (const v of mapOrdered([], 4, async (i: number) => i)) started.push(v);
    expect(started).toEqual([]);
    for await (const v of mapOrdered([1, 2, 3, 4, 5, 6, 7, 8], 2, async (i) => {
      started.push(i);
      return i;
    }))
      if (v === 2) break;
    expect(started.length).toBeLessThanOrEqual(4);
  });
});
