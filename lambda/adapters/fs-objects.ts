// ObjectStore on a local directory, with the bucket's keys as relative paths: the demo, `--runs-dir`
// and tests. Conditional writes compare a content hash, as S3 compares ETags; the compare-and-swap
// holds within one process (the demo, the CLI, tests), S3 gives the real guarantee.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { WriteConflictError, type ObjectStore, type StoredObject } from '../ports';

function etagOf(text: string): string {
  return `"${createHash('md5').update(text).digest('hex')}"`;
}

function missing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT';
}

// One queue per file: a compare-and-swap is read-compare-write, which overlapping async calls in one
// process would otherwise interleave.
const queues = new Map<string, Promise<unknown>>();

function serialised<T>(path: string, work: () => Promise<T>): Promise<T> {
  const next = (queues.get(path) ?? Promise.resolve()).then(work, work);
  const settled = next.catch(() => undefined);
  queues.set(path, settled);
  void settled.then(() => {
    if (queues.get(path) === settled) queues.delete(path);
  });
  return next;
}

export class FsObjectStore implements ObjectStore {
  constructor(private readonly root: string) {}

  async get(key: string, limit?: { readonly maxBytes: number }): Promise<StoredObject | null> {
    try {
      if (limit) {
        const { size } = await stat(join(this.root, key));
        if (size > limit.maxBytes) return { text: '', etag: '', overLimit: { bytes: size } };
      }
      const text = await readFile(join(this.root, key), 'utf8');
      return { text, etag: etagOf(text) };
    } catch (err) {
      if (missing(err)) return null;
      throw err;
    }
  }

  putIf(key: string, text: string, etag: string | null): Promise<string> {
    return serialised(join(this.root, key), async () => {
      const current = (await this.get(key))?.etag ?? null;
      if (current !== etag)
        throw new WriteConflictError(`${key}: expected ${etag ?? 'no object'}, found ${current ?? 'none'}`);
      await this.put(key, text);
      return etagOf(text);
    });
  }

  /** Written beside and renamed over: a reader never sees half a file. */
  async put(key: string, text: string): Promise<void> {
    const path = join(this.root, key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, path);
  }

  async *keys(
    prefix: string,
    page?: { readonly startAfter: string; readonly max: number },
  ): AsyncIterable<string> {
    // The folder the prefix names (or holds its last partial segment), then the keys under it.
    const dir = join(this.root, prefix.slice(0, prefix.lastIndexOf('/') + 1));
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true, recursive: true });
    } catch (err) {
      if (missing(err)) return;
      throw err;
    }
    const keys: string[] = [];
    for (const e of entries) {
      if (!e.isFile()) continue;
      const parent = e.parentPath ?? (e as unknown as { path: string }).path;
      const key = relative(this.root, join(parent, e.name)).split(sep).join('/');
      if (key.startsWith(prefix)) keys.push(key);
    }
    keys.sort();
    yield* page ? keys.filter((k) => k > page.startAfter).slice(0, page.max) : keys;
  }
}
