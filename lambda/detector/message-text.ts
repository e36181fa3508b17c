// Text under a byte budget: the building blocks of every rendered notification. Pure.

/** UTF-8 length of a string (what SNS counts), without Buffer so the core stays platform-free. */
export function utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** A surrogate without its pair: JSON.stringify writes it as `\\udXXX`, six bytes for one character. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** ASCII only and one line: SNS subjects reject control characters, SMS counts bytes. */
export function ascii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

/**
 * One line of email text: control characters and lone surrogates (which JSON would escape six-fold)
 * become `?`, so a body's JSON encoding is at most twice its UTF-8 size; cut to `max` characters
 * (the cut may split a pair, so the replacing comes after it).
 */
export function emailLine(text: string, max: number): string {
  const cutText = text.length <= max ? text : `${text.slice(0, Math.max(0, max - 3))}...`;
  // eslint-disable-next-line no-control-regex
  return cutText.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '?').replace(LONE_SURROGATE, '?');
}

export function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 3))}...`;
}

/** Lines appended while they fit in a byte budget; `reserve` keeps room for what must follow. */
export class BudgetLines {
  private readonly lines: string[] = [];
  private used = 0;

  constructor(private readonly maxBytes: number) {}

  get remaining(): number {
    return this.maxBytes - this.used;
  }

  /** Adds the line when it fits with `reserve` bytes left over; says whether it did. */
  add(line: string, reserve = 0): boolean {
    const bytes = utf8Bytes(line) + 1; // + the newline
    if (this.used + bytes + reserve > this.maxBytes) return false;
    this.lines.push(line);
    this.used += bytes;
    return true;
  }

  /** Adds a group of lines only whole. */
  addAll(lines: readonly string[], reserve = 0): boolean {
    const bytes = lines.reduce((n, l) => n + utf8Bytes(l) + 1, 0);
    if (this.used + bytes + reserve > this.maxBytes) return false;
    for (const l of lines) this.lines.push(l);
    this.used += bytes;
    return true;
  }

  text(): string {
    return this.lines.join('\n');
  }
}

/**
 * Comma-joined items that fit `max` characters, with `+N` for the ones left out; `prefix` precedes
 * the list. Items are kept whole.
 */
export function listWithin(prefix: string, items: readonly string[], max: number): string {
  let out = prefix;
  for (let i = 0; i < items.length; i++) {
    const next = `${out}${i > 0 ? ',' : ''}${items[i]}`;
    const rest = items.length - i - 1;
    const more = rest > 0 ? `,+${rest}` : '';
    if (next.length + more.length > max) return `${out}${i > 0 ? ',' : ''}+${items.length - i}`;
    out = next;
  }
  return out;
}
