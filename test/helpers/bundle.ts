// Builds observation bundles from the spec's healthy example with targeted changes.
import { detect } from '../../lambda/detector/detect';
import type { DetectorOutput } from '../../lambda/detector/types';
import { readSharedJson } from './shared';

type Json = Record<string, unknown>;

export const HEALTHY: Json = readSharedJson<Json>('spec/examples/observation.healthy.json');

export interface BundleChanges {
  now?: string;
  status?: Json;
  /** Fields to delete from status_v3. */
  drop?: string[];
  service?: Json;
  task?: Json;
  containers?: Json[];
  tasks?: Json[];
  stopped?: Json[];
  config?: Json;
  previous?: unknown;
  top?: Json;
}

export function bundle(changes: BundleChanges = {}): Json {
  const b = structuredClone(HEALTHY) as Json;
  const status = b.status_v3 as Json;
  Object.assign(status, changes.status ?? {});
  for (const f of changes.drop ?? []) delete status[f];
  const ecs = b.ecs as Json;
  Object.assign(ecs.service as Json, changes.service ?? {});
  const task = (ecs.tasks as Json[])[0];
  Object.assign(task, changes.task ?? {});
  if (changes.containers) task.containers = changes.containers;
  if (changes.tasks) ecs.tasks = changes.tasks;
  if (changes.stopped) ecs.stopped_tasks = changes.stopped;
  if (changes.now) b.now = changes.now;
  if (changes.config) b.config = changes.config;
  if (changes.previous !== undefined) b.previous = changes.previous;
  return { ...b, ...(changes.top ?? {}) };
}

export function run(changes: BundleChanges = {}): DetectorOutput {
  return detect(bundle(changes));
}

export function codes(out: DetectorOutput): string[] {
  return out.events.map((e) => e.code).sort();
}

export function event(out: DetectorOutput, code: string) {
  return out.events.find((e) => e.code === code);
}

export function infoCodes(out: DetectorOutput): string[] {
  return out.info.map((i) => i.code).sort();
}

/** Healthy example times: session open, 10:05 ET on Monday 2026-06-01. */
export const IN_SESSION = '2026-06-01T14:05:00Z';
export const PRE_OPEN = '2026-06-01T13:00:00Z';
export const AFTER_CLOSE = '2026-06-01T20:30:00Z';
export const WEEKEND = '2026-06-06T15:00:00Z';
export const TASK_ARN =
  'arn:aws:ecs:ap-northeast-1:123456789012:task/aegis-pt/6f1c2d3e4b5a49788d0e1f2a3b4c5d6e';
