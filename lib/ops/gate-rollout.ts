// The post gate judges the deploy as a transition, over the run records between the baseline and now:
// what appeared and went away during the rollout counts, and a market-hours deploy needs two clean
// scheduled checks after it. Without the records the answer is "not yet" (WAIT), saying how to get them.
import { brokerImportKeys } from '../../lambda/detector/rules/attribution';
import { sessionOn } from '../../lambda/detector/market-clock';
import { readEcsObservation } from '../../lambda/detector/ecs-observation';
import { etDate, formatUtc, parseTimestamp } from '../../lambda/detector/time';
import type { RunRecord } from '../../lambda/detector/types';
import { observedStatus } from '../../lambda/digest/kpi';
import { schedulerIdentity } from '../../lambda/shared/gap';
import { criterion, GATE_SKEW_SEC, type GateContext } from './gate';
import type { GateRule } from './gate-evidence';
import { at, deployStart, evidenceSince } from './gate-post';

export const CLEAN_CHECKS_AFTER_DEPLOY = 2;
const HOW =
  'read the run records with --runs-dir DIR, --bucket B or --stack S, or --watch to poll until they are there';
const LISTED = 6;

/** A deploy that started, or is judged, inside a session: the schedules fire then, so their checks are owed. */
export function marketHours(ctx: GateContext): boolean {
  return [deployStart(ctx), ctx.nowMs].some((ms) => {
    if (ms === undefined || !Number.isFinite(ms)) return false;
    const s = sessionOn(etDate(ms), ctx.config.marketClosures);
    return s !== null && Date.parse(s.open) <= ms && ms < Date.parse(s.close);
  });
}

const cleanScheduledChecks: GateRule = {
  name: `${CLEAN_CHECKS_AFTER_DEPLOY} clean scheduled checks after the deploy`,
  checks: `a market-hours deploy: the checks EventBridge Scheduler started after the deploy and the new task's start, at the last ${CLEAN_CHECKS_AFTER_DEPLOY} distinct scheduled minutes, not after the observation, each observing this service, have no open event (not yet: WAIT)`,
  needs: { runs: true },
  missing: 'warn',
  hint: HOW,
  judge: (ctx) => {
    const name = `${CLEAN_CHECKS_AFTER_DEPLOY} clean scheduled checks after the deploy`;
    if (!marketHours(ctx))
      return criterion(
        name,
        true,
        'outside market hours: no scheduled check is due; the next session proves orders and market data',
      );
    const since = evidenceSince(ctx);
    if (since === undefined) return criterion(name, false, 'deploy start unknown: pass --deployed-at');
    const counted = scheduledChecks(ctx, since);
    // Two checks are two scan cycles: records of one scheduled minute (a retry, both schedules) are one.
    const minutes = [...new Set(counted.checks.map((c) => c.minute))].sort((a, b) => a - b);
    const last = minutes.slice(-CLEAN_CHECKS_AFTER_DEPLOY);
    const ofMinute = (m: number) => counted.checks.filter((c) => c.minute === m).map((c) => c.r);
    const clean = (m: number) => ofMinute(m).every((r) => r.events.length === 0);
    const describe = (r: RunRecord) =>
      `${r.checked_at} ${r.events.length === 0 ? 'clean' : r.events.map((e) => e.signature).join(',')}`;
    const ok = last.length === CLEAN_CHECKS_AFTER_DEPLOY && last.every(clean);
    const apart = [...counted.apart].map(([why, n]) => `${n} not counted: ${why}`).join('; ');
    // Not yet is WAIT, not STOP: the cycles have to pass first.
    return criterion(
      name,
      ok,
      `${counted.checks.length} scheduled check(s) since ${formatUtc(since)} in ${ctx.runs?.source}, at ${minutes.length} distinct scheduled minute(s)${last.length ? `; last: ${last.flatMap(ofMinute).map(describe).join('; ')}` : ''}${apart ? `; ${apart}` : ''}${ok ? '' : `; ${HOW}`}`,
      'warn',
    );
  },
};

/**
 * The Scheduler-started checks after the deploy that count: scheduled after the deploy and the new
 * task's start, not in the future of the observation (neither scheduled nor run), and of this runtime
 * (their own observation of the same service and cluster ARNs). The others are counted apart, by why.
 */
function scheduledChecks(
  ctx: GateContext,
  since: number,
): { checks: { r: RunRecord; minute: number }[]; apart: Map<string, number> } {
  const limit = ctx.nowMs + GATE_SKEW_SEC * 1000;
  const svc = ctx.view.ecs?.service;
  const checks: { r: RunRecord; minute: number }[] = [];
  const apart = new Map<string, number>();
  for (const r of ctx.runs?.records ?? []) {
    const id = schedulerIdentity(r);
    if ('why' in id || id.scheduledMs <= since) continue;
    const seen = readEcsObservation(r.observation?.ecs);
    const of = 'ecs' in seen ? seen.ecs.service : null;
    const why =
      id.scheduledMs > limit || (parseTimestamp(r.checked_at) ?? Infinity) > limit
        ? `scheduled or run after the observation ${formatUtc(ctx.nowMs)}`
        : svc?.serviceArn === undefined ||
            of?.serviceArn !== svc.serviceArn ||
            of.clusterArn !== svc.clusterArn
          ? `not an observation of ${svc?.serviceArn ?? 'this service'}`
          : undefined;
    if (why) apart.set(why, (apart.get(why) ?? 0) + 1);
    else checks.push({ r, minute: Math.floor(id.scheduledMs / 60_000) * 60_000 });
  }
  return { checks, apart };
}

interface Status {
  open_positions?: unknown;
  unknown_fill?: unknown;
}

/** What a run saw that the rollout must not cause: a broker import new against the baseline (by occurrence), an unknown fill. */
function harms(
  record: RunRecord,
  baseImports: ReadonlySet<string>,
  baseSymbols: ReadonlySet<string>,
): string[] {
  const status = record.observation?.status_v3 as Status | undefined;
  const codes = new Set(record.events.map((e) => e.code));
  const out: string[] = [];
  if (status && typeof status === 'object') {
    // Read as the detector reads a payload: the record keeps it raw, of any shape.
    const positions = observedStatus(record).positions ?? [];
    const added = brokerImportKeys(positions).filter((k) => !baseImports.has(k));
    if (added.length) out.push(`new broker import ${added.join(', ')}`);
  } else {
    // A record without its observation names the imported symbols in its event.
    const symbols = record.events
      .filter((e) => e.code === 'broker_import_positions')
      .flatMap((e) => (Array.isArray(e.details.symbols) ? (e.details.symbols as unknown[]) : []))
      .filter((s): s is string => typeof s === 'string' && !baseSymbols.has(s));
    if (symbols.length) out.push(`new broker import ${symbols.join(', ')}`);
  }
  if (status?.unknown_fill === true || codes.has('unknown_fill')) out.push('unknown fill');
  return out;
}

const nothingDuringRollout: GateRule = {
  name: 'nothing appeared during the rollout',
  checks:
    'every run between the baseline and now: no broker import new against the baseline (by occurrence) and no unknown fill, even one that went away; no unreadable record',
  needs: { runs: true, baseline: true },
  missing: 'warn',
  hint: HOW,
  judge: (ctx) => {
    const name = 'nothing appeared during the rollout';
    const from = parseTimestamp(ctx.baseline?.now);
    if (from === undefined) return criterion(name, false, 'the baseline has no valid time');
    const positions = ctx.baseView?.status?.open_positions;
    if (!positions)
      return criterion(name, false, 'the baseline did not report open_positions: nothing to compare with');
    const baseImports = new Set(brokerImportKeys(positions));
    const baseSymbols = new Set(positions.map((p) => p.symbol ?? '?'));
    const runs = (ctx.runs?.records ?? []).filter((r) => {
      const t = Date.parse(r.checked_at);
      return t > from && t <= ctx.nowMs + GATE_SKEW_SEC * 1000;
    });
    const found = runs.flatMap((r) => {
      const h = harms(r, baseImports, baseSymbols);
      return h.length ? [`${r.checked_at} ${r.trigger.trigger}: ${h.join(', ')}`] : [];
    });
    const unreadable = ctx.runs?.unreadable ?? [];
    if (unreadable.length)
      found.push(`${unreadable.length} unreadable run record(s): ${unreadable.slice(0, LISTED).join(', ')}`);
    return criterion(
      name,
      found.length === 0,
      found.length
        ? `${found.slice(0, LISTED).join('; ')}${found.length > LISTED ? `; ... ${found.length - LISTED} more` : ''}`
        : `${runs.length} run(s) from ${at(from)} to ${at(ctx.nowMs)} in ${ctx.runs?.source}: none`,
    );
  },
};

export const ROLLOUT_RULES: readonly GateRule[] = [cleanScheduledChecks, nothingDuringRollout];
