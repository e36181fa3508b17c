// Market-data family. Runs after the others: isolated 10197 or a degraded status only matters
// together with signs of harm that other rules raise.
import { finding, type DependentRule } from './rule';

const HARM_CODES = [
  'heartbeat_stale',
  'session_conflict',
  'ibkr_connectivity',
  'pending_order_buildup',
  'reconcile_pending',
] as const;

export const marketDataDegraded: DependentRule = (ctx, raised, emit) => {
  const s = ctx.status;
  if (s === null) return;
  const n = s.market_data_10197_recent ?? 0;
  const status = s.market_data_status;
  const noticed = n > 0 || status === 'degraded' || status === 'down';
  if (!noticed) return;
  const warnAt = ctx.config.marketData10197Warn;
  const harm = HARM_CODES.filter((c) => raised.has(c));
  const judged = ctx.inSession && ctx.clock.past_open_grace;
  const reasons: string[] = [];
  if (judged) {
    if (n >= warnAt) reasons.push(`10197 x${n} (warn at ${warnAt})`);
    if (status === 'down') reasons.push('market_data_status=down');
    if (reasons.length === 0 && harm.length > 0) {
      reasons.push(`${n > 0 ? `10197 x${n}` : 'market_data_status=degraded'} with ${harm.join(', ')}`);
    }
  }
  const details = { market_data_status: status ?? null, market_data_10197_recent: n, with: harm };
  if (reasons.length > 0) {
    emit.event(finding('market_data_degraded', { severity: 'warn', summary: reasons.join('; '), details }));
    return;
  }
  emit.info({
    code: 'market_data_notice',
    summary: `market data ${status ?? 'status not reported'}, 10197 x${n}${judged ? '' : ' (outside the session or within open grace)'}`,
    details,
  });
};
