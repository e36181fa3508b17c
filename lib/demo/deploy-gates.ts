// The demo's approved deploy: the real gate (pre and post) and the real deploy-window silence, on the
// demo's own directory store, judged at the scripted clock like an operator running `gate` then.
import type { FsStore } from '../../lambda/adapters/fs-store';
import { DEFAULT_CONFIG } from '../../lambda/detector/config';
import { detect } from '../../lambda/detector/detect';
import type { Silence } from '../../lambda/detector/silences';
import type { ObservationBundle } from '../../lambda/detector/types';
import {
  cleanChecksCriterion,
  closeWindow,
  heldCriterion,
  openWindow,
  withCriteria,
} from '../ops/deploy-window';
import { evaluateGate, formatGateReport, type GateReport } from '../ops/gate';
import { GATE_CRITERIA } from '../ops/gate-criteria';
import type { DemoStep } from './session-script';

const OPERATOR = 'demo-operator';

/** What the dashboard and ECS showed at the step, as `gate --observation` would read it. */
export function bundleAt(step: DemoStep, now: string): ObservationBundle {
  const dashboard = 'status_v3' in step.dashboard ? { status_v3: step.dashboard.status_v3 } : {};
  return { now, ...dashboard, ecs: step.ecs, trigger: { trigger: 'cli' } } as unknown as ObservationBundle;
}

export async function preGate(
  store: FsStore,
  bundle: ObservationBundle,
  windowMs: number,
): Promise<{ report: GateReport; window?: Silence }> {
  const nowMs = Date.parse(bundle.now);
  const output = detect(bundle, DEFAULT_CONFIG);
  const report = evaluateGate(
    { phase: 'pre', bundle, output, config: DEFAULT_CONFIG, wallNowMs: nowMs },
    GATE_CRITERIA.pre,
  );
  if (report.verdict !== 'go') return { report };
  return { report, window: (await openWindow(store, nowMs, windowMs, OPERATOR)).window };
}

export async function postGate(
  store: FsStore,
  bundle: ObservationBundle,
  baseline: ObservationBundle,
  window: Silence | undefined,
  deployedAtMs: number,
): Promise<{ report: GateReport; closed?: Silence }> {
  const nowMs = Date.parse(bundle.now);
  const output = detect(bundle, DEFAULT_CONFIG);
  const report = evaluateGate(
    { phase: 'post', bundle, output, config: DEFAULT_CONFIG, wallNowMs: nowMs, baseline, deployedAtMs },
    GATE_CRITERIA.post,
  );
  const listing = await store.listRuns({
    from: new Date(
      Math.min(deployedAtMs, window ? Date.parse(window.starts_at) : deployedAtMs),
    ).toISOString(),
    to: bundle.now,
  });
  const extra = [cleanChecksCriterion(listing.records, deployedAtMs)];
  let closed: Silence | undefined;
  if (window) {
    closed = await closeWindow(store, window, OPERATOR, nowMs);
    extra.push(heldCriterion(listing.records, window));
  }
  return { report: withCriteria(report, extra), ...(closed ? { closed } : {}) };
}

export const formatGate = formatGateReport;
