// Files the operator tools write (gate's baseline, the report, the work log) hold positions, PnL and
// the runtime's state: they are created owner-only (0600) and never written through a symbolic link
// planted where the file is expected (O_NOFOLLOW on the last component; an existing file is opened
// without following a link and its mode tightened before anything is written).
import { constants, type FileHandle, open } from 'node:fs/promises';

export const PRIVATE_MODE = 0o600;

const { O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND, O_NOFOLLOW } = constants;

/** An errno the operator can act on, in words (undefined for anything else). */
export function fileProblem(err: unknown, path: string): string | undefined {
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
    case 'EROFS':
      return `${path} is on a read-only file system`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `no space left to write ${path}`;
    default:
      return undefined;
  }
}

async function openPrivate(path: string, flags: number): Promise<FileHandle> {
  const file = await open(path, flags | O_NOFOLLOW, PRIVATE_MODE);
  try {
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
  const file = await openPrivate(path, O_WRONLY | O_CREAT | O_TRUNC);
  try {
    await file.writeFile(text, 'utf8');
  } finally {
    await file.close();
  }
}

/** Opens `path` to append (and read its end), creating it owner-only; never through a symbolic link. */
export function openPrivateAppend(path: string): Promise<FileHandle> {
  return openPrivate(path, O_RDWR | O_CREAT | O_APPEND);
}
