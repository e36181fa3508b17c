// Reconciliation family: pending flags and the last position reconciliation proof.
import { finding, type Rule } from './rule';

export const RECONCILE_FLAGS = [
  'broker_reconcile_pending',
  'position_reconcile_pending',
  'entry_blocking_reconcile_pending',
] as const;

export const reconcilePending: Rule = (ctx, emit) => {
  const s = ctx.status;
  if (s === null) return;
  const flags = RECONCILE_FLAGS.filter((f) => s[f] === true);
  if (flags.length === 0) return;
  emit.event(
    finding('reconcile_pending', {
      severity: 'critical',
      escalate: 'when_persisted',
      discriminators: flags,
      summary: `reconcile pending: ${flags.join(', ')}`,
      details: { flags },
    }),
  );
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
