// The CLI's contact with the outside world, passed in so tests run the real commands in-process.
import { EXIT, UsageError } from '../../lambda/shared/errors';
import { DuplicateKeyError, parseJsonInput } from '../../lambda/shared/json-input';
import { stripBom } from '../../lambda/shared/json-text';
import { fileProblem, writePrivateFile } from '../../lib/ops/private-file';

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readStdin(): Promise<string>;
  readFile(path: string): Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** The wall clock, passed in so tests can fix it. */
  now(): Date;
  /** Waits (gate --watch); a real timer when absent, so tests can pass a fake one. */
  sleep?(ms: number): Promise<void>;
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

/** Why a file could not be read, in words: never a bare errno. */
function readProblem(err: unknown, path: string): string {
  switch ((err as NodeJS.ErrnoException)?.code) {
    case 'ENOENT':
      return `no such file ${path}`;
    case 'EISDIR':
      return `${path} is a directory, not a file`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied: ${path}`;
    case 'ENOTDIR':
      return `a part of ${path} is not a directory`;
    default:
      return `${path}: ${(err as Error)?.message ?? String(err)}`;
  }
}

/** The text of a file, or of stdin for `-`; a missing or empty one is named as such (exit 2). */
export async function readSource(io: CliIo, source: string, what: string): Promise<string> {
  let text: string;
  try {
    text = source === '-' ? await io.readStdin() : await io.readFile(source);
  } catch (err) {
    throw new UsageError(`cannot read ${what}: ${readProblem(err, source)}`, { cause: err });
  }
  if (stripBom(text).trim() === '')
    throw new UsageError(
      `cannot read ${what}: ${source === '-' ? 'stdin is empty' : `the file ${source} is empty`}`,
    );
  return text;
}

/**
 * Writes an output file owner-only (0600), never through a symbolic link; a path the operator can
 * fix (no such directory, no permission, a planted link) is exit 2.
 */
export async function writeOutput(path: string, text: string, what: string): Promise<void> {
  try {
    await writePrivateFile(path, text);
  } catch (err) {
    const problem = fileProblem(err, path);
    if (problem === undefined) throw err;
    throw new UsageError(`cannot write ${what}: ${problem}`, { cause: err });
  }
}
