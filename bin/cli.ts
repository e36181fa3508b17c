// The `aegis-pt-health` command: real process I/O around the testable main().
import { readFile } from 'node:fs/promises';
import { main } from './commands/main';
import type { CliIo } from './commands/io';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// The SDK warns in 9 lines on every live command under a Node it will drop; errors stay one line.
// `--version` says when this Node is outside the supported lines (package.json engines).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const io: CliIo = {
  env: process.env,
  readStdin,
  readFile: (path) => readFile(path, 'utf8'),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  now: () => new Date(),
};

main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // main() maps every error itself; reaching here is a bug, so keep the stack.
    process.stderr.write(`aegis-pt-health: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
