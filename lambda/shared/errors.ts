// One error base for everything the operator or the deployer can fix (usage, input, configuration):
// it carries its exit code, so the CLI, `cdk synth` and the Lambda map it in one place each.

/** The contract's exit codes (section 6). */
export const EXIT = { ok: 0, internal: 1, usage: 2, negative: 4 } as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class AegisError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.usage,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A setting (environment variable, bundle config, CDK context key) is wrong; the message names it. */
export class ConfigError extends AegisError {
  constructor(
    readonly variable: string,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(`${variable}: ${message}`, EXIT.usage, options);
  }
}

/** Bad usage or unusable input: exit 2, one line, no stack. */
export class UsageError extends AegisError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, EXIT.usage, options);
  }
}

/** An error the operator can act on (exit 2) versus a bug (exit 1, with its stack). */
export function isAegisError(err: unknown): err is AegisError {
  return err instanceof AegisError;
}
