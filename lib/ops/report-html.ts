// The one way the session report writes HTML: markup`...` escapes every value put into it unless that
// value is itself Html (made by markup`` or by raw() on a constant of this code). Run records are read
// from a bucket other roles can write to, so any of their texts (a decision, a summary, a silence's
// reason, a trigger) may hold tags; with this helper none of them can become part of the page, wherever
// it is used, and no call site has to remember to escape. (The tag is not called `html`: Prettier
// reformats templates with that tag as HTML, and an SVG opened in one template and closed in another
// is not HTML it can format.)

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** What may go into markup``: text and numbers are escaped, Html is kept, lists are joined, nothing is ''. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Bidirectional formatting characters (LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM ALM): inside a
 * record's text they would reorder the page's own words after it (an RLO in a silence's `by` shows the
 * rest of the summary sentence backwards), so they are shown as their code, never obeyed.
 */
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

export function escapeHtml(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => ENTITIES[c])
    .replace(BIDI, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Any value as text: a record's JSON object may hold a `toString` that is not a function. */
function asText(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '[not text]';
  }
}

function render(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false || value === true) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return escapeHtml(asText(value));
}

export function markup(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new Html(out);
}

/** Markup written by this code (the stylesheet, an entity): never a value read from a record. */
export function raw(text: string): Html {
  return new Html(text);
}

/** Items joined by a separator, each escaped unless it is Html. */
export function joinHtml(items: readonly HtmlValue[], separator: string): Html {
  return new Html(items.map(render).join(escapeHtml(separator)));
}
