// One evidence model for every gate criterion. A rule declares what it reads (payload fields, parts of
// the ECS observation, the baseline, the run records); before it is judged, each need is checked:
// present (reported, not null, well-typed), fresh (the payload's generated_at against the observation
// and, after a deploy, the new task's start) and of this runtime (the configured service, cluster and
// Fargate). Anything unmet is the rule's `missing` outcome (STOP unless the rule says WAIT), never PASS:
// a new criterion cannot forget it, because it is not judged without its evidence.
import { parseTimestamp } from '../../lambda/detector/time';
import {
  GATE_FRESH_SEC,
  GATE_SKEW_SEC,
  serviceTask,
  type Criterion,
  type GateContext,
  type Outcome,
} from './gate';
import { runtimeProblem } from './gate-runtime';

export type EcsPart = 'service' | 'tasks' | 'stopped_tasks' | 'cluster_tasks';

export interface Needs {
  /** status_v3 fields, dotted for nested ones (`log_signals.window_sec`). */
  readonly fields?: readonly string[];
  readonly ecs?: readonly EcsPart[];
  readonly baseline?: boolean;
  readonly runs?: boolean;
}

export interface GateRule {
  readonly name: string;
  /** What it checks, for --help. */
  readonly checks: string;
  readonly needs: Needs;
  /** What missing evidence gives: STOP unless the runbook's answer is "not yet" (WAIT). */
  readonly missing?: Outcome;
  /** How to get the missing evidence, added to what is reported. */
  readonly hint?: string;
  readonly judge: (ctx: GateContext) => Criterion | readonly Criterion[];
}

/** Fields whose mere presence is not evidence: a log window of zero seconds counted nothing. */
const MEANINGFUL: Readonly<Record<string, (v: unknown) => string | undefined>> = {
  'log_signals.window_sec': (v) => (typeof v === 'number' && v > 0 ? undefined : `window_sec=${String(v)}`),
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at a dotted path (`log_signals.window_sec`), or undefined. */
export function fieldValue(root: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), root);
}

/** Why the payload as a whole is no evidence now, or undefined when it is. */
export function payloadProblem(ctx: GateContext): string | undefined {
  if (ctx.view.status === null)
    return ctx.bundle.dashboard_error
      ? `no payload: ${ctx.bundle.dashboard_error}`
      : 'no payload (status_v3 absent or not an object)';
  const generated = parseTimestamp(ctx.view.status.generated_at);
  if (generated === undefined) return 'the payload has no generated_at: its fields cannot be dated';
  // Compared in milliseconds: an age rounded down to whole seconds let 300.9 s pass a 300 s limit.
  const ageMs = ctx.nowMs - generated;
  const age = Math.floor(ageMs / 1000);
  if (ageMs < -GATE_SKEW_SEC * 1000)
    return `payload generated ${-age}s after the observation (in its future)`;
  if (ageMs > GATE_FRESH_SEC * 1000)
    return `payload generated at ${ctx.view.status.generated_at}, ${age}s before the observation (limit ${GATE_FRESH_SEC}s)`;
  if (ctx.phase === 'post') {
    const started = parseTimestamp(serviceTask(ctx)?.startedAt);
    if (started === undefined) return 'no single RUNNING task with a start time to date the payload against';
    if (generated <= started)
      return `payload generated at ${ctx.view.status.generated_at}, not after the new task started (${serviceTask(ctx)?.startedAt})`;
  }
  return undefined;
}

function fieldProblems(ctx: GateContext, fields: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of fields) {
    const value = fieldValue(ctx.view.status, f);
    if (value === undefined) {
      const raw = fieldValue(ctx.bundle.status_v3, f);
      out.push(raw === undefined || raw === null ? `${f} not reported` : `${f} of the wrong type`);
      continue;
    }
    const meaningless = MEANINGFUL[f]?.(value);
    if (meaningless) out.push(`${meaningless}: no evidence`);
  }
  return out;
}

function ecsProblems(ctx: GateContext, parts: readonly EcsPart[]): string[] {
  const raw = ctx.bundle.ecs as Record<string, unknown> | undefined;
  return parts
    .filter((p) => (p === 'service' ? !isObject(raw?.[p]) : !Array.isArray(raw?.[p])))
    .map((p) => `ecs.${p} not listed`);
}

/** Every unmet need of a rule, in the order an operator fixes them. */
export function evidenceProblems(ctx: GateContext, needs: Needs): string[] {
  const problems: string[] = [];
  if (needs.ecs?.length) {
    const runtime = runtimeProblem(ctx);
    if (runtime) return [runtime];
    problems.push(...ecsProblems(ctx, needs.ecs));
  }
  if (needs.fields?.length) {
    const payload = payloadProblem(ctx);
    if (payload) return [...problems, payload];
    problems.push(...fieldProblems(ctx, needs.fields));
  }
  if (needs.baseline && !ctx.baseline) problems.push('no baseline');
  if (needs.runs && !ctx.runs) problems.push('no run records read');
  return problems;
}

/** The rule judged on its evidence, or its `missing` outcome naming what is missing. */
export function applyRule(rule: GateRule, ctx: GateContext): readonly Criterion[] {
  const problems = evidenceProblems(ctx, rule.needs);
  if (problems.length === 0) {
    const judged = rule.judge(ctx);
    return Array.isArray(judged) ? judged : [judged as Criterion];
  }
  return [
    {
      name: rule.name,
      outcome: rule.missing ?? 'fail',
      seen: `no evidence: ${problems.join('; ')}${rule.hint ? ` (${rule.hint})` : ''}`,
    },
  ];
}

/** One help line per rule: what it checks and what evidence it needs. */
export function describeRules(rules: readonly GateRule[]): string {
  const needs = (n: Needs) =>
    [
      n.fields?.length ? `payload ${n.fields.join(', ')}` : '',
      n.ecs?.length ? `ECS ${n.ecs.join(', ')}` : '',
      n.baseline ? 'the baseline' : '',
      n.runs ? 'the run records since the baseline' : '',
    ]
      .filter(Boolean)
      .join('; ') || 'the detector output';
  return rules.map((r) => `- ${r.name}: ${r.checks} [needs ${needs(r.needs)}]`).join('\n');
}
