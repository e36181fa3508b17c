// Real check dependencies on local parts: the HTTP dashboard adapter against a loopback server, the
// directory store, a scripted ECS observation, and a notifier that records (or fails on demand).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpDashboard } from '../../lambda/adapters/dashboard-http';
import { FsStore } from '../../lambda/adapters/fs-store';
import { DocumentStore } from '../../lambda/state-store';
import { DEFAULT_CONFIG } from '../../lambda/detector/config';
import type { Audience } from '../../lambda/detector/audiences';
import type { DetectorOutput, NotificationMessage, TriggerContext } from '../../lambda/detector/types';
import { ScriptedEcs } from '../../lib/demo/fakes/static-sources';
import type { CheckDeps, CheckLogger, MetricsSink, Notifier, StateStore } from '../../lambda/ports';
import { HEALTHY } from './bundle';

/** Records what it is sent; by default one audience (email), so `sent` holds one message per notification. */
export class RecordingNotifier implements Notifier {
  readonly sent: NotificationMessage[] = [];
  readonly byAudience: Record<Audience, NotificationMessage[]> = { page: [], email: [], chat: [] };
  failures = 0;

  constructor(readonly audiences: readonly Audience[] = ['email']) {}

  async publish(audience: Audience, message: NotificationMessage): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      throw Object.assign(new Error('SNS is unavailable'), { name: 'InternalErrorException' });
    }
    this.sent.push(message);
    this.byAudience[audience].push(message);
  }
}

export class RecordingMetrics implements MetricsSink {
  readonly runs: { output: DetectorOutput; trigger: TriggerContext }[] = [];
  record(output: DetectorOutput, trigger: TriggerContext): void {
    this.runs.push({ output, trigger });
  }
}

export class MemoryLog implements CheckLogger {
  readonly lines: { level: string; message: string; extra?: Record<string, unknown> }[] = [];
  info(message: string, extra?: Record<string, unknown>) {
    this.lines.push({ level: 'info', message, extra });
  }
  warn(message: string, extra?: Record<string, unknown>) {
    this.lines.push({ level: 'warn', message, extra });
  }
  error(message: string, extra?: Record<string, unknown>) {
    this.lines.push({ level: 'error', message, extra });
  }
}

export interface LocalDeps extends CheckDeps {
  readonly notifier: RecordingNotifier;
  readonly metrics: RecordingMetrics;
  readonly log: MemoryLog;
  readonly ecs: ScriptedEcs;
  readonly clockAt: { iso: string };
  readonly dir: string;
}

export function localDeps(
  dashboardUrl: string,
  options: { store?: StateStore; at?: string } = {},
): LocalDeps {
  const dir = mkdtempSync(join(tmpdir(), 'aegis-state-'));
  const clockAt = { iso: options.at ?? '2026-06-01T14:07:00Z' };
  const store = options.store ?? new FsStore(dir);
  return {
    dashboard: new HttpDashboard({ baseUrl: dashboardUrl, timeoutMs: 1000 }),
    ecs: new ScriptedEcs(structuredClone(HEALTHY.ecs)),
    store,
    // A real store keeps the digest's markers too; a test double of the snapshot alone does not.
    ...(store instanceof DocumentStore ? { markers: store, handoffs: store } : {}),
    notifier: new RecordingNotifier(),
    metrics: new RecordingMetrics(),
    clock: { now: () => new Date(clockAt.iso) },
    clockAt,
    config: DEFAULT_CONFIG,
    log: new MemoryLog(),
    sleep: async () => undefined,
    dir,
  };
}

/** The healthy payload with a fresh heartbeat for `now`, and changes. */
export function payloadAt(now: string, changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...(structuredClone(HEALTHY.status_v3) as Record<string, unknown>),
    heartbeat_at: new Date(Date.parse(now) - 10_000).toISOString(),
    pending_order_details: [],
    pending_orders: 0,
    ...changes,
  };
}
