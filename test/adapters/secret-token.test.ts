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

describe('a token no HTTP header can carry', () => {
  it.each([
    '{"token":"Zq8vX3kP\\nw9LmT7rB"}',
    'Zq8vX3kP\r\nw9LmT7rB',
    'Zq8vX3kP\u0000w9LmT7rB',
    'Zq8vX3kP w9LmT7rB',
    'Zq8vX3kPé€w9LmT7rB',
  ])('%j is refused without any of its characters', (secret) => {
    let message = '';
    try {
      tokenFromSecret(secret);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/which an HTTP header cannot carry \(its content is not shown\)$/);
    for (const f of [...fragments('Zq8vX3kP'), ...fragments('w9LmT7rB')]) expect(message).not.toContain(f);
  });
});
