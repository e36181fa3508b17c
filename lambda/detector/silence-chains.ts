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
  readonly id: string;
  readonly created: number;
  readonly from: number;
  readonly end: number;
}

function spanOf(c: ChainCandidate): Span {
  const s = c.silence;
  return {
    key: c.key,
    id: s.id,
    created: parseTimestamp(s.created_at) ?? -Infinity,
    from: quietFromMs(s),
    end: silenceEndMs(s),
  };
}

/** A chain: its silences, the latest end among them, and the union of their spans (sorted, disjoint). */
interface Chain {
  /** The first few members' ids (to name them) and how many there are. */
  readonly ids: readonly string[];
  readonly count: number;
  readonly maxEnd: number;
  readonly union: readonly (readonly [number, number])[];
}

/** Sorted disjoint intervals merged with more (each list sorted). */
function merge(lists: readonly (readonly (readonly [number, number])[])[]): [number, number][] {
  const all = lists.length === 1 ? [...lists[0]] : lists.flat().sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [from, end] of all) {
    if (!(end > from)) continue;
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([from, end]);
  }
  return out;
}

function insert(
  union: readonly (readonly [number, number])[],
  from: number,
  end: number,
): [number, number][] {
  let at = union.length;
  while (at > 0 && union[at - 1][0] > from) at--;
  return merge([[...union.slice(0, at), [from, end], ...union.slice(at)]]);
}

const lengthOf = (union: readonly (readonly [number, number])[]) =>
  union.reduce((total, [from, end]) => total + (end - from), 0);

/** Silences a refusal names; the rest are counted. */
const NAMED = 5;

/** Why each candidate that breaks the chain rule does not apply, by key. */
export function chainRefusals(candidates: readonly ChainCandidate[]): Map<number, string> {
  const order = candidates
    .map(spanOf)
    .sort(
      (a, b) =>
        a.created - b.created || a.from - b.from || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || a.key - b.key,
    );
  const byKey = new Map(candidates.map((c) => [c.key, c.silence]));
  // Per code, the chains of the silences accepted so far. Taken in the order they were added, a new
  // silence is the later of every pair it forms: it joins each chain holding a silence it was added
  // before the end of (the chain's latest end is after its creation), linking those chains into one.
  const chainsByCode = new Map<string, Chain[]>();
  const refused = new Map<number, string>();
  for (const span of order) {
    const codes = new Set(byKey.get(span.key)?.codes ?? []);
    const next = new Map<string, Chain[]>();
    let why: string | undefined;
    for (const code of codes) {
      const chains = chainsByCode.get(code) ?? [];
      const linked: Chain[] = [];
      const rest: Chain[] = [];
      for (const chain of chains) (span.created < chain.maxEnd ? linked : rest).push(chain);
      const union =
        linked.length === 1
          ? insert(linked[0].union, span.from, span.end)
          : merge([...linked.map((c) => c.union), [[span.from, span.end]]]);
      // Plain loops: flatMap and spreads take V8's slow generic paths (measured, bench/silences.bench.ts).
      const ids: string[] = [];
      let count = 0;
      let maxEnd = span.end;
      for (const c of linked) {
        for (const id of c.ids) if (ids.length < NAMED) ids.push(id);
        count += c.count;
        if (c.maxEnd > maxEnd) maxEnd = c.maxEnd;
      }
      const quiet = lengthOf(union);
      if (count > 0 && quiet > MAX_SILENCE_MS) {
        const more = count > ids.length ? ` and ${count - ids.length} more` : '';
        const ended = formatUtc(Math.max(...linked.map((c) => c.maxEnd)));
        why = `chained with ${ids.join(', ')}${more} (added before it ended) it would keep ${code} quiet for ${spanText(quiet)}: at most ${spanText(MAX_SILENCE_MS)}, unless a new silence is added after the previous one ended (${ended})`;
        break;
      }
      if (ids.length < NAMED) ids.push(span.id);
      rest.push({ ids, count: count + 1, maxEnd, union });
      next.set(code, rest);
    }
    if (why !== undefined) refused.set(span.key, why);
    else for (const [code, chains] of next) chainsByCode.set(code, chains);
  }
  return refused;
}
