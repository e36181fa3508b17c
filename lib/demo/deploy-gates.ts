// The demo's approved deploy: the real gate (pre and post) and the real deploy-window silence, on the
// demo's own directory store, judged at the scripted clock like an operator running `gate` then.
import type { FsStore } from '../../lambda/adapters/fs-store';
import { DEFAULT_CONFIG } from '../../lambda/detector/config';
import { detect } from '../../lambda/detector/detect';
import type { Silence } from '../../lambda/detector/silences';
import type { ObservationBundle } from '../../lambda/detector/types';
import { closeWindow, heldCriterion, openWindow } from '../ops/deploy-window';
import { formatGateReport, withCriteria, type GateReport } from '../ops/gate';
import { GATE_CRITERIA } from '../ops/gate-criteria';
import { evaluateGate } from '../ops/gate-evaluate';
import { parseGateSettings } from '../ops/gate-settings';
import type { DemoStep } from './session-script';

const OPERATOR = 'demo-operator';
/** The operator's environment names the runtime the gate judges. */
const SETTINGS = parseGateSettings({ AEGIS_PT_CLUSTER: 'aegis-pt' });

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
    { ...SETTINGS, phase: 'pre', bundle, output, config: DEFAULT_CONFIG, wallNowMs: nowMs },
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
  const listing = await store.listRuns({
    from: new Date(
      Math.min(Date.parse(baseline.now), window ? Date.parse(window.starts_at) : deployedAtMs),
    ).toISOString(),
    to: bundle.now,
  });
  const report = evaluateGate(
    {
      ...SETTINGS,
      phase: 'post',
      bundle,
      output,
      config: DEFAULT_CONFIG,
      wallNowMs: nowMs,
      baseline,
      deployedAtMs,
      runs: {
        records: listing.records,
        unreadable: listing.skipped.map((s) => s.key),
        source: 'the demo store',
      },
    },
    GATE_CRITERIA.post,
  );
  if (!window) return { report };
  const closed = await closeWindow(store, window, OPERATOR, nowMs);
  return { report: withCriteria(report, [heldCriterion(listing.records, window)]), closed };
}

export const formatGate = formatGateReport;
