// Bounded parallel reads that keep their order: at most `concurrency` calls in flight, results yielded in
// the order of their inputs, so a reader streams records in time order with memory bounded by the window.

/**
 * `fn` over every item, at most `concurrency` at a time, yielding results in input order. `fn` must not
 * reject (return the failure as a value): a consumer that stops early leaves the calls in flight unread.
 */
export async function* mapOrdered<T, R>(
  items: Iterable<T>,
  concurrency: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const window: Promise<R>[] = [];
  const source = items[Symbol.iterator]();
  let done = false;
  const fill = () => {
    while (!done && window.length < concurrency) {
      const next = source.next();
      if (next.done) done = true;
      else window.push(fn(next.value));
    }
  };
  fill();
  while (window.length > 0) {
    const head = await window.shift()!;
    fill();
    yield head;
  }
}

export type Settled<T> = { readonly value: T } | { readonly error: unknown };

/** A call that cannot reject, as mapOrdered needs: its failure comes back as a value. */
export function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

/** The value of a settled call, or its failure thrown where the consumer takes it (in input order). */
export function unsettle<T>(read: Settled<T>): T {
  if ('error' in read) throw read.error;
  return read.value;
}
