// A Secrets Manager secret named by ARN in the context, decided from its shape. A full ARN ends in `-`
// and six random characters; IAM matches a partial one (the name only) as `<arn>-??????`. Secrets
// Manager itself reads any name ending in a hyphen and six characters as a full ARN (its API reference,
// SecretId), so a partial ARN of such a name cannot work at run time whatever IAM allows: the full ARN
// is required there, and synth says how to find it.
import { ContextError } from './context-error';

/** A secret as the stack grants it. */
export interface SecretRef {
  /** The ARN as given: what the Lambda passes as SecretId. */
  readonly arn: string;
  /** The IAM resource that matches the real secret: the full ARN, or a partial one plus `-??????`. */
  readonly iamResource: string;
}

const ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:([A-Za-z0-9/_+=.@-]{1,512})$/;
/** A random suffix is six of these: Secrets Manager never puts anything else there. */
const SUFFIX_CHARS = /^[A-Za-z0-9]{6}$/;

/**
 * True when six characters look like what a person writes at the end of a name rather than a random
 * suffix: a word in one case or Capitalized (`bearer`, `TOKENS`, `Bearer`), maybe followed by digits
 * (`token1`, `prod01`), or digits alone (`202401`). About 1 in 38 random suffixes looks like that too;
 * `complete` says so for those.
 */
function looksLikeAWord(six: string): boolean {
  return /^([a-z]+|[A-Z]+|[A-Z][a-z]+)?[0-9]*$/.test(six);
}

function findFullArn(name: string): string {
  return `aws secretsmanager describe-secret --secret-id '${name}' --query ARN --output text --profile <profile>`;
}

/**
 * Decides what a secret ARN from the context is.
 * @param key the context key, named in every error
 * @param value the ARN as given
 * @param complete the deployer says this ARN is the full one (its suffix happens to look like a word)
 * @throws ContextError when the value is no secret ARN, or a partial ARN Secrets Manager would misread
 */
export function parseSecretArn(key: string, value: string, complete: boolean): SecretRef {
  const name = ARN.exec(value)?.[1];
  if (name === undefined) {
    throw new ContextError(
      key,
      `${JSON.stringify(value)} is not a Secrets Manager secret ARN ` +
        '(arn:aws:secretsmanager:<region>:<account>:secret:<name>[-XXXXXX])',
    );
  }
  const six = /-([^-]{6})$/.exec(name)?.[1];
  if (six === undefined) return { arn: value, iamResource: `${value}-??????` }; // partial: the name only
  if (complete || (SUFFIX_CHARS.test(six) && !looksLikeAWord(six))) return { arn: value, iamResource: value };
  const base = name.slice(0, -7);
  throw new ContextError(
    key,
    SUFFIX_CHARS.test(six)
      ? `ends in "-${six}", which may be part of the secret's name or Secrets Manager's random suffix; ` +
          `Secrets Manager reads it as the suffix, so a partial ARN of a name ending like this cannot work. ` +
          `Give the full ARN (${findFullArn(name)}); if this already is the full ARN of "${base}", ` +
          `add -c ${key}Complete=true`
      : `ends in "-${six}", which is part of the secret's name (a random suffix is letters and digits), ` +
          `but Secrets Manager reads a name ending in a hyphen and six characters as a full ARN. ` +
          `Give the full ARN: ${findFullArn(name)}`,
  );
}
