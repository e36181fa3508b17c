// JSON text as other programs write it.

/** RFC 8259 (8.1) lets a parser ignore a leading byte order mark: some writers add one. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
