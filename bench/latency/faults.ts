// What the dashboard and ECS show during the latency benchmark's day: the spec's healthy example,
// fresh at every instant, and one fault at a time from the catalog, each from the instant it appears.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

type Json = Record<string, unknown>;

/** How the catalog's rows are told: what the benchmark holds each class to. */
export type FaultClass =
  | 'critical, escalates at once'
  | 'critical, never escalates'
  | 'critical, escalates when persisted'
  | 'warn, critical when persisted';

export interface Fault {
  readonly code: string;
  readonly cls: FaultClass;
  /** The payload fields that show the fault while it lasts (the healthy values otherwise). */
  readonly status?: (appearedMs: number) => Json;
  /** The service fields that show it (ECS polled by the scheduled check, not the event path). */
  readonly service?: Json;
  /** The dashboard answers with this HTTP error instead of a payload. */
  readonly dashboardError?: string;
}

/** One row per catalog code whose telling depends on the cadence: each raised from one field. */
export const FAULTS: readonly Fault[] = [
  { code: 'stuck_exits', cls: 'critical, escalates at once', status: () => ({ stuck_exits: 1 }) },
  { code: 'unknown_fill', cls: 'critical, escalates at once', status: () => ({ unknown_fill: true }) },
  {
    code: 'dual_primary',
    cls: 'critical, escalates at once',
    status: () => ({ synology_ibkr_containers_running: 1 }),
  },
  {
    code: 'send_outcome_unknown',
    cls: 'critical, never escalates',
    status: () => ({ send_outcome_unknown: true }),
  },
  {
    code: 'broker_confirmation_required',
    cls: 'critical, never escalates',
    status: () => ({ broker_confirmation_required: true }),
  },
  {
    code: 'reconcile_pending',
    cls: 'critical, escalates when persisted',
    status: () => ({ position_reconcile_pending: true }),
  },
  {
    code: 'heartbeat_stale',
    cls: 'critical, escalates when persisted',
    // The heartbeat crosses the 300 s threshold at the instant the fault appears.
    status: (appearedMs) => ({ heartbeat_at: new Date(appearedMs - 300_000).toISOString() }),
  },
  { code: 'ecs_primary_count', cls: 'critical, escalates when persisted', service: { pendingCount: 1 } },
  { code: 'dashboard_unreachable', cls: 'critical, escalates when persisted', dashboardError: 'HTTP 502' },
  {
    code: 'pending_order_buildup',
    cls: 'critical, escalates when persisted',
    status: () => ({ pending_orders: 3 }),
  },
  { code: 'pending_exits', cls: 'warn, critical when persisted', status: () => ({ pending_exits: 1 }) },
];

const EXAMPLE = resolve(
  process.env.AEGIS_SHARED_DIR ?? resolve(process.cwd(), '../shared'),
  'spec/examples/observation.healthy.json',
);

export interface World {
  readonly dashboard: { payload: Json } | { error: string };
  readonly ecs: Json;
}

/** The world at `nowMs`: healthy and fresh, with `fault` showing when it has appeared. */
export function worldAt(nowMs: number, fault?: { fault: Fault; appearedMs: number }): World {
  const example = JSON.parse(readFileSyncOnce(EXAMPLE)) as { status_v3: Json; ecs: Json };
  const iso = (ms: number) => new Date(ms).toISOString();
  const healthy: Json = {
    ...example.status_v3,
    generated_at: iso(nowMs),
    heartbeat_at: iso(nowMs - 12_000),
    last_position_reconcile: {
      ...(example.status_v3.last_position_reconcile as Json),
      at: iso(nowMs - 90_000),
    },
    pending_orders: 0,
    pending_order_details: [],
  };
  const ecs = example.ecs as { service: Json };
  if (!fault) return { dashboard: { payload: healthy }, ecs };
  const f = fault.fault;
  return {
    dashboard: f.dashboardError
      ? { error: f.dashboardError }
      : { payload: { ...healthy, ...f.status?.(fault.appearedMs) } },
    ecs: f.service ? { ...ecs, service: { ...ecs.service, ...f.service } } : ecs,
  };
}

let cached: { path: string; text: string } | undefined;
function readFileSyncOnce(path: string): string {
  if (cached?.path !== path) cached = { path, text: readFileSync(path, 'utf8') };
  return cached.text;
}
