// Every stored document in a local directory laid out like the bucket (the demo, `--runs-dir`, tests).
import { DocumentStore, type DocumentStoreOptions } from '../state-store';
import { FsObjectStore } from './fs-objects';

export class FsStore extends DocumentStore {
  constructor(root: string, options: Omit<DocumentStoreOptions, 'runsAnywhere'> = {}) {
    // A directory may be an `aws s3 sync` of runs/ or of one day: records are found anywhere below it.
    super(new FsObjectStore(root), { ...options, runsAnywhere: true });
  }
}
