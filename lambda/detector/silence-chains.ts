// Chained silences: no code stays quiet for more than 24 h unless someone adds a new silence after the
// previous one ended. Pure.
//
// Two silences naming the same code are LINKED when the one added later (by `created_at`) was added
// before the other one ended (its `ends_at`, or `expired_at` when expired by hand): it was arranged while
// the other still held, or before it even began. Overlapping, back-to-back and separated by a gap of any
// length, a silence added before the previous one ended is linked to it; added at or after that end, it
// is not (someone looked again). A CHAIN is a set of silences linked to one another, directly or through
// others. Its quiet time is the length of the union of their spans (each from its start, or its creation
// when back-dated, to its end): at most MAX_SILENCE_MS per code. Silences are taken in the order they
// were added; the one that would take a chain over the limit does not apply, and does not link others.
import { formatUtc, parseTimestamp } from './time';
import { MAX_SILENCE_MS, quietFromMs, silenceEndMs, spanText, type SilenceEntry } from './silence-schema';

export interface ChainCandidate {
  readonly key: number;
  readonly silence: SilenceEntry;
}

interface Span {
  readonly key: number;
  /** The order it was added in (created_at, then start, id, position). */
  rank: number;
  readonly id: string;
  readonly created: number;
  readonly from: number;
  readonly end: number;
}

function spanOf(c: ChainCandidate): Span {
  const s = c.silence;
  return {
    key: c.key,
    rank: 0,
    id: s.id,
    created: parseTimestamp(s.created_at) ?? -Infinity,
    from: quietFromMs(s),
    end: silenceEndMs(s),
  };
}

/** Total length of the union of [from, end) spans. */
function unionMs(spans: readonly Span[]): number {
  const sorted = spans.filter((s) => s.end > s.from).sort((a, b) => a.from - b.from);
  let total = 0;
  let start = -Infinity;
  let stop = -Infinity;
  for (const s of sorted) {
    if (s.from > stop) {
      if (stop > start) total += stop - start;
      start = s.from;
      stop = s.end;
    } else stop = Math.max(stop, s.end);
  }
  return stop > start ? total + (stop - start) : total;
}

/** `later` was added before `earlier` ended. Both in the order they were added. */
function linked(earlier: Span, later: Span): boolean {
  return later.created < earlier.end;
}

/** The accepted silences on one code chained to `next` (which is added after all of them). */
function chainOf(next: Span, accepted: readonly Span[]): Span[] {
  const members = new Set<number>();
  const queue: Span[] = [next];
  while (queue.length > 0) {
    const at = queue.pop() as Span;
    for (let i = 0; i < accepted.length; i++) {
      if (members.has(i)) continue;
      const other = accepted[i];
      const [earlier, later] = other.rank < at.rank ? [other, at] : [at, other];
      if (linked(earlier, later)) {
        members.add(i);
        queue.push(other);
      }
    }
  }
  return [...members].map((i) => accepted[i]);
}

/** Why each candidate that breaks the chain rule does not apply, by key. */
export function chainRefusals(candidates: readonly ChainCandidate[]): Map<number, string> {
  const order = candidates
    .map(spanOf)
    .sort(
      (a, b) =>
        a.created - b.created || a.from - b.from || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || a.key - b.key,
    );
  order.forEach((span, i) => (span.rank = i));
  const byKey = new Map(candidates.map((c) => [c.key, c.silence]));
  const acceptedByCode = new Map<string, Span[]>();
  const refused = new Map<number, string>();
  for (const span of order) {
    const codes = [...new Set(byKey.get(span.key)?.codes ?? [])];
    let why: string | undefined;
    for (const code of codes) {
      const chain = chainOf(span, acceptedByCode.get(code) ?? []);
      if (chain.length === 0) continue;
      const quiet = unionMs([...chain, span]);
      if (quiet <= MAX_SILENCE_MS) continue;
      const names = chain.map((c) => c.id).join(', ');
      why = `chained with ${names} (added before it ended) it would keep ${code} quiet for ${spanText(quiet)}: at most ${spanText(MAX_SILENCE_MS)}, unless a new silence is added after the previous one ended (${formatUtc(Math.max(...chain.map((c) => c.end)))})`;
      break;
    }
    if (why !== undefined) {
      refused.set(span.key, why);
      continue;
    }
    for (const code of codes) acceptedByCode.set(code, [...(acceptedByCode.get(code) ?? []), span]);
  }
  return refused;
}
