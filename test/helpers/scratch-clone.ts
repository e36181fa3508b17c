// A scratch directory `<tmp>/<prefix>XXXX/repo` laid out like this clone: some files copied (fresh
// copies, with their own mtime, as npx needs a real manifest and lockfile), the rest linked to the
// clone's own. README's examples and the CLI build's tests run from one.
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface ScratchCloneProps {
  /** Paths relative to the clone, copied (their folders made). */
  readonly copy: readonly string[];
  /** Paths relative to the clone, linked to the clone's own. */
  readonly link: readonly string[];
}

/**
 * @param root the clone's root
 * @param prefix the scratch folder's name prefix under the system's temporary folder
 * @returns the scratch clone's root (`repo` inside a fresh folder, so a sibling can sit beside it)
 */
export function scratchClone(root: string, prefix: string, props: ScratchCloneProps): string {
  const repo = join(mkdtempSync(join(tmpdir(), prefix)), 'repo');
  mkdirSync(repo);
  for (const file of props.copy) {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    copyFileSync(join(root, file), join(repo, file));
  }
  for (const entry of props.link) symlinkSync(join(root, entry), join(repo, entry));
  return repo;
}
