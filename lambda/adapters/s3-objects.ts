// ObjectStore on S3: GetObject with its ETag, PutObject with If-Match / If-None-Match, ListObjectsV2.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { WriteConflictError, type ObjectStore, type StoredObject } from '../ports';

export interface S3ObjectStoreProps {
  readonly client: S3Client;
  readonly bucket: string;
}

function errorName(err: unknown): string {
  return (err as { name?: string })?.name ?? '';
}

// NoSuchKey: an If-Match write on a key that was deleted since it was read.
const CONFLICTS = new Set(['PreconditionFailed', 'ConditionalRequestConflict', 'NoSuchKey']);

export class S3ObjectStore implements ObjectStore {
  constructor(private readonly props: S3ObjectStoreProps) {}

  async get(key: string, limit?: { readonly maxBytes: number }): Promise<StoredObject | null> {
    try {
      const out = await this.props.client.send(new GetObjectCommand({ Bucket: this.props.bucket, Key: key }));
      const bytes = out.ContentLength ?? 0;
      if (limit && bytes > limit.maxBytes) {
        // The headers say how large it is: the body is dropped unread.
        (out.Body as { destroy?: () => void } | undefined)?.destroy?.();
        return { text: '', etag: out.ETag ?? '', overLimit: { bytes } };
      }
      return { text: (await out.Body?.transformToString('utf8')) ?? '', etag: out.ETag ?? '' };
    } catch (err) {
      if (errorName(err) === 'NoSuchKey') return null;
      throw err;
    }
  }

  async putIf(key: string, text: string, etag: string | null): Promise<string> {
    try {
      const out = await this.props.client.send(
        new PutObjectCommand({
          ...this.input(key, text),
          ...(etag === null ? { IfNoneMatch: '*' } : { IfMatch: etag }),
        }),
      );
      return out.ETag ?? '';
    } catch (err) {
      if (CONFLICTS.has(errorName(err))) throw new WriteConflictError(`${key}: ${errorName(err)}`);
      throw err;
    }
  }

  async put(key: string, text: string): Promise<void> {
    await this.props.client.send(new PutObjectCommand(this.input(key, text)));
  }

  async *keys(
    prefix: string,
    page?: { readonly startAfter: string; readonly max: number },
  ): AsyncIterable<string> {
    if (page) {
      // One request: S3 lists in key order, so StartAfter and MaxKeys give exactly the next page.
      const out = await this.props.client.send(
        new ListObjectsV2Command({
          Bucket: this.props.bucket,
          Prefix: prefix,
          StartAfter: page.startAfter,
          MaxKeys: page.max,
        }),
      );
      for (const o of out.Contents ?? []) if (o.Key) yield o.Key;
      return;
    }
    let token: string | undefined;
    do {
      const out = await this.props.client.send(
        new ListObjectsV2Command({ Bucket: this.props.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of out.Contents ?? []) if (o.Key) yield o.Key;
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
  }

  private input(key: string, text: string) {
    return { Bucket: this.props.bucket, Key: key, Body: text, ContentType: 'application/json' };
  }
}
