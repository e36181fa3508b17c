// Every stored document on one ObjectStore: the snapshot, run records, silences and digest markers.
// Keys and encodings come from shared/state-layout.ts; adapters only move bytes (s3-objects.ts,
// fs-objects.ts), so the record logic exists once whatever holds the objects.
import type { RunRecord } from './detector/types';
import type {
  LatestRead,
  MarkerStore,
  ObjectStore,
  RunListing,
  RunRange,
  SilenceRead,
  SilenceStore,
  StateStore,
  StoredObject,
  StoredSnapshot,
} from './ports';
import {
  dayPrefixes,
  decodeRun,
  decodeSilences,
  encodeRun,
  encodeSilences,
  encodeSnapshot,
  inRange,
  LATEST_KEY,
  latestFromText,
  mayHoldRun,
  runKey,
  SILENCES_KEY,
  silencesTooLarge,
} from './shared/state-layout';

export interface DocumentStoreOptions {
  /**
   * Run records may lie anywhere below the root, not only in the bucket's day folders: a local
   * directory can be an `aws s3 sync` of runs/, or one day of it. Every key is then listed (cheap on a
   * disk) and still filtered on the time its name holds before any read.
   * @default false - only the day folders of the range are listed (the bucket)
   */
  readonly runsAnywhere?: boolean;
}

const READ_CONCURRENCY = 8;

function errorName(err: unknown): string {
  return (err as { name?: string })?.name ?? '';
}

export class DocumentStore implements StateStore, SilenceStore, MarkerStore {
  constructor(
    private readonly objects: ObjectStore,
    private readonly options: DocumentStoreOptions = {},
  ) {}

  async readLatest(): Promise<LatestRead> {
    const object = await this.objects.get(LATEST_KEY);
    return object ? latestFromText(object.text, object.etag) : { snapshot: null, etag: null };
  }

  writeLatest(snapshot: StoredSnapshot, etag: string | null): Promise<string> {
    return this.objects.putIf(LATEST_KEY, encodeSnapshot(snapshot), etag);
  }

  async readSilences(limit?: { readonly maxBytes: number }): Promise<SilenceRead> {
    const object = await this.objects.get(SILENCES_KEY, limit);
    if (!object) return { silences: [], etag: null };
    if (object.overLimit) {
      const bytes = object.overLimit.bytes;
      return { silences: [], etag: object.etag, bytes, problem: silencesTooLarge(bytes, limit?.maxBytes)! };
    }
    const bytes = Buffer.byteLength(object.text, 'utf8');
    const decoded = decodeSilences(object.text, limit?.maxBytes);
    return 'problem' in decoded
      ? { silences: [], etag: object.etag, bytes, problem: decoded.problem }
      : { ...decoded, etag: object.etag, bytes };
  }

  writeSilences(silences: readonly unknown[], etag: string | null): Promise<string> {
    return this.objects.putIf(SILENCES_KEY, encodeSilences(silences), etag);
  }

  readMarker(key: string): Promise<StoredObject | null> {
    return this.objects.get(key);
  }

  writeMarker(key: string, text: string, etag: string | null): Promise<string> {
    return this.objects.putIf(key, text, etag);
  }

  async writeRun(record: RunRecord): Promise<string> {
    const key = runKey(record);
    await this.objects.put(key, encodeRun(record));
    return key;
  }

  /** The records checked within the range. Keys are filtered on their name's time before any read. */
  async listRuns(range: RunRange, project?: (record: RunRecord) => RunRecord): Promise<RunListing> {
    const keys: string[] = [];
    const prefixes = this.options.runsAnywhere ? [''] : dayPrefixes(range.from, range.to);
    for (const prefix of prefixes)
      for await (const key of this.objects.keys(prefix)) if (mayHoldRun(key, range)) keys.push(key);
    keys.sort();
    const reads: ({ record: RunRecord } | { skipped: string })[] = [];
    for (let i = 0; i < keys.length; i += READ_CONCURRENCY) {
      const batch = await Promise.all(keys.slice(i, i + READ_CONCURRENCY).map((k) => this.readRun(k)));
      reads.push(...batch.map((r) => ('record' in r && project ? { record: project(r.record) } : r)));
    }
    const listing: RunListing = { records: [], skipped: [] };
    reads.forEach((read, i) => {
      if ('skipped' in read) listing.skipped.push({ key: keys[i], reason: read.skipped });
      else if (inRange(read.record, range.from, range.to)) listing.records.push(read.record);
    });
    listing.records.sort((a, b) => a.checked_at.localeCompare(b.checked_at));
    return listing;
  }

  private async readRun(key: string): Promise<{ record: RunRecord } | { skipped: string }> {
    try {
      const decoded = decodeRun((await this.objects.get(key))?.text ?? '');
      return 'problem' in decoded ? { skipped: decoded.problem } : decoded;
    } catch (err) {
      return { skipped: errorName(err) || String(err) };
    }
  }
}
