// Size bounds on everything the detector derives from its input, so no payload can make an event, a
// snapshot or a message grow without limit, or make rendering recurse on the payload's depth.

/** Longest event summary; messages cut further per audience. */
export const SUMMARY_MAX = 600;
/** Longest signature; longer discriminator lists are shortened to a stable digest. */
export const SIGNATURE_MAX = 400;
/** Elements kept of any array in an event's details; the rest are counted in `<key>_omitted`. */
export const DETAILS_MAX_ITEMS = 50;

/** Cuts a string to `max` characters, marking the cut. */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 3))}...`;
}

/**
 * JSON text of any value, at most `max` characters, never throwing: a value nested deeper than the
 * stack (JSON.stringify recurses) or one that cannot be serialised becomes a short description.
 */
export function safeJson(value: unknown, max = 300): string {
  try {
    return cut(JSON.stringify(value) ?? String(value), max);
  } catch {
    return Array.isArray(value) ? '[unprintable array]' : `[unprintable ${typeof value}]`;
  }
}

/** FNV-1a, 32 bits, hex: a short stable digest (not for security; the detector has no I/O or crypto). */
export function digest(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * `code:a,b,c`, or when that is too long, as many discriminators as fit, the count of the rest and a
 * digest of the whole list: the same condition still yields the same signature, and a different list
 * a different one.
 */
export function boundedSignature(code: string, sorted: readonly string[]): string {
  if (sorted.length === 0) return code;
  const full = `${code}:${sorted.join(',')}`;
  if (full.length <= SIGNATURE_MAX) return full;
  const hash = digest(full);
  const tail = (n: number) => `,...+${n} more#${hash}`;
  let head = `${code}:`;
  let kept = 0;
  for (const d of sorted) {
    const next = `${head}${kept > 0 ? ',' : ''}${cut(d, 64)}`;
    if (next.length + tail(sorted.length - kept - 1).length > SIGNATURE_MAX) break;
    head = next;
    kept++;
  }
  return `${head}${tail(sorted.length - kept)}`;
}

/** Characters kept of a string inside an event's details. */
export const DETAILS_MAX_TEXT = 200;
const DETAILS_MAX_DEPTH = 4;

/**
 * Arrays in details keep their first DETAILS_MAX_ITEMS elements (the rest counted in `<key>_omitted`),
 * strings their first DETAILS_MAX_TEXT characters; rules build details a few levels deep, so anything
 * deeper is replaced by a marker rather than walked.
 */
export function boundedDetails(details: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return boundedObject(details, 0);
}

function boundedObject(value: Readonly<Record<string, unknown>>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (Array.isArray(v) && v.length > DETAILS_MAX_ITEMS) {
      out[key] = v.slice(0, DETAILS_MAX_ITEMS).map((e) => boundedValue(e, depth + 1));
      out[`${key}_omitted`] = v.length - DETAILS_MAX_ITEMS;
    } else {
      out[key] = boundedValue(v, depth + 1);
    }
  }
  return out;
}

function boundedValue(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return cut(v, DETAILS_MAX_TEXT);
  if (v === null || typeof v !== 'object') return v;
  if (depth >= DETAILS_MAX_DEPTH) return Array.isArray(v) ? '[array]' : '[object]';
  if (Array.isArray(v)) return v.slice(0, DETAILS_MAX_ITEMS).map((e) => boundedValue(e, depth + 1));
  return boundedObject(v as Record<string, unknown>, depth);
}

/** Whether a JSON value nests deeper than `maxDepth`; iterative, so any depth is measured safely. */
export function deeperThan(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
