// The reconciliation proof as evidence: ok, its numbers reconcile (matched = internal = broker), and it
// is at least as new as the running task's start and the last session close, whichever is later; in the
// session, also not older than the runtime's reconciliation cadence (a setting: the runbook is silent).
import { sessionsBetween } from '../../lambda/detector/market-clock';
import { reconcileDrift } from '../../lambda/detector/rules/reconcile';
import { etDate, formatUtc, parseTimestamp } from '../../lambda/detector/time';
import { criterion, GATE_SKEW_SEC, serviceTask } from './gate';
import type { GateRule } from './gate-evidence';
import { RECONCILE_MAX_AGE_VARIABLE } from './gate-settings';

const NAME = 'reconciliation OK';
const DAY_MS = 86_400_000;

/** The close of the latest session that has closed at or before now. */
export function lastCloseMs(nowMs: number, closures: readonly string[]): number | undefined {
  const sessions = sessionsBetween(etDate(nowMs - 14 * DAY_MS), etDate(nowMs), closures);
  return sessions
    .map((s) => Date.parse(s.close))
    .filter((c) => c <= nowMs)
    .at(-1);
}

export const reconciliation: GateRule = {
  name: NAME,
  checks: `last_position_reconcile ok with matched = internal_count = broker_count, at or after the running task's start and the last session close; in the session not older than ${RECONCILE_MAX_AGE_VARIABLE}`,
  needs: {
    fields: [
      'last_position_reconcile.at',
      'last_position_reconcile.ok',
      'last_position_reconcile.matched',
      'last_position_reconcile.internal_count',
      'last_position_reconcile.broker_count',
    ],
    ecs: ['service', 'tasks'],
  },
  judge: (ctx) => {
    const r = ctx.view.status!.last_position_reconcile!;
    const seen = `ok=${r.ok} matched=${r.matched} internal=${r.internal_count} broker=${r.broker_count} at ${r.at}`;
    if (r.ok !== true) return criterion(NAME, false, seen);
    // More matched than either side holds is as impossible as fewer: the proof does not reconcile.
    const drift =
      reconcileDrift(r) ??
      (r.matched !== r.internal_count ? `matched ${r.matched} above ${r.internal_count}` : undefined);
    if (drift) return criterion(NAME, false, `${seen}: ${drift}: an ok that does not reconcile is drift`);
    const at = parseTimestamp(r.at)!;
    if (at - ctx.nowMs > GATE_SKEW_SEC * 1000)
      return criterion(NAME, false, `${seen}: in the future of the observation`);
    const started = parseTimestamp(serviceTask(ctx)?.startedAt);
    if (started === undefined)
      return criterion(
        NAME,
        false,
        `${seen}: no single RUNNING task with a start time to date the proof against`,
      );
    const close = lastCloseMs(ctx.nowMs, ctx.config.marketClosures) ?? -Infinity;
    const since = Math.max(started, close);
    if (at < since)
      return criterion(
        NAME,
        false,
        `${seen}: older than the ${since === started ? `running task's start ${formatUtc(started)}` : `last session close ${formatUtc(close)}`}`,
      );
    const age = Math.floor((ctx.nowMs - at) / 1000);
    if (ctx.output.clock.market === 'open' && ctx.nowMs - at > ctx.reconcileMaxAgeSec * 1000)
      return criterion(
        NAME,
        false,
        `${seen}: ${age}s old in the session (limit ${ctx.reconcileMaxAgeSec}s, ${RECONCILE_MAX_AGE_VARIABLE}): wait for the next reconciliation`,
        'warn',
      );
    return criterion(NAME, true, seen);
  },
};
