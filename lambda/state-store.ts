// Every stored document on one ObjectStore: the snapshot, run records, silences and digest markers.
// Keys and encodings come from shared/state-layout.ts; adapters only move bytes (s3-objects.ts,
// fs-objects.ts), so the record logic exists once whatever holds the objects.
import type { RunRecord } from './detector/types';
import type {
  HandoffStore,
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
import { RecordReader } from './records/record-reader';
import { ObjectSealer } from './records/seal';
import {
  decodeSilences,
  encodeRun,
  encodeSilences,
  encodeSnapshot,
  HANDOFF_PREFIX,
  LATEST_KEY,
  latestFromText,
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
  /**
   * Told when a day summary or an hour pack cannot be used (its records are read instead).
   * @default nothing is told
   */
  readonly note?: (text: string) => void;
}

export class DocumentStore implements StateStore, SilenceStore, MarkerStore, HandoffStore {
  /** How run records are found and read (lambda/records): listRuns is its whole-range form. */
  readonly records: RecordReader;
  /** Packs past hours and summarises past days of run records (a side job of the Lambda's check). */
  readonly sealer: ObjectSealer;

  constructor(
    private readonly objects: ObjectStore,
    options: DocumentStoreOptions = {},
  ) {
    this.records = new RecordReader(objects, {
      anywhere: options.runsAnywhere,
      note: options.note,
    });
    this.sealer = new ObjectSealer(objects);
  }

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

  async listHandoffs(startAfter: string, max: number): Promise<string[]> {
    const keys: string[] = [];
    for await (const key of this.objects.keys(HANDOFF_PREFIX, { startAfter, max })) keys.push(key);
    return keys;
  }

  readHandoff(key: string, limit: { readonly maxBytes: number }): Promise<StoredObject | null> {
    return this.objects.get(key, limit);
  }

  writeHandoff(key: string, text: string): Promise<void> {
    return this.objects.put(key, text);
  }

  async writeRun(record: RunRecord): Promise<string> {
    const key = runKey(record);
    await this.objects.put(key, encodeRun(record));
    return key;
  }

  /**
   * The records checked within the range, in checked_at order. Keys are filtered before any read;
   * `project` (when given) is applied to each record as it is read, so only that is kept.
   */
  async listRuns(range: RunRange, project?: (record: RunRecord) => RunRecord): Promise<RunListing> {
    const listing: RunListing = { records: [], skipped: [] };
    for await (const read of this.records.view().runs(range)) {
      if ('record' in read) listing.records.push(project ? project(read.record) : read.record);
      else listing.skipped.push({ key: read.key, reason: read.skipped });
    }
    listing.records.sort((a, b) => a.checked_at.localeCompare(b.checked_at));
    return listing;
  }
}
