// StateStore on a local directory, with the S3 bucket's layout: the demo, `--runs-dir` and tests.
// Conditional writes compare a content hash, as S3 compares ETags.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { RunRecord } from '../detector/types';
import {
  WriteConflictError,
  type LatestRead,
  type MarkerStore,
  type RunListing,
  type RunRange,
  type SilenceRead,
  type SilenceStore,
  type StateStore,
  type StoredSnapshot,
} from '../ports';
import {
  decodeRun,
  decodeSilences,
  encodeSilences,
  DIGESTS_PREFIX,
  latestFromText,
  encodeRun,
  encodeSnapshot,
  inRange,
  LATEST_KEY,
  runKey,
  SILENCES_KEY,
} from '../shared/state-layout';

function etagOf(text: string): string {
  return `"${createHash('md5').update(text).digest('hex')}"`;
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function atomicWrite(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}

/** Every *.json below a directory, recursively. */
export async function jsonFilesBelow(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw err;
  }
  for (const e of entries) {
    if (e.isFile() && e.name.endsWith('.json'))
      out.push(join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
  }
  return out.sort();
}

export class FsStore implements StateStore, SilenceStore, MarkerStore {
  constructor(private readonly root: string) {}

  async readSilences(): Promise<SilenceRead> {
    const text = await readText(join(this.root, SILENCES_KEY));
    if (text === null) return { silences: [], etag: null };
    const decoded = decodeSilences(text);
    return 'problem' in decoded
      ? { silences: [], etag: etagOf(text), problem: decoded.problem }
      : { ...decoded, etag: etagOf(text) };
  }

  async writeSilences(silences: readonly unknown[], etag: string | null): Promise<string> {
    const path = join(this.root, SILENCES_KEY);
    const current = await readText(path);
    const currentEtag = current === null ? null : etagOf(current);
    if (currentEtag !== etag)
      throw new WriteConflictError(
        `${SILENCES_KEY}: expected ${etag ?? 'no object'}, found ${currentEtag ?? 'none'}`,
      );
    const text = encodeSilences(silences);
    await atomicWrite(path, text);
    return etagOf(text);
  }

  async readLatest(): Promise<LatestRead> {
    const text = await readText(join(this.root, LATEST_KEY));
    if (text === null) return { snapshot: null, etag: null };
    return latestFromText(text, etagOf(text));
  }

  async writeLatest(snapshot: StoredSnapshot, etag: string | null): Promise<string> {
    const path = join(this.root, LATEST_KEY);
    const current = await readText(path);
    const currentEtag = current === null ? null : etagOf(current);
    if (currentEtag !== etag)
      throw new WriteConflictError(
        `${LATEST_KEY}: expected ${etag ?? 'no object'}, found ${currentEtag ?? 'none'}`,
      );
    const text = encodeSnapshot(snapshot);
    await atomicWrite(path, text);
    return etagOf(text);
  }

  async readMarker(key: string): Promise<{ text: string; etag: string } | null> {
    const text = await readText(join(this.root, key));
    return text === null ? null : { text, etag: etagOf(text) };
  }

  /** Compare-and-swap within one process (the demo, the CLI, tests); S3 gives the real guarantee. */
  async writeMarker(key: string, text: string, etag: string | null): Promise<string> {
    const current = await this.readMarker(key);
    if ((current?.etag ?? null) !== etag)
      throw new WriteConflictError(
        `${key}: expected ${etag ?? 'no object'}, found ${current?.etag ?? 'none'}`,
      );
    await atomicWrite(join(this.root, key), text);
    return etagOf(text);
  }

  async writeRun(record: RunRecord): Promise<string> {
    const key = runKey(record);
    await atomicWrite(join(this.root, key), encodeRun(record));
    return key;
  }

  /** Every *.json below the root except the snapshot is a run record. */
  async listRuns(range: RunRange): Promise<RunListing> {
    const listing: RunListing = { records: [], skipped: [] };
    for (const path of await jsonFilesBelow(this.root)) {
      const key = relative(this.root, path);
      if (key === LATEST_KEY || key === SILENCES_KEY || key.startsWith(DIGESTS_PREFIX)) continue;
      const decoded = decodeRun((await readText(path)) ?? '');
      if ('problem' in decoded) listing.skipped.push({ key, reason: decoded.problem });
      else if (inRange(decoded.record, range.from, range.to)) listing.records.push(decoded.record);
    }
    listing.records.sort((a, b) => a.checked_at.localeCompare(b.checked_at));
    return listing;
  }
}
