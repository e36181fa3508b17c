// What one day of checks costs in requests and bytes, measured on the real check sequence: the
// handler with Powertools' logger and EMF metrics writing to stdout (captured), and the bucket's layout
// on a counting object store. One weekday at the template's crons, healthy, digest included.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsObjectStore } from '../../lambda/adapters/fs-objects';
import { createLogger, PowertoolsMetricsSink } from '../../lambda/adapters/powertools';
import { AUDIENCES } from '../../lambda/detector/audiences';
import { DEFAULT_CONFIG } from '../../lambda/detector/config';
import { createHandler } from '../../lambda/handler';
import type { DashboardResult, ObjectStore, StoredObject } from '../../lambda/ports';
import { firings, parseCron } from '../../lambda/shared/cron';
import type { ScheduleDefinition } from '../../lambda/shared/schedules';
import { LATEST_KEY } from '../../lambda/shared/state-layout';
import { DocumentStore } from '../../lambda/state-store';
import { ScriptedEcs } from '../../lib/demo/fakes/static-sources';
import { worldAt } from '../../bench/latency/faults';

export interface DayUsage {
  readonly checks: number;
  /** S3 requests by price class over the day. */
  readonly puts: number;
  readonly gets: number;
  readonly lists: number;
  readonly recordBytes: number;
  /** Bytes written to state/latest.json: each write leaves a noncurrent version behind. */
  readonly snapshotBytes: number;
  /** What the handler wrote to stdout (log lines and EMF blobs), in bytes and events. */
  readonly logBytes: number;
  readonly logEvents: number;
  /** Hours of the day in which each metric series (`name{dim=value,...}`) was sent. */
  readonly seriesHours: Readonly<Record<string, number>>;
}

/** S3 bills a LIST per call and per page of 1,000 keys. */
const LIST_PAGE = 1000;

class CountingObjects implements ObjectStore {
  puts = 0;
  gets = 0;
  lists = 0;
  recordBytes = 0;
  snapshotBytes = 0;

  constructor(private readonly inner: ObjectStore) {}

  get(key: string, limit?: { readonly maxBytes: number }): Promise<StoredObject | null> {
    this.gets++;
    return this.inner.get(key, limit);
  }

  putIf(key: string, text: string, etag: string | null): Promise<string> {
    this.puts++;
    if (key === LATEST_KEY) this.snapshotBytes += Buffer.byteLength(text);
    return this.inner.putIf(key, text, etag);
  }

  put(key: string, text: string): Promise<void> {
    this.puts++;
    if (key.startsWith('runs/')) this.recordBytes += Buffer.byteLength(text);
    return this.inner.put(key, text);
  }

  async *keys(prefix: string): AsyncIterable<string> {
    this.lists++;
    let n = 0;
    for await (const key of this.inner.keys(prefix)) {
      if (++n % LIST_PAGE === 0) this.lists++;
      yield key;
    }
  }
}

function seriesIn(stdout: string): string[] {
  const out: string[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.includes('"_aws"')) continue;
    const blob = JSON.parse(line) as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
    };
    for (const d of blob._aws.CloudWatchMetrics)
      for (const dims of d.Dimensions)
        for (const m of d.Metrics)
          out.push(
            `${m.Name}{${dims
              .map((k) => `${k}=${String(blob[k])}`)
              .sort()
              .join(',')}}`,
          );
  }
  return out;
}

/** Runs one weekday (2026-06-01) at the schedules' crons and counts what it used. */
export async function measureDay(definitions: readonly ScheduleDefinition[]): Promise<DayUsage> {
  const dir = mkdtempSync(join(tmpdir(), 'aegis-cost-'));
  const objects = new CountingObjects(new FsObjectStore(dir));
  const store = new DocumentStore(objects);
  let dashboard: DashboardResult = { error: 'not started' };
  const ecs = new ScriptedEcs({});
  const clock = { ms: 0 };
  const handler = createHandler({
    dashboard: { fetch: async () => dashboard },
    ecs,
    store,
    markers: store,
    silences: store,
    notifier: { audiences: AUDIENCES, publish: async () => undefined },
    metrics: new PowertoolsMetricsSink(),
    clock: { now: () => new Date(clock.ms) },
    config: DEFAULT_CONFIG,
    log: createLogger(),
    schedules: definitions,
  });
  const day = Date.parse('2026-06-01T00:00:00Z');
  const checks = definitions
    .flatMap((d) => firings(parseCron(d.cron), day, day + 86_400_000 - 1).map((t) => ({ d, t: t + 20_000 })))
    .sort((a, b) => a.t - b.t);
  const hours = new Map<string, Set<number>>();
  let logBytes = 0;
  let logEvents = 0;
  const write = process.stdout.write.bind(process.stdout);
  try {
    for (const c of checks) {
      const world = worldAt(c.t);
      dashboard = world.dashboard;
      ecs.set(world.ecs);
      clock.ms = c.t;
      let captured = '';
      process.stdout.write = ((chunk: string | Uint8Array) => {
        captured += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
        return true;
      }) as typeof process.stdout.write;
      try {
        await handler({ trigger: c.d.trigger });
      } finally {
        process.stdout.write = write;
      }
      logBytes += Buffer.byteLength(captured);
      logEvents += captured.split('\n').filter(Boolean).length;
      for (const s of seriesIn(captured)) {
        const set = hours.get(s) ?? new Set<number>();
        set.add(Math.floor(c.t / 3_600_000));
        hours.set(s, set);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    checks: checks.length,
    puts: objects.puts,
    gets: objects.gets,
    lists: objects.lists,
    recordBytes: objects.recordBytes,
    snapshotBytes: objects.snapshotBytes,
    logBytes,
    logEvents,
    seriesHours: Object.fromEntries([...hours].map(([s, h]) => [s, h.size])),
  };
}
