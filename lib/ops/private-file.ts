// Files the operator tools write (gate's baseline, the report, the work log) hold positions, PnL and
// the runtime's state: they are created owner-only (0600) and never written through a symbolic link
// planted where the file is expected (O_NOFOLLOW on the last component). What is already there is
// judged on the opened descriptor (no window between a check and the write) before a byte changes:
// only a regular file of this user with no other hard link is tightened, truncated and written; a
// FIFO, a device, a second name of another file or someone else's file is refused, never waited on.
import { constants, type FileHandle, open } from 'node:fs/promises';
import type { Stats } from 'node:fs';

export const PRIVATE_MODE = 0o600;

const { O_WRONLY, O_RDWR, O_CREAT, O_APPEND, O_NOFOLLOW, O_NONBLOCK } = constants;

/** An existing path the CLI will not write: the message says why, in words. */
export class UnsafeFileError extends Error {}

/** An errno the operator can act on, in words (undefined for anything else). */
export function fileProblem(err: unknown, path: string): string | undefined {
  if (err instanceof UnsafeFileError) return err.message;
  switch ((err as NodeJS.ErrnoException)?.code) {
    case 'ELOOP':
      return `${path} is a symbolic link: refusing to write through it (remove it or choose another path)`;
    case 'ENOENT':
      return `no such directory for ${path}`;
    case 'ENOTDIR':
      return `a part of ${path} is not a directory`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied: ${path}`;
    case 'EISDIR':
      return `${path} is a directory`;
    case 'ENXIO':
      // O_NONBLOCK: a FIFO nobody reads (or a device without a driver) is refused, not waited on.
      return `${path} is not a regular file (a FIFO or device nothing reads): refusing to write to it`;
    case 'EROFS':
      return `${path} is on a read-only file system`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `no space left to write ${path}`;
    default:
      return undefined;
  }
}

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  return 'a special file';
}

/** Why the opened file must not receive this output, or undefined when it may. */
function refusal(st: Stats, path: string): string | undefined {
  if (!st.isFile()) return `${path} is not a regular file (${kindOf(st)}): refusing to write to it`;
  if (st.nlink > 1)
    return `${path} has ${st.nlink} hard links (another name reaches the same file): refusing to write to it`;
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid)
    return `${path} belongs to another user (uid ${st.uid}): refusing to write to it`;
  return undefined;
}

async function openPrivate(path: string, flags: number): Promise<FileHandle> {
  // Never O_TRUNC here: an existing file is judged before it loses a byte.
  const file = await open(path, flags | O_NOFOLLOW | O_NONBLOCK, PRIVATE_MODE);
  try {
    const problem = refusal(await file.stat(), path);
    if (problem) throw new UnsafeFileError(problem);
    // O_CREAT's mode applies only to a new file (and the umask may widen nothing but can narrow it):
    // an existing one is tightened too, before it receives a byte.
    await file.chmod(PRIVATE_MODE);
    return file;
  } catch (err) {
    await file.close();
    throw err;
  }
}

/** Creates or replaces `path` with `text`, owner-only, never through a symbolic link. */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  const file = await openPrivate(path, O_WRONLY | O_CREAT);
  try {
    await file.truncate(0);
    await file.writeFile(text, 'utf8');
  } finally {
    await file.close();
  }
}

/** Opens `path` to append (and read its end), creating it owner-only; never through a symbolic link. */
export function openPrivateAppend(path: string): Promise<FileHandle> {
  return openPrivate(path, O_RDWR | O_CREAT | O_APPEND);
}
