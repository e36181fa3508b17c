// Reconciliation family: pending flags and the last position reconciliation proof.
import { finding, type Rule } from './rule';

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

export const positionMismatch: Rule = (ctx, emit) => {
  const r = ctx.status?.last_position_reconcile;
  if (!r) return;
  const countsDiffer =
    r.internal_count !== undefined && r.broker_count !== undefined && r.internal_count !== r.broker_count;
  if (r.ok !== false && !countsDiffer) return;
  emit.event(
    finding('position_mismatch', {
      severity: 'critical',
      escalate: 'always',
      summary: `last position reconcile ok=${r.ok ?? '?'} internal=${r.internal_count ?? '?'} broker=${r.broker_count ?? '?'}`,
      details: { ...r },
    }),
  );
};

export const RECONCILE_RULES: readonly Rule[] = [reconcilePending, positionMismatch];
