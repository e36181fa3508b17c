// The runbook's #93 deploy gate: a list of criteria over one detector evaluation (and, after the deploy,
// the pre-deploy baseline and the run records between them). The detector decides what is unsafe (its
// open events are criteria here); the gate adds what a deploy needs on top. Every criterion goes through
// one evidence model (gate-evidence.ts): what it reads must be present, fresh and of this runtime, or the
// criterion is WAIT or STOP without being asked.
import type { DetectorConfig } from '../../lambda/detector/config';
import { parseTimestamp } from '../../lambda/detector/time';
import type { DetectorOutput, EcsTask, ObservationBundle, RunRecord } from '../../lambda/detector/types';
import { marketStatement } from './gate-market';
import type { GateSettings } from './gate-settings';
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

/** The run records between the baseline and now (post), as read from a store; absent when none was read. */
export interface RolloutRuns {
  readonly records: readonly RunRecord[];
  /** Keys of records in the range that could not be read: evidence that is missing, never "nothing happened". */
  readonly unreadable: readonly string[];
  /** Where they were read from, for the report. */
  readonly source: string;
}

export interface GateInput extends Partial<GateSettings> {
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
  /** Post: the task definition the operator expects (a rollback to an older revision needs it). */
  readonly expectTaskDefinition?: string;
  readonly runs?: RolloutRuns;
}

/** What every criterion reads: the gate input plus the validated views of both observations. */
export interface GateContext extends Omit<GateInput, keyof GateSettings>, GateSettings {
  readonly nowMs: number;
  readonly view: ObservationView;
  readonly baseView?: ObservationView;
  /** Post: the baseline judged again as the pre gate would have (at its own time). */
  readonly baselineReport?: GateReport;
}

export type GateCriterion = (ctx: GateContext) => Criterion | readonly Criterion[];

/**
 * The service's one task: every task the service wants running must be RUNNING, and only one. A task
 * told to stop (desired STOPPED) is on its way out, whatever it still reports: it is not the runtime.
 */
export function serviceTask(ctx: Pick<GateContext, 'view'>): EcsTask | undefined {
  const tasks = ctx.view.ecs?.tasks ?? [];
  const only = tasks.length === 1 ? tasks[0] : undefined;
  return only?.lastStatus === 'RUNNING' && only.desiredStatus === 'RUNNING' ? only : undefined;
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

/** Pre answers "may we deploy?"; post answers "do we keep this deploy?". */
const NOTES: Record<'pre' | 'post', Record<GateReport['verdict'], string>> = {
  pre: {
    go: `GO is ${NOT_AN_APPROVAL}`,
    wait: 'WAIT: re-run the gate once the warnings clear; do not deploy meanwhile',
    stop: 'STOP: do not deploy; escalate what failed to the on-call lead',
  },
  post: {
    go: `GO: the deploy may be accepted on this evidence; accepting it is the on-call lead's call (${NOT_AN_APPROVAL.split(':')[0]})`,
    wait: 'WAIT: the deploy is not accepted yet: re-run post once the warnings clear (the new task keeps running meanwhile)',
    stop: 'STOP: do not accept the deploy: roll back to the baseline task definition or escalate to the on-call lead now',
  },
};

/** The verdict and its words from the criteria: any failure STOP, any warning WAIT, else GO. */
export function verdictOf(
  phase: 'pre' | 'post',
  criteria: readonly Criterion[],
): Pick<GateReport, 'verdict' | 'note'> {
  const verdict = criteria.some((x) => x.outcome === 'fail')
    ? 'stop'
    : criteria.some((x) => x.outcome === 'warn')
      ? 'wait'
      : 'go';
  return { verdict, note: NOTES[phase][verdict] };
}

/** The report with more criteria; the verdict follows the same rule. */
export function withCriteria(report: GateReport, extra: readonly Criterion[]): GateReport {
  const criteria = [...report.criteria, ...extra];
  return { ...report, criteria, ...verdictOf(report.phase, criteria) };
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

export function buildReport(input: GateInput, criteria: readonly Criterion[]): GateReport {
  return {
    phase: input.phase,
    checked_at: input.output.checked_at,
    replay: input.replay === true,
    market: { state: input.output.clock.market, statement: marketStatement(input.phase, input.output.clock) },
    decision: input.output.decision,
    criteria,
    ...verdictOf(input.phase, criteria),
  };
}

export function baseContext(input: GateInput, settings: GateSettings): Omit<GateContext, 'baselineReport'> {
  return {
    ...settings,
    ...input,
    nowMs: parseTimestamp(input.bundle.now) ?? Number.NaN,
    view: observationView(input.bundle),
    ...(input.baseline ? { baseView: observationView(input.baseline) } : {}),
  };
}
