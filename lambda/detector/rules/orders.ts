// Orders family: pending-order buildup and stale pending orders.
import { parseTimestamp } from '../time';
import { finding, olderThan, type Rule } from './rule';

export function pendingOrderCount(ctx: Parameters<Rule>[0]): number | undefined {
  const s = ctx.status;
  if (s === null || (s.pending_orders === undefined && s.pending_order_details === undefined))
    return undefined;
  return Math.max(s.pending_orders ?? 0, s.pending_order_details?.length ?? 0);
}

export const pendingOrderBuildup: Rule = (ctx, emit) => {
  const n = pendingOrderCount(ctx);
  const { pendingOrderWarn: warn, pendingOrderCritical: critical } = ctx.config;
  if (n === undefined || n < warn) return;
  const severity = n >= critical ? 'critical' : 'warn';
  emit.event(
    finding('pending_order_buildup', {
      severity,
      escalate: severity === 'critical' ? 'when_persisted' : 'never',
      // The runbook's "pending-order buildup that does not clear" is stop-and-escalate at any level.
      escalateAfterOpenSec: ctx.config.pendingOrderClearSec,
      summary: `pending_orders=${n} (warn at ${warn}, critical at ${critical})`,
      details: {
        pending_orders: n,
        orders: (ctx.status?.pending_order_details ?? []).map((o) => ({
          order_id: o.order_id ?? null,
          symbol: o.symbol ?? null,
          purpose: o.purpose ?? null,
          last_tws_code: o.last_tws_code ?? null,
        })),
      },
    }),
  );
};

export const pendingOrderStale: Rule = (ctx, emit) => {
  if (!ctx.inSession) return;
  const limit = ctx.config.pendingOrderStaleSec;
  const stale = (ctx.status?.pending_order_details ?? []).filter((o) => {
    const at = parseTimestamp(o.submitted_at);
    return at !== undefined && olderThan(ctx.nowMs, at, limit);
  });
  if (stale.length === 0) return;
  const ids = stale.map((o) => o.order_id ?? `${o.symbol ?? '?'}@${o.submitted_at}`);
  emit.event(
    finding('pending_order_stale', {
      severity: 'warn',
      discriminators: ids,
      summary: `pending order(s) older than ${limit}s: ${stale.map((o) => `${o.order_id ?? '?'} ${o.symbol ?? '?'} ${o.purpose ?? ''}`.trim()).join(', ')}`,
      details: { orders: stale.map((o) => ({ ...o })) },
    }),
  );
};

export const ORDER_RULES: readonly Rule[] = [pendingOrderBuildup, pendingOrderStale];
