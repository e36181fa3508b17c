// The `probe` trigger: `doctor` asks the deployed Lambda whether it can reach the dashboard and ECS
// from where it runs (its VPC, its role). It collects and reports only: no detector state is read or
// written, nothing is notified, no run record is written, no metric is emitted.
import type { CheckDeps } from './ports';
import { collect } from './check/collect';

export interface ProbeResult {
  readonly probe: true;
  readonly checked_at: string;
  readonly dashboard: { readonly ok: boolean; readonly detail: string };
  readonly ecs: { readonly ok: boolean; readonly detail: string };
}

export function isProbeEvent(event: unknown): boolean {
  return (
    typeof event === 'object' &&
    event !== null &&
    (event as { trigger?: unknown }).trigger === 'probe' &&
    Object.keys(event).length === 1
  );
}

function ecsDetail(ecs: unknown): string {
  const e = ecs as { service?: { serviceName?: string; runningCount?: number } | null; tasks?: unknown[] };
  if (!e.service) return 'ECS answered but the service was not in it';
  return `service ${e.service.serviceName ?? '?'}: runningCount ${e.service.runningCount ?? '?'}, ${e.tasks?.length ?? 0} task(s) listed`;
}

export async function probe(
  deps: Pick<CheckDeps, 'dashboard' | 'ecs' | 'clock' | 'log'>,
): Promise<ProbeResult> {
  const bundle = await collect(deps);
  const result: ProbeResult = {
    probe: true,
    checked_at: bundle.now,
    dashboard:
      'status_v3' in bundle
        ? { ok: true, detail: 'GET /api/status_v3 answered with JSON' }
        : { ok: false, detail: String(bundle.dashboard_error ?? 'no answer') },
    ecs:
      'ecs' in bundle && (bundle.ecs as { service?: unknown }).service
        ? { ok: true, detail: ecsDetail(bundle.ecs) }
        : {
            ok: false,
            detail: String(bundle.ecs_error ?? ('ecs' in bundle ? ecsDetail(bundle.ecs) : 'no answer')),
          },
  };
  deps.log.info('probe: collected only (no notification, no snapshot, no run record)', { ...result });
  return result;
}
