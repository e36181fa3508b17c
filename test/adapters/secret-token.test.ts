// A secret that is not valid JSON never puts any of its characters in an error (which becomes a
// dashboard error: the run record, the log, email and chat).
import { tokenFromSecret } from '../../lambda/adapters/secret-token';

/** Every run of 3 characters of the secret: none may appear in what is said about it. */
function fragments(secret: string): string[] {
  return Array.from({ length: secret.length - 2 }, (_, i) => secret.slice(i, i + 3));
}

describe('tokenFromSecret', () => {
  it('reads a bare token and a JSON token', () => {
    expect(tokenFromSecret('  abc123  ')).toBe('abc123');
    expect(tokenFromSecret('{"token":"t-1"}')).toBe('t-1');
    expect(tokenFromSecret('{"bearer_token":"t-2"}')).toBe('t-2');
  });

  it.each([
    '{"token": Zq8vX3kPw9Lm}',
    '{"token": "x", "bearer_token": Zq8vX3kPw9Lm}',
    '{token: Zq8vX3kPw9Lm}',
    '{"token": "Zq8vX3kPw9Lm"',
    '{"token": "Zq8vX3kPw9Lm", }',
    "{'token':'Zq8vX3kPw9Lm'}",
    '{"token":"Zq8vX3kPw9Lm"}\u0000garbage',
  ])('names %j as not valid JSON without any of its characters', (secret) => {
    let message = '';
    try {
      tokenFromSecret(secret);
    } catch (err) {
      message = `${(err as Error).message} ${String((err as Error).cause ?? '')}`;
    }
    expect(message).toContain('not valid JSON');
    for (const f of [...fragments('Zq8vX3kPw9Lm'), 'garbage']) expect(message).not.toContain(f);
  });

  it.each(['{"token":42}', '{}', '   '])('refuses %j without quoting it', (secret) => {
    expect(() => tokenFromSecret(secret)).toThrow(/secret/);
  });
});
