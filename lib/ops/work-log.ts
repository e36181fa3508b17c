// The operator's Markdown work log: record blocks are only ever appended, never rewritten.
import { constants, open } from 'node:fs/promises';
import { openPrivateAppend, PRIVATE_MODE } from './private-file';

export const WORK_LOG_HEADING =
  '# aegis-pt work log\n\nRecord blocks appended by `aegis-pt-health snapshot --append`; every time is absolute (JST, ET, UTC).\n';

/**
 * Appends one block. A missing log is created owner-only with its heading first (exclusive create,
 * so two operators never both write one, and a planted symbolic link is never followed). What is
 * there is never rewritten: only its last byte is read, so the block starts on a line of its own.
 */
export async function appendToWorkLog(path: string, block: string): Promise<void> {
  try {
    const created = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, PRIVATE_MODE);
    try {
      await created.chmod(PRIVATE_MODE);
      await created.write(WORK_LOG_HEADING);
    } finally {
      await created.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const file = await openPrivateAppend(path);
  try {
    const { size } = await file.stat();
    const last = Buffer.alloc(1);
    if (size > 0) await file.read(last, 0, 1, size - 1);
    const sep = size === 0 || last[0] === 0x0a ? '\n' : '\n\n';
    await file.write(`${sep}${block.trimEnd()}\n`);
  } finally {
    await file.close();
  }
}
