// The CLI's contact with the outside world, passed in so tests run the real commands in-process.
import { stripBom } from '../../lambda/shared/json-text';
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

/** Bad usage, input or configuration: exit 2 with the message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT = { ok: 0, internal: 1, usage: 2, negative: 4 } as const;

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(stripBom(text));
  } catch (err) {
    throw new UsageError(`${what} is not valid JSON: ${(err as Error).message}`);
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
