// Paths into ../shared (the spec's examples and oracles), read at test time.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const SHARED_DIR = resolve(__dirname, '../../../shared');

export function sharedPath(...parts: string[]): string {
  return resolve(SHARED_DIR, ...parts);
}

export function readSharedJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFileSync(sharedPath(...parts), 'utf8')) as T;
}
