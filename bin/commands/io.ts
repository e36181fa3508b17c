// The CLI's contact with the outside world, passed in so tests run the real commands in-process.
import { EXIT, UsageError } from '../../lambda/shared/errors';
import { DuplicateKeyError, parseJsonInput } from '../../lambda/shared/json-input';

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readStdin(): Promise<string>;
  readFile(path: string): Promise<string>;
  writeFile(path: string, text: string): Promise<void>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** The wall clock, passed in so tests can fix it. */
  now(): Date;
}

// Bad usage, input or configuration is a UsageError (exit 2, one line); see lambda/shared/errors.
export { EXIT, UsageError };

export function parseJson(text: string, what: string): unknown {
  try {
    return parseJsonInput(text);
  } catch (err) {
    if (err instanceof DuplicateKeyError) throw new UsageError(`${what}: ${err.message}`, { cause: err });
    throw new UsageError(`${what} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

export async function readSource(io: CliIo, source: string, what: string): Promise<string> {
  if (source === '-') return io.readStdin();
  try {
    return await io.readFile(source);
  } catch (err) {
    throw new UsageError(
      `cannot read ${what} ${source}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

/** Writes an output file; a path the operator can fix (no such directory, no permission) is exit 2. */
export async function writeOutput(io: CliIo, path: string, text: string, what: string): Promise<void> {
  try {
    await io.writeFile(path, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code !== 'string') throw err;
    throw new UsageError(`cannot write ${what} ${path}: ${code}`, { cause: err });
  }
}
