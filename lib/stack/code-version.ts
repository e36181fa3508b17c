// The monitor code's version: a hash of the Lambda's sources and the lockfile, baked into the bundle
// and output by the stack, so `prove-deploy` can tell a run of the new code from one of the old.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const CODE_VERSION_DEFINE = '__AEGIS_PT_CODE_VERSION__';

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return files(path);
      return name.endsWith('.ts') ? [path] : [];
    });
}

/**
 * The 16-hex-digit version of the monitor code: SHA-256 over every `.ts` under `lambda/` (path and
 * content, in sorted order) and the lockfile.
 * @param root the repository root
 * @returns the version the bundle carries and the stack outputs as `MonitorCodeVersion`
 */
export function codeVersion(root: string): string {
  const hash = createHash('sha256');
  for (const path of [...files(join(root, 'lambda')), join(root, 'package-lock.json')]) {
    hash.update(relative(root, path)).update('\0').update(readFileSync(path)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}
