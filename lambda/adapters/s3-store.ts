// StateStore on S3: the dedup snapshot with conditional writes, and one object per run.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
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
  dayPrefixes,
  decodeRun,
  decodeSilences,
  encodeSilences,
  latestFromText,
  encodeRun,
  encodeSnapshot,
  inRange,
  LATEST_KEY,
  runKey,
  SILENCES_KEY,
} from '../shared/state-layout';

export interface S3StoreProps {
  readonly client: S3Client;
  readonly bucket: string;
}

function errorName(err: unknown): string {
  return (err as { name?: string })?.name ?? '';
}

const CONFLICTS = new Set(['PreconditionFailed', 'ConditionalRequestConflict', 'NoSuchKey']);
const READ_CONCURRENCY = 8;

export class S3Store implements StateStore, SilenceStore, MarkerStore {
  constructor(private readonly props: S3StoreProps) {}

  async readSilences(): Promise<SilenceRead> {
    const { client, bucket } = this.props;
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: SILENCES_KEY }));
      const text = (await out.Body?.transformToString('utf8')) ?? '';
      const etag = out.ETag ?? null;
      const decoded = decodeSilences(text);
      return 'problem' in decoded ? { silences: [], etag, problem: decoded.problem } : { ...decoded, etag };
    } catch (err) {
      if (errorName(err) === 'NoSuchKey') return { silences: [], etag: null };
      throw err;
    }
  }

  async writeSilences(silences: readonly unknown[], etag: string | null): Promise<string> {
    const { client, bucket } = this.props;
    try {
      const out = await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: SILENCES_KEY,
          Body: encodeSilences(silences),
          ContentType: 'application/json',
          ...(etag === null ? { IfNoneMatch: '*' } : { IfMatch: etag }),
        }),
      );
      return out.ETag ?? '';
    } catch (err) {
      if (CONFLICTS.has(errorName(err))) throw new WriteConflictError(`${SILENCES_KEY}: ${errorName(err)}`);
      throw err;
    }
  }

  async readLatest(): Promise<LatestRead> {
    const { client, bucket } = this.props;
    let text: string;
    let etag: string | null;
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: LATEST_KEY }));
      text = (await out.Body?.transformToString('utf8')) ?? '';
      etag = out.ETag ?? null;
    } catch (err) {
      if (errorName(err) === 'NoSuchKey') return { snapshot: null, etag: null };
      throw err;
    }
    return latestFromText(text, etag);
  }

  async writeLatest(snapshot: StoredSnapshot, etag: string | null): Promise<string> {
    const { client, bucket } = this.props;
    try {
      const out = await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: LATEST_KEY,
          Body: encodeSnapshot(snapshot),
          ContentType: 'application/json',
          ...(etag === null ? { IfNoneMatch: '*' } : { IfMatch: etag }),
        }),
      );
      return out.ETag ?? '';
    } catch (err) {
      if (CONFLICTS.has(errorName(err))) throw new WriteConflictError(`${LATEST_KEY}: ${errorName(err)}`);
      throw err;
    }
  }

  async readMarker(key: string): Promise<{ text: string; etag: string } | null> {
    try {
      const out = await this.props.client.send(new GetObjectCommand({ Bucket: this.props.bucket, Key: key }));
      return { text: (await out.Body?.transformToString('utf8')) ?? '', etag: out.ETag ?? '' };
    } catch (err) {
      if (errorName(err) === 'NoSuchKey') return null;
      throw err;
    }
  }

  async writeMarker(key: string, text: string, etag: string | null): Promise<string> {
    try {
      const out = await this.props.client.send(
        new PutObjectCommand({
          Bucket: this.props.bucket,
          Key: key,
          Body: text,
          ContentType: 'application/json',
          ...(etag === null ? { IfNoneMatch: '*' } : { IfMatch: etag }),
        }),
      );
      return out.ETag ?? '';
    } catch (err) {
      if (CONFLICTS.has(errorName(err))) throw new WriteConflictError(`${key}: ${errorName(err)}`);
      throw err;
    }
  }

  async writeRun(record: RunRecord): Promise<string> {
    const key = runKey(record);
    await this.props.client.send(
      new PutObjectCommand({
        Bucket: this.props.bucket,
        Key: key,
        Body: encodeRun(record),
        ContentType: 'application/json',
      }),
    );
    return key;
  }

  async listRuns(range: RunRange): Promise<RunListing> {
    const keys: string[] = [];
    for (const prefix of dayPrefixes(range.from, range.to)) keys.push(...(await this.listKeys(prefix)));
    const listing: RunListing = { records: [], skipped: [] };
    for (let i = 0; i < keys.length; i += READ_CONCURRENCY) {
      await Promise.all(keys.slice(i, i + READ_CONCURRENCY).map((key) => this.readRun(key, range, listing)));
    }
    listing.records.sort((a, b) => a.checked_at.localeCompare(b.checked_at));
    return listing;
  }

  private async listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.props.client.send(
        new ListObjectsV2Command({ Bucket: this.props.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of out.Contents ?? []) if (o.Key?.endsWith('.json')) keys.push(o.Key);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  private async readRun(key: string, range: RunRange, listing: RunListing): Promise<void> {
    try {
      const out = await this.props.client.send(new GetObjectCommand({ Bucket: this.props.bucket, Key: key }));
      const decoded = decodeRun((await out.Body?.transformToString('utf8')) ?? '');
      if ('problem' in decoded) listing.skipped.push({ key, reason: decoded.problem });
      else if (inRange(decoded.record, range.from, range.to)) listing.records.push(decoded.record);
    } catch (err) {
      listing.skipped.push({ key, reason: errorName(err) || String(err) });
    }
  }
}
