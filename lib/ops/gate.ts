// The runbook's #93 deploy gate: a list of criteria over one detector evaluation (and, after the deploy,
// the pre-deploy baseline). The detector decides what is unsafe (its open events are criteria here);
// the gate adds only what a deploy needs on top: positive, fresh evidence and the before/after comparison.
import { formatAge, formatDuration } from './ages';
import type { DetectorConfig } from '../../lambda/detector/config';
import { parseTimestamp } from '../../lambda/detector/time';
import type { DetectorOutput, EcsTask, ObservationBundle } from '../../lambda/detector/types';
import { marketStatement } from './gate-market';
import { observationView, type ObservationView } from './observation-view';

export type Outcome = 'pass' | 'warn' | 'fail';

export interface Criterion {
  readonly name: string;
  readonly outcome: Outcome;
  readonly seen: string;
}

/** The runbook's "under 5 minutes", whatever AEGIS_PT_HEARTBEAT_STALE_SEC says. */
export const GATE_FRESH_SEC = 300;
/** Clock skew tolerated between this machine, the dashboard and AWS before a time counts as future. */
export const GATE_SKEW_SEC = 30;
export const NOT_AN_APPROVAL =
  'not an approval: the runbook requires the on-call lead to approve the deploy at action time';

export interface GateInput {
  readonly phase: 'pre' | 'post';
  readonly bundle: ObservationBundle;
  readonly output: DetectorOutput;
  readonly config: DetectorConfig;
  /** The wall clock when the gate runs: the observation must be fresh against it. */
  readonly wallNowMs: number;
  /** Judge a saved observation at its own `now` (the verdict then says it is a replay). */
  readonly replay?: boolean;
  readonly baseline?: ObservationBundle;
  /** When the deploy started; post defaults to the new PRIMARY deployment's createdAt. */
  readonly deployedAtMs?: number;
}

/** What every criterion reads: the gate input plus the validated views of both observations. */
export interface GateContext extends GateInput {
  readonly nowMs: number;
  readonly view: ObservationView;
  readonly baseView?: ObservationView;
}

export type GateCriterion = (ctx: GateContext) => Criterion | readonly Criterion[];

/** The service's one task: every task the service wants running must be RUNNING, and only one. */
export function serviceTask(ctx: Pick<GateContext, 'view'>): EcsTask | undefined {
  const tasks = ctx.view.ecs?.tasks ?? [];
  return tasks.length === 1 && tasks[0].lastStatus === 'RUNNING' ? tasks[0] : undefined;
}

export interface GateReport {
  readonly phase: 'pre' | 'post';
  readonly checked_at: string;
  readonly replay: boolean;
  readonly market: { readonly state: string; readonly statement: string };
  readonly decision: string;
  readonly criteria: readonly Criterion[];
  /** go: every criterion passed; wait: only warnings (e.g. one entry order working); stop: a failure. */
  readonly verdict: 'go' | 'wait' | 'stop';
  readonly note: string;
}

export const criterion = (
  name: string,
  ok: boolean,
  seen: string,
  otherwise: Outcome = 'fail',
): Criterion => ({
  name,
  outcome: ok ? 'pass' : otherwise,
  seen,
});

/** One criterion per open detector event: critical or escalating is STOP, warn is WAIT. */
export const detectorEvents: GateCriterion = ({ output }) => {
  if (output.events.length === 0)
    return criterion(
      'detector: no open event',
      true,
      `decision ${output.decision}: ${output.decision_reason}`,
    );
  return output.events.map((e) => ({
    name: `detector: ${e.signature}`,
    outcome: e.escalate || e.severity === 'critical' ? 'fail' : 'warn',
    seen: `[${e.severity.toUpperCase()}${e.escalate ? ', ESCALATE' : ''}] ${e.summary}`,
  }));
};

/** Ages near the freshness limit stay in seconds, as the limit is; beyond an hour they read humanly. */
const SECONDS_UP_TO = 3600;

/** The observation is the present: not older than the gate's limit, not from the future. */
export const observationFresh: GateCriterion = ({ nowMs, wallNowMs, replay, bundle }) => {
  const name = 'observation is current';
  const age = Math.floor((wallNowMs - nowMs) / 1000);
  if (age < -GATE_SKEW_SEC)
    return criterion(
      name,
      false,
      `observation ${bundle.now} is ${formatDuration(-age, SECONDS_UP_TO)} in the future of this clock`,
    );
  if (replay)
    return criterion(
      name,
      true,
      `REPLAY of ${bundle.now} (${formatAge(age, SECONDS_UP_TO)}), judged at its own time: not live evidence`,
    );
  return criterion(
    name,
    age <= GATE_FRESH_SEC,
    age <= GATE_FRESH_SEC
      ? `observed ${bundle.now} (${formatAge(age, SECONDS_UP_TO)})`
      : `observed ${bundle.now}, ${formatAge(age, SECONDS_UP_TO)} (limit ${GATE_FRESH_SEC}s): re-collect, or pass --replay to re-judge a saved observation`,
  );
};

function verdictOf(criteria: readonly Criterion[]): GateReport['verdict'] {
  if (criteria.some((x) => x.outcome === 'fail')) return 'stop';
  return criteria.some((x) => x.outcome === 'warn') ? 'wait' : 'go';
}

export function gateContext(input: GateInput): GateContext {
  return {
    ...input,
    nowMs: parseTimestamp(input.bundle.now) ?? Number.NaN,
    view: observationView(input.bundle),
    ...(input.baseline ? { baseView: observationView(input.baseline) } : {}),
  };
}

/** `criteria` is the phase's list (see gate-criteria.ts); callers may append their own. */
export function evaluateGate(input: GateInput, criteria: readonly GateCriterion[]): GateReport {
  const ctx = gateContext(input);
  const results = criteria.flatMap((c) => c(ctx));
  const verdict = verdictOf(results);
  return {
    phase: input.phase,
    checked_at: input.output.checked_at,
    replay: input.replay === true,
    market: { state: input.output.clock.market, statement: marketStatement(input.phase, input.output.clock) },
    decision: input.output.decision,
    criteria: results,
    verdict,
    note:
      verdict === 'go'
        ? `GO is ${NOT_AN_APPROVAL}`
        : verdict === 'wait'
          ? 'WAIT: re-run the gate once the warnings clear; do not deploy meanwhile'
          : 'STOP: do not deploy; escalate what failed to the on-call lead',
  };
}

export function formatGateReport(report: GateReport): string {
  const mark: Record<Outcome, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };
  return [
    `Deploy gate (${report.phase}) at ${report.checked_at}${report.replay ? ' (REPLAY: not live evidence)' : ''}`,
    `  market: ${report.market.statement}`,
    ...report.criteria.map((x) => `  ${mark[x.outcome]}  ${x.name}: ${x.seen}`),
    `VERDICT: ${report.verdict.toUpperCase()}${report.replay ? ' (replay)' : ''}`,
    report.note,
  ].join('\n');
}
