// The latency benchmark's simulated session days: the real check sequence (createHandler, the local
// store, the digest) on a simulated clock, run when EventBridge Scheduler would start each check,
// with one fault at a time from the catalog appearing at a uniformly random instant.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsStore } from '../../lambda/adapters/fs-store';
import { AUDIENCES } from '../../lambda/detector/audiences';
import { DEFAULT_CONFIG } from '../../lambda/detector/config';
import { sessionOn } from '../../lambda/detector/market-clock';
import type { DetectorEvent } from '../../lambda/detector/types';
import { createHandler } from '../../lambda/handler';
import type { CheckDeps, DashboardResult } from '../../lambda/ports';
import { firings, parseCron } from '../../lambda/shared/cron';
import type { ScheduleDefinition } from '../../lambda/shared/schedules';
import { ScriptedEcs } from '../../lib/demo/fakes/static-sources';
import { FAULTS, worldAt, type Fault, type FaultClass } from './faults';

/**
 * When in its minute a scheduled check starts. EventBridge Scheduler documents 60-second precision
 * with the flexible window off: "between 1:00:00 and 1:00:59". `independent` draws each invocation
 * anew (the documentation's bound at its worst); `fixed` draws one offset per schedule and day.
 */
export type JitterModel = 'independent' | 'fixed';

export interface Sample {
  readonly code: string;
  readonly cls: FaultClass;
  /** Seconds from the fault appearing to the first publish that names it; undefined: never told. */
  readonly toldSec?: number;
  /** Seconds to the publish that escalates it (or raises it to critical); undefined: not measured. */
  readonly escalatedSec?: number;
}

export interface SimulationOptions {
  readonly definitions: readonly ScheduleDefinition[];
  readonly jitter: JitterModel;
  readonly random: () => number;
  /** Session days to simulate, from this date on. */
  readonly days: number;
  readonly fromDate: string;
}

/** A fault appears at a uniformly random instant of the first 5 minutes of each 20-minute slot. */
const SLOT_MS = 20 * 60_000;
const APPEAR_WITHIN_MS = 5 * 60_000;
/** Long enough to be told and escalated at the 5-minute interleave too; then 6 healthy minutes. */
export const FAULT_MS = 14 * 60_000;
const DAY_MS = 86_400_000;

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface Active {
  readonly fault: Fault;
  readonly appearedMs: number;
  told?: number;
  escalated?: number;
}

function escalates(e: DetectorEvent, cls: FaultClass): boolean {
  if (cls === 'critical, never escalates') return false;
  if (cls === 'warn, critical when persisted') return e.severity === 'critical';
  return e.escalate;
}

/** The session days from `fromDate` on (weekends and holidays skipped). */
function sessionDays(fromDate: string, count: number) {
  const out = [];
  for (let d = Date.parse(`${fromDate}T00:00:00Z`); out.length < count; d += DAY_MS) {
    const s = sessionOn(new Date(d).toISOString().slice(0, 10));
    if (s) out.push(s);
  }
  return out;
}

export async function simulate(options: SimulationOptions): Promise<{ samples: Sample[]; runs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'aegis-latency-'));
  const store = new FsStore(dir);
  let dashboard: DashboardResult = { error: 'not started' };
  const ecs = new ScriptedEcs({});
  const clock = { ms: 0 };
  let publishedAt: number | undefined;
  const deps: CheckDeps = {
    dashboard: { fetch: async () => dashboard },
    ecs,
    store,
    markers: store,
    silences: store,
    // The first publish of a run to any audience is when the operators are told.
    notifier: {
      audiences: AUDIENCES,
      publish: async () => {
        publishedAt ??= performance.now();
      },
    },
    metrics: { record: () => undefined },
    clock: { now: () => new Date(clock.ms) },
    config: DEFAULT_CONFIG,
    log: silent,
    schedules: options.definitions,
  };
  const handler = createHandler(deps);
  const samples: Sample[] = [];
  let runs = 0;
  let next = 0;
  try {
    for (const session of sessionDays(options.fromDate, options.days)) {
      const day = Date.parse(`${session.date}T00:00:00Z`);
      const checks = options.definitions
        .flatMap((d) => {
          const offset = options.random() * 60_000;
          return firings(parseCron(d.cron), day, day + DAY_MS - 1).map((t) => ({
            d,
            scheduled: t,
            at: Math.floor(t + (options.jitter === 'fixed' ? offset : options.random() * 60_000)),
          }));
        })
        .sort((a, b) => a.at - b.at);
      const faults: Active[] = [];
      for (
        let slot = Date.parse(session.open);
        slot + SLOT_MS <= Date.parse(session.close);
        slot += SLOT_MS
      ) {
        faults.push({
          fault: FAULTS[next++ % FAULTS.length],
          appearedMs: Math.floor(slot + options.random() * APPEAR_WITHIN_MS),
        });
      }
      for (const c of checks) {
        const active = faults.find((f) => c.at >= f.appearedMs && c.at < f.appearedMs + FAULT_MS);
        const world = worldAt(c.at, active);
        dashboard = world.dashboard;
        ecs.set(world.ecs);
        clock.ms = c.at;
        publishedAt = undefined;
        const started = performance.now();
        const result = await handler({
          trigger: c.d.trigger,
          execution_id: `bench-${c.d.name}-${c.scheduled}`,
          scheduled_time: new Date(c.scheduled).toISOString(),
        });
        runs++;
        if (!active || !result.notified || publishedAt === undefined) continue;
        const at = c.at + (publishedAt - started);
        const output = (await store.readLatest()).snapshot?.output;
        const told = output?.new_events.filter((e) => e.code === active.fault.code) ?? [];
        if (told.length === 0) continue;
        active.told ??= at;
        if (told.some((e) => escalates(e, active.fault.cls))) active.escalated ??= at;
      }
      for (const f of faults) {
        const sec = (ms?: number) => (ms === undefined ? undefined : (ms - f.appearedMs) / 1000);
        samples.push({
          code: f.fault.code,
          cls: f.fault.cls,
          toldSec: sec(f.told),
          escalatedSec: f.fault.cls === 'critical, never escalates' ? undefined : sec(f.escalated),
        });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { samples, runs };
}
