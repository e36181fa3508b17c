// The dashboard bearer token from Secrets Manager, cached for a few minutes: a rotated secret takes
// effect within TOKEN_MAX_AGE_MS, or at once when the dashboard refuses the cached one (401/403).
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * What a bearer token may hold: visible ASCII, no space (RFC 6750's b64token is a subset). Anything else
 * (a line break inside a pasted secret, a NUL, a non-ASCII character) cannot travel in a header, and
 * the HTTP client's refusal would quote the whole header, token included, into the dashboard error.
 */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

function headerSafe(token: string, where: string): string {
  if (!HEADER_SAFE.test(token))
    throw new Error(
      `${where} holds a space, line break, control or non-ASCII character, which an HTTP header cannot carry (its content is not shown)`,
    );
  return token;
}

/** A secret holds the token itself, or JSON with a `token` (or `bearer_token`) field. */
export function tokenFromSecret(secret: string): string {
  const trimmed = secret.trim();
  if (trimmed.startsWith('{')) {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(trimmed) as Record<string, unknown>;
    } catch {
      // The parser's message quotes the text around the fault (part of the token): it would reach the
      // run record, the log, email and chat. Say only what is wrong, with no character of the secret.
      throw new Error('secret starts with { but is not valid JSON (its content is not shown)');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('secret JSON is not an object with a "token" field');
    const token = parsed.token ?? parsed.bearer_token;
    if (typeof token !== 'string' || token === '') throw new Error('secret JSON has no "token" field');
    return headerSafe(token, 'the secret\'s "token"');
  }
  if (trimmed === '') throw new Error('secret is empty');
  return headerSafe(trimmed, 'the secret');
}

/** How long a warm container keeps the token before reading the secret again. */
export const TOKEN_MAX_AGE_MS = 5 * 60_000;

/** `refresh` reads the secret again whatever the cache's age (the dashboard refused the cached token). */
export type TokenSource = (options?: { readonly refresh?: boolean }) => Promise<string>;

export function secretToken(
  client: SecretsManagerClient,
  secretArn: string,
  now: () => number = Date.now,
): TokenSource {
  let cached: { token: Promise<string>; at: number } | undefined;
  return (options = {}) => {
    if (!cached || options.refresh || now() - cached.at >= TOKEN_MAX_AGE_MS) {
      const token = client.send(new GetSecretValueCommand({ SecretId: secretArn })).then((out) => {
        if (out.SecretString === undefined) throw new Error('secret has no SecretString');
        return tokenFromSecret(out.SecretString);
      });
      const entry = { token, at: now() };
      cached = entry;
      // A failure is not cached: the next run asks again.
      token.catch(() => {
        if (cached === entry) cached = undefined;
      });
    }
    return cached.token;
  };
}
