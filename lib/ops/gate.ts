// The runbook's minimum deploy gate, as pass / warn / fail criteria over one detector evaluation.
import type { DetectorConfig } from '../../lambda/detector/config';
import { isBrokerImport } from '../../lambda/detector/rules/attribution';
import { RECONCILE_FLAGS } from '../../lambda/detector/rules/reconcile';
import { GATEWAY_CONTAINER, runningTasks } from '../../lambda/detector/rules/runtime';
import { parseTimestamp } from '../../lambda/detector/time';
import type { DetectorOutput, ObservationBundle, StatusV3 } from '../../lambda/detector/types';
import { observationView, type ObservationView } from './observation-view';

export type Outcome = 'pass' | 'warn' | 'fail';

export interface Criterion {
  readonly name: string;
  readonly outcome: Outcome;
  readonly seen: string;
}

export interface GateReport {
  readonly phase: 'pre' | 'post';
  readonly checked_at: string;
  readonly criteria: readonly Criterion[];
  /** go: every criterion passed; wait: only warnings (e.g. one entry order working); stop: a failure. */
  readonly verdict: 'go' | 'wait' | 'stop';
}

interface View extends ObservationView {
  readonly nowMs: number;
}

function view(bundle: ObservationBundle): View {
  return { ...observationView(bundle), nowMs: parseTimestamp(bundle.now) ?? Date.now() };
}

const c = (name: string, ok: boolean, seen: string): Criterion => ({
  name,
  outcome: ok ? 'pass' : 'fail',
  seen,
});

function preCriteria(v: View, output: DetectorOutput, config: DetectorConfig): Criterion[] {
  const s = v.status;
  const out: Criterion[] = [];
  const svc = v.ecs?.service;
  const running = v.ecs ? runningTasks(v.ecs).length : 0;
  out.push(
    c(
      'exactly one AWS runtime task',
      !!svc && svc.desiredCount === 1 && svc.runningCount === 1 && svc.pendingCount === 0 && running === 1,
      v.ecs
        ? `desired=${svc?.desiredCount ?? '?'} running=${svc?.runningCount ?? '?'} pending=${svc?.pendingCount ?? '?'} RUNNING tasks=${running}`
        : 'ECS not readable',
    ),
  );
  out.push(
    c(
      'Synology containers exited',
      s?.synology_ibkr_containers_running === 0,
      `synology_ibkr_containers_running=${s?.synology_ibkr_containers_running ?? 'not reported'}`,
    ),
  );
  const hb = parseTimestamp(s?.heartbeat_at);
  const age = hb === undefined ? undefined : Math.floor((v.nowMs - hb) / 1000);
  out.push(
    c(
      'fresh heartbeat',
      age !== undefined && age <= config.heartbeatStaleSec,
      age === undefined ? 'heartbeat not reported' : `age ${age}s (stale after ${config.heartbeatStaleSec}s)`,
    ),
  );
  out.push(
    c('pending_exits = 0', s?.pending_exits === 0, `pending_exits=${s?.pending_exits ?? 'not reported'}`),
  );
  out.push(c('stuck_exits = 0', s?.stuck_exits === 0, `stuck_exits=${s?.stuck_exits ?? 'not reported'}`));
  const flags = RECONCILE_FLAGS.map((f) => `${f}=${s?.[f] ?? '?'}`);
  out.push(
    c('reconcile flags all false', !!s && RECONCILE_FLAGS.every((f) => s[f] === false), flags.join(' ')),
  );
  out.push(
    c(
      'no send_outcome_unknown',
      s?.send_outcome_unknown === false,
      `send_outcome_unknown=${s?.send_outcome_unknown ?? 'not reported'}`,
    ),
  );
  const conflict = s?.log_signals?.existing_session_detected;
  out.push(
    c('no session conflict', conflict === 0, `existing_session_detected=${conflict ?? 'not reported'}`),
  );
  out.push(pendingOrders(s, v.nowMs, config));
  if (output.events.some((e) => e.code === 'dashboard_unreachable' || e.code === 'dashboard_invalid')) {
    out.push(
      c(
        'dashboard readable',
        false,
        output.events.find((e) => e.code.startsWith('dashboard_'))?.summary ?? '',
      ),
    );
  }
  return out;
}

function pendingOrders(s: StatusV3 | null, nowMs: number, config: DetectorConfig): Criterion {
  const name = 'pending orders (0 preferred)';
  if (!s || (s.pending_orders === undefined && s.pending_order_details === undefined))
    return { name, outcome: 'fail', seen: 'not reported' };
  const details = s.pending_order_details ?? [];
  const n = Math.max(s.pending_orders ?? 0, details.length);
  if (n === 0) return { name, outcome: 'pass', seen: 'pending_orders=0' };
  const exits = details.filter((o) => o.purpose === 'exit');
  if (exits.length > 0)
    return {
      name,
      outcome: 'fail',
      seen: `exit order working: ${exits.map((o) => `${o.order_id} ${o.symbol}`).join(', ')}: stop`,
    };
  const only = details[0];
  const at = parseTimestamp(only?.submitted_at);
  const normalAge = at !== undefined && nowMs - at <= config.pendingOrderStaleSec * 1000;
  if (n === 1 && only?.purpose === 'entry' && normalAge) {
    return {
      name,
      outcome: 'warn',
      seen: `one entry order ${only.order_id} ${only.symbol}, ${Math.floor((nowMs - (at as number)) / 1000)}s old: wait for it to clear, reprice or cancel (202)`,
    };
  }
  return {
    name,
    outcome: 'fail',
    seen: `pending_orders=${n}${only ? `, oldest ${only.order_id} ${only.purpose ?? '?'}` : ''}`,
  };
}

function postCriteria(v: View, baseline: ObservationBundle): Criterion[] {
  const base = view(baseline);
  const symbols = (st: StatusV3 | null) =>
    new Set((st?.open_positions ?? []).filter(isBrokerImport).map((p) => p.symbol ?? '?'));
  const before = symbols(base.status);
  const added = [...symbols(v.status)].filter((sym) => !before.has(sym));
  const out: Criterion[] = [
    c(
      'no new broker_import_positions symbol',
      added.length === 0,
      added.length ? `new: ${added.join(', ')}` : `baseline ${[...before].join(', ') || 'none'}`,
    ),
    c(
      'no new unknown fill',
      !(v.status?.unknown_fill === true && base.status?.unknown_fill !== true),
      `unknown_fill now=${v.status?.unknown_fill ?? '?'} baseline=${base.status?.unknown_fill ?? '?'}`,
    ),
  ];
  const gateways = (v.ecs ? runningTasks(v.ecs) : []).map((t) =>
    t.containers?.find((x) => x.name === GATEWAY_CONTAINER),
  );
  out.push(
    c(
      'gateway healthy',
      gateways.length === 1 &&
        gateways[0]?.lastStatus === 'RUNNING' &&
        gateways[0]?.healthStatus === 'HEALTHY',
      gateways.length
        ? gateways.map((g) => `${g?.lastStatus ?? 'missing'}/${g?.healthStatus ?? 'UNKNOWN'}`).join(', ')
        : 'no RUNNING task',
    ),
  );
  const r = v.status?.last_position_reconcile;
  out.push(
    c(
      'reconciliation OK',
      r?.ok === true && r.internal_count === r.broker_count,
      r
        ? `ok=${r.ok ?? '?'} internal=${r.internal_count ?? '?'} broker=${r.broker_count ?? '?'} at ${r.at ?? '?'}`
        : 'not reported',
    ),
  );
  return out;
}

export function evaluateGate(
  phase: 'pre' | 'post',
  bundle: ObservationBundle,
  output: DetectorOutput,
  config: DetectorConfig,
  baseline?: ObservationBundle,
): GateReport {
  const v = view(bundle);
  const criteria = [
    ...preCriteria(v, output, config),
    ...(phase === 'post' && baseline ? postCriteria(v, baseline) : []),
  ];
  const verdict = criteria.some((x) => x.outcome === 'fail')
    ? 'stop'
    : criteria.some((x) => x.outcome === 'warn')
      ? 'wait'
      : 'go';
  return { phase, checked_at: output.checked_at, criteria, verdict };
}

export function formatGateReport(report: GateReport): string {
  const mark: Record<Outcome, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };
  return [
    `Deploy gate (${report.phase}) at ${report.checked_at}`,
    ...report.criteria.map((x) => `  ${mark[x.outcome]}  ${x.name}: ${x.seen}`),
    `VERDICT: ${report.verdict.toUpperCase()}`,
  ].join('\n');
}
