// The dashboard bearer token from Secrets Manager, fetched once and cached for the container's life.
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

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
    return token;
  }
  if (trimmed === '') throw new Error('secret is empty');
  return trimmed;
}

export function secretToken(client: SecretsManagerClient, secretArn: string): () => Promise<string> {
  let cached: Promise<string> | undefined;
  return () => {
    cached ??= client.send(new GetSecretValueCommand({ SecretId: secretArn })).then((out) => {
      if (out.SecretString === undefined) throw new Error('secret has no SecretString');
      return tokenFromSecret(out.SecretString);
    });
    // A failure is not cached: the next run asks again.
    cached.catch(() => {
      cached = undefined;
    });
    return cached;
  };
}
