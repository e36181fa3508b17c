// Reading JSON that someone else wrote. JSON.parse keeps the last of two equal keys, so
// `{"stuck_exits": 1, "stuck_exits": 0}` reads as healthy: a duplicate key makes the input ambiguous,
// and every reader here refuses it, naming the key. CDK-free: the CLI, the stores and the Lambda share it.
import { AegisError, EXIT } from './errors';
import { stripBom } from './json-text';

/** Bad input (exit 2 wherever it reaches the CLI), naming the key and where it sits. */
export class DuplicateKeyError extends AegisError {
  constructor(
    readonly key: string,
    /** Where the object holding it sits, e.g. `status_v3.last_position_reconcile` (`` for the top). */
    readonly path: string,
  ) {
    super(
      `duplicate key ${JSON.stringify(key)}${path ? ` in ${path}` : ''}: the input is ambiguous`,
      EXIT.usage,
    );
  }
}

interface Frame {
  readonly object: boolean;
  readonly path: string;
  /** Made on the first key: a deep array of arrays allocates none. */
  keys?: Set<string>;
  /** Objects: the next string is a key. Arrays: the element index. */
  expectKey: boolean;
  key: string;
  index: number;
}

const child = (f: Frame | undefined): string => {
  if (!f) return '';
  const step = f.object ? (/^[A-Za-z_$][\w$]*$/.test(f.key) ? f.key : JSON.stringify(f.key)) : `[${f.index}]`;
  return f.object ? (f.path ? `${f.path}.${step}` : step) : `${f.path}${step}`;
};

/** The first duplicate key in JSON text that JSON.parse has already accepted. */
export function findDuplicateKey(text: string): DuplicateKeyError | undefined {
  return findDuplicateKeys(text, 1)[0];
}

/**
 * Every duplicate key in text order, at most `max` (a reader can then set aside only what holds one).
 * Hand-written: the libraries that report duplicates recurse per nesting level (a 500k-deep hostile
 * payload would blow the stack) or accept more than JSON; this is one iterative pass with an explicit stack.
 */
export function findDuplicateKeys(text: string, max = Infinity): DuplicateKeyError[] {
  const found: DuplicateKeyError[] = [];
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (c === 0x22 /* " */) {
      let j = i + 1;
      let escaped = false;
      while (j < text.length && text.charCodeAt(j) !== 0x22) {
        if (text.charCodeAt(j) === 0x5c /* \ */) {
          escaped = true;
          j++;
        }
        j++;
      }
      if (top?.object && top.expectKey) {
        const raw = text.slice(i + 1, j);
        const key = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
        top.keys ??= new Set();
        if (top.keys.has(key)) {
          found.push(new DuplicateKeyError(key, top.path));
          if (found.length >= max) return found;
        }
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = j;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      stack.push({ object: c === 0x7b, path: child(top), expectKey: true, key: '', index: 0 });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */ && top) {
      if (top.object) top.expectKey = true;
      else top.index++;
    }
  }
  return found;
}

/** JSON.parse (a leading BOM ignored, RFC 8259 8.1) that also refuses a duplicate key. */
export function parseJsonInput(text: string): unknown {
  const body = stripBom(text);
  const value: unknown = JSON.parse(body);
  // Only an object can hold a duplicate: skip the scan for plain scalars.
  if (typeof value === 'object' && value !== null) {
    const duplicate = findDuplicateKey(body);
    if (duplicate) throw duplicate;
  }
  return value;
}
