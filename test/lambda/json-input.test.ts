// One JSON reader for every input: a duplicate key is ambiguous input, named with where it sits.
import fc from 'fast-check';
import { DuplicateKeyError, findDuplicateKey, parseJsonInput } from '../../lambda/shared/json-input';

const dup = (text: string) => {
  try {
    parseJsonInput(text);
  } catch (err) {
    if (err instanceof DuplicateKeyError) return { key: err.key, path: err.path, message: err.message };
    throw err;
  }
  return undefined;
};

describe('parseJsonInput', () => {
  it.each([
    ['the issue: stuck_exits 1 hidden behind 0', '{"stuck_exits": 1, "stuck_exits": 0}', 'stuck_exits', ''],
    [
      'a nested key',
      '{"status_v3": {"last_position_reconcile": {"ok": false, "at": "x", "ok": true}}}',
      'ok',
      'status_v3.last_position_reconcile',
    ],
    [
      'a key inside an array element',
      '{"ecs": {"tasks": [{"a":1}, {"lastStatus": "RUNNING", "lastStatus": "STOPPED"}]}}',
      'lastStatus',
      'ecs.tasks[1]',
    ],
    ['the same key written with an escape', '{"now": "a", "\\u006eow": "b"}', 'now', ''],
    ['an empty key twice', '{"": 1, "": 2}', '', ''],
    ['a key with a quote in it', '{"a\\"b": 1, "a\\"b": 2}', 'a"b', ''],
    ['inside a top-level array', '[{"x": 1}, {"y": {"z": 1, "z": 1}}]', 'z', '[1].y'],
  ])('refuses %s, naming the key', (_name, text, key, path) => {
    expect(dup(text)).toMatchObject({ key, path });
    expect(dup(text)?.message).toContain(`duplicate key ${JSON.stringify(key)}`);
  });

  it.each([
    ['equal keys in sibling objects', '{"a": {"k": 1}, "b": {"k": 2}}'],
    ['a key equal to a string value', '{"a": "a", "b": "a"}'],
    ['keys that differ only in case', '{"ok": true, "OK": false}'],
    ['braces and commas inside strings', '{"a": "{\\"a\\": 1, \\"a\\": 2}", "b": "[,]"}'],
    ['a BOM before the object', '\uFEFF{"a": 1}'],
  ])('accepts %s', (_name, text) => {
    expect(dup(text)).toBeUndefined();
  });

  it('keeps JSON.parse errors as they are', () => {
    expect(() => parseJsonInput('{"a": 1,,}')).toThrow(SyntaxError);
  });

  it('scans a 200,000-deep array without overflowing the stack', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(findDuplicateKey(deep)).toBeUndefined();
    expect(findDuplicateKey('{"a":' + '['.repeat(200_000) + ']'.repeat(200_000) + ',"a":1}')?.key).toBe('a');
  });

  it('agrees with JSON.parse on every generated object without duplicates, and finds an added one', () => {
    fc.assert(
      fc.property(fc.object({ maxDepth: 4 }), fc.string(), (value, key) => {
        const text = JSON.stringify(value);
        expect(findDuplicateKey(text)).toBeUndefined();
        const doubled = `{${JSON.stringify(key)}:1,"x":${text},${JSON.stringify(key)}:2}`;
        expect(findDuplicateKey(doubled)?.key).toBe(key);
      }),
      { numRuns: 200 },
    );
  });
});
