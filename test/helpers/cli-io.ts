// An in-memory CliIo so tests run the real CLI commands in-process.
import { readFile } from 'node:fs/promises';
import type { CliIo } from '../../bin/commands/io';

export interface CapturedIo extends CliIo {
  out: string;
  err: string;
}

export function captureIo(
  options: { stdin?: string; env?: Record<string, string | undefined>; now?: string } = {},
): CapturedIo {
  const io: CapturedIo = {
    out: '',
    err: '',
    env: options.env ?? {},
    readStdin: async () => options.stdin ?? '',
    readFile: (path) => readFile(path, 'utf8'),
    stdout: (text) => {
      io.out += text;
    },
    stderr: (text) => {
      io.err += text;
    },
    now: () => (options.now ? new Date(options.now) : new Date()),
  };
  return io;
}
