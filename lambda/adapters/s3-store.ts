// Every stored document in the state bucket: the document store on S3 objects.
import { DocumentStore, type DocumentStoreOptions } from '../state-store';
import { S3ObjectStore, type S3ObjectStoreProps } from './s3-objects';

export type S3StoreProps = S3ObjectStoreProps;

export class S3Store extends DocumentStore {
  /** The client and bucket, kept so callers can name where the documents are. */
  constructor(
    readonly props: S3StoreProps,
    options: Omit<DocumentStoreOptions, 'runsAnywhere'> = {},
  ) {
    super(new S3ObjectStore(props), options);
  }
}
