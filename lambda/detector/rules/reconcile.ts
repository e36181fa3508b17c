// Reconciliation family: pending flags and the last position reconciliation proof.
import { parseTimestamp } from '../time';
import type { PositionReconcile } from '../types';
import { finding, olderThan, type Rule } from './rule';

export const RECONCILE_FLAGS = [
  'broker_reconcile_pending',
  'position_reconcile_pending',
  'entry_blocking_reconcile_pending',
] as const;

/**
 * One event per true flag (signature `reconcile_pending:<flag>`): a flag that stays true persists and
 * escalates on its own, even while another flag toggles (a joint signature would reset `consecutive`).
 */
export const reconcilePending: Rule = (ctx, emit) => {
  const s = ctx.status;
  if (s === null) return;
  for (const flag of RECONCILE_FLAGS) {
    if (s[flag] !== true) continue;
    emit.event(
      finding('reconcile_pending', {
        severity: 'critical',
        escalate: 'when_persisted',
        discriminators: [flag],
        summary: `reconcile pending: ${flag}`,
        details: { flag },
      }),
    );
  }
};

/**
 * Why the proof's numbers do not reconcile, whatever `ok` says: the counts differ, or fewer positions
 * matched than either side holds (a proof is matched=N internal_count=N broker_count=N).
 */
export function reconcileDrift(r: PositionReconcile): string | undefined {
  const { matched, internal_count: internal, broker_count: broker } = r;
  if (internal !== undefined && broker !== undefined && internal !== broker)
    return `internal_count ${internal} != broker_count ${broker}`;
  const below = [internal, broker].filter(
    (n): n is number => n !== undefined && matched !== undefined && matched < n,
  );
  if (below.length > 0) return `matched ${matched} below ${Math.max(...below)}`;
  return undefined;
}

export const positionMismatch: Rule = (ctx, emit) => {
  const r = ctx.status?.last_position_reconcile;
  if (!r) return;
  if (r.ok !== false && reconcileDrift(r) === undefined) return;
  emit.event(
    finding('position_mismatch', {
      severity: 'critical',
      escalate: 'always',
      summary: `last position reconcile ok=${r.ok ?? '?'} matched=${r.matched ?? '?'} internal=${r.internal_count ?? '?'} broker=${r.broker_count ?? '?'}${reconcileDrift(r) ? `: ${reconcileDrift(r)}` : ''}`,
      details: { ...r },
    }),
  );
};

export function describeProof(r: PositionReconcile): string {
  const state = r.ok === true ? 'OK' : r.ok === false ? 'NOT OK' : 'ok=?';
  return `position reconciliation ${state} matched=${r.matched ?? '?'} internal_count=${r.internal_count ?? '?'} broker_count=${r.broker_count ?? '?'} at ${r.at ?? '?'}`;
}

/**
 * The runbook's required post-close proof: a position reconciliation dated after the session's own
 * close (an early close counts from 13:00 ET). Once the proof is seen it is noted as info, so the run
 * records (and the daily digest that reads them) carry it without another dashboard call.
 */
export const postCloseReconcileMissing: Rule = (ctx, emit) => {
  const session = ctx.clock.session;
  if (ctx.clock.market !== 'after_close' || session === null || ctx.status === null) return;
  const closeMs = Date.parse(session.close);
  const proof = ctx.status.last_position_reconcile;
  const proofMs = parseTimestamp(proof?.at);
  if (proof && proofMs !== undefined && proofMs >= closeMs) {
    emit.info({
      code: 'post_close_reconcile_seen',
      summary: describeProof(proof),
      details: { session_date: session.date, ...proof },
    });
    return;
  }
  // Same convention as every age in the contract: "once X has passed" is elapsed > X.
  if (!olderThan(ctx.nowMs, closeMs, ctx.config.postCloseReconcileSec)) return;
  const seen = proof ? `last proof ${proof.at ?? 'without a time'}` : 'no last_position_reconcile reported';
  emit.event(
    finding('post_close_reconcile_missing', {
      severity: 'warn',
      discriminators: [session.date],
      summary: `no position reconciliation after the ${session.early_close ? 'early ' : ''}close ${session.close} of ${session.date} (${seen}; due within ${ctx.config.postCloseReconcileSec}s)`,
      details: {
        session_date: session.date,
        close: session.close,
        due_at: new Date(closeMs + ctx.config.postCloseReconcileSec * 1000).toISOString(),
        last_position_reconcile: proof ?? null,
      },
    }),
  );
};

export const RECONCILE_RULES: readonly Rule[] = [
  reconcilePending,
  positionMismatch,
  postCloseReconcileMissing,
];
