// The deployed monitor's version: a hash of the Lambda's sources, the lockfile and the resolved
// configuration (crons, thresholds, destinations...), baked into the bundle and output by the stack, so
// `prove-deploy` can tell a run of this deploy from one of the one before, a config-only deploy too.
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

/** JSON with object keys sorted, so equal configurations hash equally whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/**
 * The 16-hex-digit version of the deployed monitor: SHA-256 over every `.ts` under `lambda/` (path and
 * content, in sorted order), the lockfile and, when given, the resolved configuration.
 * @param root the repository root
 * @param config the resolved configuration the stack deploys (anything in it changes behaviour)
 * @returns the version the bundle carries and the stack outputs as `MonitorCodeVersion`
 */
export function codeVersion(root: string, config?: unknown): string {
  const hash = createHash('sha256');
  for (const path of [...files(join(root, 'lambda')), join(root, 'package-lock.json')]) {
    hash.update(relative(root, path)).update('\0').update(readFileSync(path)).update('\0');
  }
  if (config !== undefined) hash.update('config\0').update(canonical(config));
  return hash.digest('hex').slice(0, 16);
}
