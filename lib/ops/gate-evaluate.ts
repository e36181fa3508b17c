// Runs a phase's rules through the evidence model. Post first judges the baseline again as the pre gate
// would have, at its own time: a deploy made on a baseline that was not GO cannot be accepted.
import { withBundleConfig } from '../../lambda/detector/config';
import { detect } from '../../lambda/detector/detect';
import { parseTimestamp } from '../../lambda/detector/time';
import { baseContext, buildReport, type GateInput, type GateReport } from './gate';
import { PRE_CRITERIA } from './gate-criteria';
import { applyRule, type GateRule } from './gate-evidence';
import { DEFAULT_GATE_SETTINGS, type GateSettings } from './gate-settings';

function judgeBaseline(input: GateInput, settings: GateSettings): GateReport | undefined {
  const baseline = input.baseline;
  const atMs = parseTimestamp(baseline?.now);
  if (!baseline || atMs === undefined) return undefined;
  const config = withBundleConfig(input.config, baseline.config);
  return evaluateGate(
    {
      ...settings,
      phase: 'pre',
      bundle: baseline,
      output: detect(baseline, config),
      config,
      wallNowMs: atMs,
      replay: true,
    },
    PRE_CRITERIA,
  );
}

/** `rules` is the phase's list (GATE_CRITERIA in gate-criteria.ts); callers may append their own. */
export function evaluateGate(input: GateInput, rules: readonly GateRule[]): GateReport {
  const settings: GateSettings = {
    runtime: input.runtime ?? DEFAULT_GATE_SETTINGS.runtime,
    reconcileMaxAgeSec: input.reconcileMaxAgeSec ?? DEFAULT_GATE_SETTINGS.reconcileMaxAgeSec,
  };
  const baselineReport = input.phase === 'post' ? judgeBaseline(input, settings) : undefined;
  const ctx = { ...baseContext(input, settings), ...(baselineReport ? { baselineReport } : {}) };
  return buildReport(
    input,
    rules.flatMap((rule) => applyRule(rule, ctx)),
  );
}
